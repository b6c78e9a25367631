"""Hostile and broken input: always a clear 4xx, never a 5xx, never a change of state."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from tests.sandbox.helpers import BASE, Api

REFUND = f"{BASE}/orders/100/payment_actions/refunds"
QUOTE = f"{BASE}/orders/100/payment_actions/refund_quotes"
JSON = {"Content-Type": "application/json"}
P201 = '{"item_type":"PRODUCT","item_id":201,"quantity":1}'


def post_raw(
    api: Api, content: bytes, headers: dict[str, str] | None = None, path: str = REFUND
) -> Any:
    return api.call("POST", path, content=content, headers=JSON if headers is None else headers)


@pytest.mark.parametrize(
    ("content", "title"),
    [
        (b'{"items": [', "not valid JSON"),
        (b"{} trailing", "not valid JSON"),
        (b"", "empty"),
        (b"   \n", "empty"),
        (b'{"tax_adjustment_amount": NaN}', "NaN is not valid JSON"),
        (b'{"tax_adjustment_amount": Infinity}', "Infinity is not valid JSON"),
        (b'{"tax_adjustment_amount": -Infinity}', "-Infinity is not valid JSON"),
        (b"\xff\xfe\x00garbage", "not valid UTF-8"),
        (b'{"items": "\xc3\x28"}', "not valid UTF-8"),
        (b"[" * 10_000 + b"]" * 10_000, "nested deeper than 64"),
        (b'{"a":' * 10_000 + b"1" + b"}" * 10_000, "nested deeper than 64"),
        (b"[" * 10_000, "nested deeper than 64"),
    ],
)
@pytest.mark.parametrize("path", [REFUND, QUOTE, "/__sandbox/orders"])
def test_unreadable_bodies_are_400(api: Api, content: bytes, title: str, path: str) -> None:
    before = api.state()

    reply = post_raw(api, content, path=path)

    assert reply.status == 400
    assert title in reply.body["title"]
    assert api.state() == before


@pytest.mark.parametrize(
    "content_type",
    [None, "text/plain", "application/xml", "multipart/form-data", "application/jsonx"],
)
def test_wrong_content_type_is_415(api: Api, content_type: str | None) -> None:
    headers = {} if content_type is None else {"Content-Type": content_type}
    reply = post_raw(
        api,
        b'{"tax_adjustment_amount": 5.75}',
        headers,
        path=f"{BASE}/orders/106/payment_actions/refunds",
    )

    assert reply.status == 415
    assert reply.body["title"].startswith("Unsupported media type")


@pytest.mark.parametrize("content_type", ["application/json; charset=utf-8", "Application/JSON"])
def test_content_type_parameters_and_case_are_fine(api: Api, content_type: str) -> None:
    path = f"{BASE}/orders/106/payment_actions/refunds"
    reply = post_raw(api, b'{"tax_adjustment_amount": 5.75}', {"Content-Type": content_type}, path)

    assert reply.status == 201


def test_a_utf8_bom_is_tolerated(api: Api) -> None:
    path = f"{BASE}/orders/106/payment_actions/refunds"
    assert post_raw(api, b'\xef\xbb\xbf{"tax_adjustment_amount": 5.75}', path=path).status == 201


def test_a_megabyte_body_is_413(api: Api) -> None:
    before = api.state()
    reply = post_raw(api, b'{"items": [' + b" " * 1_000_000 + b"]}")

    assert reply.status == 413
    assert "larger than 65536 bytes" in reply.body["title"]
    assert api.state() == before


def test_a_megabyte_body_is_413_over_http(served_api: Api) -> None:
    reply = post_raw(served_api, b"[" + b"1," * 500_000 + b"1]")

    assert reply.status == 413
    assert served_api.all_refunds().status == 200  # the connection pool is still usable


@pytest.mark.parametrize("bad_id", ["abc", "0", "-1", "1.0", "1e3", "١٢", "9" * 30, "%00", " 1"])
def test_ids_that_are_not_positive_integers_are_404(api: Api, bad_id: str) -> None:
    for reply in (
        api.refund(bad_id, {"tax_adjustment_amount": 1}),
        api.quote(bad_id, {"tax_adjustment_amount": 1}),
        api.order_refunds(bad_id),
        api.refund_by_id(bad_id),
    ):
        assert reply.status == 404
        assert reply.body["errors"]


HUGE = "1" + "0" * 400
ENORMOUS = "9" * 5000


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (
            '{"items":[{"item_type":"SHIPPING","item_id":301,"amount":1e400}],"payments":[]}',
            "amount_exceeds_remaining",
        ),
        (
            '{"items":[{"item_type":"SHIPPING","item_id":301,"amount":1e99999999}],"payments":[]}',
            "amount_exceeds_remaining",
        ),
        (
            f'{{"items":[{{"item_type":"PRODUCT","item_id":201,"quantity":{HUGE}}}],"payments":[]}}',
            "quantity_exceeds_remaining",
        ),
        (
            f'{{"items":[{{"item_type":"PRODUCT","item_id":{HUGE},"quantity":1}}],"payments":[]}}',
            "unknown_item",
        ),
        (
            f'{{"items":[{{"item_type":"PRODUCT","item_id":{ENORMOUS},"quantity":1}}],"payments":[]}}',
            "schema_violation",
        ),
        (
            f'{{"items":[{P201}],"payments":[{{"provider_id":"braintree","amount":1e400}}]}}',
            "payments_mismatch",
        ),
        (
            f'{{"items":[{P201}],"payments":[{{"provider_id":"braintree","amount":-1e400}}]}}',
            "non_positive_amount",
        ),
        (
            '{"items":[{"item_type":"PRODUCT","item_id":201,"quantity":1,'
            '"adjustments":[{"amount":-1e400}]}],"payments":[]}',
            "invalid_adjustment",
        ),
        ('{"tax_adjustment_amount": 1e400}', "tax_adjustment_mismatch"),
        ('{"tax_adjustment_amount": 1e-400}', "too_many_decimals"),  # not silently 0.00
        (
            '{"tax_adjustment_amount": 1,'
            ' "merchant_calculated_override": {"total_amount": 1e400, "total_tax": 0}}',
            "over_refund",
        ),
        (
            '{"tax_adjustment_amount": 1,'
            ' "merchant_calculated_override": {"total_amount": 5, "total_tax": -1e400}}',
            "invalid_override",
        ),
        ('{"tax_adjustment_amount": -0.0}', "non_positive_amount"),
        ('{"tax_adjustment_amount": true}', "schema_violation"),
    ],
)
def test_huge_and_odd_numbers_are_422(api: Api, content: str, code: str) -> None:
    before = api.state()

    reply = post_raw(api, content.encode())

    assert reply.status == 422
    assert reply.body["data"][0]["errors"]["code"] == code
    assert api.state() == before


@pytest.mark.parametrize(
    "reason",
    ["\ud800", "\udfff lone", "emoji \U0001f4a9", "nul \u0000 byte", "rtl \u202e", "x" * 1000],
)
def test_unicode_in_reasons_is_stored_and_echoed_safely(api: Api, reason: str) -> None:
    items = [{"item_type": "FEE", "item_id": 401, "amount": 1, "reason": reason}]
    _, refund = api.quote_then_refund(100, items)

    assert refund.status == 201
    assert refund.data["reason"] == reason
    assert api.refund_by_id(refund.data["id"]).data["reason"] == reason


def test_too_long_reasons_are_422(api: Api) -> None:
    items = [{"item_type": "FEE", "item_id": 401, "amount": 1, "reason": "x" * 1001}]
    assert api.refund(100, {"items": items, "payments": []}).status == 422


@pytest.mark.parametrize(
    "query",
    [
        "order_id:in=abc",
        "order_id:in=1,,2",
        "id:in=four",
        "created:min=yesterday",
        "created:max=2026-13-45T00:00:00Z",
        "page=two",
        "limit=1.5",
    ],
)
def test_bad_filters_are_400(api: Api, query: str) -> None:
    reply = api.call("GET", f"{BASE}/orders/payment_actions/refunds?{query}")

    assert reply.status == 400
    assert reply.body["title"].startswith("Invalid value for")


@pytest.mark.parametrize(
    "query",
    [
        "order_id:in=0",
        "id:in=-4",
        "id:in=",
        "order_id:in=" + "9" * 40,
        "page=0",
        "page=" + "1" * 30,
        "page=-" + "5" * 30,
        "limit=0",
        "limit=-1",
        "limit=100000",
    ],
)
def test_schema_valid_filters_are_accepted(api: Api, query: str) -> None:
    """Any integer is schema-valid: ids that cannot exist match nothing; pages are clamped."""
    reply = api.call("GET", f"{BASE}/orders/payment_actions/refunds?{query}")

    assert reply.status == 200
    if query.startswith(("order_id", "id:")) and not query.endswith("="):
        assert reply.data == []


def test_unencoded_plus_in_dates_is_understood(api: Api) -> None:
    reply = api.call(
        "GET", f"{BASE}/orders/payment_actions/refunds?created:min=2026-11-20T10:35:00+01:00"
    )

    assert [refund["id"] for refund in reply.data] == [1001]


def test_garbage_headers_are_401_not_500(api: Api) -> None:
    response = api.raw(
        "GET",
        f"{BASE}/orders/payment_actions/refunds",
        token=None,
        headers={"X-Auth-Token": b"\xff\xfe\x00"},
    )
    assert response.status_code == 401


@pytest.mark.parametrize(
    "description",
    [
        {},
        {"customer_id": -1, "products": []},
        {"customer_id": 1, "products": [{"quantity": 0, "unit_price": 1}]},
        {
            "customer_id": 1,
            "products": [{"quantity": 1, "unit_price": 1.001}],
            "payments": [{"provider_id": "x"}],
        },
        {
            "customer_id": 1,
            "products": [{"quantity": 1, "unit_price": 10}],
            "payments": [{"provider_id": "x", "amount": 5}],
        },
        {
            "customer_id": 1,
            "products": [{"id": 201, "quantity": 1, "unit_price": 10}],
            "payments": [{"provider_id": "x"}],
        },
        {"customer_id": 1, "products": [{"quantity": 1, "unit_price": 10}], "surprise": 1},
        {"customer_id": 1, "products": [{"quantity": 1, "unit_price": Decimal("1e400")}]},
        [1, 2, 3],
        "order",
    ],
)
def test_invalid_order_descriptions_are_422(api: Api, description: Any) -> None:
    before = api.state()

    reply = api.call("POST", "/__sandbox/orders", json=description)

    assert reply.status == 422
    assert reply.body["title"] == "The order description is invalid."
    assert reply.body["errors"]
    assert api.state() == before
