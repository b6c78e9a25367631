"""The item, payment and override constructors, and the exact bytes they put on the wire."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from bigcommerce_refunds.client import (
    adjustment,
    fee,
    gift_wrapping,
    handling,
    merchant_override,
    order_level,
    payment,
    payments_for,
    product,
    shipping,
)
from bigcommerce_refunds.client._matching import RefundSpec
from bigcommerce_refunds.client.responses import parse_quote

from ._support import ORDER_REFUNDS, QUOTE, QUOTES, FakeStore, envelope, json_response, make_client


def test_each_item_kind_serializes_the_way_the_api_documents_it() -> None:
    assert product(75, 2, "Wrong size", [adjustment("-2.50", "restocking")]).to_json() == {
        "item_type": "PRODUCT",
        "item_id": 75,
        "quantity": 2,
        "reason": "Wrong size",
        "adjustments": [{"amount": Decimal("-2.50"), "description": "restocking"}],
    }
    assert gift_wrapping(75, 1).to_json() == {
        "item_type": "GIFT_WRAPPING",
        "item_id": 75,
        "quantity": 1,
    }
    assert shipping(79, Decimal("10.00")).to_json() == {
        "item_type": "SHIPPING",
        "item_id": 79,
        "amount": Decimal("10.00"),
    }
    assert handling(79, "1.5").to_json()["item_type"] == "HANDLING"
    assert order_level(1234, 1, "overcharged").to_json() == {
        "item_type": "ORDER",
        "item_id": 1234,
        "amount": Decimal(1),
        "reason": "overcharged",
    }
    assert fee(3, Decimal("4.99")).to_json() == {
        "item_type": "FEE",
        "item_id": 3,
        "amount": Decimal("4.99"),
    }
    assert payment("storecredit", Decimal("37.89")).to_json() == {
        "provider_id": "storecredit",
        "amount": Decimal("37.89"),
        "offline": False,
    }
    assert merchant_override("10", "0").to_json() == {
        "total_amount": Decimal(10),
        "total_tax": Decimal(0),
    }


def test_constructors_refuse_floats_and_wrong_types() -> None:
    with pytest.raises(TypeError, match="float"):
        shipping(79, 10.0)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="float"):
        payment("storecredit", 37.89)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="item_id"):
        product(True, 1)
    with pytest.raises(TypeError, match="item_id"):
        product("75", 1)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="quantity"):
        product(75, 1.0)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="adjustment"):
        product(75, 1, adjustments=[{"amount": -1}])  # type: ignore[list-item]
    with pytest.raises(TypeError, match="provider_id"):
        payment("", Decimal(1))


def test_payments_for_takes_a_refund_method_as_offered() -> None:
    quote = parse_quote(envelope(QUOTE))
    assert payments_for(quote.refund_methods[1]) == [payment("storecredit", Decimal("37.89"))]


def test_refund_bodies_for_both_variants() -> None:
    items_body = RefundSpec(
        order_id=100,
        items=(product(1, 1),),
        payments=(payment("braintree", "37.89"),),
        merchant_override=merchant_override("37.89", "2.89"),
    ).body()
    assert set(items_body) == {"items", "payments", "merchant_calculated_override"}
    tax_body = RefundSpec(order_id=106, tax_adjustment_amount=Decimal("5.75")).body()
    assert tax_body == {"tax_adjustment_amount": Decimal("5.75")}


def test_the_wire_carries_exact_decimal_digits_as_json() -> None:
    store = FakeStore()
    store.script("POST", QUOTES, *[json_response(201, envelope(QUOTE))] * 2)
    with make_client(store) as client:
        client.quote_refund(100, [product(1, 1), shipping(7, Decimal("10.10"))])
        client.create_refund(100, [product(1, 1)], [payment("braintree", Decimal("37.89"))])
        client.quote_tax_adjustment(100, Decimal("5.75"))
    quote, _, post, tax_quote = store.requests
    assert quote.headers["Content-Type"] == "application/json"
    assert quote.content == (
        b'{"items":[{"item_type":"PRODUCT","item_id":1,"quantity":1},'
        b'{"item_type":"SHIPPING","item_id":7,"amount":10.10}]}'
    )
    assert post.url.path.endswith(ORDER_REFUNDS)
    assert json.loads(post.content, parse_float=Decimal)["payments"] == [
        {"provider_id": "braintree", "amount": Decimal("37.89"), "offline": False}
    ]
    assert b'"amount":37.89' in post.content
    assert tax_quote.content == b'{"tax_adjustment_amount":5.75}'


def test_methods_refuse_items_not_built_with_the_constructors() -> None:
    store = FakeStore()
    with make_client(store) as client, pytest.raises(TypeError, match="product"):
        client.quote_refund(100, [{"item_type": "PRODUCT"}])  # type: ignore[list-item]
    with make_client(store) as client, pytest.raises(TypeError, match="payment"):
        client.create_refund(100, [product(1, 1)], [("braintree", 1)])  # type: ignore[list-item]
    assert store.requests == []
