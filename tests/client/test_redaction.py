"""The access token never shows: not in reprs, errors, attached requests, tracebacks or logs."""

from __future__ import annotations

import asyncio
import logging
import traceback
from decimal import Decimal

import httpx
import pytest

from bigcommerce_refunds.client import (
    AccessToken,
    AuthenticationError,
    MalformedResponseError,
    NotFoundError,
    RefundOutcomeUnknownError,
    RefundsClient,
    RefundsError,
    RequestTimeoutError,
    RetryPolicy,
    payment,
    product,
)
from bigcommerce_refunds.client.responses import RawResponse
from bigcommerce_refunds.client.transport import REDACTED, Redactor

from ._support import (
    BASE_URL,
    ORDER_REFUNDS,
    TOKEN,
    FakeStore,
    json_response,
    make_async_client,
    make_client,
)


def everything_about(error: BaseException) -> str:
    """Every text a caller or a log handler could get out of an exception."""
    parts = [str(error), repr(error), repr(error.args), "".join(traceback.format_exception(error))]
    for value in vars(error).values():
        parts.append(repr(value))
        if isinstance(value, bytes):
            parts.append(value.decode("utf-8", "replace"))
        if isinstance(value, httpx.Headers):
            parts.extend(f"{k}: {v}" for k, v in value.multi_items())
        if isinstance(value, httpx.Request):
            parts.extend(f"{k}: {v}" for k, v in value.headers.multi_items())
            parts.append(str(value.url))
            parts.append(value.content.decode("utf-8", "replace"))
    cause = error.__cause__ or error.__context__
    if cause is not None and cause is not error:
        parts.append(everything_about(cause))
        if isinstance(cause, httpx.RequestError):
            parts.extend(f"{k}: {v}" for k, v in cause.request.headers.multi_items())
    return "\n".join(parts)


def test_repr_and_str_of_clients_and_tokens_hide_the_token() -> None:
    with make_client(FakeStore()) as client:
        texts = [
            repr(client),
            str(client),
            repr(vars(client)),
            repr(vars(client._core)),
        ]
    assert all(TOKEN not in text for text in texts)
    assert "AccessToken('***')" in repr(client)
    token = AccessToken(TOKEN)
    assert TOKEN not in f"{token} {token!r} {token!s}"
    assert token.reveal() == TOKEN

    async def check_async() -> str:
        async with make_async_client(FakeStore()) as client:
            return repr(client)

    assert TOKEN not in asyncio.run(check_async())


def test_the_token_is_sent_on_the_wire() -> None:
    # The counterpart of every other test here: redaction must not break authentication.
    store = FakeStore()
    with make_client(store) as client:
        client.get_order_refunds(100)
    assert store.requests[0].headers["X-Auth-Token"] == TOKEN


def test_http_errors_never_carry_the_token_even_when_the_server_echoes_it() -> None:
    store = FakeStore()
    echo = {"status": 401, "title": f"Token {TOKEN} is invalid", "type": "x"}
    store.script("GET", ORDER_REFUNDS, json_response(401, echo, {"X-Echo": f"token={TOKEN}"}))
    with make_client(store) as client, pytest.raises(AuthenticationError) as caught:
        client.get_order_refunds(100)
    error = caught.value
    assert TOKEN not in everything_about(error)
    assert error.request is not None
    assert error.request.headers["X-Auth-Token"] == REDACTED
    assert error.headers["X-Echo"] == f"token={REDACTED}"
    assert error.titles == (f"Token {REDACTED} is invalid",)


def test_transport_errors_and_their_chained_httpx_exception_are_redacted() -> None:
    store = FakeStore()
    store.script("GET", ORDER_REFUNDS, httpx.ReadTimeout("timed out"))
    with (
        make_client(store, retry=RetryPolicy.never()) as client,
        pytest.raises(RequestTimeoutError) as caught,
    ):
        client.get_order_refunds(100)
    error = caught.value
    assert TOKEN not in everything_about(error)
    assert error.request is not None
    assert error.request.headers["X-Auth-Token"] == REDACTED
    cause = error.__cause__
    assert isinstance(cause, httpx.ReadTimeout)
    assert cause.request.headers["X-Auth-Token"] == REDACTED


def test_a_malformed_success_keeps_only_redacted_copies() -> None:
    # A 2xx is the path on which the copies are made late (only once the body fails to parse).
    store = FakeStore()
    store.script(
        "GET",
        "/orders/payment_actions/refunds/7",
        json_response(200, {"data": {"echo": TOKEN}}, {"X-Echo": f"token={TOKEN}"}),
    )
    with (
        make_client(store, retry=RetryPolicy.never()) as client,
        pytest.raises(MalformedResponseError) as caught,
    ):
        client.get_refund(7)
    error = caught.value
    assert TOKEN not in everything_about(error)
    assert error.request is not None
    assert error.request.headers["X-Auth-Token"] == REDACTED
    assert error.headers["X-Echo"] == f"token={REDACTED}"


