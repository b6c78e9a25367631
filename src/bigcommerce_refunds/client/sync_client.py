"""``RefundsClient``: the blocking client (httpx.Client, time.sleep, threading locks)."""

from __future__ import annotations

import datetime
import random as _random
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from decimal import Decimal
from types import TracebackType
from typing import Self, TypedDict, TypeVar, Unpack

import httpx
from bigcommerce_refunds_client.models import Refund, RefundQuoteFull

from ._config import DEFAULT_TIMEOUT, AccessToken, read_env
from ._core import ClientCore, PageGuard, next_page
from ._engine import Plan, Sleep
from ._locks import OrderLocks
from .errors import ConfigurationError
from .items import Item, MerchantOverride, Payment
from .responses import Outcome
from .retry import RetryPolicy
from .transport import ApiRequest

__all__ = ["RefundsClient", "SyncClientOptions"]

T = TypeVar("T")


class SyncClientOptions(TypedDict, total=False):
    """The keyword options of :class:`RefundsClient` that ``from_env`` passes on."""

    timeout: httpx.Timeout | float
    retry: RetryPolicy
    transport: httpx.BaseTransport
    http_client: httpx.Client
    sleep: Callable[[float], object]
    random: Callable[[], float]
    clock: Callable[[], float]


class RefundsClient:
    """The five refund operations of BigCommerce's Orders V3 API, made safe to call.

    Build it from a store hash and token (``RefundsClient("abc123", access_token=...)``), a
    ``base_url`` (e.g. the sandbox's), or the environment (:meth:`from_env`). Use it as a context
    manager or call :meth:`close`.

    ``transport`` (an ``httpx.BaseTransport``, e.g. ``httpx.MockTransport``) or ``http_client``
    (an ``httpx.Client`` you own and close yourself) replace the network; ``sleep``, ``random``
    and ``clock`` replace the waiting, the jitter and the time the retry logic sees.

    Thread-safe: refunds on the same order are serialized by a per-order lock.
    """

    def __init__(
        self,
        store_hash: str | None = None,
        *,
        access_token: str | AccessToken | None,
        base_url: str | None = None,
        timeout: httpx.Timeout | float = DEFAULT_TIMEOUT,
        retry: RetryPolicy | None = None,
        transport: httpx.BaseTransport | None = None,
        http_client: httpx.Client | None = None,
        sleep: Callable[[float], object] = time.sleep,
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
            httpx.Client(transport=transport, follow_redirects=False)
            if http_client is None
            else http_client
        )
        self._sleep = sleep
        self._locks = OrderLocks()
        self._closed = False

    @classmethod
    def from_env(
        cls, environ: Mapping[str, str] | None = None, **options: Unpack[SyncClientOptions]
    ) -> Self:
        """Build from BIGCOMMERCE_STORE_HASH and BIGCOMMERCE_ACCESS_TOKEN.

        BIGCOMMERCE_BASE_URL, when set, replaces the store-hash URL (e.g. for the sandbox).
        """
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

    def close(self) -> None:
        """Close the connection pool (not a borrowed ``http_client``). Idempotent."""
        if not self._closed:
            self._closed = True
            if self._owns_http:
                self._http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    # --- the operations ----------------------------------------------------------------------

    def quote_refund(self, order_id: int, items: Iterable[Item]) -> RefundQuoteFull:
        """createOrderRefundQuotes for items: what can be refunded, and through which methods."""
        return self._run(self._core.quote_items(order_id, items))

    def quote_tax_adjustment(self, order_id: int, amount: Decimal | int | str) -> RefundQuoteFull:
        """createOrderRefundQuotes for a tax adjustment (overcharged tax) of ``amount``."""
        return self._run(self._core.quote_tax_adjustment(order_id, amount))

    def create_refund(
        self,
        order_id: int,
        items: Iterable[Item],
        payments: Iterable[Payment],
        *,
        merchant_override: MerchantOverride | None = None,
    ) -> Refund:
        """createOrderRefund (items refund), sent again only if it never reached the store.

        A POST whose connection could not be opened, or that got a 429, is sent again (see
        :class:`~.retry.RetryPolicy`). Any other failure that may have recorded the refund (a
        timeout, a dropped connection, a 5xx) is never resent: the order's refunds are read
        back over the settle window and the refund is returned if it appears; if it does not,
        :class:`~.errors.RefundOutcomeUnknownError` is raised (settle it with
        :meth:`find_refund`). Any other :class:`~.errors.RefundsError` means the refund was not
        recorded (except :class:`~.errors.MalformedResponseError`: it was, unreadably).
        """
        spec = self._core.items_refund(order_id, items, payments, merchant_override)
        with self._locks.hold(spec.order_id):
            return self._run(self._core.create_refund(spec))

    def create_tax_adjustment_refund(
        self,
        order_id: int,
        amount: Decimal | int | str,
        *,
        merchant_override: MerchantOverride | None = None,
    ) -> Refund:
        """createOrderRefund (tax adjustment refund of ``amount``), with the same safety."""
        spec = self._core.tax_adjustment_refund(order_id, amount, merchant_override)
        with self._locks.hold(spec.order_id):
            return self._run(self._core.create_refund(spec))

    def find_refund(
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
        return self._run(self._core.find_refund(spec, since))

    def find_tax_adjustment_refund(
        self,
        order_id: int,
        amount: Decimal | int | str,
        *,
        merchant_override: MerchantOverride | None = None,
        since: datetime.datetime | None = None,
    ) -> Refund | None:
        """Like :meth:`find_refund`, for ``create_tax_adjustment_refund(order_id, amount)``."""
        spec = self._core.tax_adjustment_refund(order_id, amount, merchant_override)
        return self._run(self._core.find_refund(spec, since))

    def get_refund(self, refund_id: int) -> Refund:
        """getOrderRefund."""
        return self._run(self._core.get_refund(refund_id))

    def get_order_refunds(
        self, order_id: int, *, transaction_id: str | None = None
    ) -> list[Refund]:
        """getOrderRefunds: every refund of one order, ascending id."""
        return self._run(self._core.get_order_refunds(order_id, transaction_id))

    def iter_refunds(
        self,
        *,
        order_ids: Iterable[int] = (),
        refund_ids: Iterable[int] = (),
        created_min: datetime.datetime | None = None,
        created_max: datetime.datetime | None = None,
        transaction_id: str | None = None,
        limit: int = 50,
    ) -> Iterator[Refund]:
        """getOrdersRefunds, page after page (lazily), until a short or empty page.

        Arguments are validated now; requests go out as the iterator is consumed. A page that
        repeats a refund an earlier page returned (a server ignoring ``page``) raises
        :class:`~.errors.PaginationError` before any of its refunds is yielded.
        """
        filters = self._core.refund_filters(
            order_ids, refund_ids, created_min, created_max, transaction_id, limit
        )

        def pages() -> Iterator[Refund]:
            page: int | None = 1
            guard = PageGuard()
            while page is not None:
                refunds = self._run(self._core.refunds_page(filters, page, limit))
                guard.check(page, refunds)
                yield from refunds
                page = next_page(page, len(refunds), limit)

        return pages()

    # --- I/O ---------------------------------------------------------------------------------

    def _exchange(self, request: ApiRequest) -> Outcome:
        if self._closed:
            raise RuntimeError(f"{type(self).__name__} is closed")
        sent = self._core.wire(self._http, request)
        try:
            response = self._http.send(sent)
        except httpx.RequestError as error:
            return self._core.failed(error, sent)
        try:
            return self._core.received(response, sent)
        finally:
            response.close()

    def _run(self, plan: Plan[T]) -> T:
        try:
            action = next(plan)
            while True:
                if isinstance(action, Sleep):
                    self._sleep(action.seconds)
                    action = plan.send(None)
                else:
                    action = plan.send(self._exchange(action.request))
        except StopIteration as done:
            result: T = done.value
            return result
        finally:
            plan.close()
