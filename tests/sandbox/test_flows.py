"""Quote, then refund with one of the quote's refund methods: every item type, split tender."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from tests.sandbox.helpers import Api

D = Decimal


def providers(quote: Any) -> list[list[tuple[str, D]]]:
    return [[(o["provider_id"], o["amount"]) for o in method] for method in quote["refund_methods"]]


@pytest.mark.parametrize(
    ("items", "total", "tax"),
    [
        pytest.param(
            [{"item_type": "PRODUCT", "item_id": 201, "quantity": 1}], "96.34", "7.34", id="PRODUCT"
        ),
        pytest.param(
            [{"item_type": "GIFT_WRAPPING", "item_id": 202, "quantity": 3}],
            "6.51",
            "0.51",
            id="GIFT_WRAPPING",
        ),
        pytest.param(
            [{"item_type": "SHIPPING", "item_id": 301, "amount": 10}],
            "10.83",
            "0.83",
            id="SHIPPING",
        ),
        pytest.param(
            [{"item_type": "HANDLING", "item_id": 302, "amount": 1.50}],
            "1.62",
            "0.12",
            id="HANDLING",
        ),
        pytest.param(
            [{"item_type": "ORDER", "item_id": 100, "amount": 4.99}], "4.99", "0.00", id="ORDER"
        ),
        pytest.param([{"item_type": "FEE", "item_id": 401, "amount": 3}], "3.00", "0.00", id="FEE"),
    ],
)
def test_quote_then_refund_each_item_type(api: Api, items: list[Any], total: str, tax: str) -> None:
    quote, refund = api.quote_then_refund(100, items)

    assert quote.data["total_refund_amount"] == D(total)
    assert quote.data["total_refund_tax_amount"] == D(tax)
    assert providers(quote.data) == [
        [("braintree", D(total))],
        [("storecredit", D(total))],
        [("custom", D(total))],
    ]
    assert refund.status == 201
    created = refund.data
    assert created["total_amount"] == D(total)
    assert created["total_tax"] == D(tax)
    assert [p["provider_id"] for p in created["payments"]] == ["braintree"]
    assert created["items"][0]["item_type"] == items[0]["item_type"]
    assert created["items"][0]["item_id"] == items[0]["item_id"]
    assert api.order(100)["totals"]["refunded"] == D(total)


def test_the_guide_example_product_shipping_order_and_fee(api: Api) -> None:
    items = [
        {"item_type": "PRODUCT", "item_id": 203, "quantity": 1},
        {"item_type": "SHIPPING", "item_id": 302, "amount": 7.50},
        {"item_type": "ORDER", "item_id": 100, "amount": 1},
        {"item_type": "FEE", "item_id": 401, "amount": 1},
    ]
    quote, refund = api.quote_then_refund(100, items)

    # 21.60 + 8.12 (7.50 + its 0.62 tax) + 1 + 1
    assert quote.data["total_refund_amount"] == D("31.72")
    assert quote.data["total_refund_tax_amount"] == D("2.27")
    assert quote.data["order_level_refund_amount"] == D("1.00")
    assert refund.status == 201
    amounts = [item.get("requested_amount") for item in refund.data["items"]]
    assert amounts == [D("19.95"), D("7.50"), D("1.00"), D("1.00")]


def test_split_tender_refund_methods_and_refund(api: Api) -> None:
    everything = [
        {"item_type": "PRODUCT", "item_id": 221, "quantity": 1},
        {"item_type": "PRODUCT", "item_id": 222, "quantity": 2},
        {"item_type": "SHIPPING", "item_id": 321, "amount": 10},
    ]
    quote = api.quote(102, {"items": everything})

    assert quote.status == 201
    assert providers(quote.data) == [
        [("storecredit", D("129.60"))],
        [("custom", D("129.60"))],
        [("bankdeposit", D("90.60")), ("storecredit", D("39.00"))],
    ]
    offline = {o["provider_id"]: o for o in quote.data["refund_methods"][2]}
    assert offline["bankdeposit"]["offline"] is True
    assert offline["bankdeposit"]["offline_provider"] is True
    assert offline["bankdeposit"]["offline_reason"] == "This is an offline payment provider."
    assert offline["storecredit"]["offline"] is False

    _, refund = api.quote_then_refund(102, everything, method=2)

    assert refund.status == 201
    assert {(p["provider_id"], p["amount"]) for p in refund.data["payments"]} == {
        ("bankdeposit", D("90.60")),
        ("storecredit", D("39.00")),
    }
    assert api.order(102)["status"] == "Refunded"


def test_tax_inclusive_store_amounts_contain_the_tax(api: Api) -> None:
    items = [
        {"item_type": "PRODUCT", "item_id": 211, "quantity": 2},
        {"item_type": "SHIPPING", "item_id": 311, "amount": 3},
    ]
    quote, refund = api.quote_then_refund(101, items)

    assert quote.data["tax_inclusive"] is True
    assert quote.data["total_refund_amount"] == D("75.00")  # 2 x 36.00 + 3.00
    assert quote.data["total_refund_tax_amount"] == D("12.50")  # 2 x 6.00 + 0.50
    assert refund.status == 201


def test_partial_amounts_split_the_tax_and_the_last_one_takes_the_rest(api: Api) -> None:
    first = [{"item_type": "SHIPPING", "item_id": 301, "amount": 3.33}]
    rest = [{"item_type": "SHIPPING", "item_id": 301, "amount": 6.67}]
    _, one = api.quote_then_refund(100, first)
    _, two = api.quote_then_refund(100, rest)

    assert (one.data["total_tax"], two.data["total_tax"]) == (D("0.28"), D("0.55"))
    shipping = api.order(100)["addresses"][0]["shipping"]
    assert shipping["refunded_amount"] == D("10.83")
    assert shipping["remaining_amount"] == D("0.00")


def test_product_adjustments_reduce_the_refund(api: Api) -> None:
    items = [
        {
            "item_type": "PRODUCT",
            "item_id": 201,
            "quantity": 1,
            "reason": "Scratched",
            "adjustments": [{"amount": -10.20, "description": "Restocking fee"}],
        }
    ]
    quote, refund = api.quote_then_refund(100, items)

    assert quote.data["total_refund_amount"] == D("86.14")
    assert refund.data["reason"] == "Scratched"
    assert refund.data["items"][0]["adjustments"] == [
        {"amount": D("-10.20"), "description": "Restocking fee"}
    ]


def test_merchant_override_sets_the_totals(api: Api) -> None:
    body = {
        "items": [{"item_type": "PRODUCT", "item_id": 201, "quantity": 1}],
        "merchant_calculated_override": {"total_amount": 90, "total_tax": 0},
        "payments": [{"provider_id": "braintree", "amount": 90, "offline": False}],
    }
    refund = api.refund(100, body)

    assert refund.status == 201
    assert refund.data["uses_merchant_override_values"] is True
    assert (refund.data["total_amount"], refund.data["total_tax"]) == (D("90.00"), D("0.00"))
    assert api.order(100)["totals"]["refunded"] == D("90.00")


def test_multiple_items_example_accepts_a_zero_tax_adjustment(api: Api) -> None:
    items = [
        {"item_id": 202, "item_type": "PRODUCT", "quantity": 1},
        {"item_id": 301, "item_type": "SHIPPING", "amount": 10},
    ]
    _, refund = api.quote_then_refund(100, items, method=1, tax_adjustment_amount=0)

    assert refund.status == 201
    assert refund.data["payments"][0]["provider_id"] == "storecredit"
    assert refund.data["total_amount"] == D("24.36")


def test_declines_show_on_the_first_read_after_creation(api: Api) -> None:
    _, refund = api.quote_then_refund(
        107, [{"item_type": "PRODUCT", "item_id": 271, "quantity": 1}]
    )

    assert refund.status == 201
    assert refund.data["payments"][0]["is_declined"] is False
    read = api.refund_by_id(refund.data["id"]).data
    assert read["payments"][0]["is_declined"] is True
    assert "declined" in read["payments"][0]["declined_message"]
    assert api.order_refunds(107).data == [read]


def test_list_filters_and_pagination(api: Api) -> None:
    _, first = api.quote_then_refund(100, [{"item_type": "FEE", "item_id": 401, "amount": 1}])
    _, second = api.quote_then_refund(101, [{"item_type": "FEE", "item_id": 411, "amount": 1}])
    ids = [1000, 1001, first.data["id"], second.data["id"]]

    assert [r["id"] for r in api.all_refunds().data] == ids
    assert [r["id"] for r in api.all_refunds(**{"order_id:in": "100,101"}).data] == ids[2:]
    repeated = api.call(
        "GET", "/stores/sandbox/v3/orders/payment_actions/refunds?order_id:in=100&order_id:in=105"
    )
    assert [r["id"] for r in repeated.data] == [1000, 1001, ids[2]]
    assert [r["id"] for r in api.all_refunds(**{"id:in": f"1001,{ids[3]}"}).data] == [1001, ids[3]]
    assert [
        r["id"] for r in api.all_refunds(**{"created:min": "2026-11-21T00:00:00Z"}).data
    ] == ids[2:]
    assert [
        r["id"] for r in api.all_refunds(**{"created:max": "2026-11-20T09:30:00+00:00"}).data
    ] == [1000]
    transaction = second.data["payments"][0]["transaction_id"]
    assert [r["id"] for r in api.all_refunds(transaction_id=transaction).data] == [ids[3]]
    assert api.order_refunds(100, transaction_id=transaction).data == []
    page = api.all_refunds(limit=3, page=2)
    assert [r["id"] for r in page.data] == [ids[3]]
    assert page.body["meta"]["pagination"]["total_pages"] == 2


def test_unknown_ids_and_store_are_404s(api: Api) -> None:
    for reply in (
        api.refund(999, {"tax_adjustment_amount": 1}),
        api.quote(999, {"tax_adjustment_amount": 1}),
        api.order_refunds(999),
        api.refund_by_id(999_999),
        api.refund_by_id("abc"),
        api.order_refunds("-1"),
        api.refund("1.5", {"tax_adjustment_amount": 1}),
    ):
        assert reply.status == 404
        assert reply.body["title"].endswith("not found.")
    other_store = api.call("GET", "/stores/elsewhere/v3/orders/payment_actions/refunds")
    assert other_store.status == 404
    assert other_store.body["title"] == "Store not found."


def test_wrong_method_is_a_json_405(api: Api) -> None:
    reply = api.call("DELETE", "/stores/sandbox/v3/orders/100/payment_actions/refunds")

    assert reply.status == 405
    assert reply.body["status"] == 405
    assert set(reply.headers["allow"].split(", ")) == {"GET", "HEAD", "POST"}


def test_guests_are_not_offered_store_credit(api: Api) -> None:
    items = [{"item_type": "PRODUCT", "item_id": 231, "quantity": 2}]
    quote, refund = api.quote_then_refund(103, items)

    assert providers(quote.data) == [[("authorizenet", D("32.48"))], [("custom", D("32.48"))]]
    custom = quote.data["refund_methods"][1][0]
    assert (custom["offline"], custom["offline_provider"]) == (True, True)
    assert custom["offline_reason"] == "This is an offline payment provider."
    assert refund.status == 201
    assert refund.data["payments"][0]["provider_id"] == "authorizenet"
