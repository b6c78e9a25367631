"""Refunds as the API serves them, with the response-path planted bugs applied.

The three reads (GET by id, GET for an order, GET all) and the 201 all use :func:`refund_view`, so
they return identical refund objects unless a planted bug says otherwise.

``requested_amount`` (a sandbox choice): for amount items the amount requested; for PRODUCT and
GIFT_WRAPPING the unit price times the quantity (before adjustments), as in BigCommerce's refunds
guide. It is always a number: the fragment's ``RefundItem.requested_amount`` is nullable on paper,
but the dereferenced schema the project validates with does not allow null.
"""

from __future__ import annotations

from typing import Any

from bigcommerce_refunds.sandbox.money import CENT
from bigcommerce_refunds.sandbox.store import RefundRecord


def refund_view(
    refund: RefundRecord, bugs: frozenset[str], *, by_id: bool = False
) -> dict[str, Any]:
    data = refund.view()
    if not bugs:
        return data
    if "total_not_sum" in bugs:
        data["total_amount"] += CENT
    if "missing_field" in bugs:
        del data["total_tax"]
    if "renamed_field" in bugs:
        data = {
            ("amount_total" if key == "total_amount" else key): value for key, value in data.items()
        }
    if "mistyped_field" in bugs:
        data["order_id"] = str(data["order_id"])
    if "tax_adjustment_items" in bugs and refund.is_tax_adjustment:
        data["items"] = [
            {
                "item_type": "PRODUCT",
                "item_id": 0,
                "reason": "",
                "quantity": 1,
                "requested_amount": refund.total_amount,
            }
        ]
    if "stale_reads" in bugs and by_id:
        data["reason"] = f"{refund.reason} (stale)"
    return data


__all__ = ["refund_view"]
