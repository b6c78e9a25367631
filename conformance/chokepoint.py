"""The one place every request of a conformance run passes on its way to the target.

The suite's own clients use :class:`ChokePoint` as their httpx transport; Schemathesis, which runs
in a subprocess, reaches the target through ``conformance.proxy``, a loopback forwarding proxy
that hands each request to the same :class:`ChokePoint`. So there is one object that:

* **paces** to the target's advertised quota: it reads the ``X-Rate-Limit-*`` headers of every
  answer, and when a credential's quota (less a reserve left to the store's other integrations)
  is spent, the next request waits for the window's reset instead of being sent;
* **retries a 429** after the advertised reset (``X-Retry-After`` / ``X-Rate-Limit-Time-Reset-Ms``),
  a bounded number of times: a 429 comes from the rate limiter, before the application, so the
  request is resent even when it is a refund POST;
* asks its **request policies** (:class:`RequestPolicy`) before sending anything: the seam where
  live-mode money rules and the smoke profile's request budget are enforced, for the suite's own
  requests and Schemathesis' alike;
* counts what was sent, for progress and budgets.

Only the rate-limit test sees 429s: it marks its requests ``UNPACED`` (no pacing, no retry).

Rules that every test must remember are rules some test forgets; this is why they live here.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

import httpx

__all__ = [
    "UNPACED",
    "ChokePoint",
    "RateGovernor",
    "RequestPolicy",
    "RequestRefusedError",
    "Traffic",
]

#: Request extension that exempts one request from pacing and 429 retries (the rate-limit test).
UNPACED = "conformance.unpaced"

#: Header set on the synthetic answer the proxy gives a refused request.
REFUSED_HEADER = "X-Conformance-Refused"

MAX_429_RETRIES = 5
#: The current pace is measured over this many seconds (two of BigCommerce's windows).
PACE_WINDOW_S = 60.0
#: Waiting longer than this for a window to reset means the advertised headers are nonsense.
MAX_WAIT_S = 120.0
#: Added to every advertised reset: clocks and rounding differ between us and the server.
RESET_MARGIN_S = 0.05


class RequestRefusedError(httpx.HTTPError):
    """A request policy refused to let this request reach the target (the message says why)."""

    def __init__(
        self, reason: str, request: httpx.Request, policy: RequestPolicy | None = None
    ) -> None:
        super().__init__(reason)
        self.reason = reason
        self.request = request
        #: The policy that refused (so a live-mode money rule can be told from a budget).
        self.policy = policy


class RequestPolicy(Protocol):
    """Decides, before anything is sent, whether a request may reach the target.

    ``review`` returns ``None`` to admit the request or a reason to refuse it (the request is then
    never sent; the suite's clients raise :class:`RequestRefusedError`, the proxy answers with a
    ``X-Conformance-Refused`` status 599). ``observe`` sees every answer of an admitted request,
    so a policy can keep running totals (issue 13: refunded amount against a cap).
    """

    def review(self, request: httpx.Request) -> str | None: ...

    def observe(self, request: httpx.Request, response: httpx.Response) -> None: ...


def _credential(request: httpx.Request) -> str:
    """A request's rate-limit bucket: per token (hashed, never kept in clear), else anonymous."""
    token = request.headers.get("x-auth-token")
    if not token:
        return "anonymous"
    return hashlib.sha256(token.encode("utf-8", "surrogateescape")).hexdigest()[:16]


def _int_header(headers: Mapping[str, str], name: str) -> int | None:
    value = headers.get(name)
    if value is None:
        return None
    try:
        return int(value.strip())
    except ValueError:
        return None


@dataclass
class _Bucket:
    quota: int
    left: int
    window_s: float
    reset_at: float
    in_flight: int = 0


