"""Typed errors: one base class, one subclass per thing a caller reacts to differently.

The generated client returns an ``ErrorResponse`` (or ``None``) for every failure and lets
transport exceptions escape raw; a money-moving caller needs to tell "refused" (422: fix the
request), "slow down" (429: wait ``retry_after``), "nothing happened" and "we do not know"
(:class:`RefundOutcomeUnknownError`: look before you retry) apart with a plain ``except``.

Every HTTP error carries the status, the response headers and the raw body, plus a copy of the
request with the auth header redacted. Messages name the operation and the order (or refund);
they never contain the access token (the transport scrubs it before an error is built).
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import httpx

if TYPE_CHECKING:
    from .items import Item, MerchantOverride, Payment

__all__ = [
    "ApiError",
    "AuthenticationError",
    "ConfigurationError",
    "ConnectionFailedError",
    "ErrorDetail",
    "HttpExchange",
    "MalformedResponseError",
    "MultipleRefundsMatchError",
    "NotFoundError",
    "PaginationError",
    "PermissionDeniedError",
    "RateLimitedError",
    "RefundOutcomeUnknownError",
    "RefundsError",
    "RequestTimeoutError",
    "ServiceUnavailableError",
    "TaxServiceFailure",
    "UnexpectedStatusError",
    "UnprocessableError",
]


class RefundsError(Exception):
    """Base of every error the façade raises.

    ``operation`` is the OpenAPI operationId (e.g. ``createOrderRefund``); ``order_id`` is set
    whenever the call concerned one order.
    """

    def __init__(
        self, message: str, *, operation: str | None = None, order_id: int | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.operation = operation
        self.order_id = order_id

    def __str__(self) -> str:
        return self.message

    def __reduce__(self) -> tuple[Any, ...]:
        # Keyword-only constructors defeat Exception's default pickling; errors must survive
        # multiprocessing and task queues, so rebuild from args plus the instance dict.
        return (_restore, (type(self), self.args, dict(self.__dict__)))


def _restore(cls: type[RefundsError], args: tuple[Any, ...], state: dict[str, Any]) -> RefundsError:
    error = cls.__new__(cls, *args)
    BaseException.__init__(error, *args)
    error.__dict__.update(state)
    return error


class ConfigurationError(RefundsError, ValueError):
    """The client was built with missing or invalid settings (no network was touched)."""


@dataclass(frozen=True)
class ErrorDetail:
    """One entry of a BigCommerce error body: ``{status, title, type, errors}``."""

    title: str
    status: int | None = None
    type: str | None = None
    errors: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class TaxServiceFailure:
    """One entry of the 503 body ``{"data": [{"order_id", "status", "error"}]}``."""

    error: str
    order_id: int | None = None
    status: int | None = None


@dataclass(frozen=True)
class HttpExchange:
    """What an :class:`ApiError` keeps of the exchange; ``request`` is a redacted copy."""

    status_code: int
    headers: httpx.Headers
    body: bytes
    request: httpx.Request | None = None


class ApiError(RefundsError):
    """The server answered with a status the operation does not treat as success.

    ``status_code``, ``headers`` and ``body`` (the raw bytes, with the token scrubbed should the
    server ever echo it) describe the response; ``request`` is a copy of the request whose
    X-Auth-Token header reads ``[REDACTED]``; ``details`` are the parsed error entries.
    """

    def __init__(
        self,
        message: str,
        *,
        operation: str,
        order_id: int | None,
        exchange: HttpExchange,
        details: tuple[ErrorDetail, ...] = (),
    ) -> None:
        super().__init__(message, operation=operation, order_id=order_id)
        self.status_code = exchange.status_code
        self.headers = exchange.headers
        self.body = exchange.body
        self.request = exchange.request
        self.details = details

    @property
    def titles(self) -> tuple[str, ...]:
        """The ``title`` of every error entry in the body, in order."""
        return tuple(detail.title for detail in self.details)


class UnprocessableError(ApiError):
    """422: the request was refused (over-refund, wrong payments, guest store credit, ...).

    Parsed from both shapes the API uses: createOrderRefund wraps its errors in ``data[]``,
    the quote does not. Never retried: the same request would be refused again.
    """


class AuthenticationError(ApiError):
    """401: the X-Auth-Token is missing or not valid for this store."""


class PermissionDeniedError(ApiError):
    """403: the token lacks the OAuth scope (refunds need store_v2_orders/transactions)."""


class NotFoundError(ApiError):
    """404: the order or refund does not exist."""


class RateLimitedError(ApiError):
    """429: the store's request quota for the current window is used up.

    ``retry_after`` (seconds) comes from X-Rate-Limit-Time-Reset-Ms, else X-Retry-After.
    """

    def __init__(
        self,
        message: str,
        *,
        operation: str,
        order_id: int | None,
        exchange: HttpExchange,
        details: tuple[ErrorDetail, ...] = (),
        retry_after: float | None = None,
    ) -> None:
        super().__init__(
            message, operation=operation, order_id=order_id, exchange=exchange, details=details
        )
        self.retry_after = retry_after


class ServiceUnavailableError(ApiError):
    """503: for refunds and quotes usually the tax service (``failures`` says what it said)."""

    def __init__(
        self,
        message: str,
        *,
        operation: str,
        order_id: int | None,
        exchange: HttpExchange,
        details: tuple[ErrorDetail, ...] = (),
        failures: tuple[TaxServiceFailure, ...] = (),
    ) -> None:
        super().__init__(
            message, operation=operation, order_id=order_id, exchange=exchange, details=details
        )
        self.failures = failures


class UnexpectedStatusError(ApiError):
    """Any other non-success status (500, 502, 504, 3xx, an undocumented 4xx)."""


class MalformedResponseError(ApiError):
    """A success status whose body does not parse into the documented model.

    For createOrderRefund this means the refund **was** recorded (the server said 2xx):
    do not send it again; read the order's refunds instead.
    """


class RequestTimeoutError(RefundsError, TimeoutError):
    """The request did not complete within the configured timeout.

    ``maybe_sent`` is False only when the connection was never established (connect or pool
    timeout), i.e. when the server cannot have seen the request.
    """

    def __init__(
        self,
        message: str,
        *,
        operation: str,
        order_id: int | None,
        request: httpx.Request | None,
        maybe_sent: bool,
    ) -> None:
        super().__init__(message, operation=operation, order_id=order_id)
        self.request = request
        self.maybe_sent = maybe_sent


class ConnectionFailedError(RefundsError, ConnectionError):
    """The connection could not be made or was dropped before a complete response arrived."""

    def __init__(
        self,
        message: str,
        *,
        operation: str,
        order_id: int | None,
        request: httpx.Request | None,
        maybe_sent: bool,
    ) -> None:
        super().__init__(message, operation=operation, order_id=order_id)
        self.request = request
        self.maybe_sent = maybe_sent


class RefundOutcomeUnknownError(RefundsError):
    """A refund POST failed in a way that may or may not have recorded the refund.

    The POST reached the store (or may have) and its answer was lost: a read timeout, a
    connection dropped after the request was written, a 5xx from a gateway. The client never
    sends such a POST again (BigCommerce has no idempotency key: a second POST can pay the
    customer twice). It reads the order's refunds back over the policy's settle window instead,
    and raises this when the refund did not show up there: ``new_refund_ids`` lists the order's
    new refunds it saw (none of which, or more than one of which, matched), ``read_error`` the
    last failed read-back; with ``read_before_refund=False`` there was no read-back at all.
    ``post_error`` is the failure of the POST itself.

    What was sent is kept (``items``, ``payments``, ``merchant_override``,
    ``tax_adjustment_amount``), and ``sent_at`` is the time (UTC, this machine's clock) just
    before the POST. Settle it later, without sending it again::

        refund = client.find_refund(
            error.order_id, error.items, error.payments,
            merchant_override=error.merchant_override, since=error.sent_at - slack,
        )  # or find_tax_adjustment_refund(order_id, error.tax_adjustment_amount, ...)

    ``slack`` allows for the difference between this machine's clock and BigCommerce's (a few
    minutes is plenty). ``refund`` is the recorded refund, or None while none is. Once the
    request can no longer be in progress (minutes later), None means it was not recorded and
    sending it again is safe.
    """

    order_id: int  # always set: a refund is about one order

    def __init__(
        self,
        message: str,
        *,
        operation: str,
        order_id: int,
        post_error: RefundsError,
        read_error: RefundsError | None = None,
        new_refund_ids: tuple[int, ...] = (),
        sent_at: datetime.datetime | None = None,
        items: tuple[Item, ...] = (),
        payments: tuple[Payment, ...] = (),
        merchant_override: MerchantOverride | None = None,
        tax_adjustment_amount: Decimal | None = None,
    ) -> None:
        super().__init__(message, operation=operation, order_id=order_id)
        self.post_error = post_error
        self.read_error = read_error
        self.new_refund_ids = new_refund_ids
        self.sent_at = sent_at
        self.items = items
        self.payments = payments
        self.merchant_override = merchant_override
        self.tax_adjustment_amount = tax_adjustment_amount


class MultipleRefundsMatchError(RefundsError):
    """``find_refund`` found several refunds that match the request (``refund_ids``).

    Identical refunds are legitimate (one unit refunded twice); narrow the search with
    ``since`` to the time the refund in question was sent.
    """

    def __init__(self, message: str, *, order_id: int, refund_ids: tuple[int, ...]) -> None:
        super().__init__(message, operation="getOrderRefunds", order_id=order_id)
        self.refund_ids = refund_ids


class PaginationError(RefundsError):
    """A page of getOrdersRefunds repeated refunds an earlier page had already returned.

    A server that ignores ``page`` answers every page with the first one; following it would
    never end. ``page`` is the page that repeated, ``repeated_ids`` the ids seen before.
    """

    def __init__(self, message: str, *, page: int, repeated_ids: tuple[int, ...]) -> None:
        super().__init__(message, operation="getOrdersRefunds")
        self.page = page
        self.repeated_ids = repeated_ids
