"""Keeping the refund ledger out of the way of CPython's cyclic garbage collector.

The ledger only grows until a reset, and every full collection walks every tracked object. Under
load (thousands of refunds a second) the process soon holds hundreds of thousands of ledger
objects, and each full collection then stops the event loop for tens of milliseconds: that pause,
not request handling, was the sandbox's p99 latency (49 ms at 16 connections; see bench/README.md).

Ledger records live until the next reset, so collecting them is wasted work. Every
:data:`FREEZE_EVERY` recorded refunds, :class:`LedgerGc` clears the young generations
(``gc.collect(1)``: cheap, and it keeps short-lived cyclic garbage from being frozen) and moves
everything still alive into the permanent generation (``gc.freeze()``, constant time). Frozen
objects are still freed by reference counting when the ledger drops them; a reset unfreezes, so
whatever the old ledger left in cycles becomes collectable again.

The effect is process-wide, which is harmless for an embedded sandbox too: objects that were alive
at a freeze are only exempted from cycle detection, never kept alive.
"""

from __future__ import annotations

import gc
import threading

#: Refunds recorded between two freezes: rare enough to cost nothing, often enough that a full
#: collection never has more than a few thousand refunds' objects to walk.
FREEZE_EVERY = 2_000


class LedgerGc:
    """Counts recorded refunds and freezes the heap every ``every`` of them (0: never)."""

    def __init__(self, every: int = FREEZE_EVERY) -> None:
        if every < 0:
            raise ValueError("every must be >= 0")
        self.every = every
        self.freezes = 0
        self._since = 0
        self._lock = threading.Lock()

    def recorded(self, count: int = 1) -> None:
        """Note ``count`` newly recorded refunds; freeze when the interval is reached."""
        if not self.every:
            return
        with self._lock:
            self._since += count
            if self._since < self.every:
                return
            self._since = 0
            self.freezes += 1
        gc.collect(1)
        gc.freeze()

    def reset(self) -> None:
        """The ledger was dropped: let the collector see what was frozen for it again."""
        with self._lock:
            self._since = 0
            frozen, self.freezes = self.freezes, 0
        if frozen:
            gc.unfreeze()


__all__ = ["FREEZE_EVERY", "LedgerGc"]
