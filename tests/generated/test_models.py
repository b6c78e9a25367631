"""The generated client: both request variants are typed, and documented bodies round-trip.

Round-trip means ``from_dict`` then ``to_dict`` gives the same dict; date-times are compared as
instants, since the generated models re-serialise them in Python's isoformat.
"""

from __future__ import annotations

import datetime
import importlib
from typing import Any

import httpx
import pytest
from bigcommerce_refunds_client import Client
from bigcommerce_refunds_client.models import (
    AmountBoundItem,
    AmountBoundItemItemType,
    FeeItem,
    FeeItemItemType,
    ItemsRefundQuoteRequest,
    ItemsRefundRequest,
    MerchantCalculatedOverride,
    PaymentRequest,
    QuantityBoundItem,
    QuantityBoundItemItemType,
    RefundItemAdjustment,
    TaxAdjustmentRefundQuoteRequest,
    TaxAdjustmentRefundRequest,
    TaxExemptItem,
    TaxExemptItemItemType,
)
from hypothesis import given

from bigcommerce_refunds.models import parse_refund_quote_request, parse_refund_request
from bigcommerce_refunds.spec.fragment import default_fragment

from ..spec.examples import DEFECTIVE_UPSTREAM_EXAMPLES, guide_examples, upstream_examples
from ..strategies import request_bodies, response_bodies

ITEM_CLASS_BY_TYPE: dict[str, type[Any]] = {
    "PRODUCT": QuantityBoundItem,
    "GIFT_WRAPPING": QuantityBoundItem,
    "SHIPPING": AmountBoundItem,
    "HANDLING": AmountBoundItem,
    "TAX": AmountBoundItem,
    "ORDER": TaxExemptItem,
    "FEE": FeeItem,
}
API_PACKAGE = "bigcommerce_refunds_client.api.payment_actions"
PARSERS = {
    "createOrderRefund": parse_refund_request,
    "createOrderRefundQuotes": parse_refund_quote_request,
}


def _same(left: Any, right: Any) -> bool:
    """Structural equality, with date-time strings compared as instants."""
    if isinstance(left, dict) and isinstance(right, dict):
        return left.keys() == right.keys() and all(_same(left[k], right[k]) for k in left)
    if isinstance(left, list) and isinstance(right, list):
        return len(left) == len(right) and all(map(_same, left, right))
    if isinstance(left, str) and isinstance(right, str) and left != right:
        try:
            return datetime.datetime.fromisoformat(left) == datetime.datetime.fromisoformat(right)
        except ValueError:
            return False
    return bool(left == right) and type(left) is type(right)


def _parse_response(operation_id: str, status: int, body: Any) -> Any:
    module_name = "".join(f"_{c.lower()}" if c.isupper() else c for c in operation_id)
    module = importlib.import_module(f"{API_PACKAGE}.{module_name}")
    client = Client(base_url="http://127.0.0.1", raise_on_unexpected_status=True)
    return module._parse_response(client=client, response=httpx.Response(status, json=body))


def _documented_responses() -> dict[str, tuple[str, int, Any]]:
    fragment = default_fragment()
    found: dict[str, tuple[str, int, Any]] = {}
    for operation in fragment.operations():
        for status in operation.spec["responses"]:
            content = fragment.response(operation.operation_id, status).get("content", {})
            for name, example in content.get("application/json", {}).get("examples", {}).items():
                found[f"{operation.operation_id} {status} {name}"] = (
                    operation.operation_id,
                    int(status),
                    example["value"],
                )
    examples = fragment.document["components"]["schemas"]["RefundID_Get"]["x-examples"]
    for name, value in examples.items():
        found[f"getOrderRefund 200 schema x-example {name}"] = ("getOrderRefund", 200, value)
    return found


DOCUMENTED_REQUESTS = {
    name: example
    for name, example in {**upstream_examples(), **guide_examples()}.items()
    if name not in DEFECTIVE_UPSTREAM_EXAMPLES
}
DOCUMENTED_RESPONSES = _documented_responses()


