"""``AsyncRefundsClient``: the asyncio client (httpx.AsyncClient, asyncio.sleep, asyncio locks)."""

from __future__ import annotations

import asyncio
import datetime
import random as _random
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Mapping
from decimal import Decimal
from types import TracebackType
from typing import Self, TypedDict, TypeVar, Unpack

import httpx
from bigcommerce_refunds_client.models import Refund, RefundQuoteFull

from ._config import DEFAULT_TIMEOUT, AccessToken, read_env
from ._core import ClientCore, PageGuard, next_page
from ._engine import Plan, Sleep
from ._locks import AsyncOrderLocks
from .errors import ConfigurationError
from .items import Item, MerchantOverride, Payment
from .responses import Outcome
from .retry import RetryPolicy
from .transport import ApiRequest

__all__ = ["AsyncClientOptions", "AsyncRefundsClient"]

T = TypeVar("T")


class AsyncClientOptions(TypedDict, total=False):
    """The keyword options of :class:`AsyncRefundsClient` that ``from_env`` passes on."""

    timeout: httpx.Timeout | float
    retry: RetryPolicy
    transport: httpx.AsyncBaseTransport
    http_client: httpx.AsyncClient
    sleep: Callable[[float], Awaitable[object]]
    random: Callable[[], float]
    clock: Callable[[], float]


