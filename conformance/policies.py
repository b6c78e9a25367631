"""Request policies: rules the choke point applies to every request before it reaches the target.

A policy (``conformance.chokepoint.RequestPolicy``) reviews each request and may refuse it; it also
observes every answer. The run installs them on its choke point, so a rule holds for the suite's
own requests and Schemathesis' alike. Live-mode money rules (issue 13) belong here.
"""

from __future__ import annotations

import threading

import httpx

__all__ = ["RequestBudget"]


class RequestBudget:
    """At most ``limit`` requests reach the target in the whole run (the ``smoke`` profile)."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.admitted = 0
        self._lock = threading.Lock()

    def review(self, request: httpx.Request) -> str | None:
        with self._lock:
            if self.admitted >= self.limit:
                return (
                    f"request budget of {self.limit} spent: {request.method} {request.url.path} "
                    "was not sent (the profile's budget)"
                )
            self.admitted += 1
            return None

    def observe(self, request: httpx.Request, response: httpx.Response) -> None:
        return None
