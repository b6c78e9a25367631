"""BigCommerce-style rate limiting: a quota of requests per fixed window, per token.

Every answer carries the window, the time to its reset, the quota and what is left, so clients can
pace themselves; over quota the answer is 429 with ``X-Retry-After`` (whole seconds, at least 1).
Requests without a valid token are counted per client address (``anonymous:<host>``), so an
unauthenticated flood cannot use up a real token's quota. The control API peeks without counting.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable
from typing import NamedTuple

_MAX_BUCKETS = 10_000


class Allowance(NamedTuple):
    """A bucket's state after a request (a NamedTuple: built on every request, cheaply)."""

    allowed: bool
    quota: int
    left: int
    window_ms: int
    reset_ms: int

    @property
    def retry_after_seconds(self) -> int:
        return max(1, math.ceil(self.reset_ms / 1000))

    def headers(self) -> dict[str, str]:
        headers = {
            "X-Rate-Limit-Time-Window-Ms": str(self.window_ms),
            "X-Rate-Limit-Time-Reset-Ms": str(self.reset_ms),
            "X-Rate-Limit-Requests-Quota": str(self.quota),
            "X-Rate-Limit-Requests-Left": str(self.left),
        }
        if not self.allowed:
            headers["X-Retry-After"] = str(self.retry_after_seconds)
        return headers


class RateLimiter:
    """Fixed windows that start with a bucket's first request; thread-safe."""

    def __init__(self, quota: int, window_ms: int, clock: Callable[[], float]) -> None:
        self.quota = quota
        self.window_ms = window_ms
        self._clock = clock
        self._lock = threading.Lock()
        self._windows: dict[str, tuple[float, int]] = {}

    def _current(self, bucket: str, now: float) -> tuple[float, int]:
        start, used = self._windows.get(bucket, (now, 0))
        if (now - start) * 1000 >= self.window_ms:
            return now, 0
        return start, used

    def _allowance(self, allowed: bool, start: float, used: int, now: float) -> Allowance:
        reset_ms = max(0, math.ceil(self.window_ms - (now - start) * 1000))
        return Allowance(allowed, self.quota, max(0, self.quota - used), self.window_ms, reset_ms)

    def consume(self, bucket: str) -> Allowance:
        """Count one request against ``bucket``."""
        with self._lock:
            now = self._clock()
            if len(self._windows) > _MAX_BUCKETS:
                self._forget_expired(now)
            start, used = self._current(bucket, now)
            allowed = used < self.quota
            if allowed:
                used += 1
            self._windows[bucket] = (start, used)
            return self._allowance(allowed, start, used, now)

    def peek(self, bucket: str) -> Allowance:
        """The bucket's state, without counting a request."""
        with self._lock:
            now = self._clock()
            start, used = self._current(bucket, now)
            return self._allowance(True, start, used, now)

    def _forget_expired(self, now: float) -> None:
        for bucket in [
            b for b, (start, _) in self._windows.items() if (now - start) * 1000 >= self.window_ms
        ]:
            del self._windows[bucket]

    def reset(self) -> None:
        with self._lock:
            self._windows.clear()


__all__ = ["Allowance", "RateLimiter"]
