"""One test per 422 category: status, body shape, title, code, and an untouched store."""

from __future__ import annotations

from typing import Any

import pytest

from bigcommerce_refunds.sandbox.violations import CATEGORIES
from tests.sandbox.helpers import Api, snapshot_unchanged

P201 = {"item_type": "PRODUCT", "item_id": 201, "quantity": 1}
BRAINTREE_96 = [{"provider_id": "braintree", "amount": 96.34, "offline": False}]


def refused(
    order_id: int, items: list[Any] | None = None, payments: Any = None, **extra: Any
) -> Any:
    body: dict[str, Any] = {} if items is None else {"items": items}
    if payments is not None:
        body["payments"] = payments
    body.update(extra)
    return order_id, body


CASES: dict[str, tuple[int, dict[str, Any], str]] = {
    "schema: quantity item without quantity": (
        *refused(100, [{"item_type": "PRODUCT", "item_id": 201}], []),
        "schema_violation",
    ),
    "schema: empty body": (100, {}, "schema_violation"),
    "schema: non-object body": (100, [1, 2], "schema_violation"),  # type: ignore[dict-item]
    "schema: item_id as a float": (
        *refused(100, [{"item_type": "FEE", "item_id": 401.5, "amount": 1}], []),
        "schema_violation",
    ),
    "unpaid order": (
        *refused(104, [{"item_type": "PRODUCT", "item_id": 241, "quantity": 1}], []),
        "unpaid_order",
    ),
    "fully refunded order": (
        *refused(105, [{"item_type": "ORDER", "item_id": 105, "amount": 1}], []),
        "fully_refunded",
    ),
    "items and a tax adjustment": (
        *refused(100, [P201], BRAINTREE_96, tax_adjustment_amount=1),
        "ambiguous_refund",
    ),
    "no items": (*refused(100, [], BRAINTREE_96), "empty_items"),
    "TAX item": (
        *refused(100, [{"item_type": "TAX", "item_id": 301, "amount": 1}], BRAINTREE_96),
        "tax_item_not_supported",
    ),
    "FEE without amount": (
        *refused(100, [{"item_type": "FEE", "item_id": 401}], BRAINTREE_96),
        "missing_field",
    ),
    "ORDER without item_id": (
        *refused(100, [{"item_type": "ORDER", "amount": 1}], BRAINTREE_96),
        "missing_field",
    ),
    "payment without provider": (*refused(100, [P201], [{"amount": 96.34}]), "missing_field"),
    "unknown product": (
        *refused(100, [{"item_type": "PRODUCT", "item_id": 999, "quantity": 1}], BRAINTREE_96),
        "unknown_item",
    ),
    "gift wrapping of an unwrapped product": (
        *refused(
            100, [{"item_type": "GIFT_WRAPPING", "item_id": 201, "quantity": 1}], BRAINTREE_96
        ),
        "unknown_item",
    ),
    "ORDER item of another order": (
        *refused(100, [{"item_type": "ORDER", "item_id": 101, "amount": 1}], BRAINTREE_96),
        "unknown_item",
    ),
    "duplicate item": (*refused(100, [P201, P201], BRAINTREE_96), "duplicate_item"),
    "zero quantity": (*refused(100, [{**P201, "quantity": 0}], BRAINTREE_96), "invalid_quantity"),
    "negative quantity": (
        *refused(100, [{**P201, "quantity": -2}], BRAINTREE_96),
        "invalid_quantity",
    ),
    "quantity above what remains": (
        *refused(100, [{**P201, "quantity": 3}], BRAINTREE_96),
        "quantity_exceeds_remaining",
    ),
    "zero amount": (
        *refused(100, [{"item_type": "SHIPPING", "item_id": 301, "amount": 0}], BRAINTREE_96),
        "non_positive_amount",
    ),
    "negative amount": (
        *refused(100, [{"item_type": "HANDLING", "item_id": 301, "amount": -2.5}], BRAINTREE_96),
        "non_positive_amount",
    ),
    "amount above what remains": (
        *refused(100, [{"item_type": "SHIPPING", "item_id": 301, "amount": 10.01}], BRAINTREE_96),
        "amount_exceeds_remaining",
    ),
    "ORDER amount above the order": (
        *refused(100, [{"item_type": "ORDER", "item_id": 100, "amount": 303.37}], BRAINTREE_96),
        "amount_exceeds_remaining",
    ),
    "adjustment on shipping": (
        *refused(
            100,
            [
                {
                    "item_type": "SHIPPING",
                    "item_id": 301,
                    "amount": 1,
                    "adjustments": [{"amount": -1}],
                }
            ],
            BRAINTREE_96,
        ),
        "invalid_adjustment",
    ),
    "adjustments above the item": (
        *refused(100, [{**P201, "adjustments": [{"amount": -200}]}], BRAINTREE_96),
        "invalid_adjustment",
    ),
    "tax adjustment that is not the overcharge": (
        106,
        {"tax_adjustment_amount": 5},
        "tax_adjustment_mismatch",
    ),
    "tax adjustment on an order without overcharge": (
        100,
        {"tax_adjustment_amount": 1},
        "tax_adjustment_mismatch",
    ),
    "store credit to a guest": (
        *refused(
            103,
            [{"item_type": "PRODUCT", "item_id": 231, "quantity": 1}],
            [{"provider_id": "storecredit", "amount": 16.24}],
        ),
        "guest_store_credit",
    ),
    "payment a cent short": (
        *refused(100, [P201], [{"provider_id": "braintree", "amount": 96.33}]),
        "payments_mismatch",
    ),
    "provider not offered": (
        *refused(100, [P201], [{"provider_id": "paypal", "amount": 96.34}]),
        "payments_mismatch",
    ),
    "zero payment": (
        *refused(100, [P201], [{"provider_id": "braintree", "amount": 0}]),
        "non_positive_amount",
    ),
    "override tax above its total": (
        *refused(
            100,
            [P201],
            BRAINTREE_96,
            merchant_calculated_override={"total_amount": 10, "total_tax": 11},
        ),
        "invalid_override",
    ),
    "payments not matching the override": (
        *refused(
            100,
            [P201],
            [{"provider_id": "braintree", "amount": 80}],
            merchant_calculated_override={"total_amount": 90, "total_tax": 0},
        ),
        "override_mismatch",
    ),
}


