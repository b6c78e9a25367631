"""Retries and refund safety, written once for both clients ("sans-I/O").

A *plan* is a generator that yields :class:`Send` (and receives the :data:`Outcome`) or
:class:`Sleep` (and receives None), and finally returns the result or raises a typed error.
The sync client runs plans with ``httpx.Client`` and ``time.sleep``, the async client with
``httpx.AsyncClient`` and ``asyncio.sleep``; every decision (what to retry, how long to wait,
whether a failed refund was recorded) lives here, so the two cannot drift apart, and tests can
drive a plan step by step without any I/O at all.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Generator
from dataclasses import dataclass
from typing import Any, TypeAlias, TypeVar

from bigcommerce_refunds_client.models import Refund

from . import transport
from ._matching import RefundSpec, Verdict, judge
from .errors import (
    ApiError,
    ConnectionFailedError,
    RefundOutcomeUnknownError,
    RefundsError,
    RequestTimeoutError,
    ServiceUnavailableError,
)
from .responses import Outcome, RawResponse, interpret, parse_refund, parse_refunds
from .retry import RetryPolicy, backoff_delay, retry_delay
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


def _in_doubt(error: RefundsError) -> bool:
    """Could a refund POST that failed like this have been recorded anyway?"""
    if isinstance(error, RequestTimeoutError | ConnectionFailedError):
        return True
    return isinstance(error, ApiError) and error.status_code >= 500


def _may_still_be_in_flight(error: RefundsError) -> bool:
    """Could the server still be working on it (so wait before reading back)?"""
    if isinstance(error, RequestTimeoutError | ConnectionFailedError):
        return error.maybe_sent
    # The tax-service 503 is documented to record nothing; other 5xx (a gateway's 502/504)
    # may have cut off a request the store is still processing.
    return not (isinstance(error, ServiceUnavailableError) and error.failures)


class Engine:
    """Builds plans from a :class:`RetryPolicy`, a jitter source and a clock (all injectable)."""

    def __init__(
        self, policy: RetryPolicy, random: Callable[[], float], clock: Callable[[], float]
    ) -> None:
        self.policy = policy
        self._random = random
        self._clock = clock

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
        """A refund POST that is never retried blindly (see ``_matching`` for the rule).

        Must run while holding the order's lock: the snapshot and the read-back assume that no
        other create for this order goes through this client in between. With the policy's
        ``read_before_refund`` off there is no snapshot: see :meth:`_create_unread`.
        """
        post = transport.create_refund(spec.order_id, spec.body())
        if not self.policy.read_before_refund:
            return (yield from self._create_unread(spec, post))
        read = transport.get_order_refunds(spec.order_id)
        known = frozenset(refund.id for refund in (yield from self.call(read, parse_refunds)))
        retries_left = self.policy.refund_retries
        attempt = 1
        while True:
            outcome = yield from _send(post)
            _log_outcome(post, outcome, attempt)
            try:
                return interpret(post, outcome, parse_refund)
            except _RETRYABLE as caught:
                error: RefundsError = caught
            if not _in_doubt(error):
                raise error  # refused (4xx) or recorded-but-unreadable (2xx): never resend
            if _may_still_be_in_flight(error) and self.policy.settle_delay > 0:
                yield from _sleep(self.policy.settle_delay)
            try:
                refunds_now = yield from self.call(read, parse_refunds)
            except RefundsError as read_error:
                raise RefundOutcomeUnknownError(
                    f"{post.describe()}: outcome unknown. The request failed ({error}) and "
                    f"reading order {spec.order_id}'s refunds back failed too ({read_error}). "
                    + _look_first(spec.order_id),
                    operation=post.operation,
                    order_id=spec.order_id,
                    post_error=error,
                    read_error=read_error,
                ) from read_error
            verdict = judge(spec, known, refunds_now)
            if verdict.recorded is not None:
                _log.warning(
                    "%s failed (%s) but the refund was recorded as refund %d; returning it",
                    post.describe(),
                    error,
                    verdict.recorded.id,
                )
                return verdict.recorded
            if not verdict.provably_not_recorded:
                raise _ambiguous(post, spec, error, verdict) from error
            if retries_left == 0:
                error.add_note(
                    f"bigcommerce_refunds read order {spec.order_id}'s refunds back after this "
                    "failure: no refund was recorded, so sending it again is safe."
                )
                raise error
            retries_left -= 1
            attempt += 1
            delay = backoff_delay(self.policy, 1, self._random())
            _log.warning(
                "%s failed (%s); verified that no refund was recorded; sending it once more "
                "in %.3f s",
                post.describe(),
                error,
                delay,
            )
            yield from _sleep(delay)
            known = frozenset(refund.id for refund in refunds_now)

    def _create_unread(self, spec: RefundSpec, post: ApiRequest) -> Plan[Refund]:
        """One POST and nothing else: without a snapshot, an in-doubt failure stays unknown.

        The policy guarantees ``refund_retries == 0`` here (a resend needs a read-back).
        """
        outcome = yield from _send(post)
        _log_outcome(post, outcome, 1)
        try:
            return interpret(post, outcome, parse_refund)
        except _RETRYABLE as caught:
            error: RefundsError = caught
        if not _in_doubt(error):
            raise error  # refused (4xx) or recorded-but-unreadable (2xx): as with the read
        raise RefundOutcomeUnknownError(
            f"{post.describe()}: outcome unknown. The request failed ({error}), so the refund "
            "may or may not have been recorded, and the client did not read order "
            f"{spec.order_id}'s refunds back to find out because the retry policy has "
            "read_before_refund=False (no snapshot to compare with). " + _look_first(spec.order_id),
            operation=post.operation,
            order_id=spec.order_id,
            post_error=error,
        ) from error


def _look_first(order_id: int) -> str:
    return (
        f"Check GET /orders/{order_id}/payment_actions/refunds before sending it again: "
        "BigCommerce has no idempotency key, so a blind retry can refund twice."
    )


def _ambiguous(
    post: ApiRequest, spec: RefundSpec, error: RefundsError, verdict: Verdict
) -> RefundOutcomeUnknownError:
    ids = ", ".join(str(refund_id) for refund_id in verdict.new_refund_ids)
    if verdict.matching_ids:
        found = f"several new refunds match it ({', '.join(map(str, verdict.matching_ids))})"
    else:
        found = "none of them matches it"
    return RefundOutcomeUnknownError(
        f"{post.describe()}: outcome unknown. The request failed ({error}); order "
        f"{spec.order_id} now has new refund(s) {ids}, but {found}. " + _look_first(spec.order_id),
        operation=post.operation,
        order_id=spec.order_id,
        post_error=error,
        new_refund_ids=verdict.new_refund_ids,
    )
