"""What the rules make of a quote or refund: its lines, totals and chosen payments.

Plain data shared by the item rules (which build the lines), the payment rules (which choose the
payments) and the store (which records a computation and commits it to the order's ledgers).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, NamedTuple

from bigcommerce_refunds.sandbox.orders import AmountLine, QuantityLine


@dataclass
class Line:
    """One refunded item, computed: what it is worth and which ledger it draws from."""

    item_type: str
    item_id: int
    quantity: int | None
    requested_amount: Decimal
    gross: Decimal
    tax: Decimal
    reason: str
    adjustments: list[dict[str, Any]]
    quantity_line: QuantityLine | None = None
    amount_line: AmountLine | None = None

    def view(self) -> dict[str, Any]:
        item: dict[str, Any] = {
            "item_type": self.item_type,
            "item_id": self.item_id,
            "reason": self.reason,
        }
        if self.quantity is not None:
            item["quantity"] = self.quantity
        if self.adjustments:
            item["adjustments"] = self.adjustments
        item["requested_amount"] = self.requested_amount
        return item


class ChosenPayment(NamedTuple):
    """A payment of a refund, as the rules accepted it (a NamedTuple: cheap to build)."""

    provider_id: str
    amount: Decimal
    offline: bool


@dataclass
class Computation:
    """A refund (or quote) that passed the item rules; payments are chosen later for refunds."""

    order_id: int
    lines: list[Line]
    total: Decimal
    tax: Decimal
    order_level: Decimal
    tax_adjustment: Decimal | None = None
    override_total: Decimal | None = None
    override_tax: Decimal | None = None
    payments: list[ChosenPayment] = field(default_factory=list)

    @property
    def refund_total(self) -> Decimal:
        return self.total if self.override_total is None else self.override_total

    @property
    def refund_tax(self) -> Decimal:
        return self.tax if self.override_tax is None else self.override_tax


__all__ = ["ChosenPayment", "Computation", "Line"]
