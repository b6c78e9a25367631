"""Reads and quotes are retried (429 after the advertised reset, 502/503/504, network)."""

from __future__ import annotations

import asyncio
from decimal import Decimal

import httpx
import pytest

from bigcommerce_refunds.client import (
    ConnectionFailedError,
    NotFoundError,
    RateLimitedError,
    RetryPolicy,
    ServiceUnavailableError,
    UnprocessableError,
    payment,
    product,
)
from bigcommerce_refunds.client.retry import backoff_delay, rate_limit_delay

from ._support import (
    ORDER_REFUNDS,
    QUOTE,
    QUOTES,
    FakeStore,
    FakeTime,
    envelope,
    json_response,
    make_async_client,
    make_client,
)


def too_many(headers: dict[str, str]) -> httpx.Response:
    return json_response(429, {"status": 429, "title": "Too many requests."}, headers)


def unavailable(status: int = 503) -> httpx.Response:
    return json_response(status, {"status": status, "title": "try later"})


def test_backoff_is_exponential_capped_and_jittered() -> None:
    policy = RetryPolicy(initial_backoff=0.5, max_backoff=3.0)
    assert [backoff_delay(policy, n, 0.999999) for n in (1, 2, 3, 4, 5)] == pytest.approx(
        [0.5, 1.0, 2.0, 3.0, 3.0], rel=1e-5
    )
    assert backoff_delay(policy, 2, 0.0) == 0.5  # jitter keeps at least half
    assert backoff_delay(policy, 2, 0.5) == 0.75


def test_rate_limit_delay_prefers_the_precise_header() -> None:
    headers = httpx.Headers({"X-Rate-Limit-Time-Reset-Ms": "1234", "X-Retry-After": "2"})
    assert rate_limit_delay(headers) == 1.234
    assert rate_limit_delay(httpx.Headers({"X-Retry-After": "2"})) == 2.0
    assert rate_limit_delay(httpx.Headers({"Retry-After": "3"})) == 3.0
    assert rate_limit_delay(httpx.Headers({"X-Retry-After": "soon"})) is None
    assert rate_limit_delay(httpx.Headers({"X-Rate-Limit-Time-Reset-Ms": "-5"})) is None


def test_policy_validation() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        RetryPolicy(max_attempts=0)
    with pytest.raises(ValueError, match="negative"):
        RetryPolicy(total_budget=-1)


def test_429_is_retried_after_the_advertised_reset() -> None:
    store, time = FakeStore(), FakeTime()
    store.script(
        "GET", ORDER_REFUNDS, too_many({"X-Rate-Limit-Time-Reset-Ms": "1500", "X-Retry-After": "2"})
    )
    with make_client(store, time) as client:
        assert client.get_order_refunds(100) == []
    assert time.sleeps == [1.5]
    assert store.count("GET") == 2


def test_429_with_only_x_retry_after() -> None:
    store, time = FakeStore(), FakeTime()
    store.script("GET", ORDER_REFUNDS, too_many({"X-Retry-After": "2"}))
    with make_client(store, time) as client:
        client.get_order_refunds(100)
    assert time.sleeps == [2.0]


def test_429_whose_reset_exceeds_the_budget_is_raised_without_waiting() -> None:
    store, time = FakeStore(), FakeTime()
    store.script("GET", ORDER_REFUNDS, too_many({"X-Rate-Limit-Time-Reset-Ms": "120000"}))
    with make_client(store, time) as client, pytest.raises(RateLimitedError) as caught:
        client.get_order_refunds(100)
    assert caught.value.retry_after == 120.0
    assert time.sleeps == []


@pytest.mark.parametrize("status", [502, 503, 504])
def test_gateway_and_unavailable_statuses_back_off_exponentially(status: int) -> None:
    store, time = FakeStore(), FakeTime()
    store.script(
        "GET", ORDER_REFUNDS, unavailable(status), unavailable(status), unavailable(status)
    )
    with make_client(store, time) as client:
        assert client.get_order_refunds(100) == []
    assert time.sleeps == [0.375, 0.75, 1.5]  # 0.5 * 2**n, jitter factor 0.75
    assert store.count("GET") == 4


def test_connection_errors_are_retried_and_the_last_error_raised_when_attempts_run_out() -> None:
    store, time = FakeStore(), FakeTime()
    store.script("GET", ORDER_REFUNDS, *[httpx.ConnectError("refused") for _ in range(4)])
    with make_client(store, time) as client, pytest.raises(ConnectionFailedError):
        client.get_order_refunds(100)
    assert store.count("GET") == 4  # max_attempts
    assert len(time.sleeps) == 3


def test_total_budget_stops_retries() -> None:
    store, time = FakeStore(), FakeTime()
    store.script("GET", ORDER_REFUNDS, *[unavailable() for _ in range(4)])
    policy = RetryPolicy(max_attempts=10, initial_backoff=2.0, max_backoff=2.0, total_budget=4.0)
    with make_client(store, time, policy) as client, pytest.raises(ServiceUnavailableError):
        client.get_order_refunds(100)
    assert time.sleeps == [1.5, 1.5]  # a third wait would end past 4 s
    assert store.count("GET") == 3


def test_client_errors_are_not_retried() -> None:
    store, time = FakeStore(), FakeTime()
    store.script(
        "GET",
        "/orders/payment_actions/refunds/5",
        json_response(404, {"status": 404, "title": "Refund not found."}),
    )
    with make_client(store, time) as client, pytest.raises(NotFoundError):
        client.get_refund(5)
    assert time.sleeps == []
    assert store.count("GET") == 1


def test_quotes_are_retried_like_reads() -> None:
    store, time = FakeStore(), FakeTime()
    store.script(
        "POST",
        QUOTES,
        unavailable(503),
        too_many({"X-Retry-After": "1"}),
        json_response(201, envelope(QUOTE)),
    )
    with make_client(store, time) as client:
        quote = client.quote_refund(100, [product(1, 1)])
    assert quote.order_id == 100
    assert time.sleeps == [0.375, 1.0]
    assert store.count("POST") == 3


def test_a_refund_post_is_sent_again_after_a_429_never_after_a_422() -> None:
    # A 429 comes from the rate limiter, before any processing: the refund cannot exist.
    store, time = FakeStore(), FakeTime()
    store.script("POST", ORDER_REFUNDS, too_many({"X-Retry-After": "1"}))
    store.script(
        "POST", ORDER_REFUNDS, json_response(422, {"data": [{"status": 422, "title": "no"}]})
    )
    with make_client(store, time) as client, pytest.raises(UnprocessableError):
        client.create_refund(100, [product(1, 1)], [payment("braintree", Decimal("37.89"))])
    assert store.count("POST") == 2  # the 429, then the 422, which is final
    assert time.sleeps == [1.0]


def test_never_policy_sends_each_request_once() -> None:
    store = FakeStore()
    store.script("GET", ORDER_REFUNDS, unavailable())
    with (
        make_client(store, retry=RetryPolicy.never()) as client,
        pytest.raises(ServiceUnavailableError),
    ):
        client.get_order_refunds(100)
    assert store.count("GET") == 1


def test_async_client_retries_the_same_way() -> None:
    store, time = FakeStore(), FakeTime()
    store.script(
        "GET", ORDER_REFUNDS, too_many({"X-Rate-Limit-Time-Reset-Ms": "250"}), unavailable()
    )

    async def main() -> None:
        async with make_async_client(store, time) as client:
            assert await client.get_order_refunds(100) == []

    asyncio.run(main())
    assert time.sleeps == [0.25, 0.75]  # the reset, then backoff for retry 2
    assert store.count("GET") == 3
