"""Injected faults: a down tax service, latency, dropped connections; counted, reproducible."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from bigcommerce_refunds.sandbox import ConnectionDropped
from tests.sandbox.helpers import Api, in_process, sandbox_config

ITEMS = [{"item_type": "FEE", "item_id": 401, "amount": 1}]
PAYMENTS = [{"provider_id": "braintree", "amount": 1}]


def fired(api: Api) -> Any:
    return api.control("GET", "/faults")["fired"]


@pytest.mark.parametrize("operation", ["refund", "quote"])
def test_tax_service_down_is_503_with_bigcommerce_s_body(api: Api, operation: str) -> None:
    api.control("POST", "/faults", {"kind": "tax_service_down", "count": 1})
    before = api.state()
    call = api.refund if operation == "refund" else api.quote

    reply = call(100, {"items": ITEMS, "payments": PAYMENTS})

    assert reply.status == 503
    assert reply.response.content == (
        b'{"data":[{"order_id":100,"status":503,"error":"Tax service gone away"}],"meta":{}}'
    )
    assert api.state() == before
    assert fired(api)["tax_service_down"] == 1
    assert call(100, {"items": ITEMS, "payments": PAYMENTS}).status == 201  # count used up


def test_faults_target_operations(api: Api) -> None:
    api.control(
        "POST", "/faults", {"kind": "tax_service_down", "operations": ["createOrderRefundQuotes"]}
    )
    assert api.quote(100, {"items": ITEMS}).status == 503
    assert api.refund(100, {"items": ITEMS, "payments": PAYMENTS}).status == 201
    assert api.all_refunds().status == 200


def test_latency_fires_and_is_counted(api: Api) -> None:
    active = api.control("POST", "/faults", {"kind": "latency", "latency_ms": 5, "count": 2})
    assert active["faults"][0]["operations"] == sorted(active["faults"][0]["operations"])

    for _ in range(3):
        assert api.all_refunds().status == 200

    assert fired(api) == {"tax_service_down": 0, "latency": 2, "drop_connection": 0}
    assert api.control("GET", "/faults")["faults"] == []


def test_probability_is_reproducible_from_the_seed(api: Api) -> None:
    def run() -> list[int]:
        api.control("POST", "/reset")
        api.control(
            "POST",
            "/faults",
            {
                "kind": "tax_service_down",
                "probability": 0.5,
                "operations": ["createOrderRefundQuotes"],
            },
        )
        return [api.quote(100, {"items": ITEMS}).status for _ in range(24)]

    first, second = run(), run()

    assert first == second
    assert {201, 503} == set(first)


def test_delete_clears_faults_but_keeps_counters(api: Api) -> None:
    api.control("POST", "/faults", {"kind": "tax_service_down"})
    assert api.quote(100, {"items": ITEMS}).status == 503

    cleared = api.control("DELETE", "/faults")

    assert cleared == {
        "faults": [],
        "fired": {"tax_service_down": 1, "latency": 0, "drop_connection": 0},
    }
    assert api.quote(100, {"items": ITEMS}).status == 201


@pytest.mark.parametrize(
    "spec",
    [
        {"kind": "earthquake"},
        {"kind": "tax_service_down", "operations": ["getOrderRefunds"]},
        {"kind": "latency", "latency_ms": -1},
        {"kind": "latency", "count": 0},
        {"kind": "latency", "probability": 2},
        {"kind": "latency", "surprise": True},
        [],
    ],
)
def test_invalid_fault_specs_are_422(api: Api, spec: Any) -> None:
    reply = api.call("POST", "/__sandbox/faults", json=spec)

    assert reply.status == 422
    assert reply.body["title"] == "The fault description is invalid."
    assert api.control("GET", "/faults")["faults"] == []


def test_drop_connection_in_process_raises_a_transport_error() -> None:
    with in_process(sandbox_config()) as (api, _):
        api.control("POST", "/faults", {"kind": "drop_connection", "count": 1})
        with pytest.raises(httpx.RemoteProtocolError) as caught:
            api.raw("GET", "/stores/sandbox/v3/orders/payment_actions/refunds")
        assert isinstance(caught.value, ConnectionDropped)
        assert api.all_refunds().status == 200


def test_drop_connection_over_http_closes_without_an_answer(served_api: Api) -> None:
    served_api.control(
        "POST",
        "/faults",
        {"kind": "drop_connection", "count": 1, "operations": ["createOrderRefund"]},
    )
    before = served_api.state()

    with pytest.raises((httpx.RemoteProtocolError, httpx.ReadError)):
        served_api.raw(
            "POST",
            "/stores/sandbox/v3/orders/100/payment_actions/refunds",
            json={"items": ITEMS, "payments": PAYMENTS},
        )

    assert served_api.state() == before
    assert fired(served_api)["drop_connection"] == 1
    assert served_api.refund(100, {"items": ITEMS, "payments": PAYMENTS}).status == 201
