"""Every failure becomes a typed error with status, headers, raw body and a clear message."""

from __future__ import annotations

import pickle
from decimal import Decimal

import httpx
import pytest

from bigcommerce_refunds.client import (
    ApiError,
    AuthenticationError,
    ConnectionFailedError,
    MalformedResponseError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitedError,
    RefundsError,
    RequestTimeoutError,
    RetryPolicy,
    ServiceUnavailableError,
    UnexpectedStatusError,
    UnprocessableError,
    payment,
    product,
)

from ._support import (
    ORDER_REFUNDS,
    QUOTES,
    FakeStore,
    envelope,
    json_response,
    make_client,
)

NO_RETRY = RetryPolicy.never()


def test_refund_422_in_its_wrapped_shape() -> None:
    store = FakeStore()
    body = {
        "data": [
            {
                "status": 422,
                "title": "Unable to provide store credit for a guest customer.",
                "type": "https://developer.bigcommerce.com/api-docs/getting-started/api-status-codes",
            }
        ]
    }
    store.script("POST", "/orders/103/payment_actions/refunds", json_response(422, body))
    with make_client(store) as client, pytest.raises(UnprocessableError) as caught:
        client.create_refund(103, [product(1, 1)], [payment("storecredit", Decimal("10"))])
    error = caught.value
    assert error.titles == ("Unable to provide store credit for a guest customer.",)
    assert error.status_code == 422
    assert error.operation == "createOrderRefund"
    assert error.order_id == 103
    assert error.headers["X-Rate-Limit-Requests-Quota"] == "150"
    assert b"guest customer" in error.body
    assert str(error) == (
        "createOrderRefund (POST /orders/103/payment_actions/refunds) for order 103 failed: "
        "HTTP 422 Unprocessable Entity: Unable to provide store credit for a guest customer."
    )
    assert store.count("POST") == 1  # a 422 is never retried


def test_quote_422_in_its_unwrapped_shape_with_detailed_errors() -> None:
    store = FakeStore()
    body = {
        "status": 422,
        "title": "JSON data is missing or invalid",
        "type": "/api-docs/getting-started/api-status-codes",
        "errors": {"items.0.quantity": "must be at least 1"},
    }
    store.script("POST", QUOTES, json_response(422, body))
    with make_client(store) as client, pytest.raises(UnprocessableError) as caught:
        client.quote_refund(100, [product(1, 0)])
    (detail,) = caught.value.details
    assert detail.title == "JSON data is missing or invalid"
    assert detail.status == 422
    assert detail.errors == {"items.0.quantity": "must be at least 1"}
    assert "createOrderRefundQuotes" in str(caught.value)
    assert "order 100" in str(caught.value)
    assert store.count("POST") == 1


@pytest.mark.parametrize(
    ("status", "kind"),
    [
        (401, AuthenticationError),
        (403, PermissionDeniedError),
        (404, NotFoundError),
        (500, UnexpectedStatusError),
        (409, UnexpectedStatusError),
    ],
)
def test_statuses_map_to_their_error_types(status: int, kind: type[ApiError]) -> None:
    store = FakeStore()
    title = f"title {status}"
    store.script(
        "GET",
        "/orders/payment_actions/refunds/7",
        json_response(status, {"status": status, "title": title}),
    )
    with make_client(store, retry=NO_RETRY) as client, pytest.raises(kind) as caught:
        client.get_refund(7)
    assert caught.value.status_code == status
    assert caught.value.titles == (title,)
    assert "getOrderRefund (GET /orders/payment_actions/refunds/7) for refund 7" in str(
        caught.value
    )
    assert isinstance(caught.value, RefundsError)


def test_429_carries_the_reset_time() -> None:
    store = FakeStore()
    store.script(
        "GET",
        ORDER_REFUNDS,
        json_response(
            429,
            {"status": 429, "title": "Too many requests."},
            {"X-Rate-Limit-Time-Reset-Ms": "1500", "X-Retry-After": "2"},
        ),
    )
    with make_client(store, retry=NO_RETRY) as client, pytest.raises(RateLimitedError) as caught:
        client.get_order_refunds(100)
    assert caught.value.retry_after == 1.5
    assert "resets in 1.5 s" in str(caught.value)


