"""When to try again, and how long to wait first: pure decisions, no I/O.

Reads and quotes have no side effects, so they are retried on 429 (after the delay the server
advertises), on 502/503/504 and on timeouts and connection failures, with capped, jittered
exponential backoff inside a total time budget.

A refund POST moves money and BigCommerce has no idempotency key, so it follows stricter rules
(:func:`refund_never_processed`, :func:`refund_in_doubt`): it is sent again only when the failure
proves the request never reached the store's application (the connection could not be opened, or
the rate limiter answered 429). Every other failure is either a refusal (nothing recorded: raised
as is) or *in doubt*: then the client reads the order's refunds back over a settle window and
never sends the POST again (see ``_engine.Engine.create_refund``).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

from .errors import (
    ApiError,
    ConnectionFailedError,
    RateLimitedError,
    RefundsError,
    RequestTimeoutError,
    ServiceUnavailableError,
)

__all__ = [
    "RetryPolicy",
    "backoff_delay",
    "rate_limit_delay",
    "refund_in_doubt",
    "refund_never_processed",
    "refund_resend_delay",
    "retry_delay",
    "settle_delays",
]


@dataclass(frozen=True)
class RetryPolicy:
    """How hard to try, and how long to look for a refund whose POST failed in doubt.

    Reads and quotes:

    - ``max_attempts``: attempts per request, the first included (1 disables retries);
    - ``initial_backoff``/``max_backoff``: the exponential backoff (seconds) before retry *n*
      is ``min(max_backoff, initial_backoff * 2**(n-1))``, then jittered to between half and
      all of it, so that many clients do not retry in lockstep;
    - ``total_budget``: no retry is started (nor slept for) past this many seconds since the
      first attempt; a 429 whose advertised reset lies beyond it is raised at once;
    - ``retry_statuses``: the statuses that make a read or quote retryable.

    Refund POSTs are sent again only when the request provably never reached the store's
    application: the connection could not be opened (refused, DNS, connect timeout, TLS
    handshake, no free connection in the pool) or the store's rate limiter answered 429 (only if
    429 is in ``retry_statuses``). Those resends use ``max_attempts``, the backoff (a 429 waits
    its advertised reset) and ``total_budget`` like reads. Nothing else ever sends a refund POST a
    second time: not a read timeout, not a connection dropped after the request was written, not
    a 5xx (a 502/504 comes from a gateway that may have passed the request on).

    Those other failures are *in doubt*: the refund may have been recorded, or may still be
    (a slow payment gateway). With ``read_before_refund`` (the default) the client then reads
    the order's refunds, compares them with the snapshot it took before the POST, and keeps
    reading until the refund appears or the settle window is over:

    - ``settle_window``: how long (seconds of waiting between read-backs, after the failure)
      to keep looking; 60 s by default, which outlasts a payment gateway that is slower than
      the client's timeout (on top of the 30 s that the POST already waited);
    - ``settle_initial_delay``: the wait before the first read-back (seconds);
    - ``settle_max_interval``: the waits double from ``settle_initial_delay`` up to this.

    If the refund appears it is returned; otherwise
    :class:`~.errors.RefundOutcomeUnknownError` is raised, and
    ``RefundsClient.find_refund`` settles it later. The read before the POST costs one request
    per refund (it counts against the store's rate limit). With ``read_before_refund=False`` a
    successful refund is one request, but an in-doubt failure cannot be read back (there is no
    snapshot to compare with): ``RefundOutcomeUnknownError`` is raised at once.
    """

    max_attempts: int = 4
    initial_backoff: float = 0.5
    max_backoff: float = 8.0
    total_budget: float = 60.0
    retry_statuses: frozenset[int] = field(default=frozenset({429, 502, 503, 504}))
    settle_window: float = 60.0
    settle_initial_delay: float = 1.0
    settle_max_interval: float = 10.0
    read_before_refund: bool = True

    def __post_init__(self) -> None:
        if isinstance(self.max_attempts, bool) or not isinstance(self.max_attempts, int):
            raise ValueError("max_attempts must be an int")
        if self.max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")
        delays = (
            self.initial_backoff,
            self.max_backoff,
            self.total_budget,
            self.settle_window,
            self.settle_initial_delay,
            self.settle_max_interval,
        )
        if any(not _finite(value) for value in delays):
            raise ValueError("delays, windows and the budget must be finite numbers")
        if min(delays) < 0:
            raise ValueError("delays, windows and the budget cannot be negative")
        if self.settle_initial_delay <= 0 or self.settle_max_interval < self.settle_initial_delay:
            raise ValueError(
                "settle_initial_delay must be positive and settle_max_interval at least as "
                "long: the read-backs after an in-doubt refund must be spaced out"
            )

    @classmethod
    def never(cls) -> RetryPolicy:
        """No retries at all: reads, quotes and refund POSTs are each sent once.

        An in-doubt refund is still read back over the settle window: reading is not resending.
        """
        return cls(max_attempts=1)

    @classmethod
    def without_read_before_refund(cls) -> RetryPolicy:
        """One request per successful refund: no read before the POST.

        Reads and quotes keep the default retries, and a refund POST that never reached the
        store is still sent again. An in-doubt failure raises
        :class:`~.errors.RefundOutcomeUnknownError` at once (see ``read_before_refund``).
        """
        return cls(read_before_refund=False)


def _finite(value: float) -> bool:
    return (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and value == value
        and (value not in (float("inf"), float("-inf")))
    )


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


def refund_never_processed(error: RefundsError) -> bool:
    """Did this refund POST provably never reach the store's application?

    True for a connection that could not be opened (nothing was written) and for a 429 (the
    rate limiter answers before any processing). Such a POST may be sent again.
    """
    if isinstance(error, RequestTimeoutError | ConnectionFailedError):
        return not error.maybe_sent
    return isinstance(error, RateLimitedError)


def refund_in_doubt(error: RefundsError) -> bool:
    """Could a refund POST that failed like this have been recorded, or be recorded later?

    Not in doubt: a POST that never reached the store (:func:`refund_never_processed`); a 4xx
    (the store refused it); BigCommerce's documented tax-service 503, whose body
    (``{"data": [{"order_id", "status", "error"}]}``, the schema upstream names
    ``FailedQuoteError``) says the refund could not be calculated, so nothing was created; and a
    2xx whose body did not parse (that one *was* recorded). Everything else is in doubt: a
    timeout or a connection lost after the request was written, a 5xx (including a 503 without
    that body, e.g. from a load balancer), a 3xx or 1xx.
    """
    if refund_never_processed(error):
        return False
    if isinstance(error, RequestTimeoutError | ConnectionFailedError):
        return True
    if not isinstance(error, ApiError):
        return False
    status = error.status_code
    if 200 <= status < 300 or 400 <= status < 500:
        return False
    return not (isinstance(error, ServiceUnavailableError) and error.failures)


def refund_resend_delay(
    policy: RetryPolicy, error: RefundsError, retry_number: int, rand: float
) -> float | None:
    """How long to wait before sending a refund POST again after ``error``, or None: never.

    Only a POST that never reached the store is sent again (:func:`refund_never_processed`);
    a 429 only if 429 is in the policy's ``retry_statuses``. The caller applies
    ``max_attempts`` and ``total_budget``.
    """
    if not refund_never_processed(error):
        return None
    if isinstance(error, RateLimitedError):
        if 429 not in policy.retry_statuses:
            return None
        if error.retry_after is not None:
            return error.retry_after
    return backoff_delay(policy, retry_number, rand)


def settle_delays(policy: RetryPolicy) -> Iterator[float]:
    """The waits before each read-back of an in-doubt refund: doubling, capped, endless.

    The caller stops at the end of ``settle_window``.
    """
    delay = policy.settle_initial_delay
    while True:
        yield delay
        delay = min(delay * 2, policy.settle_max_interval)
