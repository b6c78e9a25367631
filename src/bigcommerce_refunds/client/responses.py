"""Turning what came back (a response or a transport failure) into a model or a typed error.

Pure functions over :class:`RawResponse`, shared by the sync and async clients. The status is
interpreted first and the body second, so that an HTML 502 from a proxy or a 404 with an empty
body still becomes the right typed error (the generated ``_parse_response`` would instead fail
decoding the body before anyone looked at the status).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from http import HTTPStatus
from typing import Any, NoReturn, TypeVar

import httpx
from bigcommerce_refunds_client.models import (
    Refund,
    RefundCollectionResponse,
    RefundQuoteFull,
    RefundQuoteResponse,
    RefundResponse,
)

from .errors import (
    ApiError,
    AuthenticationError,
    ConnectionFailedError,
    ErrorDetail,
    HttpExchange,
    MalformedResponseError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitedError,
    RequestTimeoutError,
    ServiceUnavailableError,
    TaxServiceFailure,
    UnexpectedStatusError,
    UnprocessableError,
)
from .retry import rate_limit_delay
from .transport import ApiRequest, Redactor

__all__ = [
    "Outcome",
    "RawResponse",
    "error_details",
    "http_error",
    "interpret",
    "parse_quote",
    "parse_refund",
    "parse_refunds",
    "tax_service_failures",
    "transport_error",
]

T = TypeVar("T")


class RawResponse:
    """A fully read response, as errors may keep it: without the token.

    ``content`` must already be redacted (it is what gets parsed). ``headers`` and ``request``
    (the request that was sent) are either already redacted too, or, when ``redactor`` is
    given, redacted copies made the first time either is asked for. Only an error keeps them,
    and making the copies (every header normalised again, the URL parsed again) cost more than
    the rest of the façade's own work on a call, so a successful call never makes them. The
    originals stay private and out of ``repr``.
    """

    __slots__ = ("_headers", "_redactor", "_request", "content", "status_code")

    def __init__(
        self,
        status_code: int,
        headers: httpx.Headers,
        content: bytes,
        request: httpx.Request | None = None,
        *,
        redactor: Redactor | None = None,
    ) -> None:
        self.status_code = status_code
        self.content = content
        self._headers = headers
        self._request = request
        self._redactor = redactor

    def __repr__(self) -> str:
        return f"RawResponse(status_code={self.status_code}, content=<{len(self.content)} bytes>)"

    def _redact(self) -> None:
        redactor = self._redactor
        if redactor is not None:
            self._headers = redactor.headers(self._headers)
            if self._request is not None:
                self._request = redactor.request(self._request)
            self._redactor = None

    @property
    def headers(self) -> httpx.Headers:
        """The response headers, redacted."""
        self._redact()
        return self._headers

    @property
    def request(self) -> httpx.Request | None:
        """A redacted copy of the request that was sent."""
        self._redact()
        return self._request

    @property
    def exchange(self) -> HttpExchange:
        return HttpExchange(self.status_code, self.headers, self.content, self.request)


Outcome = RawResponse | httpx.RequestError
"""What a client hands back after sending an :class:`ApiRequest`."""


def parse_refund(data: Any) -> Refund:
    """The ``data`` of createOrderRefund's 201 and of getOrderRefund's 200."""
    return RefundResponse.from_dict(data).data


def parse_refunds(data: Any) -> list[Refund]:
    """The ``data`` of getOrderRefunds / getOrdersRefunds."""
    return RefundCollectionResponse.from_dict(data).data


def parse_quote(data: Any) -> RefundQuoteFull:
    """The ``data`` of createOrderRefundQuotes' 201."""
    return RefundQuoteResponse.from_dict(data).data


def _json(content: bytes) -> Any:
    try:
        return json.loads(content)
    except ValueError:  # JSONDecodeError and UnicodeDecodeError are both ValueErrors
        return None


def _entries(body: Any) -> list[Mapping[str, Any]]:
    """Error entries from either shape: ``{"data": [...]}`` (createOrderRefund) or bare."""
    if isinstance(body, Mapping):
        data = body.get("data")
        if isinstance(data, list):
            return [entry for entry in data if isinstance(entry, Mapping)]
        return [body]
    return []