def test_503_carries_the_tax_service_detail() -> None:
    store = FakeStore()
    body = {
        "data": [{"order_id": 100, "status": 503, "error": "Tax service gone away"}],
        "meta": {},
    }
    store.script("POST", QUOTES, json_response(503, body))
    with (
        make_client(store, retry=NO_RETRY) as client,
        pytest.raises(ServiceUnavailableError) as caught,
    ):
        client.quote_refund(100, [product(1, 1)])
    (failure,) = caught.value.failures
    assert (failure.order_id, failure.status, failure.error) == (100, 503, "Tax service gone away")
    assert str(caught.value).endswith("HTTP 503 Service Unavailable: Tax service gone away")


def test_a_proxy_error_page_is_still_typed() -> None:
    store = FakeStore()
    store.script("GET", ORDER_REFUNDS, httpx.Response(502, text="<html>Bad gateway</html>"))
    with (
        make_client(store, retry=NO_RETRY) as client,
        pytest.raises(UnexpectedStatusError) as caught,
    ):
        client.get_order_refunds(100)
    assert caught.value.body == b"<html>Bad gateway</html>"
    assert caught.value.details == ()


@pytest.mark.parametrize(
    "body",
    [b"not json", b'{"data": {"id": 1}, "meta": {}}', b'{"meta": {}}', b"[]"],
)
def test_a_success_that_does_not_match_the_model_is_malformed(body: bytes) -> None:
    store = FakeStore()
    store.script("GET", "/orders/payment_actions/refunds/7", httpx.Response(200, content=body))
    with (
        make_client(store, retry=NO_RETRY) as client,
        pytest.raises(MalformedResponseError) as caught,
    ):
        client.get_refund(7)
    assert caught.value.body == body
    assert "does not match the documented model" in str(caught.value)


def test_a_malformed_201_on_a_refund_says_it_was_recorded_and_is_not_resent() -> None:
    store = FakeStore()
    store.script("POST", ORDER_REFUNDS, httpx.Response(201, json={"data": {"id": 9}}))
    with make_client(store) as client, pytest.raises(MalformedResponseError) as caught:
        client.create_refund(100, [product(1, 1)], [payment("braintree", "37.89")])
    assert "the refund WAS recorded" in str(caught.value)
    assert store.count("POST") == 1
    assert store.count("GET") == 1  # the snapshot only; no read-back, no retry


def test_timeouts_and_connection_failures_are_typed() -> None:
    store = FakeStore()
    store.script("GET", ORDER_REFUNDS, httpx.ReadTimeout("read timed out"))
    store.script("GET", "/orders/payment_actions/refunds/7", httpx.ConnectError("refused"))
    with make_client(store, retry=NO_RETRY) as client:
        with pytest.raises(RequestTimeoutError) as timeout:
            client.get_order_refunds(100)
        with pytest.raises(ConnectionFailedError) as refused:
            client.get_refund(7)
    assert isinstance(timeout.value, TimeoutError)
    assert timeout.value.maybe_sent is True
    assert "getOrderRefunds" in str(timeout.value)
    assert "order 100" in str(timeout.value)
    assert "ReadTimeout: read timed out" in str(timeout.value)
    assert isinstance(timeout.value.__cause__, httpx.ReadTimeout)
    assert isinstance(refused.value, ConnectionError)
    assert refused.value.maybe_sent is False
    assert "refund 7" in str(refused.value)


def test_success_bodies_parse_into_the_generated_models() -> None:
    store = FakeStore()
    store.record(100)
    store.script(
        "GET",
        "/orders/payment_actions/refunds/1",
        json_response(200, envelope(store.refunds[100][0])),
    )
    with make_client(store) as client:
        (listed,) = client.get_order_refunds(100)
        single = client.get_refund(1)
    assert listed.id == single.id == 1
    assert listed.items[0].item_type.value == "PRODUCT"


def test_errors_survive_pickling() -> None:
    store = FakeStore()
    store.script("POST", QUOTES, json_response(422, {"status": 422, "title": "No."}))
    store.script("GET", ORDER_REFUNDS, httpx.ReadTimeout("slow"))
    with make_client(store, retry=NO_RETRY) as client:
        with pytest.raises(UnprocessableError) as refused:
            client.quote_refund(100, [product(1, 1)])
        with pytest.raises(RequestTimeoutError) as slow:
            client.get_order_refunds(100)
    refused.value.add_note("a note")
    copy = pickle.loads(pickle.dumps(refused.value))
    assert type(copy) is UnprocessableError
    assert (str(copy), copy.titles, copy.status_code) == (str(refused.value), ("No.",), 422)
    assert copy.__notes__ == ["a note"]
    timeout = pickle.loads(pickle.dumps(slow.value))
    assert isinstance(timeout, RequestTimeoutError)
    assert (str(timeout), timeout.order_id, timeout.maybe_sent) == (str(slow.value), 100, True)