class AsyncRefundsClient:
    """The asyncio twin of :class:`~.sync_client.RefundsClient`: same methods, awaited.

    ``transport`` takes an ``httpx.AsyncBaseTransport`` (``httpx.ASGITransport(app)`` runs the
    sandbox in-process); ``sleep`` defaults to ``asyncio.sleep``. Refunds on the same order are
    serialized by a per-order ``asyncio.Lock``; use one client per event loop.
    """

    def __init__(
        self,
        store_hash: str | None = None,
        *,
        access_token: str | AccessToken | None,
        base_url: str | None = None,
        timeout: httpx.Timeout | float = DEFAULT_TIMEOUT,
        retry: RetryPolicy | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        http_client: httpx.AsyncClient | None = None,
        sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
        random: Callable[[], float] = _random.random,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._core = ClientCore(
            store_hash=store_hash,
            access_token=access_token,
            base_url=base_url,
            timeout=timeout,
            retry=RetryPolicy() if retry is None else retry,
            random=random,
            clock=clock,
        )
        if transport is not None and http_client is not None:
            raise ConfigurationError("give transport or http_client, not both")
        self._owns_http = http_client is None
        self._http = (
            httpx.AsyncClient(transport=transport, follow_redirects=False)
            if http_client is None
            else http_client
        )
        self._sleep = sleep
        self._locks = AsyncOrderLocks()
        self._closed = False

    @classmethod
    def from_env(
        cls, environ: Mapping[str, str] | None = None, **options: Unpack[AsyncClientOptions]
    ) -> Self:
        """Build from the environment; see ``RefundsClient.from_env``."""
        env = read_env(environ)
        return cls(env.store_hash, access_token=env.access_token, base_url=env.base_url, **options)

    @property
    def base_url(self) -> str:
        return self._core.base_url

    @property
    def retry_policy(self) -> RetryPolicy:
        return self._core.engine.policy

    def __repr__(self) -> str:
        return self._core.describe(type(self).__name__)

    # --- lifecycle ---------------------------------------------------------------------------

    async def close(self) -> None:
        """Close the connection pool (not a borrowed ``http_client``). Idempotent."""
        if not self._closed:
            self._closed = True
            if self._owns_http:
                await self._http.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.close()

    # --- the operations ----------------------------------------------------------------------

    async def quote_refund(self, order_id: int, items: Iterable[Item]) -> RefundQuoteFull:
        """createOrderRefundQuotes for items."""
        return await self._run(self._core.quote_items(order_id, items))

    async def quote_tax_adjustment(
        self, order_id: int, amount: Decimal | int | str
    ) -> RefundQuoteFull:
        """createOrderRefundQuotes for a tax adjustment of ``amount``."""
        return await self._run(self._core.quote_tax_adjustment(order_id, amount))

    async def create_refund(
        self,
        order_id: int,
        items: Iterable[Item],
        payments: Iterable[Payment],
        *,
        merchant_override: MerchantOverride | None = None,
    ) -> Refund:
        """createOrderRefund (items refund); see ``RefundsClient.create_refund``."""
        spec = self._core.items_refund(order_id, items, payments, merchant_override)
        async with self._locks.hold(spec.order_id):
            return await self._run(self._core.create_refund(spec))

    async def create_tax_adjustment_refund(
        self,
        order_id: int,
        amount: Decimal | int | str,
        *,
        merchant_override: MerchantOverride | None = None,
    ) -> Refund:
        """createOrderRefund (tax adjustment refund of ``amount``)."""
        spec = self._core.tax_adjustment_refund(order_id, amount, merchant_override)
        async with self._locks.hold(spec.order_id):
            return await self._run(self._core.create_refund(spec))

    async def find_refund(
        self,
        order_id: int,
        items: Iterable[Item],
        payments: Iterable[Payment],
        *,
        merchant_override: MerchantOverride | None = None,
        since: datetime.datetime | None = None,
    ) -> Refund | None:
        """The order's refund that ``create_refund(order_id, items, payments, ...)`` recorded.

        Settles a :class:`~.errors.RefundOutcomeUnknownError` without sending anything again:
        one read of the order's refunds, matched on items and payments exactly as the client
        matches a read-back (reasons are not compared). ``since`` (timezone-aware) keeps only
        refunds created at or after it: pass the error's ``sent_at`` less a few minutes for
        clock differences. Returns None while no refund matches; raises
        :class:`~.errors.MultipleRefundsMatchError` when several do.
        """
        spec = self._core.items_refund(order_id, items, payments, merchant_override)
        return await self._run(self._core.find_refund(spec, since))

    async def find_tax_adjustment_refund(
        self,
        order_id: int,
        amount: Decimal | int | str,
        *,
        merchant_override: MerchantOverride | None = None,
        since: datetime.datetime | None = None,
    ) -> Refund | None:
        """Like :meth:`find_refund`, for ``create_tax_adjustment_refund(order_id, amount)``."""
        spec = self._core.tax_adjustment_refund(order_id, amount, merchant_override)
        return await self._run(self._core.find_refund(spec, since))

    async def get_refund(self, refund_id: int) -> Refund:
        """getOrderRefund."""
        return await self._run(self._core.get_refund(refund_id))

    async def get_order_refunds(
        self, order_id: int, *, transaction_id: str | None = None
    ) -> list[Refund]:
        """getOrderRefunds."""
        return await self._run(self._core.get_order_refunds(order_id, transaction_id))

    def iter_refunds(
        self,
        *,
        order_ids: Iterable[int] = (),
        refund_ids: Iterable[int] = (),
        created_min: datetime.datetime | None = None,
        created_max: datetime.datetime | None = None,
        transaction_id: str | None = None,
        limit: int = 50,
    ) -> AsyncIterator[Refund]:
        """getOrdersRefunds, page after page: ``async for refund in client.iter_refunds(...)``."""
        filters = self._core.refund_filters(
            order_ids, refund_ids, created_min, created_max, transaction_id, limit
        )

        async def pages() -> AsyncIterator[Refund]:
            page: int | None = 1
            guard = PageGuard()
            while page is not None:
                refunds = await self._run(self._core.refunds_page(filters, page, limit))
                guard.check(page, refunds)
                for refund in refunds:
                    yield refund
                page = next_page(page, len(refunds), limit)

        return pages()

    # --- I/O ---------------------------------------------------------------------------------

    async def _exchange(self, request: ApiRequest) -> Outcome:
        if self._closed:
            raise RuntimeError(f"{type(self).__name__} is closed")
        sent = self._core.wire(self._http, request)
        try:
            response = await self._http.send(sent)
        except httpx.RequestError as error:
            return self._core.failed(error, sent)
        try:
            return self._core.received(response, sent)
        finally:
            await response.aclose()

    async def _run(self, plan: Plan[T]) -> T:
        try:
            action = next(plan)
            while True:
                if isinstance(action, Sleep):
                    await self._sleep(action.seconds)
                    action = plan.send(None)
                else:
                    action = plan.send(await self._exchange(action.request))
        except StopIteration as done:
            result: T = done.value
            return result
        finally:
            plan.close()