@dataclass
class RateGovernor:
    """Per-credential quota state learned from ``X-Rate-Limit-*`` headers; thread-safe.

    ``reserve_share`` of each window's quota is left unused (for the store's other integrations on
    a live store). Before a credential's first answer nothing is known and requests go out.
    """

    reserve_share: float = 0.0
    clock: Callable[[], float] = time.monotonic
    _cond: threading.Condition = field(default_factory=threading.Condition)
    _buckets: dict[str, _Bucket] = field(default_factory=dict)
    _unknown_in_flight: dict[str, int] = field(default_factory=dict)
    waited_s: float = 0.0
    _waiters: int = 0
    _wait_since: float = 0.0

    def acquire(self, credential: str, *, give_up_after: float = MAX_WAIT_S) -> None:
        """Block until a request with ``credential`` fits the quota, then count it as in flight."""
        started = self.clock()
        waiting = False
        with self._cond:
            try:
                while True:
                    bucket = self._buckets.get(credential)
                    now = self.clock()
                    if bucket is None:
                        self._unknown_in_flight[credential] = (
                            self._unknown_in_flight.get(credential, 0) + 1
                        )
                        return
                    if now >= bucket.reset_at:
                        # A new window: the whole quota again, until an answer says otherwise.
                        bucket.left = bucket.quota
                        bucket.reset_at = now + bucket.window_s
                    if bucket.left - bucket.in_flight > self._reserve_for(bucket):
                        bucket.in_flight += 1
                        return
                    if now - started > give_up_after:
                        raise TimeoutError(
                            f"waited {now - started:.0f} s for the rate-limit window to reset"
                        )
                    if not waiting:
                        waiting = True
                        self._begin_wait(now)
                    until = min(bucket.reset_at, started + give_up_after + 0.001)
                    self._cond.wait(timeout=max(0.001, until - now))
            finally:
                if waiting:
                    self._end_wait()

    def _begin_wait(self, now: float) -> None:
        # Wall-clock time during which at least one request waited (concurrent waits overlap).
        if self._waiters == 0:
            self._wait_since = now
        self._waiters += 1

    def _end_wait(self) -> None:
        self._waiters -= 1
        if self._waiters == 0:
            self.waited_s += self.clock() - self._wait_since

    @property
    def waiting(self) -> bool:
        """Whether a request is waiting for the quota right now."""
        return self._waiters > 0

    def longest_window_s(self) -> float:
        """The longest advertised window (0 when no quota is known yet)."""
        with self._cond:
            return max((bucket.window_s for bucket in self._buckets.values()), default=0.0)

    def _reserve_for(self, bucket: _Bucket) -> int:
        # Never reserve the whole quota: a tiny quota still gets one request per window.
        return min(int(bucket.quota * self.reserve_share), max(0, bucket.quota - 1))

    def release(self, credential: str, headers: Mapping[str, str] | None) -> None:
        """The answer to an acquired request arrived (``headers``) or it failed (``None``)."""
        with self._cond:
            bucket = self._buckets.get(credential)
            if bucket is not None and bucket.in_flight > 0:
                bucket.in_flight -= 1
            elif self._unknown_in_flight.get(credential, 0) > 0:
                self._unknown_in_flight[credential] -= 1
            if headers is not None:
                self._learn(credential, headers)
            self._cond.notify_all()

    def _learn(self, credential: str, headers: Mapping[str, str]) -> None:
        quota = _int_header(headers, "X-Rate-Limit-Requests-Quota")
        left = _int_header(headers, "X-Rate-Limit-Requests-Left")
        reset_ms = _int_header(headers, "X-Rate-Limit-Time-Reset-Ms")
        window_ms = _int_header(headers, "X-Rate-Limit-Time-Window-Ms")
        if quota is None or left is None or reset_ms is None or quota <= 0:
            return
        now = self.clock()
        window_s = (window_ms if window_ms and window_ms > 0 else max(reset_ms, 1)) / 1000
        reset_at = now + max(0, reset_ms) / 1000 + RESET_MARGIN_S
        bucket = self._buckets.get(credential)
        if bucket is None:
            self._buckets[credential] = _Bucket(quota, max(0, left), window_s, reset_at)
            return
        bucket.quota, bucket.window_s = quota, window_s
        if abs(reset_at - bucket.reset_at) < 1.0:
            # Same window; answers may arrive out of order: the smallest count is the truth.
            bucket.left = min(bucket.left, max(0, left))
        else:
            bucket.left = max(0, left)
        bucket.reset_at = reset_at

    def spent(self, credential: str, wait_s: float) -> None:
        """A 429 said the quota is spent for ``wait_s`` seconds."""
        with self._cond:
            bucket = self._buckets.get(credential)
            reset_at = self.clock() + wait_s + RESET_MARGIN_S
            if bucket is None:
                self._buckets[credential] = _Bucket(1, 0, max(wait_s, 1.0), reset_at)
            else:
                bucket.left = 0
                bucket.reset_at = max(bucket.reset_at, reset_at)

    def describe(self) -> str:
        """The quota as advertised (the first credential's), for progress lines."""
        with self._cond:
            for bucket in self._buckets.values():
                return f"quota {bucket.quota}/{bucket.window_s:g}s"
        return "quota unknown"


