"""Business rules of quotes and refunds: what may be refunded, for how much, paid back how.

Everything here is synchronous and side-effect free: it reads an order and a typed payload and
either returns a :class:`Computation` (lines, totals, chosen payments) or raises
:class:`RuleViolations`. The store commits a computation only after it passed every rule, so a 422
never leaves a trace, and nothing can interleave between the checks and the commit.

This module holds the order-level rules (refundable at all, totals, overrides, tax adjustments)
and :func:`compute`, their entry point; the per-item rules are in :mod:`item_rules`, the payment
rules in :mod:`payment_rules`, the codes and titles of the 422s in :mod:`violations`, and which
rules are enforced in :mod:`ruleset`.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from bigcommerce_refunds.sandbox.computation import Computation
from bigcommerce_refunds.sandbox.item_rules import ItemChecker
from bigcommerce_refunds.sandbox.money import ZERO, in_range, parse_amount, total
from bigcommerce_refunds.sandbox.orders import Order
from bigcommerce_refunds.sandbox.payloads import RefundPayload
from bigcommerce_refunds.sandbox.ruleset import RuleSet
from bigcommerce_refunds.sandbox.violations import RuleViolations, check_cents, fail


def check_refundable(order: Order) -> None:
    """Unpaid and fully refunded orders accept neither quotes nor refunds."""
    if not order.paid:
        raise fail("unpaid_order", {"order_id": f"order {order.id} is awaiting payment"})
    if order.remaining <= 0:
        raise fail(
            "fully_refunded", {"order_id": f"nothing remains refundable on order {order.id}"}
        )


def _check_total(order: Order, amount: Decimal, path: str, rules: RuleSet) -> None:
    if amount > order.remaining and rules.caps_remaining:
        raise fail(
            "over_refund",
            {path: f"the refund totals {amount}, refundable on the order {order.remaining}"},
        )


def _override(raw: Any, order: Order, rules: RuleSet) -> tuple[Decimal, Decimal] | None:
    """(total_amount, total_tax) of a merchant_calculated_override, checked; None when absent."""
    if raw is None:
        return None
    where = "merchant_calculated_override"
    if not isinstance(raw, dict):
        raise fail("invalid_override", {where: "must be an object"})
    check_cents(f"{where}.total_amount", raw.get("total_amount"))
    check_cents(f"{where}.total_tax", raw.get("total_tax"))
    amount = parse_amount(raw.get("total_amount"))
    tax = parse_amount(raw.get("total_tax"))
    if amount is None or tax is None:
        raise fail("invalid_override", {where: "total_amount and total_tax are required numbers"})
    if amount <= 0:
        raise fail(
            "non_positive_amount", {f"{where}.total_amount": f"{amount} is not greater than 0"}
        )
    _check_total(order, amount, f"{where}.total_amount", rules)
    if not in_range(amount) or not in_range(tax) or tax > amount:
        raise fail(
            "invalid_override", {f"{where}.total_tax": "must be a usable amount <= total_amount"}
        )
    return amount, tax


def compute(order: Order, payload: RefundPayload, rules: RuleSet) -> Computation:
    """Check a quote or refund payload against the order; the payments are not checked here."""
    check_refundable(order)
    override = _override(payload.merchant_calculated_override, order, rules)
    if payload.kind == "tax_adjustment":
        computation = _tax_adjustment(order, payload.tax_adjustment_amount, override, rules)
    else:
        computation = _items(order, payload.items, rules)
        if override is None:
            _check_total(order, computation.total, "items", rules)
    if override is not None:
        computation.override_total, computation.override_tax = override
    return computation


def _items(order: Order, items: list[Any], rules: RuleSet) -> Computation:
    if not items:
        raise fail("empty_items", {"items": "the items array is empty"})
    checker = ItemChecker(order, rules)
    lines = [line for index, item in enumerate(items) if (line := checker.line(index, item))]
    if checker.violations:
        raise RuleViolations(checker.violations)
    return Computation(
        order_id=order.id,
        lines=lines,
        total=total([line.gross for line in lines]),
        tax=total([line.tax for line in lines]),
        order_level=total([line.gross for line in lines if line.item_type == "ORDER"]),
    )


def _tax_adjustment(
    order: Order, raw: Any, override: tuple[Decimal, Decimal] | None, rules: RuleSet
) -> Computation:
    where = "tax_adjustment_amount"
    check_cents(where, raw)
    amount = parse_amount(raw)
    if amount is None:
        raise fail("missing_field", {where: "must be a number"})
    if override is None:
        if amount <= 0:
            raise fail("non_positive_amount", {where: f"{amount} is not greater than 0"})
        expected = order.remaining_overcharged_tax
        if amount != expected:
            raise fail(
                "tax_adjustment_mismatch",
                {where: f"requested {amount}, overcharged tax remaining on the order {expected}"},
            )
        _check_total(order, amount, where, rules)
    elif amount < 0 or not in_range(amount):
        raise fail("non_positive_amount", {where: f"{amount} is not a usable amount"})
    return Computation(order.id, [], amount, amount, ZERO, tax_adjustment=amount)


__all__ = ["check_refundable", "compute"]
