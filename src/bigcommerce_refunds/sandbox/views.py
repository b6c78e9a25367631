"""Refunds as the API serves them, through the ``refund_views`` seam (see :mod:`seams`).

The three reads (GET by id, GET for an order, GET all) and the 201 all use :func:`refund_data`, so
they return identical refund objects unless a hook in the seam says otherwise.

``requested_amount`` (a sandbox choice): for amount items the amount requested; for PRODUCT and
GIFT_WRAPPING the unit price times the quantity (before adjustments), as in BigCommerce's refunds
guide. It is always a number: the fragment's ``RefundItem.requested_amount`` is nullable on paper,
but the dereferenced schema the project validates with does not allow null.
"""

from __future__ import annotations

from typing import Any

from bigcommerce_refunds.sandbox.jsonbody import RawJson, decimal_text, dumps, string_text
from bigcommerce_refunds.sandbox.seams import RefundViewHook
from bigcommerce_refunds.sandbox.store import RefundPaymentRecord, RefundRecord


def refund_view(
    refund: RefundRecord, hooks: tuple[RefundViewHook, ...] = (), *, by_id: bool = False
) -> dict[str, Any]:
    """The refund object as served, after the ``refund_views`` seam's hooks (if any)."""
    data = refund.view()
    for hook in hooks:
        data = hook(data, refund, by_id)
    return data


def refund_data(
    refund: RefundRecord, hooks: tuple[RefundViewHook, ...] = (), *, by_id: bool = False
) -> Any:
    """What a response carries for ``refund``: :func:`refund_view`, pre-written as JSON text
    (:func:`refund_json`) when no hook is installed in the ``refund_views`` seam."""
    if hooks:
        return refund_view(refund, hooks, by_id=by_id)
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
