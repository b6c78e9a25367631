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

from bigcommerce_refunds.sandbox.jsonbody import RawJson, decimal_text, dumps, string_text
from bigcommerce_refunds.sandbox.money import CENT
from bigcommerce_refunds.sandbox.store import RefundPaymentRecord, RefundRecord


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
    if "wrong_item_quantity" in bugs:
        data["items"] = [
            {**item, "quantity": 1} if "quantity" in item else item for item in data["items"]
        ]
    if "stale_reads" in bugs and by_id:
        data["reason"] = f"{refund.reason} (stale)"
    return data


def refund_data(refund: RefundRecord, bugs: frozenset[str], *, by_id: bool = False) -> Any:
    """What a response carries for ``refund``: :func:`refund_view`, pre-written as JSON text
    (:func:`refund_json`) when no planted bug is active."""
    if bugs:
        return refund_view(refund, bugs, by_id=by_id)
    return RawJson(refund_json(refund))


_ITEM_KEYS = ("item_type", "item_id", "reason", "requested_amount")
_QUANTITY_ITEM_KEYS = ("item_type", "item_id", "reason", "quantity", "requested_amount")


def _bool(value: bool) -> str:
    return "true" if value else "false"


def _item_json(item: dict[str, Any]) -> str:
    keys = tuple(item)
    if keys == _QUANTITY_ITEM_KEYS:
        quantity = f',"quantity":{int(item["quantity"])}'
    elif keys == _ITEM_KEYS:
        quantity = ""
    else:  # adjustments, or anything else: the generic writer
        return dumps(item)
    return (
        f'{{"item_type":{string_text(item["item_type"])},"item_id":{int(item["item_id"])},'
        f'"reason":{string_text(item["reason"])}{quantity},'
        f'"requested_amount":{decimal_text(item["requested_amount"])}}}'
    )


def _payment_json(payment: RefundPaymentRecord) -> str:
    return (
        f'{{"id":{int(payment.id)},"provider_id":{string_text(payment.provider_id)},'
        f'"amount":{decimal_text(payment.amount)},"offline":{_bool(payment.offline)},'
        f'"is_declined":{_bool(payment.is_declined)},'
        f'"declined_message":{string_text(payment.declined_message)},'
        f'"transaction_id":{string_text(payment.transaction_id)}}}'
    )


def refund_json(refund: RefundRecord) -> str:
    """``dumps(refund.view())``, written directly: the same text (a property test compares the
    two) about three times faster, since every 201 and every read serves it."""
    items = ",".join([_item_json(item) for item in refund.items])
    payments = ",".join([_payment_json(payment) for payment in refund.payments])
    return (
        f'{{"id":{int(refund.id)},"order_id":{int(refund.order_id)},'
        f'"user_id":{int(refund.user_id)},"created":{string_text(refund.created)},'
        f'"reason":{string_text(refund.reason)},'
        f'"total_amount":{decimal_text(refund.total_amount)},'
        f'"total_tax":{decimal_text(refund.total_tax)},'
        f'"uses_merchant_override_values":{_bool(refund.uses_merchant_override_values)},'
        f'"items":[{items}],"payments":[{payments}]}}'
    )


__all__ = ["refund_data", "refund_json", "refund_view"]
