"""Building requests, and keeping the token out of everything that is not the wire.

Requests are built here rather than by the generated ``api`` functions because those cannot
be made safe: they send bodies with ``json=`` (amounts through float), send the ``order_id:in``
and ``id:in`` filters exploded (one parameter per value, where the API wants one
comma-separated parameter), and authenticate through an object whose repr shows the token.

:class:`ApiRequest` is a plain description (operation, method, path, raw query, body); the sync
and async clients turn it into an ``httpx.Request`` with :func:`to_httpx`. :class:`Redactor`
produces the copies of requests and headers that errors and logs may keep.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Final
from urllib.parse import quote

import httpx

from ._config import AccessToken
from .money import JSONValue, dumps_json

__all__ = [
    "AUTH_HEADER",
    "REDACTED",
    "ApiRequest",
    "Redactor",
    "RefundFilters",
    "create_quote",
    "create_refund",
    "encode_query",
    "get_order_refunds",
    "get_orders_refunds",
    "get_refund",
    "require_aware",
    "require_id",
    "to_httpx",
]

AUTH_HEADER: Final = "X-Auth-Token"
REDACTED: Final = "[REDACTED]"
_SENSITIVE_HEADERS: Final = frozenset({"x-auth-token", "authorization", "proxy-authorization"})


@dataclass(frozen=True)
class ApiRequest:
    """One HTTP call, described without I/O (so sync and async share every decision).

    ``subject`` is what error messages say the call was about ("order 100", "refund 7").
    """

    operation: str
    method: str
    path: str
    query: str = ""
    body: bytes | None = None
    order_id: int | None = None
    subject: str = ""

    @property
    def target(self) -> str:
        """``METHOD /path?query`` relative to the API root, for messages and logs."""
        return f"{self.method} {self.path}" + (f"?{self.query}" if self.query else "")

    def describe(self) -> str:
        """``createOrderRefund (POST /orders/100/...) for order 100``."""
        about = f" for {self.subject}" if self.subject else ""
        return f"{self.operation} ({self.method} {self.path}){about}"


def encode_query(pairs: Iterable[tuple[str, str]]) -> str:
    """A query string the way BigCommerce documents it.

    Keys keep their ``:`` (``order_id:in``) and list values their ``,`` separators (httpx's
    ``params=`` would send ``order_id%3Ain=1%2C2``); everything else, notably the ``+`` and
    ``:`` of an RFC 3339 timestamp, is percent-encoded as the API asks.
    """
    return "&".join(f"{quote(key, safe=':')}={quote(value, safe=',')}" for key, value in pairs)


def require_id(value: int, what: str) -> int:
    """``value`` if it is an int (a bool is refused although it is one), else TypeError."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{what} must be an int, not {type(value).__name__}")
    return value


def create_quote(order_id: int, body: Mapping[str, JSONValue]) -> ApiRequest:
    order_id = require_id(order_id, "order_id")
    return ApiRequest(
        operation="createOrderRefundQuotes",
        method="POST",
        path=f"/orders/{order_id}/payment_actions/refund_quotes",
        body=dumps_json(body),
        order_id=order_id,
        subject=f"order {order_id}",
    )


def create_refund(order_id: int, body: Mapping[str, JSONValue]) -> ApiRequest:
    order_id = require_id(order_id, "order_id")
    return ApiRequest(
        operation="createOrderRefund",
        method="POST",
        path=f"/orders/{order_id}/payment_actions/refunds",
        body=dumps_json(body),
        order_id=order_id,
        subject=f"order {order_id}",
    )


def get_order_refunds(order_id: int, transaction_id: str | None = None) -> ApiRequest:
    order_id = require_id(order_id, "order_id")
    pairs = [] if transaction_id is None else [("transaction_id", transaction_id)]
    return ApiRequest(
        operation="getOrderRefunds",
        method="GET",
        path=f"/orders/{order_id}/payment_actions/refunds",
        query=encode_query(pairs),
        order_id=order_id,
        subject=f"order {order_id}",
    )


def get_refund(refund_id: int) -> ApiRequest:
    refund_id = require_id(refund_id, "refund_id")
    return ApiRequest(
        operation="getOrderRefund",
        method="GET",
        path=f"/orders/payment_actions/refunds/{refund_id}",
        subject=f"refund {refund_id}",
    )


def require_aware(value: datetime.datetime, what: str) -> datetime.datetime:
    """``value`` if it is a timezone-aware datetime; TypeError or ValueError otherwise."""
    if not isinstance(value, datetime.datetime):
        raise TypeError(f"{what} must be a datetime")
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{what} must be timezone-aware (a naive time is ambiguous)")
    return value


