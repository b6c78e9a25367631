"""Creates on one order go out one after the other; creates on different orders do not wait.

The transport logs when each POST starts and ends. To prove serialization rather than observe
a lucky schedule, the first POST is held open until the second caller is known to be waiting
on the order lock (an instrumented lock says so); only then is the first response released.
"""

from __future__ import annotations

import asyncio
import threading
from types import TracebackType

import httpx

from bigcommerce_refunds.client._locks import AsyncOrderLocks, OrderLocks

from ._support import (
    ITEMS,
    PAYMENTS,
    FakeStore,
    envelope,
    json_response,
    make_async_client,
    make_client,
)

FAILSAFE = 10.0  # seconds; only reached if the code under test is broken


class SignallingLock:
    """A threading.Lock that sets ``contended`` when a caller has to wait for it."""

    def __init__(self, contended: threading.Event) -> None:
        self._lock = threading.Lock()
        self._contended = contended

    def __enter__(self) -> bool:
        if not self._lock.acquire(blocking=False):
            self._contended.set()
            self._lock.acquire()
        return True

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._lock.release()


class SignallingAsyncLock:
    """An asyncio.Lock that sets ``contended`` when a task has to wait for it."""

    def __init__(self, contended: asyncio.Event) -> None:
        self._lock = asyncio.Lock()
        self._contended = contended

    async def __aenter__(self) -> None:
        if self._lock.locked():
            self._contended.set()
        await self._lock.acquire()

    async def __aexit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._lock.release()


def order_of(request: httpx.Request) -> int:
    return int(request.url.path.split("/orders/")[1].split("/")[0])


def test_threads_creating_on_one_order_are_serialized() -> None:
    store = FakeStore()
    events: list[tuple[str, int]] = []
    first_post_started, contended = threading.Event(), threading.Event()

    def post(request: httpx.Request) -> httpx.Response:
        number = sum(1 for kind, _ in events if kind == "start") + 1
        events.append(("start", number))
        if number == 1:
            first_post_started.set()
            assert contended.wait(FAILSAFE), "the second create never waited for the lock"
        response = json_response(201, envelope(store.record(order_of(request))))
        events.append(("end", number))
        return response

    store.script("POST", "/orders/100/payment_actions/refunds", post, post)
    results: list[int] = []
    with make_client(store) as client:
        client._locks = OrderLocks(lambda: SignallingLock(contended))
        first = threading.Thread(
            target=lambda: results.append(client.create_refund(100, ITEMS, PAYMENTS).id)
        )
        second = threading.Thread(
            target=lambda: results.append(client.create_refund(100, ITEMS, PAYMENTS).id)
        )
        first.start()
        assert first_post_started.wait(FAILSAFE)
        second.start()
        first.join(FAILSAFE)
        second.join(FAILSAFE)
        assert len(client._locks) == 0  # entries are dropped once nobody holds them
    assert events == [("start", 1), ("end", 1), ("start", 2), ("end", 2)]
    assert sorted(results) == [1, 2]
    # The second create snapshotted the order only after the first refund was recorded.
    methods = [(r.method, order_of(r)) for r in store.requests]
    assert methods == [("GET", 100), ("POST", 100), ("GET", 100), ("POST", 100)]


def test_threads_creating_on_different_orders_run_concurrently() -> None:
    store = FakeStore()
    other_post_started = threading.Event()
    first_post_started = threading.Event()

    def post_100(request: httpx.Request) -> httpx.Response:
        first_post_started.set()
        # Only possible if order 101's create is not blocked behind order 100's lock.
        assert other_post_started.wait(FAILSAFE), "order 101 waited for order 100"
        return json_response(201, envelope(store.record(100)))

    def post_101(request: httpx.Request) -> httpx.Response:
        other_post_started.set()
        return json_response(201, envelope(store.record(101)))

    store.script("POST", "/orders/100/payment_actions/refunds", post_100)
    store.script("POST", "/orders/101/payment_actions/refunds", post_101)
    with make_client(store) as client:
        first = threading.Thread(target=lambda: client.create_refund(100, ITEMS, PAYMENTS))
        first.start()
        assert first_post_started.wait(FAILSAFE)
        client.create_refund(101, ITEMS, PAYMENTS)  # completes while order 100's POST is open
        first.join(FAILSAFE)
    assert not first.is_alive()
    assert len(store.refunds[100]) == len(store.refunds[101]) == 1


def test_tasks_creating_on_one_order_are_serialized() -> None:
    store = FakeStore()
    events: list[tuple[str, int]] = []

    async def main() -> list[int]:
        first_post_started, contended = asyncio.Event(), asyncio.Event()

        async def post(request: httpx.Request) -> httpx.Response:
            number = sum(1 for kind, _ in events if kind == "start") + 1
            events.append(("start", number))
            if number == 1:
                first_post_started.set()
                await asyncio.wait_for(contended.wait(), FAILSAFE)
            response = json_response(201, envelope(store.record(order_of(request))))
            events.append(("end", number))
            return response

        store.script("POST", "/orders/100/payment_actions/refunds", post, post)  # type: ignore[arg-type]
        async with make_async_client(store) as client:
            client._locks = AsyncOrderLocks(lambda: SignallingAsyncLock(contended))
            first = asyncio.create_task(client.create_refund(100, ITEMS, PAYMENTS))
            await asyncio.wait_for(first_post_started.wait(), FAILSAFE)
            second = asyncio.create_task(client.create_refund(100, ITEMS, PAYMENTS))
            refunds = await asyncio.gather(first, second)
            assert len(client._locks) == 0
            return [refund.id for refund in refunds]

    assert asyncio.run(main()) == [1, 2]
    assert events == [("start", 1), ("end", 1), ("start", 2), ("end", 2)]


def test_tasks_creating_on_different_orders_run_concurrently() -> None:
    store = FakeStore()

    async def main() -> None:
        other_post_started = asyncio.Event()

        async def post_100(request: httpx.Request) -> httpx.Response:
            await asyncio.wait_for(other_post_started.wait(), FAILSAFE)
            return json_response(201, envelope(store.record(100)))

        async def post_101(request: httpx.Request) -> httpx.Response:
            other_post_started.set()
            return json_response(201, envelope(store.record(101)))

        store.script("POST", "/orders/100/payment_actions/refunds", post_100)  # type: ignore[arg-type]
        store.script("POST", "/orders/101/payment_actions/refunds", post_101)  # type: ignore[arg-type]
        async with make_async_client(store) as client:
            await asyncio.gather(
                client.create_refund(100, ITEMS, PAYMENTS),
                client.create_refund(101, ITEMS, PAYMENTS),
            )

    asyncio.run(main())
    assert len(store.refunds[100]) == len(store.refunds[101]) == 1
