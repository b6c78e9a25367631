"""``RetryPolicy.read_before_refund``: the read before each refund POST, and turning it off.

On (the default), a refund costs a GET of the order's refunds and the POST, and an in-doubt
failure is settled by reading back (see test_refund_safety). Off, a refund is one POST; an
in-doubt failure raises RefundOutcomeUnknownError at once, with no GET and no second POST; a
failure that proves nothing was recorded raises its own typed error, exactly as with the read.
"""

from __future__ import annotations

import asyncio
import dataclasses
import random
import time as real_time
from collections.abc import Callable

import httpx
import pytest

from bigcommerce_refunds.client import (
    ApiError,
    ConnectionFailedError,
    MalformedResponseError,
    RateLimitedError,
    RefundOutcomeUnknownError,
    RefundsError,
    RequestTimeoutError,
    RetryPolicy,
    ServiceUnavailableError,
    UnexpectedStatusError,
    UnprocessableError,
)
from bigcommerce_refunds.client._engine import Engine, Send
from bigcommerce_refunds.client._matching import RefundSpec

from ._support import (
    ITEMS,
    ORDER_REFUNDS,
    PAYMENTS,
    TAX_503,
    FakeStore,
    FakeTime,
    Reply,
    json_response,
    make_async_client,
    make_client,
)

READ_OFF = RetryPolicy.without_read_before_refund()


def methods(store: FakeStore) -> list[str]:
    return [request.method for request in store.requests]


# --- the policy ------------------------------------------------------------------------------


def test_the_read_is_on_by_default_and_never_does_not_turn_it_off() -> None:
    assert RetryPolicy().read_before_refund is True
    assert RetryPolicy.never().read_before_refund is True  # never() is about retries only


def test_without_read_before_refund_turns_off_only_the_read() -> None:
    assert READ_OFF.read_before_refund is False
    assert RetryPolicy(read_before_refund=False) == READ_OFF
    assert READ_OFF.max_attempts == RetryPolicy().max_attempts  # reads keep their retries
    combined = dataclasses.replace(RetryPolicy.never(), read_before_refund=False)
    assert (combined.max_attempts, combined.read_before_refund) == (1, False)


