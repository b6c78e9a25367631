"""Item rules: what each requested item may refund, and what it is worth.

:class:`ItemChecker` turns a request's items into computed :class:`Line` objects, one per item,
checking each against the order's ledgers (quantities for PRODUCT and GIFT_WRAPPING, amounts per
address for SHIPPING and HANDLING, per fee for FEE, the order for ORDER). It collects one violation
per bad item, so a 422 names every bad item at once.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from bigcommerce_refunds.sandbox.computation import Line
from bigcommerce_refunds.sandbox.money import ZERO, in_range, parse_amount, quantize, share
from bigcommerce_refunds.sandbox.orders import AmountLine, Order
from bigcommerce_refunds.sandbox.ruleset import RuleSet
from bigcommerce_refunds.sandbox.violations import Violation, sub_cent_violation

_QUANTITY_TYPES = ("PRODUCT", "GIFT_WRAPPING")
_AMOUNT_TYPES = ("SHIPPING", "HANDLING", "FEE")


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


class ItemChecker:
    """Turns request items into lines, collecting one violation per bad item."""

    def __init__(self, order: Order, rules: RuleSet) -> None:
        self.order = order
        self.rules = rules
        self.violations: list[Violation] = []
        self.seen: set[tuple[str, int]] = set()

    def fail(self, code: str, path: str, message: str) -> None:
        self.violations.append(Violation(code, {"code": code, path: message}))

    def line(self, index: int, item: Any) -> Line | None:
        path = f"items[{index}]"
        if not isinstance(item, dict):
            self.fail("missing_field", path, "each item must be an object")
            return None
        item_type = item.get("item_type")
        if item_type == "TAX":
            self.fail("tax_item_not_supported", f"{path}.item_type", "send tax_adjustment_amount")
            return None
        for inspect in self.rules.item_inspectors:
            inspect(item)
        item_id = item.get("item_id")
        if isinstance(item_id, bool) or not isinstance(item_id, int):
            self.fail("missing_field", f"{path}.item_id", f"{item_type} items need an item_id")
            return None
        key = (str(item_type), item_id)
        if key in self.seen:
            self.fail("duplicate_item", path, f"{item_type} {item_id} is already in this request")
            return None
        self.seen.add(key)
        adjustments = item.get("adjustments")
        if item_type != "PRODUCT" and adjustments not in (None, []):
            self.fail(
                "invalid_adjustment", f"{path}.adjustments", "only PRODUCT items take adjustments"
            )
            return None
        reason = _text(item.get("reason"))
        if item_type in _QUANTITY_TYPES:
            return self._quantity_line(path, str(item_type), item_id, item, reason)
        if item_type in _AMOUNT_TYPES:
            return self._amount_line(path, str(item_type), item_id, item, reason)
        if item_type == "ORDER":
            return self._order_line(path, item_id, item, reason)
        self.fail("missing_field", f"{path}.item_type", "unknown item_type")
        return None

    def _quantity_line(
        self, path: str, item_type: str, item_id: int, item: dict[str, Any], reason: str
    ) -> Line | None:
        product = self.order.products.get(item_id)
        ledger = None
        if product is not None:
            ledger = product.line if item_type == "PRODUCT" else product.wrapping
        if ledger is None:
            what = "an order product" if item_type == "PRODUCT" else "a gift-wrapped order product"
            self.fail(
                "unknown_item",
                f"{path}.item_id",
                f"{item_id} is not {what} of order {self.order.id}",
            )
            return None
        quantity = item.get("quantity")
        if isinstance(quantity, bool) or not isinstance(quantity, int):
            self.fail("missing_field", f"{path}.quantity", f"{item_type} items need a quantity")
            return None
        if quantity <= 0:
            self.fail(
                "invalid_quantity", f"{path}.quantity", f"{quantity} is not a positive quantity"
            )
            return None
        if quantity > ledger.remaining_quantity and self.rules.caps_remaining:
            self.fail(
                "quantity_exceeds_remaining",
                f"{path}.quantity",
                f"requested {quantity}, refundable {ledger.remaining_quantity}",
            )
            return None
        if quantity > 10**6:  # only reachable without caps; keeps arithmetic sane
            self.fail("quantity_exceeds_remaining", f"{path}.quantity", "quantity is too large")
            return None
        deductions, echoed = self._adjustments(path, item.get("adjustments"))
        if deductions is None:
            return None
        if self.rules.refunds_item_tax:
            gross = quantize(ledger.unit_gross * quantity)
            tax = quantize(ledger.unit_tax * quantity)
        else:  # the net price only, the tax kept
            gross, tax = quantize(ledger.unit_price * quantity), ZERO
        if deductions > gross:
            self.fail(
                "invalid_adjustment",
                f"{path}.adjustments",
                f"adjustments of {deductions} exceed the item amount {gross}",
            )
            return None
        gross -= deductions
        return Line(
            item_type,
            item_id,
            quantity,
            requested_amount=quantize(ledger.unit_price * quantity),
            gross=gross,
            tax=min(tax, gross),
            reason=reason,
            adjustments=echoed,
            quantity_line=ledger,
        )

    def _adjustments(self, path: str, raw: Any) -> tuple[Decimal | None, list[dict[str, Any]]]:
        """(total deduction, echo) of a PRODUCT item's adjustments; (None, []) after a violation."""
        if raw is None:
            return ZERO, []
        if not isinstance(raw, list):
            self.fail("invalid_adjustment", f"{path}.adjustments", "must be an array")
            return None, []
        deductions = ZERO
        echoed: list[dict[str, Any]] = []
        for index, adjustment in enumerate(raw):
            where = f"{path}.adjustments[{index}].amount"
            raw_amount = adjustment.get("amount") if isinstance(adjustment, dict) else None
            sub_cent_amount = sub_cent_violation(where, raw_amount)
            if sub_cent_amount is not None:
                self.violations.append(sub_cent_amount)
                return None, []
            amount = parse_amount(raw_amount)
            if amount is None:
                self.fail("invalid_adjustment", where, "each adjustment needs a negative amount")
                return None, []
            if amount >= 0 or not in_range(amount):
                self.fail("invalid_adjustment", where, f"{amount} is not a negative amount")
                return None, []
            deductions -= amount
            echoed.append({"amount": amount, "description": _text(adjustment.get("description"))})
        return deductions, echoed

    def _amount(self, path: str, item_type: str, item: dict[str, Any]) -> Decimal | None:
        """The item's amount, or None after recording why it cannot be used."""
        if item.get("amount") is None:
            self.fail("missing_field", f"{path}.amount", f"{item_type} items need an amount")
            return None
        sub_cent_amount = sub_cent_violation(f"{path}.amount", item.get("amount"))
        if sub_cent_amount is not None:
            self.violations.append(sub_cent_amount)
            return None
        amount = parse_amount(item.get("amount"))
        if amount is None:
            self.fail("missing_field", f"{path}.amount", "amount must be a number")
            return None
        if amount <= 0 and self.rules.amounts_positive:
            self.fail("non_positive_amount", f"{path}.amount", f"{amount} is not greater than 0")
            return None
        if not in_range(amount):
            self.fail("amount_exceeds_remaining", f"{path}.amount", "the amount is too large")
            return None
        return amount

    def _amount_line(
        self, path: str, item_type: str, item_id: int, item: dict[str, Any], reason: str
    ) -> Line | None:
        ledger: AmountLine | None = None
        if item_type == "FEE":
            fee = self.order.fees.get(item_id)
            ledger = None if fee is None else fee.line
            what = "a fee"
        else:
            address = self.order.addresses.get(item_id)
            what = "an order address"
            if address is not None:
                ledger = address.shipping if item_type == "SHIPPING" else address.handling
        if ledger is None:
            self.fail(
                "unknown_item",
                f"{path}.item_id",
                f"{item_id} is not {what} of order {self.order.id}",
            )
            return None
        amount = self._amount(path, item_type, item)
        if amount is None:
            return None
        if amount > ledger.remaining and self.rules.caps_remaining:
            self.fail(
                "amount_exceeds_remaining",
                f"{path}.amount",
                f"requested {amount}, refundable {ledger.remaining}",
            )
            return None
        tax_left = ledger.tax - ledger.refunded_tax
        if amount == ledger.remaining:
            tax = tax_left  # the last refund takes whatever rounding left behind
        else:
            tax = min(share(amount, ledger.tax, ledger.price), tax_left)
        gross = amount if ledger.tax_inclusive else amount + tax
        return Line(
            item_type,
            item_id,
            None,
            requested_amount=amount,
            gross=gross,
            tax=tax,
            reason=reason,
            adjustments=[],
            amount_line=ledger,
        )

    def _order_line(
        self, path: str, item_id: int, item: dict[str, Any], reason: str
    ) -> Line | None:
        if item_id != self.order.id:
            self.fail(
                "unknown_item",
                f"{path}.item_id",
                f"an ORDER item's item_id is the order id ({self.order.id}), not {item_id}",
            )
            return None
        amount = self._amount(path, "ORDER", item)
        if amount is None:
            return None
        if amount > self.order.remaining and self.rules.caps_remaining:
            self.fail(
                "amount_exceeds_remaining",
                f"{path}.amount",
                f"requested {amount}, refundable on the order {self.order.remaining}",
            )
            return None
        return Line("ORDER", item_id, None, amount, amount, ZERO, reason, [])


__all__ = ["ItemChecker"]
