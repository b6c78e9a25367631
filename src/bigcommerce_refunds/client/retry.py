"""When to try again, and how long to wait first: pure decisions, no I/O.

Reads and quotes have no side effects, so they are retried on 429 (after the delay the server
advertises), on 502/503/504 and on timeouts and connection failures, with capped, jittered
exponential backoff inside a total time budget. A refund POST is never retried by these rules:
see ``_engine.Engine.create_refund`` for what happens instead.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from .errors import (
    ApiError,
    ConnectionFailedError,
    RateLimitedError,
    RefundsError,
    RequestTimeoutError,
)

__all__ = ["RetryPolicy", "backoff_delay", "rate_limit_delay", "retry_delay"]


@dataclass(frozen=True)
class RetryPolicy:
    """How hard to try.

    - ``max_attempts``: attempts per read or quote, the first included (1 disables retries);
    - ``initial_backoff``/``max_backoff``: the exponential backoff (seconds) before retry *n*
      is ``min(max_backoff, initial_backoff * 2**(n-1))``, then jittered to between half and
      all of it, so that many clients do not retry in lockstep;
    - ``total_budget``: no retry is started (nor slept for) past this many seconds since the
      first attempt; a 429 whose advertised reset lies beyond it is raised at once;
    - ``retry_statuses``: the statuses that make a read or quote retryable;
    - ``refund_retries``: 0 or 1, how often a refund POST that *provably* was not recorded is
      sent again (see ``_engine.Engine.create_refund``);
    - ``settle_delay``: seconds to wait before reading an order's refunds back after a refund
      POST whose request may still be in flight on the server (a read timeout, a dropped
      connection, a 5xx other than the tax-service 503), so that a refund recorded late is seen;
    - ``read_before_refund``: whether each refund POST is preceded by a read of the order's
      refunds (getOrderRefunds), see below.

    ``read_before_refund`` exists because BigCommerce has no idempotency key: when a refund
    POST times out, loses its connection or gets a 5xx, the refund may or may not have been
    recorded, and the only way to tell is to compare the order's refunds afterwards with a
    snapshot taken before. That snapshot is the read; with it (the default), an in-doubt
    failure is resolved: the recorded refund is returned, or the POST is sent once more when
    the read-back proves nothing was recorded (``refund_retries``), or
    :class:`~.errors.RefundOutcomeUnknownError` is raised when neither can be proven. It costs
    one extra request per refund (a GET whose size grows with the order's refunds, and which
    counts against the store's rate limit), i.e. one more round trip: roughly twice the time
    a successful refund takes without it.

    With ``read_before_refund=False`` a successful refund takes exactly one request, but an
    in-doubt failure can no longer be resolved: it is neither read back nor retried, and
    ``RefundOutcomeUnknownError`` is raised at once (``post_error`` holds the failure); the
    caller must check the order's refunds before sending the refund again. Refusals (4xx) and
    successes are unaffected. Because a resend is only safe after a read-back has proven that
    nothing was recorded, ``read_before_refund=False`` requires ``refund_retries=0``; a policy
    asking for both is refused with ValueError. :meth:`without_read_before_refund` builds the
    consistent combination (``dataclasses.replace`` it to change other settings).
    """

    max_attempts: int = 4
    initial_backoff: float = 0.5
    max_backoff: float = 8.0
    total_budget: float = 60.0
    retry_statuses: frozenset[int] = field(default=frozenset({429, 502, 503, 504}))
    refund_retries: int = 1
    settle_delay: float = 1.0
    read_before_refund: bool = True

    def __post_init__(self) -> None:
        if self.max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")
        if min(self.initial_backoff, self.max_backoff, self.total_budget, self.settle_delay) < 0:
            raise ValueError("delays and the budget cannot be negative")
        if self.refund_retries not in (0, 1):
            raise ValueError("refund_retries must be 0 or 1: a refund is retried at most once")
        if not self.read_before_refund and self.refund_retries:
            raise ValueError(
                "read_before_refund=False needs refund_retries=0: a refund POST is only sent "
                "again after reading the order's refunds back proves the first one was not "
                "recorded, and that proof needs the read before the refund (there is no "
                "idempotency key). Use RetryPolicy.without_read_before_refund()."
            )

    @classmethod
    def never(cls) -> RetryPolicy:
        """No retries at all (reads, quotes and refunds are each sent once).

        A refund is still preceded by the read (``read_before_refund``): it is not a retry.
        """
        return cls(max_attempts=1, refund_retries=0)

    @classmethod
    def without_read_before_refund(cls) -> RetryPolicy:
        """One request per refund: no read before the POST, hence no refund retry.

        Reads and quotes keep the default retries. An in-doubt refund failure raises
        :class:`~.errors.RefundOutcomeUnknownError` at once (see ``read_before_refund``).
        """
        return cls(read_before_refund=False, refund_retries=0)


def backoff_delay(policy: RetryPolicy, retry_number: int, rand: float) -> float:
    """Seconds to wait before retry number ``retry_number`` (1-based); ``rand`` is in [0, 1)."""
    exponent = max(retry_number - 1, 0)
    capped = min(policy.max_backoff, policy.initial_backoff * (2.0**exponent))
    return capped * (0.5 + 0.5 * rand)


def _header_number(headers: Mapping[str, str], name: str) -> float | None:
    raw = headers.get(name)
    if raw is None:
        return None
    try:
        value = float(raw.strip())
    except ValueError:
        return None
    if value != value or value < 0 or value == float("inf"):  # NaN, negative, infinite
        return None
    return value


def rate_limit_delay(headers: Mapping[str, str]) -> float | None:
    """Seconds until the rate-limit window resets, as the 429 response advertises it.

    X-Rate-Limit-Time-Reset-Ms (milliseconds, BigCommerce's precise value) wins; then
    X-Retry-After (seconds), then the standard Retry-After (seconds only). None if absent or
    unreadable. ``headers`` should be case-insensitive (``httpx.Headers``).
    """
    reset_ms = _header_number(headers, "X-Rate-Limit-Time-Reset-Ms")
    if reset_ms is not None:
        return reset_ms / 1000.0
    for name in ("X-Retry-After", "Retry-After"):
        seconds = _header_number(headers, name)
        if seconds is not None:
            return seconds
    return None


def retry_delay(
    policy: RetryPolicy, error: RefundsError, retry_number: int, rand: float
) -> float | None:
    """How long to wait before retrying a read or quote that failed with ``error``, or None.

    A 429 waits exactly the advertised reset (no jitter: the window opens then, not before),
    or the backoff when the server did not say.
    """
    if isinstance(error, RequestTimeoutError | ConnectionFailedError):
        return backoff_delay(policy, retry_number, rand)
    if isinstance(error, ApiError) and error.status_code in policy.retry_statuses:
        if isinstance(error, RateLimitedError) and error.retry_after is not None:
            return error.retry_after
        return backoff_delay(policy, retry_number, rand)
    return None
