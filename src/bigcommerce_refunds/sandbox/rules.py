"""Business rules of quotes and refunds: what may be refunded, for how much, paid back how.

Everything here is synchronous and side-effect free: it reads an order and a typed payload and
either returns a :class:`Computation` (lines, totals, chosen payments) or raises
:class:`RuleViolations`. The store commits a computation only after it passed every rule, so a 422
never leaves a trace, and nothing can interleave between the checks and the commit.

Each category of violation has a stable machine-readable ``code`` (in the 422 body's
``errors.code``) and a stable ``title``; details with numbers go in ``errors`` under the JSON path
of the offending field. See :data:`CATEGORIES`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from types import MappingProxyType
from typing import Any, NamedTuple

from bigcommerce_refunds.sandbox.money import (
    ZERO,
    in_range,
    parse_amount,
    quantize,
    share,
    sub_cent,
    total,
)
from bigcommerce_refunds.sandbox.orders import AmountLine, Order, QuantityLine
from bigcommerce_refunds.sandbox.payloads import RefundPayload
from bigcommerce_refunds.sandbox.quotes import PaymentOption, options_by_provider, refund_methods

CATEGORIES: Mapping[str, str] = MappingProxyType(
    {
        "schema_violation": "JSON data is missing or invalid",
        "unpaid_order": "Unable to refund an order that has not been paid.",
        "fully_refunded": "The order has already been fully refunded.",
        "ambiguous_refund": "Send either items or a non-zero tax_adjustment_amount, not both.",
        "empty_items": "At least one item is required to create a refund.",
        "tax_item_not_supported": (
            "TAX items cannot be refunded directly; use tax_adjustment_amount instead."
        ),
        "missing_field": "A refund item or payment is missing a required field.",
        "unknown_item": "The item does not exist on this order.",
        "duplicate_item": "The same item appears more than once in the request.",
        "invalid_quantity": "Quantity must be a positive integer.",
        "quantity_exceeds_remaining": "The requested quantity is more than remains refundable.",
        "non_positive_amount": "Amounts must be greater than 0.",
        "too_many_decimals": "Amounts cannot have more than 2 decimal places.",
        "amount_exceeds_remaining": "The requested amount is more than remains refundable.",
        "invalid_adjustment": (
            "Adjustments must be negative amounts, on PRODUCT items only, "
            "and cannot exceed the item's amount."
        ),
        "over_refund": "The refund is more than remains refundable on the order.",
        "tax_adjustment_mismatch": (
            "tax_adjustment_amount must equal the overcharged tax that remains on the order."
        ),
        "guest_store_credit": "Unable to provide store credit for a guest customer.",
        "payments_mismatch": "The payments do not match any refund method of the refund quote.",
        "invalid_override": "merchant_calculated_override is invalid.",
        "override_mismatch": (
            "The payments must add up to merchant_calculated_override.total_amount."
        ),
    }
)

_QUANTITY_TYPES = ("PRODUCT", "GIFT_WRAPPING")
_AMOUNT_TYPES = ("SHIPPING", "HANDLING", "FEE")


@dataclass(frozen=True)
class Violation:
    code: str
    errors: Mapping[str, str]

    @property
    def title(self) -> str:
        return CATEGORIES[self.code]


class RuleViolations(Exception):  # noqa: N818 - a collection of violations, not an error kind
    """The request broke one or more business rules; nothing was changed."""

    def __init__(self, violations: list[Violation]) -> None:
        super().__init__("; ".join(violation.code for violation in violations))
        self.violations = violations


class PlantedServerError(RuntimeError):
    """Raised on purpose by the ``server_error_on_edge`` bug profile."""


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


def _fail(code: str, errors: Mapping[str, str]) -> RuleViolations:
    return RuleViolations([Violation(code, {"code": code, **errors})])


def _sub_cent_violation(path: str, raw: Any) -> Violation | None:
    """A too_many_decimals violation quoting ``raw`` as sent, when it is a sub-cent amount."""
    text = sub_cent(raw)
    if text is None:
        return None
    code = "too_many_decimals"
    return Violation(code, {"code": code, path: f"{text} has more than 2 decimal places"})


def _check_cents(path: str, raw: Any) -> None:
    violation = _sub_cent_violation(path, raw)
    if violation is not None:
        raise RuleViolations([violation])


def check_refundable(order: Order) -> None:
    """Unpaid and fully refunded orders accept neither quotes nor refunds."""
    if not order.paid:
        raise _fail("unpaid_order", {"order_id": f"order {order.id} is awaiting payment"})
    if order.remaining <= 0:
        raise _fail(
            "fully_refunded", {"order_id": f"nothing remains refundable on order {order.id}"}
        )


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


class _ItemChecker:
    """Turns request items into lines, collecting one violation per bad item."""

    def __init__(self, order: Order, bugs: frozenset[str]) -> None:
        self.order = order
        self.bugs = bugs
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
        if "server_error_on_edge" in self.bugs and (
            item.get("quantity") == 0 or item.get("amount") == 0
        ):
            raise PlantedServerError("planted bug server_error_on_edge")
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
        if quantity > ledger.remaining_quantity and "over_refund" not in self.bugs:
            self.fail(
                "quantity_exceeds_remaining",
                f"{path}.quantity",
                f"requested {quantity}, refundable {ledger.remaining_quantity}",
            )
            return None
        if quantity > 10**6:  # only reachable with the over_refund bug; keeps arithmetic sane
            self.fail("quantity_exceeds_remaining", f"{path}.quantity", "quantity is too large")
            return None
        deductions, echoed = self._adjustments(path, item.get("adjustments"))
        if deductions is None:
            return None
        if "tax_not_refunded" in self.bugs:  # planted: the net price only, tax kept
            gross, tax = quantize(ledger.unit_price * quantity), ZERO
        else:
            gross = quantize(ledger.unit_gross * quantity)
            tax = quantize(ledger.unit_tax * quantity)
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
            sub_cent_amount = _sub_cent_violation(where, raw_amount)
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
        sub_cent_amount = _sub_cent_violation(f"{path}.amount", item.get("amount"))
        if sub_cent_amount is not None:
            self.violations.append(sub_cent_amount)
            return None
        amount = parse_amount(item.get("amount"))
        if amount is None:
            self.fail("missing_field", f"{path}.amount", "amount must be a number")
            return None
        if amount <= 0 and "negative_amount_accepted" not in self.bugs:
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
        if amount > ledger.remaining and "over_refund" not in self.bugs:
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
        if amount > self.order.remaining and "over_refund" not in self.bugs:
            self.fail(
                "amount_exceeds_remaining",
                f"{path}.amount",
                f"requested {amount}, refundable on the order {self.order.remaining}",
            )
            return None
        return Line("ORDER", item_id, None, amount, amount, ZERO, reason, [])


def _check_total(order: Order, amount: Decimal, path: str, bugs: frozenset[str]) -> None:
    if amount > order.remaining and "over_refund" not in bugs:
        raise _fail(
            "over_refund",
            {path: f"the refund totals {amount}, refundable on the order {order.remaining}"},
        )


def _override(raw: Any, order: Order, bugs: frozenset[str]) -> tuple[Decimal, Decimal] | None:
    """(total_amount, total_tax) of a merchant_calculated_override, checked; None when absent."""
    if raw is None:
        return None
    where = "merchant_calculated_override"
    if not isinstance(raw, dict):
        raise _fail("invalid_override", {where: "must be an object"})
    _check_cents(f"{where}.total_amount", raw.get("total_amount"))
    _check_cents(f"{where}.total_tax", raw.get("total_tax"))
    amount = parse_amount(raw.get("total_amount"))
    tax = parse_amount(raw.get("total_tax"))
    if amount is None or tax is None:
        raise _fail("invalid_override", {where: "total_amount and total_tax are required numbers"})
    if amount <= 0:
        raise _fail(
            "non_positive_amount", {f"{where}.total_amount": f"{amount} is not greater than 0"}
        )
    _check_total(order, amount, f"{where}.total_amount", bugs)
    if not in_range(amount) or not in_range(tax) or tax > amount:
        raise _fail(
            "invalid_override", {f"{where}.total_tax": "must be a usable amount <= total_amount"}
        )
    return amount, tax


def compute(order: Order, payload: RefundPayload, bugs: frozenset[str]) -> Computation:
    """Check a quote or refund payload against the order; the payments are not checked here."""
    check_refundable(order)
    override = _override(payload.merchant_calculated_override, order, bugs)
    if payload.kind == "tax_adjustment":
        computation = _tax_adjustment(order, payload.tax_adjustment_amount, override, bugs)
    else:
        computation = _items(order, payload.items, bugs)
        if override is None:
            _check_total(order, computation.total, "items", bugs)
    if override is not None:
        computation.override_total, computation.override_tax = override
    return computation


def _items(order: Order, items: list[Any], bugs: frozenset[str]) -> Computation:
    if not items:
        raise _fail("empty_items", {"items": "the items array is empty"})
    checker = _ItemChecker(order, bugs)
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
    order: Order, raw: Any, override: tuple[Decimal, Decimal] | None, bugs: frozenset[str]
) -> Computation:
    where = "tax_adjustment_amount"
    _check_cents(where, raw)
    amount = parse_amount(raw)
    if amount is None:
        raise _fail("missing_field", {where: "must be a number"})
    if override is None:
        if amount <= 0:
            raise _fail("non_positive_amount", {where: f"{amount} is not greater than 0"})
        expected = order.remaining_overcharged_tax
        if amount != expected:
            raise _fail(
                "tax_adjustment_mismatch",
                {where: f"requested {amount}, overcharged tax remaining on the order {expected}"},
            )
        _check_total(order, amount, where, bugs)
    elif amount < 0 or not in_range(amount):
        raise _fail("non_positive_amount", {where: f"{amount} is not a usable amount"})
    return Computation(order.id, [], amount, amount, ZERO, tax_adjustment=amount)


# ---------------------------------------------------------------------------------- payments


def methods_for(order: Order, amount: Decimal, bugs: frozenset[str]) -> list[list[PaymentOption]]:
    return refund_methods(order, amount, store_credit_for_guests="guest_store_credit" in bugs)


def choose_payments(
    order: Order, computation: Computation, raw_payments: list[Any], bugs: frozenset[str]
) -> list[ChosenPayment]:
    """Check the requested payments against the refund methods; the chosen payments on success.

    Tax adjustment refunds carry no payments: they are paid to the first refund method.
    """
    amount = computation.refund_total
    methods = methods_for(order, amount, bugs)
    if computation.tax_adjustment is not None:
        return [ChosenPayment(o.provider_id, o.amount, o.offline) for o in methods[0]]
    requested = _requested_payments(order, raw_payments, bugs)
    if computation.override_total is not None:
        return _override_payments(order, requested, options_by_provider(methods), amount)
    if "mismatched_payments" in bugs:
        offered = options_by_provider(methods)
        return [
            ChosenPayment(provider, value, offline or _is_offline(offered, provider))
            for provider, value, offline in requested
        ]
    # Multiset equality of (provider, amount) pairs; sorted lists compare like Counters here
    # (amounts are finite Decimals, so every pair is orderable) at a fraction of the cost.
    wanted = sorted((provider, value) for provider, value, _ in requested)
    for method in methods:
        if (
            len(method) == len(wanted)
            and sorted((option.provider_id, option.amount) for option in method) == wanted
        ):
            by_provider = {option.provider_id: option for option in method}
            return [
                ChosenPayment(provider, value, offline or by_provider[provider].offline)
                for provider, value, offline in requested
            ]
    expected = " | ".join(
        "[" + ", ".join(f"{o.provider_id} {o.amount}" for o in method) + "]" for method in methods
    )
    raise _fail(
        "payments_mismatch",
        {"payments": f"refund total {amount}; expected one of: {expected}"},
    )


def _is_offline(offered: dict[str, PaymentOption], provider: str) -> bool:
    option = offered.get(provider)
    return option.offline if option is not None else False


def _requested_payments(
    order: Order, raw_payments: list[Any], bugs: frozenset[str]
) -> list[tuple[str, Decimal, bool]]:
    violations: list[Violation] = []
    requested: list[tuple[str, Decimal, bool]] = []
    for index, payment in enumerate(raw_payments):
        path = f"payments[{index}]"
        if not isinstance(payment, dict):
            violations.append(
                Violation("missing_field", {"code": "missing_field", path: "must be an object"})
            )
            continue
        provider = payment.get("provider_id")
        sub_cent_amount = _sub_cent_violation(f"{path}.amount", payment.get("amount"))
        if sub_cent_amount is not None:
            violations.append(sub_cent_amount)
            continue
        amount = parse_amount(payment.get("amount"))
        if not isinstance(provider, str) or not provider:
            violations.append(
                Violation(
                    "missing_field", {"code": "missing_field", f"{path}.provider_id": "is required"}
                )
            )
            continue
        if amount is None:
            violations.append(
                Violation(
                    "missing_field", {"code": "missing_field", f"{path}.amount": "is required"}
                )
            )
            continue
        if amount <= 0 and "negative_amount_accepted" not in bugs:
            violations.append(
                Violation(
                    "non_positive_amount",
                    {
                        "code": "non_positive_amount",
                        f"{path}.amount": f"{amount} is not greater than 0",
                    },
                )
            )
            continue
        if not in_range(amount):
            violations.append(
                Violation(
                    "payments_mismatch",
                    {"code": "payments_mismatch", f"{path}.amount": "the amount is too large"},
                )
            )
            continue
        if provider == "storecredit" and order.is_guest and "guest_store_credit" not in bugs:
            violations.append(
                Violation(
                    "guest_store_credit",
                    {
                        "code": "guest_store_credit",
                        f"{path}.provider_id": "the customer is a guest",
                    },
                )
            )
            continue
        requested.append((provider, amount, payment.get("offline") is True))
    if violations:
        raise RuleViolations(violations)
    if not requested:
        raise _fail("payments_mismatch", {"payments": "at least one payment is required"})
    return requested


def _override_payments(
    order: Order,
    requested: list[tuple[str, Decimal, bool]],
    offered: dict[str, PaymentOption],
    amount: Decimal,
) -> list[ChosenPayment]:
    paid_by = {payment.provider_id: payment for payment in order.payments}
    per_provider: dict[str, Decimal] = {}
    for index, (provider, value, _) in enumerate(requested):
        if provider not in offered and provider not in paid_by:
            raise _fail(
                "payments_mismatch",
                {f"payments[{index}].provider_id": f"{provider} is not a refund method here"},
            )
        per_provider[provider] = per_provider.get(provider, ZERO) + value
    for provider, value in per_provider.items():
        # Store credit can take up to the whole order; a gateway only what it took.
        if (
            provider in paid_by
            and provider != "storecredit"
            and value > paid_by[provider].remaining
        ):
            raise _fail(
                "payments_mismatch",
                {"payments": f"at most {paid_by[provider].remaining} remains on {provider}"},
            )
    paid = total([value for _, value, _ in requested])
    if paid != amount:
        raise _fail(
            "override_mismatch",
            {"payments": f"the payments add up to {paid}, the override total is {amount}"},
        )
    return [
        ChosenPayment(provider, value, offline or _is_offline(offered, provider))
        for provider, value, offline in requested
    ]


__all__ = [
    "CATEGORIES",
    "ChosenPayment",
    "Computation",
    "Line",
    "PlantedServerError",
    "RuleViolations",
    "Violation",
    "check_refundable",
    "choose_payments",
    "compute",
    "methods_for",
]