def test_raw_responses_redact_headers_and_request_on_first_use() -> None:
    sent = httpx.Request("GET", f"{BASE_URL}/orders/1", headers={"X-Auth-Token": TOKEN})
    headers = httpx.Headers({"X-Echo": TOKEN, "Content-Type": "application/json"})
    raw = RawResponse(500, headers, b"{}", sent, redactor=Redactor(AccessToken(TOKEN)))
    assert TOKEN not in repr(raw)
    assert raw.headers["X-Echo"] == REDACTED
    assert raw.headers is raw.headers  # copied once
    assert raw.request is not None
    assert raw.request.headers["X-Auth-Token"] == REDACTED
    exchange = raw.exchange
    assert exchange.request is raw.request
    assert (exchange.status_code, exchange.body) == (500, b"{}")
    assert sent.headers["X-Auth-Token"] == TOKEN  # the original is left alone


def test_a_successful_call_makes_no_redacted_copies(monkeypatch: pytest.MonkeyPatch) -> None:
    copies: list[str] = []
    real_request, real_headers = Redactor.request, Redactor.headers

    def request(self: Redactor, value: httpx.Request) -> httpx.Request:
        copies.append("request")
        return real_request(self, value)

    def headers(self: Redactor, value: httpx.Headers) -> httpx.Headers:
        copies.append("headers")
        return real_headers(self, value)

    monkeypatch.setattr(Redactor, "request", request)
    monkeypatch.setattr(Redactor, "headers", headers)
    store = FakeStore()
    with make_client(store) as client:
        client.create_refund(100, [product(1, 1)], [payment("braintree", Decimal("37.89"))])
        assert copies == []
        with pytest.raises(NotFoundError):  # unscripted: the fake store answers 404
            client.get_refund(99)
    assert sorted(copies) == ["headers", "headers", "request"]  # response's, request's own


def test_outcome_unknown_errors_are_redacted() -> None:
    store = FakeStore()
    store.script("POST", ORDER_REFUNDS, httpx.ReadTimeout("timed out"))
    store.script("GET", ORDER_REFUNDS, json_response(200, {"data": [], "meta": {}}))
    store.script("GET", ORDER_REFUNDS, json_response(401, {"status": 401, "title": TOKEN}))
    with make_client(store) as client, pytest.raises(RefundOutcomeUnknownError) as caught:
        client.create_refund(100, [product(1, 1)], [payment("braintree", Decimal("1"))])
    assert TOKEN not in everything_about(caught.value)
    assert TOKEN not in everything_about(caught.value.post_error)


def test_logs_at_debug_never_contain_the_token(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)  # every logger: ours, httpx's, anything else
    store = FakeStore()
    store.script(
        "GET",
        ORDER_REFUNDS,
        json_response(429, {"status": 429, "title": TOKEN}, {"X-Retry-After": "1"}),
    )

    def recorded_then_dropped(request: httpx.Request) -> httpx.Response:
        store.record(100)
        raise httpx.RemoteProtocolError(f"peer closed; sent {TOKEN}?")

    store.script("POST", ORDER_REFUNDS, recorded_then_dropped)
    with make_client(store) as client:
        client.create_refund(100, [product(1, 1)], [payment("braintree", Decimal("37.89"))])
        with pytest.raises(RefundsError):
            client.get_refund(99)
    formatter = logging.Formatter("%(name)s %(levelname)s %(message)s")
    texts = [formatter.format(record) + repr(record.args) for record in caplog.records]
    assert any("retrying" in text for text in texts)
    assert any("was recorded as refund 1" in text for text in texts)
    assert any("-> HTTP 201" in text or "-> RemoteProtocolError" in text for text in texts)
    assert all(TOKEN not in text for text in texts)


def test_configuration_errors_do_not_echo_the_token() -> None:
    with pytest.raises(RefundsError) as caught:
        RefundsClient(base_url=BASE_URL, access_token=TOKEN + "\n")
    assert TOKEN not in everything_about(caught.value)


@pytest.mark.parametrize("token", ["x", "a", "ax", "ice", "serv"])
def test_a_short_token_does_not_mangle_messages(token: str) -> None:
    # Token "x" once turned "Tax service gone away" into "Ta[REDACTED] service gone away".
    store = FakeStore()
    body = {"data": [{"order_id": 100, "status": 503, "error": "Tax service gone away"}]}
    store.script("GET", ORDER_REFUNDS, json_response(503, body))
    with (
        RefundsClient(
            base_url=BASE_URL,
            access_token=token,
            transport=store.transport(),
            retry=RetryPolicy.never(),
        ) as client,
        pytest.raises(RefundsError) as caught,
    ):
        client.get_order_refunds(100)
    message = str(caught.value)
    assert "Tax service gone away" in message
    assert "getOrderRefunds" in message
    assert REDACTED not in message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Tax service", "Tax service"),
        ("token x is invalid", f"token {REDACTED} is invalid"),
        ('{"token":"x"}', f'{{"token":"{REDACTED}"}}'),
        ("https://h/p?token=x&y=1", f"https://h/p?token={REDACTED}&y=1"),
        ("x-ray and max_x", "x-ray and max_x"),
    ],
)
def test_a_short_token_is_redacted_where_it_stands_as_a_token(text: str, expected: str) -> None:
    redactor = Redactor(AccessToken("x"))
    assert redactor.text(text) == expected
    assert redactor.content(text.encode()) == expected.encode()


def test_a_percent_encoded_token_is_redacted_too() -> None:
    redactor = Redactor(AccessToken("a/b+c"))
    assert redactor.text("https://h/p?t=a%2Fb%2Bc") == f"https://h/p?t={REDACTED}"
    assert redactor.text("echo a/b+c.") == f"echo {REDACTED}."
