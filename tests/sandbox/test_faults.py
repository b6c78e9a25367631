"""Injected faults: a down tax service, 429s, latency, dropped connections, gateway errors;
before or after the request is processed; counted, reproducible."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from bigcommerce_refunds.sandbox import ConnectionDropped
from tests.sandbox.helpers import Api, in_process, sandbox_config

ITEMS = [{"item_type": "FEE", "item_id": 401, "amount": 1}]
PAYMENTS = [{"provider_id": "braintree", "amount": 1}]


NO_FIRINGS = {
    "tax_service_down": 0,
    "latency": 0,
    "drop_connection": 0,
    "gateway_error": 0,
    "rate_limited": 0,
}


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

    assert fired(api) == {**NO_FIRINGS, "latency": 2}
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

    assert cleared == {"faults": [], "fired": {**NO_FIRINGS, "tax_service_down": 1}, "in_flight": 0}
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
        {"kind": "latency", "phase": "during"},
        {"kind": "tax_service_down", "phase": "after"},
        {"kind": "rate_limited", "phase": "after"},
        {"kind": "gateway_error", "status": 500},
        {"kind": "gateway_error", "status": True},
        {"kind": "latency", "status": 502},
        {"kind": "latency", "retry_after_ms": 5},
        {"kind": "rate_limited", "retry_after_ms": -1},
        {"kind": "latency", "skip": -1},
        {"kind": "latency", "skip": 1.5},
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


REFUND = {"items": ITEMS, "payments": PAYMENTS}
REFUNDS_PATH = "/stores/sandbox/v3/orders/100/payment_actions/refunds"


def post_raw(api: Api) -> httpx.Response:
    return api.raw("POST", REFUNDS_PATH, json=REFUND)


def test_skip_lets_matching_requests_through_first(api: Api) -> None:
    api.control(
        "POST",
        "/faults",
        {"kind": "gateway_error", "skip": 1, "count": 1, "operations": ["createOrderRefund"]},
    )
    assert api.all_refunds().status == 200  # another operation: neither skipped nor failed
    assert api.refund(100, REFUND).status == 201  # skipped
    assert post_raw(api).status_code == 502  # struck
    assert api.refund(100, REFUND).status == 201  # used up
    assert fired(api)["gateway_error"] == 1


@pytest.mark.parametrize(("phase", "recorded"), [("before", 0), ("after", 1)])
@pytest.mark.parametrize("status", [502, 504])
def test_gateway_errors_hide_whether_the_refund_was_recorded(
    api: Api, phase: str, recorded: int, status: int
) -> None:
    api.control(
        "POST",
        "/faults",
        {"kind": "gateway_error", "status": status, "phase": phase, "count": 1},
    )
    before = len(api.control("GET", "/refunds"))

    reply = post_raw(api)  # not an API answer: the fragment does not describe a proxy's page

    assert reply.status_code == status
    assert reply.headers["content-type"].startswith("text/html")
    assert str(status).encode() in reply.content
    assert len(api.control("GET", "/refunds")) == before + recorded


def test_rate_limited_is_a_429_before_processing_that_advertises_its_reset(api: Api) -> None:
    before = api.state()
    api.control("POST", "/faults", {"kind": "rate_limited", "retry_after_ms": 1500, "count": 1})

    reply = api.refund(100, REFUND)

    assert reply.status == 429
    headers = reply.response.headers
    assert headers["X-Rate-Limit-Requests-Left"] == "0"
    assert headers["X-Rate-Limit-Time-Reset-Ms"] == "1500"
    assert headers["X-Retry-After"] == "2"
    assert "X-Rate-Limit-Requests-Quota" in headers
    assert api.state() == before


def test_drop_after_processing_in_process_raises_but_the_refund_is_recorded() -> None:
    with in_process(sandbox_config()) as (api, _):
        api.control(
            "POST",
            "/faults",
            {"kind": "drop_connection", "phase": "after", "operations": ["createOrderRefund"]},
        )
        before = len(api.control("GET", "/refunds"))
        with pytest.raises(ConnectionDropped):
            api.raw("POST", "/stores/sandbox/v3/orders/100/payment_actions/refunds", json=REFUND)
        assert len(api.control("GET", "/refunds")) == before + 1


def test_drop_after_processing_over_http_loses_the_answer_not_the_refund(served_api: Api) -> None:
    served_api.control(
        "POST",
        "/faults",
        {"kind": "drop_connection", "phase": "after", "count": 1},
    )
    before = len(served_api.control("GET", "/refunds"))

    with pytest.raises((httpx.RemoteProtocolError, httpx.ReadError)):
        served_api.raw("POST", "/stores/sandbox/v3/orders/100/payment_actions/refunds", json=REFUND)

    assert len(served_api.control("GET", "/refunds")) == before + 1
    assert served_api.control("GET", "/faults")["in_flight"] == 0
