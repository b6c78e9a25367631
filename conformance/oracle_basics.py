"""The field oracle's common ground: exact numbers, the request's time window, and where an
item or a payment is on the order (see conformance/oracle.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

CENT = Decimal("0.01")
ZERO = Decimal(0)
#: How far apart the suite's clock and the server's may be: ``created`` must lie within the
#: request's time window widened by this much on both sides.
CLOCK_SKEW = timedelta(minutes=5)
#: The store credit and custom refund methods as BigCommerce documents them (the quote's
#: ``refund_methods`` description): description, and whether the provider is offline.
DOCUMENTED_PROVIDERS: Mapping[str, tuple[str, bool]] = {
    "storecredit": ("Store Credit", False),
    "custom": ("Custom", True),
}
BY_QUANTITY = ("PRODUCT", "GIFT_WRAPPING")


def dec(value: Any) -> Decimal | None:
    """A JSON number as Decimal (floats from other parsers via their shortest repr)."""
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return None
    try:
        return Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    except InvalidOperation:
        return None


def dec0(value: Any) -> Decimal:
    """:func:`dec`, with 0 for a missing or unreadable amount (sums over optional fields)."""
    found = dec(value)
    return found if found is not None else ZERO


def now_utc() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Window:
    """When a request was sent and its answer received (the suite's clock, UTC)."""

    start: datetime
    end: datetime


# ----------------------------------------------------------------------------- order reads


def order_payments(order: Mapping[str, Any]) -> dict[str, Mapping[str, Any]]:
    return {
        str(p.get("provider_id")): p for p in order.get("payments", []) if isinstance(p, Mapping)
    }


def _quantity_line(order: Mapping[str, Any], item_type: str, item_id: Any) -> Any:
    for product in order.get("products", []):
        if product.get("id") == item_id:
            return product if item_type == "PRODUCT" else product.get("gift_wrapping")
    return None


def _amount_line(order: Mapping[str, Any], item_type: str, item_id: Any) -> Any:
    if item_type == "FEE":
        return next((f for f in order.get("fees", []) if f.get("id") == item_id), None)
    for address in order.get("addresses", []):
        if address.get("id") == item_id:
            return address.get(item_type.lower())
    return None


def order_line(order: Mapping[str, Any], item_type: str, item_id: Any) -> Any:
    """The order's own line for a refund item (None for ORDER items and unknown lines)."""
    if item_type in BY_QUANTITY:
        return _quantity_line(order, item_type, item_id)
    if item_type in {"SHIPPING", "HANDLING", "FEE"}:
        return _amount_line(order, item_type, item_id)
    return None


def requested_amount(order: Mapping[str, Any], item: Mapping[str, Any]) -> Decimal | None:
    """What an item asks for before tax: unit price times quantity, or the amount sent."""
    kind = item.get("item_type")
    if kind in BY_QUANTITY:
        line = order_line(order, str(kind), item.get("item_id"))
        quantity = item.get("quantity")
        if not isinstance(line, Mapping) or not isinstance(quantity, int):
            return None
        return (dec0(line.get("unit_price")) * quantity).quantize(CENT)
    return dec(item.get("amount"))


def deductions(item: Mapping[str, Any]) -> Decimal:
    """What an item's ``adjustments`` take off it (their amounts are negative)."""
    adjustments = item.get("adjustments") or []
    return sum((dec0(a.get("amount")) for a in adjustments if isinstance(a, Mapping)), ZERO)


__all__ = [
    "BY_QUANTITY",
    "CENT",
    "CLOCK_SKEW",
    "DOCUMENTED_PROVIDERS",
    "ZERO",
    "Window",
    "dec",
    "dec0",
    "deductions",
    "now_utc",
    "order_line",
    "order_payments",
    "requested_amount",
]
