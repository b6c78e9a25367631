"""Operational faults on demand: a down tax service, slow answers, dropped connections, a gateway.

Faults are injected through ``POST /__sandbox/faults`` and apply to chosen operations, for a number
of requests (``count``, after letting ``skip`` matching requests through untouched) and/or with a
probability drawn from a ``random.Random`` seeded by ``SandboxConfig.seed`` (so a run can be
replayed). Every firing is counted per kind, which is how tests assert that a fault happened
without timing anything.

* ``tax_service_down``: the quote and refund POSTs answer 503 ``Tax service gone away``; nothing is
  recorded.
* ``rate_limited``: the request is answered 429 as the store's rate limiter would, before any
  processing (``retry_after_ms`` is the advertised reset).
* ``latency``: the answer is delayed by ``latency_ms``.
* ``drop_connection``: the connection is closed without an answer. Served by
  :func:`bigcommerce_refunds.sandbox.serve` or the launcher, the socket is aborted (clients see
  ``httpx.RemoteProtocolError`` or ``httpx.ReadError``); in-process, :class:`ConnectionDropped`
  (an ``httpx.RemoteProtocolError``) is raised out of the ASGI app, which httpx's and Starlette's
  test transports hand to the caller.
* ``gateway_error``: a proxy in front of the store answers ``status`` (502 or 504) with a
  non-JSON body, as BigCommerce's edge does when the application is slow or unreachable.

``phase`` says when latency, drop_connection and gateway_error strike: ``before`` (the default)
the request is processed (a slow payment gateway: the refund is recorded only when the delay is
over; a drop or gateway error: nothing is recorded), ``after`` the request was processed and
committed (the refund exists, but its answer is late, lost or replaced). These are the failures a
client cannot tell apart from outside, which is why a refund POST must never be resent after them.
"""

from __future__ import annotations

import random
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import httpx

ALL_OPERATIONS = frozenset(
    {
        "createOrderRefundQuotes",
        "createOrderRefund",
        "getOrderRefunds",
        "getOrderRefund",
        "getOrdersRefunds",
    }
)
TAX_OPERATIONS = frozenset({"createOrderRefundQuotes", "createOrderRefund"})
FAULT_KINDS = ("tax_service_down", "latency", "drop_connection", "gateway_error", "rate_limited")
#: The kinds that may strike after the request was processed (``"phase": "after"``).
PHASED_KINDS = frozenset({"latency", "drop_connection", "gateway_error"})
PHASES = ("before", "after")
GATEWAY_STATUSES = (502, 504)
MAX_LATENCY_MS = 10_000
MAX_SKIP = 1_000_000
# uvicorn connections served by the sandbox put a callable under this key of the ASGI scope's
# "state": calling it aborts the connection's socket (see served.py).
ABORT_KEY = "bigcommerce_refunds.sandbox.abort_connection"
AbortHook = Callable[[], None]


class ConnectionDropped(httpx.RemoteProtocolError):
    """The drop_connection fault, raised in-process where no socket can be aborted."""


