"""What the sync and async clients share apart from I/O: settings, plans, redaction.

Each public method of the two clients is a thin shell: build a plan here, run it with its own
I/O (and, for creates, under its own kind of per-order lock).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import TypeVar

import httpx
from bigcommerce_refunds_client.models import Refund, RefundQuoteFull

from . import transport
from ._config import AccessToken, resolve_base_url, resolve_timeout
from ._engine import Engine, Plan
from ._matching import RefundSpec
from .errors import ConfigurationError, PaginationError
from .items import Item, MerchantOverride, Payment
from .money import as_amount
from .responses import RawResponse, parse_quote, parse_refund, parse_refunds
from .retry import RetryPolicy
from .transport import Redactor, RefundFilters

__all__ = ["ClientCore", "PageGuard", "next_page"]

E = TypeVar("E")


def _all_of(kind: type[E], values: Iterable[E], what: str, builder: str) -> tuple[E, ...]:
    entries = tuple(values)
    for entry in entries:
        if not isinstance(entry, kind):
            raise TypeError(f"{what} must be built with {builder}, got {type(entry).__name__}")
    return entries


def _override(value: MerchantOverride | None) -> MerchantOverride | None:
    if value is not None and not isinstance(value, MerchantOverride):
        raise TypeError("merchant_override must be built with merchant_override(...)")
    return value


def next_page(page: int, received: int, limit: int) -> int | None:
    """The page to fetch after ``page``, or None: a short (or empty) page is the last one."""
    return page + 1 if received >= limit else None


class PageGuard:
    """Stops paging when a page repeats a refund an earlier page returned.

    Refunds are listed in ascending id order and never deleted, so honest pages never overlap
    (a refund created meanwhile lands at the end). A server that ignores ``page`` answers every
    page with the first one, and "follow until a short page" would then never end.
    """

    __slots__ = ("_seen",)

    def __init__(self) -> None:
        self._seen: set[int] = set()

    def check(self, page: int, refunds: Iterable[Refund]) -> None:
        """Remember this page's ids; raise :class:`PaginationError` if one was seen before."""
        ids = [refund.id for refund in refunds]
        repeated = tuple(sorted({refund_id for refund_id in ids if refund_id in self._seen}))
        if repeated:
            shown = ", ".join(map(str, repeated[:10])) + (" ..." if len(repeated) > 10 else "")
            raise PaginationError(
                f"getOrdersRefunds page {page} repeats {len(repeated)} refund(s) an earlier "
                f"page already returned ({shown}): the server does not seem to honour the "
                "`page` parameter; stopped instead of paging forever",
                page=page,
                repeated_ids=repeated,
            )
        self._seen.update(ids)