def test_both_refund_variants_are_typed_classes() -> None:
    items = ItemsRefundRequest(
        items=[
            QuantityBoundItem(
                item_id=1,
                item_type=QuantityBoundItemItemType.PRODUCT,
                quantity=2,
                adjustments=[RefundItemAdjustment(amount=-1.5, description="restocking")],
            ),
            AmountBoundItem(item_type=AmountBoundItemItemType.SHIPPING, item_id=2, amount=5.0),
            TaxExemptItem(item_type=TaxExemptItemItemType.ORDER, item_id=3, amount=1.0),
            FeeItem(item_type=FeeItemItemType.FEE, item_id=4, amount=2.0),
        ],
        payments=[PaymentRequest(provider_id="storecredit", amount=9.5, offline=False)],
    )
    tax = TaxAdjustmentRefundRequest(
        tax_adjustment_amount=5.75,
        merchant_calculated_override=MerchantCalculatedOverride(total_amount=5.75, total_tax=5.75),
    )
    assert [type(item) for item in items.items] == [
        QuantityBoundItem,
        AmountBoundItem,
        TaxExemptItem,
        FeeItem,
    ]
    assert tax.to_dict() == {
        "tax_adjustment_amount": 5.75,
        "merchant_calculated_override": {"total_amount": 5.75, "total_tax": 5.75},
    }
    quote = TaxAdjustmentRefundQuoteRequest(tax_adjustment_amount=1.0)
    assert quote.to_dict() == {"tax_adjustment_amount": 1.0}


def test_all_five_operations_are_generated() -> None:
    for operation in default_fragment().operations():
        module = importlib.import_module(
            "bigcommerce_refunds_client.api.payment_actions."
            + "".join(f"_{c.lower()}" if c.isupper() else c for c in operation.operation_id)
        )
        assert callable(module.sync)
        assert callable(module.asyncio_detailed)


@pytest.mark.parametrize("name", sorted(DOCUMENTED_REQUESTS))
def test_documented_request_round_trips_into_the_right_classes(name: str) -> None:
    operation_id, body = DOCUMENTED_REQUESTS[name]
    model = PARSERS[operation_id](body)
    assert _same(model.to_dict(), body)
    if "items" in body:
        assert isinstance(model, ItemsRefundRequest | ItemsRefundQuoteRequest)
        assert [type(item) for item in model.items] == [
            ITEM_CLASS_BY_TYPE[item["item_type"]] for item in body["items"]
        ]


@pytest.mark.parametrize("name", sorted(DOCUMENTED_RESPONSES))
def test_documented_response_round_trips(name: str) -> None:
    operation_id, status, body = DOCUMENTED_RESPONSES[name]
    assert _same(_parse_response(operation_id, status, body).to_dict(), body)


def _check_request_round_trip(operation_id: str, body: Any) -> None:
    model = PARSERS[operation_id](body)
    assert _same(model.to_dict(), body)
    items_variant = {
        "createOrderRefund": "RefundRequest_Post_Items",
        "createOrderRefundQuotes": "RefundQuote_ItemsRefund",
    }[operation_id]
    is_items = default_fragment().component_validator(items_variant).is_valid(body)
    assert isinstance(model, ItemsRefundRequest | ItemsRefundQuoteRequest) == is_items
    if isinstance(model, ItemsRefundRequest | ItemsRefundQuoteRequest):
        assert [type(item) for item in model.items] == [
            ITEM_CLASS_BY_TYPE[item["item_type"]] for item in body["items"]
        ]


@given(body=request_bodies(default_fragment(), "createOrderRefund"))
def test_any_valid_refund_body_round_trips_into_the_right_class(body: Any) -> None:
    _check_request_round_trip("createOrderRefund", body)


@given(body=request_bodies(default_fragment(), "createOrderRefundQuotes"))
def test_any_valid_quote_body_round_trips_into_the_right_class(body: Any) -> None:
    _check_request_round_trip("createOrderRefundQuotes", body)


@given(body=response_bodies(default_fragment(), "createOrderRefund", 201))
def test_any_valid_created_refund_round_trips(body: Any) -> None:
    assert _same(_parse_response("createOrderRefund", 201, body).to_dict(), body)


@given(body=response_bodies(default_fragment(), "createOrderRefundQuotes", 201))
def test_any_valid_quote_response_round_trips(body: Any) -> None:
    assert _same(_parse_response("createOrderRefundQuotes", 201, body).to_dict(), body)