def _timestamp(value: datetime.datetime, what: str) -> str:
    """RFC 3339, as the API reads ``created:min``/``created:max``.

    ``isoformat()`` writes an offset with seconds (``+05:30:30``, a historical zone's LMT) that
    RFC 3339 has no room for; such a time is sent in UTC instead, the same instant.
    """
    aware = require_aware(value, what)
    offset = aware.utcoffset()
    if offset is not None and offset % datetime.timedelta(minutes=1):
        aware = aware.astimezone(datetime.UTC)
    return aware.isoformat()


@dataclass(frozen=True)
class RefundFilters:
    """The filters of getOrdersRefunds (Get All Refunds), validated once, reused per page."""

    order_ids: tuple[int, ...] = ()
    refund_ids: tuple[int, ...] = ()
    created_min: datetime.datetime | None = None
    created_max: datetime.datetime | None = None
    transaction_id: str | None = None

    def __post_init__(self) -> None:
        for value in self.order_ids:
            require_id(value, "order id")
        for value in self.refund_ids:
            require_id(value, "refund id")
        if self.created_min is not None:
            _timestamp(self.created_min, "created_min")
        if self.created_max is not None:
            _timestamp(self.created_max, "created_max")

    def pairs(self) -> list[tuple[str, str]]:
        pairs: list[tuple[str, str]] = []
        if self.order_ids:
            pairs.append(("order_id:in", ",".join(str(value) for value in self.order_ids)))
        if self.refund_ids:
            pairs.append(("id:in", ",".join(str(value) for value in self.refund_ids)))
        if self.created_min is not None:
            pairs.append(("created:min", _timestamp(self.created_min, "created_min")))
        if self.created_max is not None:
            pairs.append(("created:max", _timestamp(self.created_max, "created_max")))
        if self.transaction_id is not None:
            pairs.append(("transaction_id", self.transaction_id))
        return pairs


def get_orders_refunds(filters: RefundFilters, page: int, limit: int) -> ApiRequest:
    pairs = [*filters.pairs(), ("page", str(require_id(page, "page"))), ("limit", str(limit))]
    return ApiRequest(
        operation="getOrdersRefunds",
        method="GET",
        path="/orders/payment_actions/refunds",
        query=encode_query(pairs),
    )


def to_httpx(
    client: httpx.Client | httpx.AsyncClient,
    base_url: str,
    request: ApiRequest,
    token: AccessToken,
    timeout: httpx.Timeout,
) -> httpx.Request:
    """The wire request: absolute URL (so a borrowed client's base_url does not matter)."""
    headers = {"Accept": "application/json", AUTH_HEADER: token.reveal()}
    if request.body is not None:
        headers["Content-Type"] = "application/json"
    url = base_url + request.path + (f"?{request.query}" if request.query else "")
    return client.build_request(
        request.method, url, headers=headers, content=request.body, timeout=timeout
    )


class Redactor:
    """Makes copies of requests, headers, bytes and text that do not contain the token.

    Sensitive headers (X-Auth-Token, Authorization, Proxy-Authorization) become ``[REDACTED]``
    whatever their value. Elsewhere (other headers, URLs, bodies a server or proxy echoes, the
    messages of transport errors) the token is replaced where it appears *as a token*: as is or
    percent-encoded, and not run together with letters, digits, ``_`` or ``-`` on either side.
    Replacing every substring instead would mangle ordinary text whenever the token is short
    (a token ``x`` turned "Tax service" into "Ta[REDACTED] service").
    """

    __slots__ = ("_bytes_pattern", "_text_pattern")

    def __init__(self, token: AccessToken) -> None:
        secret = token.reveal()
        forms = sorted({secret, quote(secret, safe="")}, key=len, reverse=True)
        alternatives = "|".join(re.escape(form) for form in forms)
        pattern = f"(?<![A-Za-z0-9_-])(?:{alternatives})(?![A-Za-z0-9_-])"
        self._text_pattern = re.compile(pattern)
        self._bytes_pattern = re.compile(pattern.encode("utf-8"))

    def __repr__(self) -> str:
        return "Redactor(***)"

    def text(self, value: str) -> str:
        return self._text_pattern.sub(REDACTED, value)

    def content(self, value: bytes) -> bytes:
        return self._bytes_pattern.sub(REDACTED.encode("ascii"), value)

    def headers(self, headers: httpx.Headers) -> httpx.Headers:
        return httpx.Headers(
            [
                (name, REDACTED if name.lower() in _SENSITIVE_HEADERS else self.text(value))
                for name, value in headers.multi_items()
            ]
        )

    def request(self, request: httpx.Request) -> httpx.Request:
        """A copy of ``request`` safe to attach to an exception or log."""
        try:
            content = self.content(request.content)
        except httpx.RequestNotRead:
            content = b""
        return httpx.Request(
            request.method,
            self.text(str(request.url)),
            headers=self.headers(request.headers),
            content=content,
        )
