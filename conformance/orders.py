"""What the suite knows of an order: its refundable lines and what remains of each.

The source is the sandbox control API's order view (``GET /__sandbox/orders``) or a JSON file in
the same format for targets without a control API. Only the fields used here are required.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any


def _dec(value: Any) -> Decimal:
    return Decimal(str(value)) if value is not None else Decimal(0)


@dataclass(frozen=True)
class Line:
    """One refundable line: by quantity (PRODUCT, GIFT_WRAPPING) or by amount (the others)."""

    item_type: str
    item_id: int
    remaining_quantity: int = 0
    remaining_amount: Decimal = Decimal(0)
    #: An upper bound of what refunding all that remains of the line costs, tax included.
    gross_bound: Decimal = Decimal(0)
    #: What one unit (quantity lines) or one currency unit of amount (amount lines) costs, tax
    #: included: an estimate for predicting whether a refund fits what remains of the order.
    unit_gross: Decimal = Decimal(1)

    @property
    def by_quantity(self) -> bool:
        return self.item_type in {"PRODUCT", "GIFT_WRAPPING"}

    @property
    def refundable(self) -> bool:
        return self.remaining_quantity > 0 if self.by_quantity else self.remaining_amount > 0


@dataclass(frozen=True)
class Order:
    id: int
    paid: bool
    guest: bool
    lines: tuple[Line, ...]
    paid_total: Decimal
    remaining_total: Decimal
    overcharged_tax: Decimal
    providers: tuple[str, ...]

    @property
    def refundable_lines(self) -> tuple[Line, ...]:
        return tuple(line for line in self.lines if line.refundable)

    @property
    def refundable(self) -> bool:
        return self.paid and self.remaining_total > 0 and bool(self.refundable_lines)

    def line(self, item_type: str, item_id: int) -> Line | None:
        return next(
            (x for x in self.lines if x.item_type == item_type and x.item_id == item_id), None
        )

    @property
    def max_item_id(self) -> int:
        return max([self.id, *(line.item_id for line in self.lines)])


def _quantity_line(item_type: str, item_id: int, view: Mapping[str, Any]) -> Line:
    remaining = int(view.get("remaining_quantity", 0))
    quantity = int(view.get("quantity", remaining)) or 1
    unit = _dec(view.get("total")) / quantity
    return Line(item_type, item_id, remaining, Decimal(0), unit * remaining, unit)


def _amount_line(item_type: str, item_id: int, view: Mapping[str, Any]) -> Line:
    price, total = _dec(view.get("price")), _dec(view.get("total"))
    ratio = total / price if price > 0 and total > 0 else Decimal(1)
    return Line(item_type, item_id, 0, _dec(view.get("remaining_amount")), total, ratio)


def parse_order(view: Mapping[str, Any]) -> Order:
    """Read an order view (control API format)."""
    lines: list[Line] = []
    for product in view.get("products", []):
        lines.append(_quantity_line("PRODUCT", int(product["id"]), product))
        wrapping = product.get("gift_wrapping")
        if isinstance(wrapping, Mapping):
            lines.append(_quantity_line("GIFT_WRAPPING", int(product["id"]), wrapping))
    for address in view.get("addresses", []):
        for kind in ("shipping", "handling"):
            charge = address.get(kind)
            if isinstance(charge, Mapping):
                lines.append(_amount_line(kind.upper(), int(address["id"]), charge))
    for fee in view.get("fees", []):
        lines.append(_amount_line("FEE", int(fee["id"]), fee))
    totals = view.get("totals", {})
    return Order(
        id=int(view["id"]),
        paid=bool(view.get("paid", True)),
        guest=bool(view.get("is_guest", view.get("customer_id") == 0)),
        lines=tuple(lines),
        paid_total=_dec(totals.get("paid")),
        remaining_total=_dec(totals.get("remaining")),
        overcharged_tax=_dec(view.get("overcharged_tax")) - _dec(view.get("tax_adjusted")),
        providers=tuple(str(p.get("provider_id")) for p in view.get("payments", [])),
    )
