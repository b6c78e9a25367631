"""Each planted bug does what it says, and the contract check (or a ledger check) notices it."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest

from bigcommerce_refunds.sandbox import BUG_PROFILES, SandboxConfig, UnknownBugError
from tests.sandbox.helpers import (
    BASE,
    Api,
    conformance_problems,
    in_process,
    operation_for,
    parse,
    read_only,
    sandbox_config,
)

D = Decimal

REFUND = f"{BASE}/orders/100/payment_actions/refunds"
FEE = {
    "items": [{"item_type": "FEE", "item_id": 401, "amount": 1}],
    "payments": [{"provider_id": "braintree", "amount": 1}],
}


def problems(api: Api, method: str, path: str, **kwargs: object) -> list[str]:
    return conformance_problems(operation_for(method, path), api.raw(method, path, **kwargs))


def wrong_status(api: Api) -> None:
    response = api.raw("POST", REFUND, json=FEE)
    assert response.status_code == 200
    assert conformance_problems("createOrderRefund", response) == [
        "status 200 is not declared for createOrderRefund"
    ]


def missing_field(api: Api) -> None:
    assert "data: 'total_tax' is a required property" in problems(api, "POST", REFUND, json=FEE)
    assert "data: 'total_tax' is a required property" in problems(
        api, "GET", f"{BASE}/orders/payment_actions/refunds/1000"
    )


def renamed_field(api: Api) -> None:
    response = api.raw("POST", REFUND, json=FEE)
    assert parse(response)["data"]["amount_total"] == D("1.00")
    assert "data: 'total_amount' is a required property" in conformance_problems(
        "createOrderRefund", response
    )


def mistyped_field(api: Api) -> None:
    found = problems(api, "GET", f"{BASE}/orders/payment_actions/refunds")
    assert "data/0/order_id: '105' is not of type 'integer'" in found


def wrong_content_type(api: Api) -> None:
    response = api.raw("GET", f"{BASE}/orders/105/payment_actions/refunds")
    assert response.headers["content-type"].startswith("text/plain")
    assert parse(response)["data"][0]["id"] == 1000  # the JSON text, mislabelled
    assert conformance_problems("getOrderRefunds", response)[0].startswith("content-type is")


def server_error_on_edge(api: Api) -> None:
    edge = {"items": [{"item_type": "PRODUCT", "item_id": 201, "quantity": 0}], "payments": []}
    response = api.raw("POST", REFUND, json=edge)
    assert response.status_code == 500
    assert parse(response) == {
        "status": 500,
        "title": "Internal server error.",
        "type": "https://developer.bigcommerce.com/api-docs/getting-started/api-status-codes",
    }
    assert response.headers["X-Rate-Limit-Requests-Quota"] == "1000000"


def over_refund(api: Api) -> None:
    order = {
        "items": [{"item_type": "ORDER", "item_id": 100, "amount": 300}],
        "payments": [{"provider_id": "custom", "amount": 300}],
    }
    product = {
        "items": [{"item_type": "PRODUCT", "item_id": 201, "quantity": 3}],
        "payments": [{"provider_id": "custom", "amount": 289.02}],
    }
    assert api.refund(100, order).status == 201
    assert api.refund(100, product).status == 201
    totals = api.order(100)["totals"]
    assert totals["refunded"] > totals["paid"]


def mismatched_payments(api: Api) -> None:
    body = {**FEE, "payments": [{"provider_id": "paypal", "amount": 250}]}
    refund = api.refund(100, body)
    assert refund.status == 201
    assert refund.data["total_amount"] == D("250.00")


def lost_write(api: Api) -> None:
    before = api.state()
    refund = api.refund(100, FEE)
    assert refund.status == 201
    assert api.refund_by_id(refund.data["id"]).status == 404
    assert api.state() == before


def auth_bypass(api: Api) -> None:
    assert api.call("POST", REFUND, json=FEE, token=None).status == 201
    assert api.call("GET", f"{BASE}/orders/payment_actions/refunds", token="nope").status == 200


def wrong_error_shape(api: Api) -> None:
    response = api.raw("POST", REFUND, json={"items": [], "payments": []})
    assert response.status_code == 422
    assert parse(response) == {"error": "At least one item is required to create a refund."}
    assert "(root): 'data' is a required property" in conformance_problems(
        "createOrderRefund", response
    )


def total_not_sum(api: Api) -> None:
    refund = api.refund(100, FEE).data
    assert refund["total_amount"] == sum(p["amount"] for p in refund["payments"]) + D("0.01")


def missing_rate_limit_headers(api: Api) -> None:
    response = api.raw("GET", f"{BASE}/orders/payment_actions/refunds")
    assert "x-rate-limit-requests-left" not in response.headers
    assert any("X-Rate-Limit" in p for p in conformance_problems("getOrdersRefunds", response))


def readonly_can_write(api: Api) -> None:
    assert read_only(api).refund(100, FEE).status == 201


def tax_adjustment_items(api: Api) -> None:
    refund = api.refund(106, {"tax_adjustment_amount": 5.75})
    assert refund.status == 201
    assert refund.data["items"] != []


def stale_reads(api: Api) -> None:
    by_id = api.refund_by_id(1000).data
    listed = api.all_refunds().data[0]
    assert by_id["reason"] != listed["reason"]
    assert by_id == {**listed, "reason": by_id["reason"]}


def negative_amount_accepted(api: Api) -> None:
    items = [{"item_type": "SHIPPING", "item_id": 301, "amount": -5}]
    quote = api.quote(100, {"items": items})
    assert quote.status == 201
    assert quote.data["total_refund_amount"] == D("-5.42")  # -5 and its -0.415 tax share
    payments = [{"provider_id": "custom", "amount": -5.42}]
    refund = api.refund(100, {"items": items, "payments": payments})
    assert refund.status == 201
    assert refund.data["total_amount"] < 0


def guest_store_credit(api: Api) -> None:
    body = {
        "items": [{"item_type": "PRODUCT", "item_id": 231, "quantity": 1}],
        "payments": [{"provider_id": "storecredit", "amount": 16.24}],
    }
    assert api.refund(103, body).status == 201


def tax_not_refunded(api: Api) -> None:
    items = [{"item_type": "PRODUCT", "item_id": 201, "quantity": 1}]
    quote = api.quote(100, {"items": items})
    assert quote.status == 201
    assert quote.data["total_refund_amount"] == D("89.00")  # 96.34 with its 7.34 tax
    assert quote.data["total_refund_tax_amount"] == D("0.00")


def wrong_item_quantity(api: Api) -> None:
    items = [{"item_type": "PRODUCT", "item_id": 202, "quantity": 3}]
    _, refund = api.quote_then_refund(100, items)
    assert refund.status == 201
    assert refund.data["items"][0]["quantity"] == 1


BUG_TESTS: dict[str, Callable[[Api], None]] = {name: globals()[name] for name in BUG_PROFILES}


@pytest.mark.parametrize("name", sorted(BUG_PROFILES))
def test_planted_bug(name: str) -> None:
    with in_process(sandbox_config()) as (api, _):
        active = api.control("POST", "/bugs", {"bugs": [name]})
        assert active["active"] == [name]
        BUG_TESTS[name](api)


def test_every_profile_has_a_one_line_description() -> None:
    assert len(BUG_PROFILES) >= 18
    for description in BUG_PROFILES.values():
        assert description
        assert "\n" not in description


def test_bugs_from_config_survive_reset_and_runtime_ones_do_not() -> None:
    with in_process(sandbox_config(bugs=frozenset({"wrong_status"}))) as (api, app):
        api.control("POST", "/bugs", {"bugs": ["wrong_status", "lost_write"]})
        api.control("POST", "/reset")
        assert app.state.sandbox.bugs == frozenset({"wrong_status"})


def test_unknown_bug_names_are_refused() -> None:
    with pytest.raises(UnknownBugError, match=r"unknown bug profile.*nope.*known: auth_bypass"):
        SandboxConfig(bugs=frozenset({"nope"}))
    with in_process(sandbox_config()) as (api, _):
        reply = api.call("POST", "/__sandbox/bugs", json={"bugs": ["nope"]})
        assert reply.status == 422
        assert "nope" in reply.body["errors"]["bugs"]
        assert api.call("POST", "/__sandbox/bugs", json={"bugs": "wrong_status"}).status == 422
        assert api.control("GET", "/bugs")["active"] == []
