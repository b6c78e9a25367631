"""Authentication, scopes and rate limits: every answer carries the rate-limit headers."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from bigcommerce_refunds.sandbox import READ_ONLY_TOKEN, SandboxConfig
from bigcommerce_refunds.sandbox.auth import Authenticator
from bigcommerce_refunds.sandbox.config import WRITE_SCOPES
from tests.sandbox.helpers import BASE, Api, in_process, read_only, sandbox_config

REFUND = f"{BASE}/orders/100/payment_actions/refunds"
QUOTE = f"{BASE}/orders/100/payment_actions/refund_quotes"
BODY = {"items": [{"item_type": "FEE", "item_id": 401, "amount": 1}]}
OPERATIONS = [
    ("POST", QUOTE, BODY),
    ("POST", REFUND, BODY),
    ("GET", REFUND, None),
    ("GET", f"{BASE}/orders/payment_actions/refunds/1000", None),
    ("GET", f"{BASE}/orders/payment_actions/refunds", None),
]


@pytest.mark.parametrize(("method", "path", "body"), OPERATIONS)
@pytest.mark.parametrize("token", [None, "not-a-token", ""])
def test_missing_or_unknown_token_is_401(
    api: Api, method: str, path: str, body: Any, token: str | None
) -> None:
    reply = api.call(method, path, token=token, **({"json": body} if body else {}))

    assert reply.status == 401
    assert reply.body["title"] == "The X-Auth-Token is missing or invalid."
    assert "not-a-token" not in reply.response.text


@pytest.mark.parametrize("path", [REFUND, QUOTE])
def test_read_only_token_cannot_post(api: Api, path: str) -> None:
    before = api.state()

    reply = read_only(api).call("POST", path, json=BODY)

    assert reply.status == 403
    assert reply.body["title"] == "You don't have a required scope to access the endpoint"
    assert api.state() == before


def test_read_only_token_can_read(api: Api) -> None:
    reader = read_only(api)
    assert reader.order_refunds(105).status == 200
    assert reader.refund_by_id(1000).status == 200
    assert reader.all_refunds().status == 200
    assert reader.control("GET", "/orders")[0]["id"] == 100


def test_control_api_needs_a_token_and_write_scope_to_change(api: Api) -> None:
    assert api.call("GET", "/__sandbox/orders", token=None).status == 401
    assert read_only(api).call("POST", "/__sandbox/reset").status == 403
    assert read_only(api).call("DELETE", "/__sandbox/faults").status == 403
    assert api.call("POST", "/__sandbox/reset").status == 200


def test_a_refund_with_a_custom_token_set() -> None:
    config = sandbox_config(tokens={"mine": frozenset({"store_v2_transactions"})})
    with in_process(config) as (api, _):
        assert api.call("GET", f"{BASE}/orders/payment_actions/refunds", token="mine").status == 200
        assert api.call("GET", f"{BASE}/orders/payment_actions/refunds").status == 401


def test_tokens_never_show_in_reprs_or_logs(api: Api, caplog: pytest.LogCaptureFixture) -> None:
    config = SandboxConfig(tokens={"s3cr3t-write": WRITE_SCOPES, "s3cr3t-read": frozenset()})
    assert "s3cr3t" not in repr(config)
    assert "s3cr3t" not in str(config)
    assert "s3cr3t" not in repr(Authenticator(config.tokens))
    api.control("POST", "/bugs", {"bugs": ["server_error_on_edge"]})
    with caplog.at_level(logging.DEBUG):
        edge = {"items": [{"item_type": "ORDER", "item_id": 100, "amount": 0}], "payments": []}
        response = api.raw("POST", REFUND, json=edge)
    assert response.status_code == 500
    assert caplog.records, "the 500 should have been logged"
    assert api.token not in caplog.text


def test_rate_limit_quota_then_429_then_reset() -> None:
    clock = [1000.0]
    config = sandbox_config(
        rate_limit_quota=3, rate_limit_window_ms=30_000, monotonic=lambda: clock[0]
    )
    with in_process(config) as (api, _):
        lefts = [api.all_refunds().headers["X-Rate-Limit-Requests-Left"] for _ in range(3)]
        clock[0] += 0.25
        limited = api.all_refunds()
        # The control API neither counts nor is limited.
        assert api.call("GET", "/__sandbox/orders").status == 200

        assert lefts == ["2", "1", "0"]
        assert limited.status == 429
        assert limited.body["title"] == "Too many requests."
        assert limited.headers["X-Rate-Limit-Requests-Left"] == "0"
        assert limited.headers["X-Rate-Limit-Requests-Quota"] == "3"
        assert limited.headers["X-Rate-Limit-Time-Window-Ms"] == "30000"
        assert limited.headers["X-Rate-Limit-Time-Reset-Ms"] == "29750"
        assert limited.headers["X-Retry-After"] == "30"

        clock[0] += 29.75
        assert api.all_refunds().status == 200


def test_retry_after_rounds_up_and_is_at_least_one_second() -> None:
    clock = [0.0]
    config = sandbox_config(
        rate_limit_quota=1, rate_limit_window_ms=1_000, monotonic=lambda: clock[0]
    )
    with in_process(config) as (api, _):
        api.all_refunds()
        clock[0] = 0.999
        limited = api.all_refunds()
        assert limited.headers["X-Rate-Limit-Time-Reset-Ms"] == "1"
        assert limited.headers["X-Retry-After"] == "1"


def test_unauthenticated_requests_have_their_own_bucket() -> None:
    config = sandbox_config(rate_limit_quota=2)
    with in_process(config) as (api, _):
        for _ in range(3):
            api.call("GET", f"{BASE}/orders/payment_actions/refunds", token="wrong")
        anonymous = api.call("GET", f"{BASE}/orders/payment_actions/refunds", token=None)
        assert anonymous.status == 429
        assert api.all_refunds().status == 200
        assert read_only(api).all_refunds().headers["X-Rate-Limit-Requests-Left"] == "1"


def test_headers_on_404_405_and_unknown_paths(api: Api) -> None:
    for reply in (
        api.refund_by_id(4242),
        api.call("PUT", REFUND),
        api.call("GET", "/nowhere"),
        api.call("GET", "/"),
    ):
        assert reply.status in (404, 405)
        assert reply.headers["X-Rate-Limit-Requests-Quota"] == "1000000"
    assert READ_ONLY_TOKEN not in api.call("GET", "/nowhere").response.text
