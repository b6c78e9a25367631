"""Retries and refund safety, written once for both clients ("sans-I/O").

A *plan* is a generator that yields :class:`Send` (and receives the :data:`Outcome`) or
:class:`Sleep` (and receives None), and finally returns the result or raises a typed error.
The sync client runs plans with ``httpx.Client`` and ``time.sleep``, the async client with
``httpx.AsyncClient`` and ``asyncio.sleep``; every decision (what to retry, how long to wait,
whether a failed refund was recorded) lives here, so the two cannot drift apart, and tests can
drive a plan step by step without any I/O at all.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable, Generator
from dataclasses import dataclass
from typing import Any, TypeAlias, TypeVar

from bigcommerce_refunds_client.models import Refund

from . import transport
from ._matching import RefundSpec, Verdict, judge, matching_since
from .errors import (
    ApiError,
    ConnectionFailedError,
    MultipleRefundsMatchError,
    RateLimitedError,
    RefundOutcomeUnknownError,
    RefundsError,
    RequestTimeoutError,
)
from .responses import Outcome, RawResponse, interpret, parse_refund, parse_refunds
from .retry import (
    RetryPolicy,
    refund_in_doubt,
    refund_resend_delay,
    retry_delay,
    settle_delays,
)
from .transport import ApiRequest

__all__ = ["LOGGER_NAME", "Action", "Engine", "Plan", "Send", "Sleep"]

LOGGER_NAME = "bigcommerce_refunds.client"
_log = logging.getLogger(LOGGER_NAME)

T = TypeVar("T")


@dataclass(frozen=True)
class Send:
    """Send this request; resume me with the :data:`Outcome`."""

    request: ApiRequest


@dataclass(frozen=True)
class Sleep:
    """Wait this many seconds; resume me with None."""

    seconds: float


Action: TypeAlias = Send | Sleep
Plan: TypeAlias = Generator[Action, Outcome | None, T]

_RETRYABLE = (ApiError, RequestTimeoutError, ConnectionFailedError)


def _send(request: ApiRequest) -> Generator[Action, Outcome | None, Outcome]:
    outcome = yield Send(request)
    if outcome is None:
        raise RuntimeError("plan driver resumed a Send without an outcome")
    return outcome


def _sleep(seconds: float) -> Generator[Action, Outcome | None, None]:
    yield Sleep(seconds)


def _log_outcome(request: ApiRequest, outcome: Outcome, attempt: int) -> None:
    if not _log.isEnabledFor(logging.DEBUG):  # the arguments cost more than the check
        return
    if isinstance(outcome, RawResponse):
        result = f"HTTP {outcome.status_code}"
    else:
        result = type(outcome).__name__
    _log.debug("%s %s -> %s (attempt %d)", request.operation, request.target, result, attempt)


def _utc_now() -> datetime.datetime:
    return datetime.datetime.now(datetime.UTC)


class Engine:
    """Builds plans from a :class:`RetryPolicy`, a jitter source and clocks (all injectable).

    ``clock`` (monotonic seconds) times backoffs, budgets and the settle window; ``wall_clock``
    only stamps ``RefundOutcomeUnknownError.sent_at``.
    """

    def __init__(
        self,
        policy: RetryPolicy,
        random: Callable[[], float],
        clock: Callable[[], float],
        wall_clock: Callable[[], datetime.datetime] = _utc_now,
    ) -> None:
        self.policy = policy
        self._random = random
        self._clock = clock
        self._wall_clock = wall_clock

    def call(self, request: ApiRequest, parse: Callable[[Any], T]) -> Plan[T]:
        """A read or quote: retried per the policy, within its time budget."""
        started = self._clock()
        attempt = 1
        while True:
            outcome = yield from _send(request)
            _log_outcome(request, outcome, attempt)
            try:
                return interpret(request, outcome, parse)
            except _RETRYABLE as caught:
                error: RefundsError = caught
            delay = retry_delay(self.policy, error, attempt, self._random())
            if delay is None or attempt >= self.policy.max_attempts:
                raise error
            if self._clock() - started + delay > self.policy.total_budget:
                _log.info(
                    "%s: not retrying; waiting %.3f s would exceed the %.3f s budget",
                    request.describe(),
                    delay,
                    self.policy.total_budget,
                )
                raise error
            _log.info(
                "%s: retrying in %.3f s (attempt %d of %d) after: %s",
                request.describe(),
                delay,
                attempt + 1,
                self.policy.max_attempts,
                error,
            )
            yield from _sleep(delay)
            attempt += 1

    def create_refund(self, spec: RefundSpec) -> Plan[Refund]:
        """A refund POST, sent again only if it provably never reached the store.

        1. With ``read_before_refund``, snapshot the order's refunds (getOrderRefunds).
        2. POST. Success: return the refund. A failure that proves the request never reached
           the store's application (no connection; a 429) is sent again, within
           ``max_attempts`` and ``total_budget``. A refusal (4xx, the documented tax-service
           503) or a 2xx that does not parse is raised: nothing to reconcile.
        3. Anything else is in doubt, and the POST is never sent again: read the order's
           refunds back over the settle window (:meth:`_settle`) and return the refund if it
           appears, else raise :class:`RefundOutcomeUnknownError`.

        Must run while holding the order's lock: the snapshot and the read-backs assume that no
        other create for this order goes through this client in between.
        """
        post = transport.create_refund(spec.order_id, spec.body())
        known: frozenset[int] | None = None
        if self.policy.read_before_refund:
            read = transport.get_order_refunds(spec.order_id)
            known = frozenset(refund.id for refund in (yield from self.call(read, parse_refunds)))
        sent_at = self._wall_clock()
        started = self._clock()
        attempt = 1
        while True:
            outcome = yield from _send(post)
            _log_outcome(post, outcome, attempt)
            try:
                return interpret(post, outcome, parse_refund)
            except _RETRYABLE as caught:
                error: RefundsError = caught
            delay = self._resend_delay(post, error, attempt, started)
            if delay is not None:
                _log.info(
                    "%s never reached the store (%s); sending it again in %.3f s "
                    "(attempt %d of %d)",
                    post.describe(),
                    error,
                    delay,
                    attempt + 1,
                    self.policy.max_attempts,
                )
                yield from _sleep(delay)
                attempt += 1
                continue
            if not refund_in_doubt(error):
                if not isinstance(error, ApiError) or error.status_code >= 300:
                    error.add_note(_NOT_RECORDED)
                raise error  # refused, never reached, or recorded-but-unreadable (2xx)
            if known is None:
                raise self._unknown(
                    spec,
                    post,
                    error,
                    sent_at,
                    "the client did not read the order's refunds back to find out, because the "
                    "retry policy has read_before_refund=False (no snapshot to compare with)",
                ) from error
            return (yield from self._settle(spec, post, error, known, sent_at))

    def _resend_delay(
        self, post: ApiRequest, error: RefundsError, attempt: int, started: float
    ) -> float | None:
        """The wait before sending ``post`` again, or None: it must not (or cannot) be."""
        delay = refund_resend_delay(self.policy, error, attempt, self._random())
        if delay is None or attempt >= self.policy.max_attempts:
            return None
        if self._clock() - started + delay > self.policy.total_budget:
            _log.info(
                "%s: not sending it again; waiting %.3f s would exceed the %.3f s budget",
                post.describe(),
                delay,
                self.policy.total_budget,
            )
            return None
        return delay

    def _settle(
        self,
        spec: RefundSpec,
        post: ApiRequest,
        error: RefundsError,
        known: frozenset[int],
        sent_at: datetime.datetime,
    ) -> Plan[Refund]:
        """Read the order's refunds until the refund appears or the settle window is over.

        The window is counted in the waits between read-backs (the reads' own time comes on
        top), so the number of reads is fixed by the policy whatever the clock does. Each
        read-back is one request (no retries of its own: the next read-back is the retry); a
        429 on it pushes the next one past the advertised reset.
        """
        read = transport.get_order_refunds(spec.order_id)
        window = self.policy.settle_window
        waited = 0.0
        last_read_error: RefundsError | None = None
        verdict: Verdict | None = None
        reads = 0
        for delay in settle_delays(self.policy):
            if reads and waited >= window:
                break
            if isinstance(last_read_error, RateLimitedError) and last_read_error.retry_after:
                delay = max(delay, last_read_error.retry_after)
            wait = max(0.0, min(delay, window - waited))
            yield from _sleep(wait)
            waited += wait
            reads += 1
            outcome = yield from _send(read)
            _log_outcome(read, outcome, reads)
            try:
                refunds_now = interpret(read, outcome, parse_refunds)
            except RefundsError as read_error:
                last_read_error = read_error
                continue
            last_read_error = None
            verdict = judge(spec, known, refunds_now)
            if verdict.recorded is not None:
                _log.warning(
                    "%s failed (%s) but the refund was recorded as refund %d; returning it",
                    post.describe(),
                    error,
                    verdict.recorded.id,
                )
                return verdict.recorded
            if len(verdict.matching_ids) > 1:
                break  # which of them is ours cannot be told: waiting will not help
        raise self._unknown(
            spec,
            post,
            error,
            sent_at,
            _what_the_reads_showed(spec.order_id, window, reads, verdict, last_read_error),
            read_error=last_read_error,
            new_refund_ids=verdict.new_refund_ids if verdict is not None else (),
        ) from error

    def _unknown(
        self,
        spec: RefundSpec,
        post: ApiRequest,
        error: RefundsError,
        sent_at: datetime.datetime,
        finding: str,
        *,
        read_error: RefundsError | None = None,
        new_refund_ids: tuple[int, ...] = (),
    ) -> RefundOutcomeUnknownError:
        order_id = spec.order_id
        finder = (
            f"client.find_tax_adjustment_refund({order_id}, amount, since=...)"
            if spec.tax_adjustment_amount is not None
            else f"client.find_refund({order_id}, items, payments, since=...)"
        )
        unknown = RefundOutcomeUnknownError(
            f"{post.describe()}: outcome unknown. The request failed ({error}) after it may "
            f"have reached the store, and {finding}. The refund may have been recorded, or may "
            f"still be (a slow payment gateway). Sent: {spec.describe()}. It was NOT sent "
            "again: BigCommerce has no idempotency key, so a second POST can refund twice. "
            f"To settle it, use {finder} with the error's sent_at (less a few minutes for clock "
            f"differences), or check GET /orders/{order_id}/payment_actions/refunds.",
            operation=post.operation,
            order_id=order_id,
            post_error=error,
            read_error=read_error,
            new_refund_ids=new_refund_ids,
            sent_at=sent_at,
            items=spec.items,
            payments=spec.payments,
            merchant_override=spec.merchant_override,
            tax_adjustment_amount=spec.tax_adjustment_amount,
        )
        return unknown

    def find_refund(self, spec: RefundSpec, since: datetime.datetime | None) -> Plan[Refund | None]:
        """The order's refund that matches ``spec`` (created at or after ``since``), or None.

        Raises :class:`MultipleRefundsMatchError` when several match.
        """
        read = transport.get_order_refunds(spec.order_id)
        refunds = yield from self.call(read, parse_refunds)
        found = matching_since(spec, refunds, since)
        if len(found) > 1:
            ids = tuple(refund.id for refund in found)
            raise MultipleRefundsMatchError(
                f"order {spec.order_id} has {len(found)} refunds matching {spec.describe()}"
                + (f" created since {since.isoformat()}" if since is not None else "")
                + f": {', '.join(map(str, ids))}. Pass a later `since` to tell them apart.",
                order_id=spec.order_id,
                refund_ids=ids,
            )
        return found[0] if found else None


_NOT_RECORDED = (
    "bigcommerce_refunds: this failure proves the refund was not recorded "
    "(the store refused it, or never received it); sending it again is safe."
)


def _what_the_reads_showed(
    order_id: int,
    window: float,
    reads: int,
    verdict: Verdict | None,
    read_error: RefundsError | None,
) -> str:
    looked = f"reading order {order_id}'s refunds back {reads} time(s) over {window:g} s"
    if verdict is None:
        return f"{looked} failed every time (last: {read_error})"
    ids = ", ".join(str(refund_id) for refund_id in verdict.new_refund_ids)
    if len(verdict.matching_ids) > 1:
        several = ", ".join(map(str, verdict.matching_ids))
        return f"{looked} found several new refunds matching it ({several})"
    if verdict.new_refund_ids:
        shown = f"{looked} found new refund(s) {ids}, none of which matches it"
    else:
        shown = f"{looked} showed no new refund"
    if read_error is not None:
        shown += f" (the last read failed: {read_error})"
    return shown
