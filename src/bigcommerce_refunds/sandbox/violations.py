"""Rule violations: the stable codes and titles of every 422 the business rules give.

Each category of violation has a stable machine-readable ``code`` (in the 422 body's
``errors.code``) and a stable ``title``; details with numbers go in ``errors`` under the JSON path
of the offending field. See :data:`CATEGORIES`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from bigcommerce_refunds.sandbox.money import sub_cent

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


def fail(code: str, errors: Mapping[str, str]) -> RuleViolations:
    return RuleViolations([Violation(code, {"code": code, **errors})])


def sub_cent_violation(path: str, raw: Any) -> Violation | None:
    """A too_many_decimals violation quoting ``raw`` as sent, when it is a sub-cent amount."""
    text = sub_cent(raw)
    if text is None:
        return None
    code = "too_many_decimals"
    return Violation(code, {"code": code, path: f"{text} has more than 2 decimal places"})


def check_cents(path: str, raw: Any) -> None:
    violation = sub_cent_violation(path, raw)
    if violation is not None:
        raise RuleViolations([violation])


__all__ = [
    "CATEGORIES",
    "RuleViolations",
    "Violation",
    "check_cents",
    "fail",
    "sub_cent_violation",
]