@dataclass
class Traffic:
    """What went through the choke point: counts, and a sliding window for the current pace."""

    clock: Callable[[], float] = time.monotonic
    sent: int = 0
    answered_429: int = 0
    retried_429: int = 0
    refused: list[str] = field(default_factory=list)
    _recent: deque[float] = field(default_factory=deque)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def count(self) -> None:
        with self._lock:
            self.sent += 1
            now = self.clock()
            self._recent.append(now)
            while self._recent and now - self._recent[0] > PACE_WINDOW_S:
                self._recent.popleft()

    def pace(self) -> float:
        """Requests per second over the last PACE_WINDOW_S (or since the first request)."""
        with self._lock:
            now = self.clock()
            while self._recent and now - self._recent[0] > PACE_WINDOW_S:
                self._recent.popleft()
            if len(self._recent) < 2:
                return 0.0
            return len(self._recent) / max(now - self._recent[0], 1.0)


def _retry_after_s(headers: Mapping[str, str]) -> float:
    retry_after = _int_header(headers, "X-Retry-After")
    reset_ms = _int_header(headers, "X-Rate-Limit-Time-Reset-Ms")
    candidates = [float(retry_after)] if retry_after is not None else []
    candidates += [reset_ms / 1000] if reset_ms is not None else []
    return min(max(max(candidates, default=1.0), 0.0), MAX_WAIT_S)


class ChokePoint(httpx.BaseTransport):
    """An httpx transport in front of the real one: policies, pacing, 429 retries, counting.

    ``sleep`` waits out a 429 (injectable so tests need not wait).
    """

    def __init__(
        self,
        inner: httpx.BaseTransport | None = None,
        *,
        policies: Sequence[RequestPolicy] = (),
        governor: RateGovernor | None = None,
        traffic: Traffic | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._inner = inner or httpx.HTTPTransport()
        self.policies = list(policies)
        self.governor = governor or RateGovernor()
        self.traffic = traffic or Traffic()
        self._sleep = sleep

    def __repr__(self) -> str:
        return f"ChokePoint(sent={self.traffic.sent}, policies={len(self.policies)})"

    def add_policy(self, policy: RequestPolicy) -> None:
        self.policies.append(policy)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        unpaced = bool(request.extensions.pop(UNPACED, False))
        for policy in self.policies:
            reason = policy.review(request)
            if reason is not None:
                self.traffic.refused.append(reason)
                raise RequestRefusedError(reason, request, policy)
        credential = _credential(request)
        attempt = 0
        while True:
            response = self._send_once(request, credential, unpaced=unpaced)
            if response.status_code != 429:
                break
            self.traffic.answered_429 += 1
            if unpaced or attempt >= MAX_429_RETRIES:
                break
            response.read()
            response.close()
            wait_s = _retry_after_s(response.headers)
            self.governor.spent(credential, wait_s)
            self.traffic.retried_429 += 1
            attempt += 1
        for policy in self.policies:
            policy.observe(request, response)
        return response

    def _send_once(
        self, request: httpx.Request, credential: str, *, unpaced: bool
    ) -> httpx.Response:
        if not unpaced:
            self.governor.acquire(credential)
        self.traffic.count()
        try:
            response = self._inner.handle_request(request)
        except BaseException:
            if not unpaced:
                self.governor.release(credential, None)
            raise
        if not unpaced:
            self.governor.release(credential, response.headers)
        return response

    def close(self) -> None:
        """Clients close their transport; this one is shared by the whole run: see shutdown()."""

    def shutdown(self) -> None:
        """Close the connections to the target (at the end of the run)."""
        self._inner.close()
