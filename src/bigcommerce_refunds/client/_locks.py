"""One lock per order, so that refunds on one order go out one after the other.

BigCommerce documents that concurrent refunds on one order are not supported, and the refund
safety check (snapshot, POST, read back) is only sound if no other create on the same order runs
in between. Locks for different orders are independent. Entries are reference-counted and
dropped when nobody holds or waits for them, so a long-lived client does not accumulate one
lock per order it ever touched.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import (
    AbstractAsyncContextManager,
    AbstractContextManager,
    asynccontextmanager,
    contextmanager,
)
from typing import Generic, TypeVar

__all__ = ["AsyncOrderLocks", "OrderLocks"]

L = TypeVar("L")


class _Entry(Generic[L]):
    __slots__ = ("lock", "users")

    def __init__(self, lock: L) -> None:
        self.lock = lock
        self.users = 0


class OrderLocks:
    """Per-order ``threading.Lock`` s; the map itself is guarded by its own lock."""

    def __init__(
        self, lock_factory: Callable[[], AbstractContextManager[object]] = threading.Lock
    ) -> None:
        self._guard = threading.Lock()
        self._entries: dict[int, _Entry[AbstractContextManager[object]]] = {}
        self._factory = lock_factory

    def __len__(self) -> int:
        with self._guard:
            return len(self._entries)

    @contextmanager
    def hold(self, order_id: int) -> Iterator[None]:
        with self._guard:
            entry = self._entries.get(order_id)
            if entry is None:
                entry = self._entries[order_id] = _Entry(self._factory())
            entry.users += 1
        try:
            with entry.lock:
                yield
        finally:
            with self._guard:
                entry.users -= 1
                if entry.users == 0:
                    del self._entries[order_id]


class AsyncOrderLocks:
    """Per-order ``asyncio.Lock`` s; no guard needed, the event loop runs one task at a time."""

    def __init__(
        self, lock_factory: Callable[[], AbstractAsyncContextManager[object]] = asyncio.Lock
    ) -> None:
        self._entries: dict[int, _Entry[AbstractAsyncContextManager[object]]] = {}
        self._factory = lock_factory

    def __len__(self) -> int:
        return len(self._entries)

    @asynccontextmanager
    async def hold(self, order_id: int) -> AsyncIterator[None]:
        entry = self._entries.get(order_id)
        if entry is None:
            entry = self._entries[order_id] = _Entry(self._factory())
        entry.users += 1
        try:
            async with entry.lock:
                yield
        finally:
            entry.users -= 1
            if entry.users == 0:
                del self._entries[order_id]
