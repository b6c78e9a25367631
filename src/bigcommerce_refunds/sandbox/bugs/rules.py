"""Planted bugs in the business rules: a rule turned off, or an item that crashes the server."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bigcommerce_refunds.sandbox.bugs.profile import BugProfile, rules


class PlantedServerError(RuntimeError):
    """Raised on purpose by the ``server_error_on_edge`` bug profile (the gateway answers 500)."""


def _crash_on_zero(item: Mapping[str, Any]) -> None:
    if item.get("quantity") == 0 or item.get("amount") == 0:
        raise PlantedServerError("planted bug server_error_on_edge")


SERVER_ERROR_ON_EDGE = BugProfile(
    "server_error_on_edge",
    "A refund item with quantity 0 or amount 0 gives a 500.",
    lambda seams: rules(item_inspectors=(*seams.rules.item_inspectors, _crash_on_zero))(seams),
)
OVER_REFUND = BugProfile(
    "over_refund",
    "Remaining quantities, amounts and the order's refund limit are ignored.",
    rules(caps_remaining=False),
)
MISMATCHED_PAYMENTS = BugProfile(
    "mismatched_payments",
    "Refund payments are not checked against the refund methods.",
    rules(payments_match_methods=False),
)
NEGATIVE_AMOUNT_ACCEPTED = BugProfile(
    "negative_amount_accepted",
    "Item and payment amounts <= 0 are accepted.",
    rules(amounts_positive=False),
)
GUEST_STORE_CREDIT = BugProfile(
    "guest_store_credit",
    "Store credit to a guest customer is accepted (and quoted).",
    rules(store_credit_for_guests=True),
)
TAX_NOT_REFUNDED = BugProfile(
    "tax_not_refunded",
    "Product and gift-wrapping refunds leave out the items' tax.",
    rules(refunds_item_tax=False),
)

__all__ = [
    "GUEST_STORE_CREDIT",
    "MISMATCHED_PAYMENTS",
    "NEGATIVE_AMOUNT_ACCEPTED",
    "OVER_REFUND",
    "SERVER_ERROR_ON_EDGE",
    "TAX_NOT_REFUNDED",
    "PlantedServerError",
]
