"""Planted bugs in refund objects as served: the 201's ``data`` and the three reads."""

from __future__ import annotations

from typing import Any

from bigcommerce_refunds.sandbox.bugs.profile import BugProfile, refund_view
from bigcommerce_refunds.sandbox.money import CENT
from bigcommerce_refunds.sandbox.store import RefundRecord


def _total_plus_a_cent(data: dict[str, Any], refund: RefundRecord, by_id: bool) -> dict[str, Any]:
    data["total_amount"] += CENT
    return data


def _without_total_tax(data: dict[str, Any], refund: RefundRecord, by_id: bool) -> dict[str, Any]:
    del data["total_tax"]
    return data


def _total_renamed(data: dict[str, Any], refund: RefundRecord, by_id: bool) -> dict[str, Any]:
    return {
        ("amount_total" if key == "total_amount" else key): value for key, value in data.items()
    }


def _order_id_as_string(data: dict[str, Any], refund: RefundRecord, by_id: bool) -> dict[str, Any]:
    data["order_id"] = str(data["order_id"])
    return data


def _fake_tax_item(data: dict[str, Any], refund: RefundRecord, by_id: bool) -> dict[str, Any]:
    if refund.is_tax_adjustment:
        data["items"] = [
            {
                "item_type": "PRODUCT",
                "item_id": 0,
                "reason": "",
                "quantity": 1,
                "requested_amount": refund.total_amount,
            }
        ]
    return data


def _quantity_one(data: dict[str, Any], refund: RefundRecord, by_id: bool) -> dict[str, Any]:
    data["items"] = [
        {**item, "quantity": 1} if "quantity" in item else item for item in data["items"]
    ]
    return data


def _stale_by_id(data: dict[str, Any], refund: RefundRecord, by_id: bool) -> dict[str, Any]:
    if by_id:
        data["reason"] = f"{refund.reason} (stale)"
    return data


TOTAL_NOT_SUM = BugProfile(
    "total_not_sum",
    "Refund total_amount is 0.01 more than the sum of its payments.",
    refund_view(_total_plus_a_cent),
)
MISSING_FIELD = BugProfile(
    "missing_field", "Refund objects lack total_tax.", refund_view(_without_total_tax)
)
RENAMED_FIELD = BugProfile(
    "renamed_field", "Refund objects call total_amount amount_total.", refund_view(_total_renamed)
)
MISTYPED_FIELD = BugProfile(
    "mistyped_field",
    "Refund objects carry order_id as a string.",
    refund_view(_order_id_as_string),
)
TAX_ADJUSTMENT_ITEMS = BugProfile(
    "tax_adjustment_items",
    "Tax adjustment refunds echo a fake PRODUCT item instead of [].",
    refund_view(_fake_tax_item),
)
STALE_READS = BugProfile(
    "stale_reads",
    "GET a refund by id returns a different reason than the list reads.",
    refund_view(_stale_by_id),
)
WRONG_ITEM_QUANTITY = BugProfile(
    "wrong_item_quantity",
    "Refund objects report every item's quantity as 1.",
    refund_view(_quantity_one),
)

__all__ = [
    "MISSING_FIELD",
    "MISTYPED_FIELD",
    "RENAMED_FIELD",
    "STALE_READS",
    "TAX_ADJUSTMENT_ITEMS",
    "TOTAL_NOT_SUM",
    "WRONG_ITEM_QUANTITY",
]