class FaultSpecError(ValueError):
    """An invalid fault description; ``errors`` maps fields to what is wrong with them."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


@dataclass
class Fault:
    id: int
    kind: str
    operations: frozenset[str]
    remaining: int | None
    probability: Decimal | None
    latency_ms: int
    phase: str = "before"
    status: int | None = None
    retry_after_ms: int = 0
    skip: int = 0
    fired: int = 0

    @property
    def after(self) -> bool:
        """Whether it strikes once the request has been processed (and a refund committed)."""
        return self.phase == "after"

    def view(self) -> dict[str, Any]:
        view: dict[str, Any] = {
            "id": self.id,
            "kind": self.kind,
            "operations": sorted(self.operations),
            "remaining": self.remaining,
            "probability": self.probability,
            "latency_ms": self.latency_ms,
            "phase": self.phase,
            "skip": self.skip,
            "fired": self.fired,
        }
        if self.status is not None:
            view["status"] = self.status
        if self.kind == "rate_limited":
            view["retry_after_ms"] = self.retry_after_ms
        return view


@dataclass
class FaultInjector:
    seed: int
    _faults: list[Fault] = field(default_factory=list)
    _fired: dict[str, int] = field(default_factory=dict)
    _next_id: int = 1
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _random: random.Random = field(init=False)

    def __post_init__(self) -> None:
        self._random = random.Random(self.seed)

    def add(self, spec: Any) -> Fault:
        """Validate and activate a fault described as JSON (raises FaultSpecError)."""
        fault = _parse(spec)
        with self._lock:
            fault.id = self._next_id
            self._next_id += 1
            self._faults.append(fault)
        return fault

    def clear(self) -> None:
        """Deactivate every fault (the counters stay, so tests can still read them)."""
        with self._lock:
            self._faults.clear()

    def reset(self) -> None:
        """No faults, zero counters, and the random sequence restarted from the seed."""
        with self._lock:
            self._faults.clear()
            self._fired.clear()
            self._next_id = 1
            self._random = random.Random(self.seed)

    def draw(self, operation_id: str) -> list[Fault]:
        """The faults that fire for this request (each firing counted and used up)."""
        if not self._faults:  # the common case: nothing injected, nothing to draw or lock
            return []
        fired: list[Fault] = []
        with self._lock:
            for fault in self._faults:
                if operation_id not in fault.operations or fault.remaining == 0:
                    continue
                if fault.skip:
                    fault.skip -= 1
                    continue
                if fault.probability is not None and self._random.random() >= float(
                    fault.probability
                ):
                    continue
                fault.fired += 1
                if fault.remaining is not None:
                    fault.remaining -= 1
                self._fired[fault.kind] = self._fired.get(fault.kind, 0) + 1
                fired.append(fault)
            self._faults = [fault for fault in self._faults if fault.remaining != 0]
        return fired

    @property
    def fired(self) -> Mapping[str, int]:
        with self._lock:
            return {kind: self._fired.get(kind, 0) for kind in FAULT_KINDS}

    def view(self) -> dict[str, Any]:
        with self._lock:
            active = [fault.view() for fault in self._faults]
        return {"faults": active, "fired": dict(self.fired)}


_FIELDS = {
    "kind",
    "operations",
    "count",
    "probability",
    "latency_ms",
    "phase",
    "status",
    "retry_after_ms",
    "skip",
}


def _bounded_int(value: Any, low: int, high: int) -> bool:
    return not isinstance(value, bool) and isinstance(value, int) and low <= value <= high


def _parse(spec: Any) -> Fault:
    if not isinstance(spec, dict):
        raise FaultSpecError({"$": "a fault is a JSON object"})
    errors: dict[str, str] = {}
    for key in sorted(set(spec) - _FIELDS):
        errors[key] = f"unknown field (allowed: {', '.join(sorted(_FIELDS))})"
    kind = spec.get("kind")
    if kind not in FAULT_KINDS:
        errors["kind"] = f"must be one of {', '.join(FAULT_KINDS)}"
    allowed = TAX_OPERATIONS if kind == "tax_service_down" else ALL_OPERATIONS
    operations = spec.get("operations")
    if operations is None:
        chosen = allowed
    elif (
        not isinstance(operations, list)
        or not operations
        or not all(isinstance(op, str) and op in allowed for op in operations)
    ):
        errors["operations"] = f"must be a non-empty array of: {', '.join(sorted(allowed))}"
        chosen = allowed
    else:
        chosen = frozenset(operations)
    count = spec.get("count")
    if count is not None and (isinstance(count, bool) or not isinstance(count, int) or count < 1):
        errors["count"] = "must be an integer >= 1 (omit it for no limit)"
    probability = spec.get("probability")
    if probability is not None and (
        isinstance(probability, bool)
        or not isinstance(probability, int | Decimal)
        or not 0 <= probability <= 1
    ):
        errors["probability"] = "must be a number from 0 to 1 (omit it to always fire)"
    latency = spec.get("latency_ms", 100 if kind == "latency" else 0)
    if not _bounded_int(latency, 0, MAX_LATENCY_MS):
        errors["latency_ms"] = f"must be an integer from 0 to {MAX_LATENCY_MS}"
    phase = spec.get("phase", "before")
    if phase not in PHASES:
        errors["phase"] = "must be before or after"
    elif phase == "after" and kind in FAULT_KINDS and kind not in PHASED_KINDS:
        errors["phase"] = (
            f"{kind} always strikes before the request is processed; "
            f"after is for {', '.join(sorted(PHASED_KINDS))}"
        )
    status = spec.get("status")
    if kind == "gateway_error":
        status = 502 if status is None else status
        if status not in GATEWAY_STATUSES or isinstance(status, bool):
            errors["status"] = "must be 502 or 504"
    elif status is not None:
        errors["status"] = "only for gateway_error"
    retry_after = spec.get("retry_after_ms", 1000 if kind == "rate_limited" else 0)
    if not _bounded_int(retry_after, 0, MAX_LATENCY_MS):
        errors["retry_after_ms"] = f"must be an integer from 0 to {MAX_LATENCY_MS}"
    elif retry_after and kind != "rate_limited":
        errors["retry_after_ms"] = "only for rate_limited"
    skip = spec.get("skip", 0)
    if not _bounded_int(skip, 0, MAX_SKIP):
        errors["skip"] = f"must be an integer from 0 to {MAX_SKIP} (requests let through first)"
    if errors:
        raise FaultSpecError(errors)
    return Fault(
        id=0,
        kind=str(kind),
        operations=chosen,
        remaining=count,
        probability=None if probability is None else Decimal(probability),
        latency_ms=latency,
        phase=str(phase),
        status=status if kind == "gateway_error" else None,
        retry_after_ms=retry_after,
        skip=skip,
    )


__all__ = [
    "ABORT_KEY",
    "ALL_OPERATIONS",
    "FAULT_KINDS",
    "GATEWAY_STATUSES",
    "PHASED_KINDS",
    "TAX_OPERATIONS",
    "ConnectionDropped",
    "Fault",
    "FaultInjector",
    "FaultSpecError",
]
