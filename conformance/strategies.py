"""Hypothesis strategies for domain-valid and domain-invalid refund requests of one order.

Valid requests are derived from the order's state (what remains of each line) and then from the
target's own quote (its refund methods become the payments), so they are valid for the target
itself, whatever its tax arithmetic.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from hypothesis import strategies as st

from conformance.orders import Line, Order

CENT = Decimal("0.01")


def money(low: Decimal, high: Decimal) -> st.SearchStrategy[Decimal]:
    """Two-decimal amounts in [low, high]."""
    cents_low, cents_high = int(low / CENT), int(high / CENT)
    return st.integers(cents_low, max(cents_low, cents_high)).map(lambda c: Decimal(c) * CENT)


def _item(line: Line) -> st.SearchStrategy[dict[str, Any]]:
    base = {"item_type": line.item_type, "item_id": line.item_id}
    if line.by_quantity:
        return st.integers(1, line.remaining_quantity).map(lambda q: {**base, "quantity": q})
    return money(CENT, line.remaining_amount).map(lambda a: {**base, "amount": a})


@st.composite
def refund_items(draw: st.DrawFn, order: Order) -> list[dict[str, Any]]:
    """A non-empty set of items within what remains of each line (and, maybe, an ORDER amount)."""
    lines = draw(
        st.lists(
            st.sampled_from(order.refundable_lines),
            min_size=1,
            max_size=min(4, len(order.refundable_lines)),
            unique_by=lambda line: (line.item_type, line.item_id),
        )
    )
    items = [draw(_item(line)) for line in lines]
    room = order.remaining_total - estimated_gross(order, items) - margin(items)
    if room >= CENT and draw(st.booleans()):
        amount = draw(money(CENT, min(room, Decimal(5))))
        items.append(
            {"item_type": "ORDER", "item_id": order.id, "amount": amount, "reason": "goodwill"}
        )
    if draw(st.booleans()):
        items[0]["reason"] = draw(
            st.sampled_from(["Damaged in transit", "Wrong size", "Ünïcødé ✓"])
        )
    return items


def estimated_gross(order: Order, items: list[dict[str, Any]]) -> Decimal:
    """What refunding ``items`` should cost, tax included (an estimate: tax rounding differs)."""
    total = Decimal(0)
    for item in items:
        if item["item_type"] == "ORDER":
            total += Decimal(item["amount"])
            continue
        line = order.line(item["item_type"], item["item_id"])
        unit = line.unit_gross if line is not None else Decimal(1)
        total += unit * Decimal(item["quantity"] if "quantity" in item else item["amount"])
    return total


def margin(items: list[dict[str, Any]]) -> Decimal:
    """How far an estimate may be off: a few cents of tax rounding per item."""
    return Decimal("0.05") * (len(items) + 1)


def fits(order: Order, items: list[dict[str, Any]]) -> bool | None:
    """Whether the refund fits what remains of the order: True, False, or None (too close)."""
    estimate, slack = estimated_gross(order, items), margin(items)
    if estimate <= order.remaining_total - slack:
        return True
    if estimate >= order.remaining_total + slack:
        return False
    return None


def payments_for(method: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A refund method (one alternative of a quote) as the payments of a refund request."""
    return [
        {
            "provider_id": option["provider_id"],
            "amount": Decimal(str(option["amount"])),
            "offline": bool(option.get("offline", False)),
        }
        for option in method
    ]
