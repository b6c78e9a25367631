"""Request policies: rules the choke point applies to every request before it reaches the target.

A policy (``conformance.chokepoint.RequestPolicy``) reviews each request and may refuse it; it also
observes every answer. The run installs them on its choke point, so a rule holds for the suite's
own requests and Schemathesis' alike. Live-mode money rules (issue 13) belong here.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

import httpx

__all__ = ["CreatedRefund", "MoneyGuard", "RequestBudget", "refund_bound"]


class RequestBudget:
    """At most ``limit`` API requests reach the target in the whole run (the ``smoke`` profile).

    The sandbox control API (``/__sandbox/``: resets, order views, faults) is the harness's own
    plumbing, absent on the stores the budget protects, and is not counted.
    """

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.admitted = 0
        self._lock = threading.Lock()

    def review(self, request: httpx.Request) -> str | None:
        if request.url.path.startswith("/__sandbox"):
            return None
        with self._lock:
            if self.admitted >= self.limit:
                return (
                    f"request budget of {self.limit} spent: {request.method} {request.url.path} "
                    "was not sent (the profile's budget)"
                )
            self.admitted += 1
            return None

    def observe(self, request: httpx.Request, response: httpx.Response) -> None:
        return None


_REFUND_POST = re.compile(r"/orders/(?P<order>[^/]+)/payment_actions/refunds/?$")


@dataclass(frozen=True)
class CreatedRefund:
    """A refund the run created on a live store (for the end-of-run listing)."""

    order_id: int
    refund_id: int | None
    amount: Decimal
    in_doubt: bool = False


def _amount(value: Any) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, int | Decimal | str):
        return None
    try:
        number = Decimal(value)
    except InvalidOperation:
        return None
    return abs(number) if number.is_finite() else None


def refund_bound(content: bytes) -> Decimal | str:
    """The most a createOrderRefund body can pay back, or why that cannot be told.

    The largest of: the payments' amounts (absolute values, summed), the tax adjustment, the
    merchant override's total. A body that is not a JSON object, an amount that is not a number,
    or items with no payments and no override (a lenient store might refund them anyway) cannot
    be bounded, and is not sent to a live store.
    """
    try:
        body = json.loads(content, parse_float=Decimal, parse_int=Decimal)
    except (ValueError, UnicodeDecodeError):
        return "the body is not JSON"
    if not isinstance(body, dict):
        return "the body is not a JSON object"
    candidates: list[Decimal] = []
    payments = body.get("payments")
    if payments is not None:
        if not isinstance(payments, list):
            return "payments is not a list"
        total = Decimal(0)
        for entry in payments:
            amount = _amount(entry.get("amount")) if isinstance(entry, dict) else None
            if amount is None:
                return "a payment amount is not a number"
            total += amount
        if payments:
            candidates.append(total)
    for key, holder in (
        ("tax_adjustment_amount", body),
        ("total_amount", body.get("merchant_calculated_override")),
    ):
        if isinstance(holder, dict) and key in holder:
            amount = _amount(holder[key])
            if amount is None:
                return f"{key} is not a number"
            candidates.append(amount)
    if not candidates:
        return "neither payments, a tax adjustment nor an override total bound what it refunds"
    return max(candidates)


class MoneyGuard:
    """Live stores: no refund without the opt-in; with it, designated orders only, under a cap.

    Reviews every createOrderRefund (``POST .../orders/{id}/payment_actions/refunds``) before it
    reaches the store: refused without ``CONFORMANCE_ALLOW_REFUNDS=1``; with it, refused unless
    the order is one of ``CONFORMANCE_REFUND_ORDER`` and what the body can pay back
    (:func:`refund_bound`), added to what was refunded and what is in flight, stays within
    ``CONFORMANCE_REFUND_CAP``. An answer that does not prove the refund was refused (a 2xx, a
    5xx, a lost answer) keeps its amount counted: the cap holds even for a refund in doubt.
    """

    def __init__(
        self, allowed: bool, orders: frozenset[int] | None = None, cap: Decimal | None = None
    ) -> None:
        if allowed and (not orders or cap is None):
            raise ValueError("live refunds need designated orders and a cap")
        self.allowed = allowed
        self.orders = orders or frozenset()
        self.cap = cap if cap is not None else Decimal(0)
        self.committed = Decimal(0)
        self.pending = Decimal(0)
        self.created: list[CreatedRefund] = []
        self._inflight: dict[int, tuple[int, Decimal]] = {}
        self._lock = threading.Lock()
        #: Told the order of every refund that may have been created (to re-read that order).
        self.on_refund: Callable[[int], None] | None = None

    @property
    def remaining(self) -> Decimal:
        """What may still be refunded in this run."""
        with self._lock:
            return self.cap - self.committed - self.pending

    def review(self, request: httpx.Request) -> str | None:
        match = _REFUND_POST.search(request.url.path) if request.method == "POST" else None
        if match is None:
            return None
        raw_order = match.group("order")
        if not self.allowed:
            return (
                "live store: createOrderRefund is never sent without CONFORMANCE_ALLOW_REFUNDS=1 "
                f"(order {raw_order})"
            )
        if not raw_order.isdigit() or int(raw_order) not in self.orders:
            designated = ", ".join(str(order) for order in sorted(self.orders))
            return (
                f"live store: refunds go only to CONFORMANCE_REFUND_ORDER ({designated}), "
                f"not to order {raw_order}"
            )
        bound = refund_bound(request.content)
        if isinstance(bound, str):
            return (
                f"live store: a refund on order {raw_order} is only sent when its amount "
                f"is known ({bound})"
            )
        with self._lock:
            if self.committed + self.pending + bound > self.cap:
                return (
                    f"live store: a refund of up to {bound} on order {raw_order} would pass "
                    f"CONFORMANCE_REFUND_CAP={self.cap} (refunded so far {self.committed}, "
                    f"in flight {self.pending})"
                )
            self.pending += bound
            self._inflight[id(request)] = (int(raw_order), bound)
        return None

    def observe(self, request: httpx.Request, response: httpx.Response) -> None:
        with self._lock:
            entry = self._inflight.pop(id(request), None)
            if entry is None:
                return
            order_id, bound = entry
            self.pending -= bound
            if 400 <= response.status_code < 500:
                return  # refused by the store: nothing was refunded
        refund_id, amount = None, bound
        if 200 <= response.status_code < 300:
            refund_id, reported = _created(response)
            amount = max(bound, reported) if reported is not None else bound
        with self._lock:
            self.committed += amount
            in_doubt = not 200 <= response.status_code < 300
            self.created.append(CreatedRefund(order_id, refund_id, amount, in_doubt))
        if self.on_refund is not None:
            self.on_refund(order_id)


def _created(response: httpx.Response) -> tuple[int | None, Decimal | None]:
    """The refund id and total_amount of a 2xx createOrderRefund answer, where readable."""
    try:
        response.read()
        data = json.loads(response.content, parse_float=Decimal).get("data", {})
    except (ValueError, AttributeError, httpx.HTTPError):
        return None, None
    refund_id = data.get("id") if isinstance(data, dict) else None
    total = _amount(data.get("total_amount")) if isinstance(data, dict) else None
    return (refund_id if isinstance(refund_id, int) else None), total