class ClientCore:
    """Validated settings plus the plan for each operation."""

    def __init__(
        self,
        *,
        store_hash: str | None,
        access_token: str | AccessToken | None,
        base_url: str | None,
        timeout: httpx.Timeout | float | None,
        retry: RetryPolicy,
        random: Callable[[], float],
        clock: Callable[[], float],
    ) -> None:
        if access_token is None:
            raise ConfigurationError("access_token is required")
        if not isinstance(retry, RetryPolicy):
            raise ConfigurationError("retry must be a RetryPolicy")
        self.token = (
            access_token if isinstance(access_token, AccessToken) else AccessToken(access_token)
        )
        self.base_url = resolve_base_url(store_hash, base_url)
        self.timeout = resolve_timeout(timeout)
        self.redactor = Redactor(self.token)
        self.engine = Engine(retry, random, clock)

    def describe(self, name: str) -> str:
        return f"{name}(base_url={self.base_url!r}, access_token={self.token!r})"

    # --- I/O helpers (the same for both clients) -------------------------------------------

    def wire(
        self, client: httpx.Client | httpx.AsyncClient, request: transport.ApiRequest
    ) -> httpx.Request:
        return transport.to_httpx(client, self.base_url, request, self.token, self.timeout)

    def received(self, response: httpx.Response, sent: httpx.Request) -> RawResponse:
        """A redacted, fully read copy of ``response`` (which must have been read).

        The body is redacted now; the headers and the copy of ``sent`` only if an error asks
        for them (see :class:`RawResponse`).
        """
        return RawResponse(
            response.status_code,
            response.headers,
            self.redactor.content(response.content),
            sent,
            redactor=self.redactor,
        )

    def failed(self, error: httpx.RequestError, sent: httpx.Request) -> httpx.RequestError:
        """A copy of ``error`` safe to chain: message scrubbed, ``request`` a redacted copy.

        httpx's messages come from sockets and servers and could, in principle, echo the
        token; every ``httpx.RequestError`` subclass takes ``(message, *, request=...)``.
        """
        redacted = self.redactor.request(sent)
        try:
            clean = type(error)(self.redactor.text(str(error)), request=redacted)
        except TypeError:  # a subclass with another signature: keep it, fix what we can
            error.request = redacted
            return error
        clean.__traceback__ = error.__traceback__
        return clean

    # --- plans -------------------------------------------------------------------------------

    def quote_items(self, order_id: int, items: Iterable[Item]) -> Plan[RefundQuoteFull]:
        entries = _all_of(Item, items, "items", "product(...), shipping(...), ...")
        body = {"items": [item.to_json() for item in entries]}
        return self.engine.call(transport.create_quote(order_id, body), parse_quote)

    def quote_tax_adjustment(
        self, order_id: int, amount: Decimal | int | str
    ) -> Plan[RefundQuoteFull]:
        body = {"tax_adjustment_amount": as_amount(amount, what="tax_adjustment_amount")}
        return self.engine.call(transport.create_quote(order_id, body), parse_quote)

    def items_refund(
        self,
        order_id: int,
        items: Iterable[Item],
        payments: Iterable[Payment],
        merchant_override: MerchantOverride | None,
    ) -> RefundSpec:
        return RefundSpec(
            order_id=transport.require_id(order_id, "order_id"),
            items=_all_of(Item, items, "items", "product(...), shipping(...), ..."),
            payments=_all_of(Payment, payments, "payments", "payment(...) or payments_for(...)"),
            merchant_override=_override(merchant_override),
        )

    def tax_adjustment_refund(
        self,
        order_id: int,
        amount: Decimal | int | str,
        merchant_override: MerchantOverride | None,
    ) -> RefundSpec:
        return RefundSpec(
            order_id=transport.require_id(order_id, "order_id"),
            tax_adjustment_amount=as_amount(amount, what="tax_adjustment_amount"),
            merchant_override=_override(merchant_override),
        )

    def create_refund(self, spec: RefundSpec) -> Plan[Refund]:
        return self.engine.create_refund(spec)

    def find_refund(self, spec: RefundSpec, since: datetime.datetime | None) -> Plan[Refund | None]:
        if since is not None:
            transport.require_aware(since, "since")
        return self.engine.find_refund(spec, since)

    def get_refund(self, refund_id: int) -> Plan[Refund]:
        return self.engine.call(transport.get_refund(refund_id), parse_refund)

    def get_order_refunds(self, order_id: int, transaction_id: str | None) -> Plan[list[Refund]]:
        return self.engine.call(
            transport.get_order_refunds(order_id, transaction_id), parse_refunds
        )

    @staticmethod
    def refund_filters(
        order_ids: Iterable[int],
        refund_ids: Iterable[int],
        created_min: datetime.datetime | None,
        created_max: datetime.datetime | None,
        transaction_id: str | None,
        limit: int,
    ) -> RefundFilters:
        if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
            raise ValueError("limit must be a positive int")
        return RefundFilters(
            order_ids=tuple(order_ids),
            refund_ids=tuple(refund_ids),
            created_min=created_min,
            created_max=created_max,
            transaction_id=transaction_id,
        )

    def refunds_page(self, filters: RefundFilters, page: int, limit: int) -> Plan[list[Refund]]:
        return self.engine.call(transport.get_orders_refunds(filters, page, limit), parse_refunds)
