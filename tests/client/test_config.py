"""Construction: store hash, base URL, environment, default timeouts, resource handling."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from bigcommerce_refunds.client import (
    DEFAULT_TIMEOUT,
    AsyncRefundsClient,
    ConfigurationError,
    RefundsClient,
    RetryPolicy,
)

from ._support import TOKEN, FakeStore, envelope, json_response

ENV = {"BIGCOMMERCE_STORE_HASH": "abc123", "BIGCOMMERCE_ACCESS_TOKEN": TOKEN}


def test_base_url_from_store_hash_or_explicit() -> None:
    with RefundsClient("abc123", access_token=TOKEN) as client:
        assert client.base_url == "https://api.bigcommerce.com/stores/abc123/v3"
    with RefundsClient(
        access_token=TOKEN, base_url="http://127.0.0.1:4010/stores/sandbox/v3/"
    ) as c:
        assert c.base_url == "http://127.0.0.1:4010/stores/sandbox/v3"
    with pytest.raises(ConfigurationError, match="store_hash"):
        RefundsClient(access_token=TOKEN)
    with pytest.raises(ConfigurationError, match="absolute"):
        RefundsClient(access_token=TOKEN, base_url="api.bigcommerce.com/stores/x/v3")
    with pytest.raises(ConfigurationError, match="access_token"):
        RefundsClient("abc123", access_token=None)
    with pytest.raises(ConfigurationError, match="timeout"):
        RefundsClient("abc123", access_token=TOKEN, timeout=None)  # type: ignore[arg-type]
    with pytest.raises(ConfigurationError, match="not both"):
        RefundsClient(
            "abc123",
            access_token=TOKEN,
            transport=httpx.MockTransport(lambda r: httpx.Response(200)),
            http_client=httpx.Client(),
        )


def test_from_env() -> None:
    with RefundsClient.from_env(ENV) as client:
        assert client.base_url == "https://api.bigcommerce.com/stores/abc123/v3"
    sandbox = {**ENV, "BIGCOMMERCE_BASE_URL": "http://127.0.0.1:4010/stores/sandbox/v3"}
    with RefundsClient.from_env(sandbox, retry=RetryPolicy.never()) as client:
        assert client.base_url == "http://127.0.0.1:4010/stores/sandbox/v3"
        assert client.retry_policy == RetryPolicy.never()
    with pytest.raises(ConfigurationError) as caught:
        RefundsClient.from_env({})
    assert "BIGCOMMERCE_ACCESS_TOKEN" in str(caught.value)
    assert "BIGCOMMERCE_STORE_HASH" in str(caught.value)

    async def from_env_async() -> str:
        async with AsyncRefundsClient.from_env(ENV) as client:
            return client.base_url

    assert asyncio.run(from_env_async()).endswith("/stores/abc123/v3")


def test_requests_carry_the_default_timeouts() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return json_response(200, envelope([]))

    with RefundsClient("abc123", access_token=TOKEN, transport=httpx.MockTransport(handler)) as c:
        c.get_order_refunds(100)
    assert DEFAULT_TIMEOUT.connect == 5.0
    assert DEFAULT_TIMEOUT.read == 30.0
    assert seen[0].extensions["timeout"] == DEFAULT_TIMEOUT.as_dict()
    assert seen[0].headers["Accept"] == "application/json"
    assert str(seen[0].url) == (
        "https://api.bigcommerce.com/stores/abc123/v3/orders/100/payment_actions/refunds"
    )


def test_a_float_timeout_applies_to_every_phase() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return json_response(200, envelope([]))

    transport = httpx.MockTransport(handler)
    with RefundsClient("abc123", access_token=TOKEN, transport=transport, timeout=2) as client:
        client.get_order_refunds(100)
    assert seen[0].extensions["timeout"] == httpx.Timeout(2.0).as_dict()


def test_close_and_context_managers() -> None:
    store = FakeStore()
    client = RefundsClient("abc123", access_token=TOKEN, transport=store.transport())
    with client as entered:
        assert entered is client
    assert client._http.is_closed
    client.close()  # idempotent
    with pytest.raises(RuntimeError, match="closed"):
        client.get_refund(1)


def test_a_borrowed_http_client_is_left_open() -> None:
    store = FakeStore()
    borrowed = httpx.Client(transport=store.transport(), base_url="http://ignored")
    with RefundsClient("abc123", access_token=TOKEN, http_client=borrowed) as client:
        client.get_order_refunds(100)
    assert not borrowed.is_closed
    assert str(store.requests[0].url).startswith("https://api.bigcommerce.com/stores/abc123/v3/")
    borrowed.close()


def test_async_close_and_borrowed_client() -> None:
    store = FakeStore()

    async def main() -> tuple[bool, bool]:
        owned = AsyncRefundsClient("abc123", access_token=TOKEN, transport=store.transport())
        async with owned:
            await owned.get_order_refunds(100)
        borrowed = httpx.AsyncClient(transport=store.transport())
        async with AsyncRefundsClient("abc123", access_token=TOKEN, http_client=borrowed) as c:
            await c.get_order_refunds(100)
        still_open = not borrowed.is_closed
        await borrowed.aclose()
        return owned._http.is_closed, still_open

    assert asyncio.run(main()) == (True, True)
