"""Every request the suite sends, kept for the summary and for reproducible failure artifacts.

A failure is only useful if it can be replayed: each exchange renders as a curl command (with the
token replaced by ``$TOKEN``, so artifacts can be shared), and the summary counts cases per
operation and per request variant so a run shows what it actually exercised.
"""

from __future__ import annotations

import json
import shlex
import threading
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

SECRET_HEADERS = frozenset({"x-auth-token", "authorization"})


def variant_of(operation_id: str, body: Any) -> str:
    """Which request variant a Create Refund / Create Refund Quote body exercises."""
    if operation_id not in {"createOrderRefund", "createOrderRefundQuotes"}:
        return "-"
    if not isinstance(body, dict):
        return "malformed"
    has_items = "items" in body
    has_tax = "tax_adjustment_amount" in body
    if has_items and has_tax:
        return "items+tax"
    if has_items:
        return "items"
    if has_tax:
        return "tax_adjustment"
    return "neither"


@dataclass(frozen=True)
class Exchange:
    """One request and what came back (status 0: no response, e.g. a dropped connection)."""

    source: str
    operation_id: str
    variant: str
    method: str
    url: str
    headers: tuple[tuple[str, str], ...]
    body: bytes | None
    status: int

    def as_curl(self) -> str:
        parts = ["curl", "-i", "-X", self.method, shlex.quote(self.url)]
        for name, value in self.headers:
            shown = "$TOKEN" if name.lower() in SECRET_HEADERS else value
            parts += [
                "-H",
                f'"{name}: {shown}"' if shown == "$TOKEN" else shlex.quote(f"{name}: {value}"),
            ]
        if self.body is not None:
            parts += ["--data-binary", shlex.quote(self.body.decode("utf-8", "replace"))]
        return " ".join(parts)


@dataclass
class Recorder:
    """Thread-safe log of exchanges, with the exchanges of the current test kept apart."""

    _lock: threading.Lock = field(default_factory=threading.Lock)
    counts: Counter[tuple[str, str, str, str]] = field(default_factory=Counter)
    current: list[Exchange] = field(default_factory=list)

    def add(self, exchange: Exchange) -> None:
        status_class = f"{exchange.status // 100}xx" if exchange.status else "no response"
        with self._lock:
            key = (exchange.source, exchange.operation_id, exchange.variant, status_class)
            self.counts[key] += 1
            self.current.append(exchange)
            del self.current[:-50]  # the last 50 are plenty to reproduce a failure

    def add_count(
        self, source: str, operation_id: str, variant: str, status: int, n: int = 1
    ) -> None:
        status_class = f"{status // 100}xx" if status else "no response"
        with self._lock:
            self.counts[(source, operation_id, variant, status_class)] += n

    def start_test(self) -> None:
        with self._lock:
            self.current = []

    def total(self) -> int:
        return sum(self.counts.values())


RECORDER = Recorder()


def _decimal_as_number(value: Any) -> Any:
    if isinstance(value, Decimal):
        # Two-decimal money round-trips exactly through a float's shortest repr ("10.83").
        return float(value)
    raise TypeError(f"cannot send {type(value).__name__} as JSON")


def dump_json(value: Any) -> bytes:
    """Compact JSON bytes, as the suite sends them (Decimal money as JSON numbers)."""
    return json.dumps(value, separators=(",", ":"), default=_decimal_as_number).encode("utf-8")