@pytest.mark.parametrize(("order_id", "body", "code"), list(CASES.values()), ids=list(CASES))
def test_refund_422_leaves_everything_unchanged(
    api: Api, order_id: int, body: dict[str, Any], code: str
) -> None:
    before = api.state()

    reply = api.refund(order_id, body)

    assert reply.status == 422
    errors = reply.body["data"]
    assert [error["status"] for error in errors] == [422] * len(errors)
    assert errors[0]["errors"]["code"] == code
    assert errors[0]["title"] == CATEGORIES[code]
    assert errors[0]["type"].startswith("https://developer.bigcommerce.com/")
    snapshot_unchanged(api, before)


def test_the_guest_store_credit_title_is_exactly_bigcommerce_s(api: Api) -> None:
    _, body, _ = CASES["store credit to a guest"]
    reply = api.refund(103, body)

    assert reply.body == {
        "data": [
            {
                "status": 422,
                "title": "Unable to provide store credit for a guest customer.",
                "type": "https://developer.bigcommerce.com/api-docs/getting-started/api-status-codes",
                "errors": {
                    "code": "guest_store_credit",
                    "payments[0].provider_id": "the customer is a guest",
                },
            }
        ]
    }


def test_over_refund_across_refunds(api: Api) -> None:
    _, first = api.quote_then_refund(100, [{"item_type": "ORDER", "item_id": 100, "amount": 300}])
    assert first.status == 201
    before = api.state()

    reply = api.refund(100, {"items": [P201], "payments": BRAINTREE_96})

    assert reply.status == 422
    assert reply.body["data"][0]["errors"]["code"] == "over_refund"
    assert "3.36" in reply.body["data"][0]["errors"]["items"]
    snapshot_unchanged(api, before)


def test_every_item_problem_is_reported(api: Api) -> None:
    items = [{**P201, "quantity": 9}, {"item_type": "FEE", "item_id": 77, "amount": 1}]
    reply = api.refund(100, {"items": items, "payments": BRAINTREE_96})

    assert [e["errors"]["code"] for e in reply.body["data"]] == [
        "quantity_exceeds_remaining",
        "unknown_item",
    ]


QUOTE_CASES = {
    "schema": (100, {"items": [{"item_type": "SHIPPING", "item_id": 301}]}, "schema_violation"),
    "unpaid": (
        104,
        {"items": [{"item_type": "PRODUCT", "item_id": 241, "quantity": 1}]},
        "unpaid_order",
    ),
    "too many": (100, {"items": [{**P201, "quantity": 5}]}, "quantity_exceeds_remaining"),
    "tax": (106, {"tax_adjustment_amount": 1}, "tax_adjustment_mismatch"),
    "ambiguous": (100, {"items": [P201], "tax_adjustment_amount": 2}, "ambiguous_refund"),
}


@pytest.mark.parametrize(
    ("order_id", "body", "code"), list(QUOTE_CASES.values()), ids=list(QUOTE_CASES)
)
def test_quote_422_is_unwrapped(api: Api, order_id: int, body: dict[str, Any], code: str) -> None:
    before = api.state()

    reply = api.quote(order_id, body)

    assert reply.status == 422
    assert reply.body["status"] == 422
    assert reply.body["title"] == CATEGORIES[code]
    assert reply.body["errors"]["code"] == code
    snapshot_unchanged(api, before)


def test_schema_errors_name_the_field(api: Api) -> None:
    reply = api.quote(100, {"items": [{"item_type": "SHIPPING", "item_id": "301", "amount": 1}]})

    assert reply.status == 422
    assert reply.body["title"] == "JSON data is missing or invalid"
    assert reply.body["errors"]["items[0].item_id"] == "'301' is not of type 'integer'"