def _int_or_none(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def error_details(body: Any) -> tuple[ErrorDetail, ...]:
    """``{status, title, type, errors}`` entries; lenient, since an error must always raise."""
    details = []
    for entry in _entries(body):
        title = entry.get("title")
        if not isinstance(title, str):
            continue
        errors = entry.get("errors")
        kind = entry.get("type")
        details.append(
            ErrorDetail(
                title=title,
                status=_int_or_none(entry.get("status")),
                type=kind if isinstance(kind, str) else None,
                errors=dict(errors) if isinstance(errors, Mapping) else {},
            )
        )
    return tuple(details)


def tax_service_failures(body: Any) -> tuple[TaxServiceFailure, ...]:
    """The 503 body's ``data[] = {order_id, status, error}`` entries."""
    failures = []
    for entry in _entries(body):
        error = entry.get("error")
        if isinstance(error, str):
            failures.append(
                TaxServiceFailure(
                    error=error,
                    order_id=_int_or_none(entry.get("order_id")),
                    status=_int_or_none(entry.get("status")),
                )
            )
    return tuple(failures)


#: Reason phrases that changed between Python versions (3.13 follows RFC 9110: "Unprocessable
#: Content", "Content Too Large"); messages use the names BigCommerce's documentation uses, the
#: same on every Python.
_PHRASES = {
    413: "Request Entity Too Large",
    414: "Request-URI Too Long",
    416: "Requested Range Not Satisfiable",
    422: "Unprocessable Entity",
}


def _reason(status: int) -> str:
    if status in _PHRASES:
        return _PHRASES[status]
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Unknown Status"


_BY_STATUS: dict[int, type[ApiError]] = {
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    422: UnprocessableError,
}


def http_error(request: ApiRequest, response: RawResponse) -> ApiError:
    """The typed error for a non-success response."""
    status = response.status_code
    body = _json(response.content)
    details = error_details(body)
    message = f"{request.describe()} failed: HTTP {status} {_reason(status)}"
    if details:
        message += ": " + "; ".join(detail.title for detail in details)
    common: dict[str, Any] = {
        "operation": request.operation,
        "order_id": request.order_id,
        "exchange": response.exchange,
        "details": details,
    }
    if status == 429:
        retry_after = rate_limit_delay(response.headers)
        if retry_after is not None:
            message += f" (rate limit resets in {retry_after:g} s)"
        return RateLimitedError(message, retry_after=retry_after, **common)
    if status == 503:
        failures = tax_service_failures(body)
        if failures:
            message += ": " + "; ".join(failure.error for failure in failures)
        return ServiceUnavailableError(message, failures=failures, **common)
    return _BY_STATUS.get(status, UnexpectedStatusError)(message, **common)


def transport_error(
    request: ApiRequest, error: httpx.RequestError
) -> RequestTimeoutError | ConnectionFailedError:
    """The typed error for a request that got no (complete) response.

    The client has already replaced ``error.request`` with a redacted copy.
    """
    try:
        sent: httpx.Request | None = error.request
    except RuntimeError:
        sent = None
    detail = f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
    if isinstance(error, httpx.TimeoutException):
        maybe_sent = not isinstance(error, httpx.ConnectTimeout | httpx.PoolTimeout)
        return RequestTimeoutError(
            f"{request.describe()} timed out ({detail})",
            operation=request.operation,
            order_id=request.order_id,
            request=sent,
            maybe_sent=maybe_sent,
        )
    maybe_sent = not isinstance(error, httpx.ConnectError | httpx.UnsupportedProtocol)
    return ConnectionFailedError(
        f"{request.describe()} failed: connection problem ({detail})",
        operation=request.operation,
        order_id=request.order_id,
        request=sent,
        maybe_sent=maybe_sent,
    )


def _malformed(request: ApiRequest, response: RawResponse, problem: str) -> NoReturn:
    message = (
        f"{request.describe()} returned HTTP {response.status_code} but its body does not "
        f"match the documented model ({problem})"
    )
    if request.operation == "createOrderRefund":
        message += "; the refund WAS recorded: do not send it again, read the order's refunds"
    raise MalformedResponseError(
        message,
        operation=request.operation,
        order_id=request.order_id,
        exchange=response.exchange,
    )


def interpret(request: ApiRequest, outcome: Outcome, parse: Callable[[Any], T]) -> T:
    """The parsed model of a 2xx response; otherwise raise the typed error."""
    if isinstance(outcome, httpx.RequestError):
        raise transport_error(request, outcome) from outcome
    if not 200 <= outcome.status_code < 300:
        raise http_error(request, outcome)
    try:
        data = json.loads(outcome.content)
    except ValueError as exc:
        _malformed(request, outcome, f"not JSON: {exc}")
    try:
        return parse(data)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        _malformed(request, outcome, f"{type(exc).__name__}: {exc}")