@pytest.mark.parametrize(
    "option", [{"refund_retries": 1}, {"refund_retries": 0}, {"settle_delay": 1.0}]
)
def test_the_options_that_resent_after_a_read_back_are_gone(option: dict[str, object]) -> None:
    # A read-back cannot prove that a POST still in progress will not be recorded, so no
    # setting may turn "nothing seen yet" into a second POST.
    with pytest.raises(TypeError, match="unexpected keyword argument"):
        RetryPolicy(**option)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("option", "message"),
    [
        ({"settle_window": -1.0}, "cannot be negative"),
        ({"settle_initial_delay": 0.0}, "must be positive"),
        ({"settle_initial_delay": 5.0, "settle_max_interval": 1.0}, "at least as long"),
        ({"settle_window": float("inf")}, "finite"),
        ({"max_attempts": 0}, "at least 1"),
    ],
)
def test_settle_settings_are_validated(option: dict[str, float], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        RetryPolicy(**option)  # type: ignore[arg-type]


# --- on: the default still reads first -------------------------------------------------------


def test_by_default_a_refund_reads_the_order_first() -> None:
    store = FakeStore()
    with make_client(store) as client:
        refund = client.create_refund(100, ITEMS, PAYMENTS)
    assert refund.id == 1
    assert methods(store) == ["GET", "POST"]
    assert store.requests[0].url.path.endswith(ORDER_REFUNDS)


def test_the_plans_first_step_is_the_read_or_the_post() -> None:
    # The engine without any I/O: what it asks to send first.
    spec = RefundSpec(order_id=100, items=tuple(ITEMS), payments=tuple(PAYMENTS))
    firsts = (
        (RetryPolicy(), ("GET", "getOrderRefunds")),
        (READ_OFF, ("POST", "createOrderRefund")),
    )
    for policy, expected in firsts:
        plan = Engine(policy, random.random, real_time.monotonic).create_refund(spec)
        try:
            first = next(plan)
        finally:
            plan.close()
        assert isinstance(first, Send)
        assert (first.request.method, first.request.operation) == expected


# --- off: one exchange per successful refund -------------------------------------------------


def test_read_off_a_successful_refund_is_one_post_and_nothing_else() -> None:
    store, time = FakeStore(), FakeTime()
    store.record(100)  # an older refund on the order, which nobody reads
    with make_client(store, time, READ_OFF) as client:
        first = client.create_refund(100, ITEMS, PAYMENTS)
        second = client.create_tax_adjustment_refund(100, "5.75")
    assert (first.id, second.id) == (2, 3)
    assert methods(store) == ["POST", "POST"]
    assert len(store.requests) == 2
    assert time.sleeps == []


def test_read_off_the_async_client_sends_one_post_too() -> None:
    store = FakeStore()

    async def main() -> int:
        async with make_async_client(store, retry=READ_OFF) as client:
            return (await client.create_refund(100, ITEMS, PAYMENTS)).id

    assert asyncio.run(main()) == 1
    assert methods(store) == ["POST"]


# --- off: an in-doubt failure is neither read back nor retried -------------------------------


def recorded_then(store: FakeStore, error: Exception) -> Reply:
    """The server records the refund, then the client never hears back."""

    def reply(request: httpx.Request) -> httpx.Response:
        store.record(100)
        raise error

    return reply


# Factories, so that every test gets its own response or exception object.
IN_DOUBT: list[tuple[str, Callable[[], Reply], type[RefundsError]]] = [
    ("read timeout", lambda: httpx.ReadTimeout("timed out"), RequestTimeoutError),
    ("write timeout", lambda: httpx.WriteTimeout("slow"), RequestTimeoutError),
    ("dropped connection", lambda: httpx.RemoteProtocolError("closed"), ConnectionFailedError),
    ("500", lambda: httpx.Response(500, text="oops"), UnexpectedStatusError),
    ("502", lambda: httpx.Response(502, text="Bad gateway"), UnexpectedStatusError),
    ("other 503", lambda: httpx.Response(503, text="busy"), ServiceUnavailableError),
    ("504", lambda: httpx.Response(504, text="Gateway timeout"), UnexpectedStatusError),
]


@pytest.mark.parametrize(
    ("reply", "post_error"),
    [(reply, kind) for _, reply, kind in IN_DOUBT],
    ids=[name for name, _, _ in IN_DOUBT],
)
def test_read_off_an_in_doubt_failure_raises_outcome_unknown_at_once(
    reply: Callable[[], Reply], post_error: type[RefundsError]
) -> None:
    store, time = FakeStore(), FakeTime()
    store.script("POST", ORDER_REFUNDS, reply())
    with (
        make_client(store, time, READ_OFF) as client,
        pytest.raises(RefundOutcomeUnknownError) as caught,
    ):
        client.create_refund(100, ITEMS, PAYMENTS)
    assert methods(store) == ["POST"]  # no read before, no read-back, no second POST
    assert time.sleeps == []  # no settle delay, no backoff
    error = caught.value
    assert isinstance(error.post_error, post_error)
    assert error.__cause__ is error.post_error
    assert (error.order_id, error.operation) == (100, "createOrderRefund")
    assert error.read_error is None
    assert error.new_refund_ids == ()
    message = str(error)
    assert "outcome unknown" in message
    assert "read_before_refund=False" in message
    assert "GET /orders/100/payment_actions/refunds" in message
    assert "client.find_refund(100, items, payments, since=...)" in message
    assert str(error.post_error) in message


def test_read_off_a_refund_recorded_before_the_failure_is_not_looked_for() -> None:
    # With the read on this refund would be found and returned (test_refund_safety); off, the
    # client cannot know, and says so rather than guess.
    store = FakeStore()
    store.script("POST", ORDER_REFUNDS, recorded_then(store, httpx.ReadTimeout("timed out")))
    with make_client(store, retry=READ_OFF) as client, pytest.raises(RefundOutcomeUnknownError):
        client.create_refund(100, ITEMS, PAYMENTS)
    assert methods(store) == ["POST"]
    assert len(store.refunds[100]) == 1  # it was recorded: exactly why a resend would be wrong


def test_read_off_the_async_client_raises_outcome_unknown_the_same_way() -> None:
    store, time = FakeStore(), FakeTime()
    store.script("POST", ORDER_REFUNDS, httpx.ReadTimeout("timed out"))

    async def main() -> None:
        async with make_async_client(store, time, READ_OFF) as client:
            await client.create_refund(100, ITEMS, PAYMENTS)

    with pytest.raises(RefundOutcomeUnknownError) as caught:
        asyncio.run(main())
    assert isinstance(caught.value.post_error, RequestTimeoutError)
    assert "read_before_refund=False" in str(caught.value)
    assert methods(store) == ["POST"]
    assert time.sleeps == []


# --- off: refusals and malformed successes are exactly as with the read ----------------------


DEFINITE: list[tuple[str, Callable[[], httpx.Response], type[ApiError]]] = [
    ("tax-service 503", lambda: json_response(503, TAX_503), ServiceUnavailableError),
    (
        "422",
        lambda: json_response(422, {"data": [{"status": 422, "title": "no"}]}),
        UnprocessableError,
    ),
    (
        "malformed 201",
        lambda: httpx.Response(201, json={"data": {"id": 9}}),
        MalformedResponseError,
    ),
]


@pytest.mark.parametrize(
    ("reply", "kind"),
    [(reply, kind) for _, reply, kind in DEFINITE],
    ids=[name for name, _, _ in DEFINITE],
)
def test_read_off_definite_answers_raise_what_they_raise_with_the_read(
    reply: Callable[[], httpx.Response], kind: type[ApiError]
) -> None:
    # A refusal (4xx, the documented tax-service 503) proves nothing was recorded; a malformed
    # 2xx proves it was. Neither is RefundOutcomeUnknownError, with or without the read.
    raised: dict[bool, ApiError] = {}
    for read in (True, False):
        store, time = FakeStore(), FakeTime()
        store.script("POST", ORDER_REFUNDS, reply())
        policy = RetryPolicy() if read else READ_OFF
        with make_client(store, time, policy) as client, pytest.raises(kind) as caught:
            client.create_refund(100, ITEMS, PAYMENTS)
        assert methods(store) == (["GET", "POST"] if read else ["POST"])
        assert time.sleeps == []
        raised[read] = caught.value
    with_read, without = raised[True], raised[False]
    assert type(without) is type(with_read) is kind
    assert str(without) == str(with_read)
    assert (without.status_code, without.body) == (with_read.status_code, with_read.body)
    assert getattr(without, "__notes__", []) == getattr(with_read, "__notes__", [])


NEVER_REACHED: list[tuple[str, Callable[[], Reply], type[RefundsError]]] = [
    ("refused connection", lambda: httpx.ConnectError("refused"), ConnectionFailedError),
    ("connect timeout", lambda: httpx.ConnectTimeout("no route"), RequestTimeoutError),
    (
        "429",
        lambda: json_response(429, {"status": 429, "title": "slow"}, {"X-Retry-After": "1"}),
        RateLimitedError,
    ),
]


@pytest.mark.parametrize(
    ("reply", "kind"),
    [(reply, kind) for _, reply, kind in NEVER_REACHED],
    ids=[name for name, _, _ in NEVER_REACHED],
)
def test_read_off_a_post_that_never_arrived_is_sent_again_then_raised_typed(
    reply: Callable[[], Reply], kind: type[RefundsError]
) -> None:
    store, time = FakeStore(), FakeTime()
    store.script("POST", ORDER_REFUNDS, *[reply() for _ in range(4)])
    with make_client(store, time, READ_OFF) as client, pytest.raises(kind) as caught:
        client.create_refund(100, ITEMS, PAYMENTS)
    assert methods(store) == ["POST"] * 4  # max_attempts; no snapshot needed to resend these
    assert not isinstance(caught.value, RefundOutcomeUnknownError)
    assert any("was not recorded" in note for note in caught.value.__notes__)
