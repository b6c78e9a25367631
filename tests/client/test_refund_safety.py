"""A refund POST is sent again only when it provably never reached the store.

Every other failure is in doubt: the client reads the order's refunds back over the settle
window, returns the refund if it appears, and otherwise raises RefundOutcomeUnknownError. These
tests drive the rules with a scripted store and a fake clock; test_refund_safety_e2e drives
them against the real sandbox over loopback.
"""

from __future__ import annotations

import asyncio
import datetime
import json
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import httpx
import pytest
from bigcommerce_refunds_client.models import Refund

from bigcommerce_refunds.client import (
    ConnectionFailedError,
    MultipleRefundsMatchError,
    RateLimitedError,
    RefundOutcomeUnknownError,
    RequestTimeoutError,
    RetryPolicy,
    ServiceUnavailableError,
    UnexpectedStatusError,
    merchant_override,
    order_level,
    payment,
    product,
    refund_total,
    shipping,
)
from bigcommerce_refunds.client._matching import RefundSpec, judge, matches

from ._support import (
    ITEMS,
    ORDER_REFUNDS,
    PAYMENTS,
    TAX_503,
    FakeStore,
    FakeTime,
    Reply,
    envelope,
    json_response,
    make_async_client,
    make_client,
    product_refund,
    refund_json,
)

#: The default settle schedule: waits double from 1 s up to 10 s, within a 60 s window.
DEFAULT_SETTLE = [1.0, 2.0, 4.0, 8.0, 10.0, 10.0, 10.0, 10.0, 5.0]


def methods(store: FakeStore) -> list[str]:
    return [request.method for request in store.requests]


def recorded_then(store: FakeStore, error: Exception) -> Reply:
    """A POST reply: the server records the refund, then the client never hears back."""

    def reply(request: httpx.Request) -> httpx.Response:
        store.record(100)
        raise error

    return reply


def recorded_then_answered(store: FakeStore, response: httpx.Response) -> Reply:
    def reply(request: httpx.Request) -> httpx.Response:
        store.record(100)
        return response

    return reply


def slow_gateway(store: FakeStore, reads_before_it_lands: int) -> Reply:
    """The POST times out; the refund is recorded only after this many read-backs."""
    reads = {"count": 0}

    def read(request: httpx.Request) -> httpx.Response:
        reads["count"] += 1
        if reads["count"] == reads_before_it_lands + 1:
            store.record(100)
        return json_response(200, envelope(store.refunds.get(100, [])))

    store.script("GET", ORDER_REFUNDS, json_response(200, envelope([])))  # the snapshot
    for _ in range(20):
        store.script("GET", ORDER_REFUNDS, read)
    return httpx.ReadTimeout("timed out")


# --- in doubt: read back, never resend --------------------------------------------------------


def test_a_refund_recorded_before_the_timeout_is_returned_without_resending() -> None:
    store, time = FakeStore(), FakeTime()
    store.record(100, product_refund(0, amount="5.00"))  # an older refund: not ours
    store.script("POST", ORDER_REFUNDS, recorded_then(store, httpx.ReadTimeout("timed out")))
    with make_client(store, time) as client:
        refund = client.create_refund(100, ITEMS, PAYMENTS)
    assert refund.id == 2
    assert refund_total(refund) == Decimal("37.89")
    assert methods(store) == ["GET", "POST", "GET"]  # snapshot, POST, one read-back
    assert time.sleeps == [1.0]


def test_a_slow_gateway_is_waited_for_not_paid_twice() -> None:
    # The reproduction: the refund lands while the client is already looking.
    store, time = FakeStore(), FakeTime()
    store.script("POST", ORDER_REFUNDS, slow_gateway(store, reads_before_it_lands=3))
    with make_client(store, time) as client:
        refund = client.create_refund(100, ITEMS, PAYMENTS)
    assert refund.id == 1
    assert store.count("POST") == 1
    assert len(store.refunds[100]) == 1
    assert time.sleeps == [1.0, 2.0, 4.0, 8.0]  # found on the fourth read-back


def test_a_timeout_with_nothing_recorded_is_read_back_for_the_whole_window_never_resent() -> None:
    store, time = FakeStore(), FakeTime()
    store.script("POST", ORDER_REFUNDS, httpx.ReadTimeout("timed out"))
    with make_client(store, time) as client, pytest.raises(RefundOutcomeUnknownError) as caught:
        client.create_refund(100, ITEMS, PAYMENTS)
    assert store.count("POST") == 1
    assert time.sleeps == DEFAULT_SETTLE
    assert sum(time.sleeps) == 60.0
    assert methods(store) == ["GET", "POST"] + ["GET"] * len(DEFAULT_SETTLE)
    error = caught.value
    assert error.new_refund_ids == ()
    assert error.read_error is None
    assert isinstance(error.post_error, RequestTimeoutError)
    assert error.__cause__ is error.post_error


IN_DOUBT: list[tuple[str, Callable[[], Exception | httpx.Response]]] = [
    ("read timeout", lambda: httpx.ReadTimeout("timed out")),
    ("write timeout", lambda: httpx.WriteTimeout("slow")),
    ("dropped after writing", lambda: httpx.RemoteProtocolError("closed")),
    ("read error", lambda: httpx.ReadError("reset by peer")),
    ("500", lambda: httpx.Response(500, text="oops")),
    ("502", lambda: httpx.Response(502, text="<h1>Bad gateway</h1>")),
    ("503 without the documented body", lambda: httpx.Response(503, text="busy")),
    ("504", lambda: httpx.Response(504, text="Gateway timeout")),
    ("307", lambda: httpx.Response(307, headers={"Location": "/elsewhere"})),
]


@pytest.mark.parametrize("failure", [f for _, f in IN_DOUBT], ids=[n for n, _ in IN_DOUBT])
@pytest.mark.parametrize("recorded", [True, False], ids=["recorded", "not-recorded"])
def test_in_doubt_failures_are_never_resent(
    failure: Callable[[], Exception | httpx.Response], recorded: bool
) -> None:
    store, time = FakeStore(), FakeTime()
    made = failure()
    if recorded:
        reply: Reply = (
            recorded_then(store, made)
            if isinstance(made, Exception)
            else recorded_then_answered(store, made)
        )
    else:
        reply = made
    store.script("POST", ORDER_REFUNDS, reply)
    policy = RetryPolicy(settle_window=3.0)
    with make_client(store, time, policy) as client:
        if recorded:
            assert client.create_refund(100, ITEMS, PAYMENTS).id == 1
        else:
            with pytest.raises(RefundOutcomeUnknownError):
                client.create_refund(100, ITEMS, PAYMENTS)
    assert store.count("POST") == 1
    assert len(store.refunds.get(100, [])) == (1 if recorded else 0)


def test_read_back_failures_end_in_outcome_unknown_naming_the_last_one() -> None:
    store, time = FakeStore(), FakeTime()
    store.script("POST", ORDER_REFUNDS, httpx.ReadTimeout("timed out"))
    store.script("GET", ORDER_REFUNDS, json_response(200, envelope([])))  # the snapshot
    store.script("GET", ORDER_REFUNDS, *[httpx.ConnectError("down") for _ in range(20)])
    policy = RetryPolicy(settle_window=10.0)
    with (
        make_client(store, time, policy) as client,
        pytest.raises(RefundOutcomeUnknownError) as caught,
    ):
        client.create_refund(100, ITEMS, PAYMENTS)
    error = caught.value
    assert isinstance(error.read_error, ConnectionFailedError)
    assert "failed every time" in str(error)
    assert store.count("POST") == 1
    assert time.sleeps == [1.0, 2.0, 4.0, 3.0]


def test_a_rate_limited_read_back_waits_for_the_reset_before_the_next() -> None:
    store, time = FakeStore(), FakeTime()
    store.script("POST", ORDER_REFUNDS, recorded_then(store, httpx.ReadTimeout("timed out")))
    store.script("GET", ORDER_REFUNDS, json_response(200, envelope([])))  # the snapshot
    store.script(
        "GET",
        ORDER_REFUNDS,
        json_response(
            429, {"status": 429, "title": "slow"}, {"X-Rate-Limit-Time-Reset-Ms": "7000"}
        ),
    )
    with make_client(store, time) as client:
        assert client.create_refund(100, ITEMS, PAYMENTS).id == 1
    assert time.sleeps == [1.0, 7.0]
    assert store.count("POST") == 1


def test_a_new_refund_that_does_not_match_is_not_taken_for_ours() -> None:
    store, time = FakeStore(), FakeTime()

    def someone_else_refunded(request: httpx.Request) -> httpx.Response:
        store.record(100, product_refund(0, amount="1.00"))
        raise httpx.RemoteProtocolError("connection dropped")

    store.script("POST", ORDER_REFUNDS, someone_else_refunded)
    policy = RetryPolicy(settle_window=5.0)
    with (
        make_client(store, time, policy) as client,
        pytest.raises(RefundOutcomeUnknownError) as caught,
    ):
        client.create_refund(100, ITEMS, PAYMENTS)
    assert caught.value.new_refund_ids == (1,)
    assert "none of which matches it" in str(caught.value)
    assert store.count("POST") == 1
    assert time.sleeps == [1.0, 2.0, 2.0]  # the whole window: ours may still land


def test_two_matching_new_refunds_mean_outcome_unknown_at_once() -> None:
    store, time = FakeStore(), FakeTime()

    def twice(request: httpx.Request) -> httpx.Response:
        store.record(100)
        store.record(100)
        return httpx.Response(500)

    store.script("POST", ORDER_REFUNDS, twice)
    with make_client(store, time) as client, pytest.raises(RefundOutcomeUnknownError) as caught:
        client.create_refund(100, ITEMS, PAYMENTS)
    assert "several new refunds matching it (1, 2)" in str(caught.value)
    assert isinstance(caught.value.post_error, UnexpectedStatusError)
    assert time.sleeps == [1.0]


def test_outcome_unknown_says_what_was_sent_and_how_to_settle_it() -> None:
    store, time = FakeStore(), FakeTime()
    store.script("POST", ORDER_REFUNDS, httpx.ReadTimeout("timed out"))
    items = [product(1, 1), shipping(7, "4.10")]
    payments = [payment("braintree", "41.99")]
    before = datetime.datetime.now(datetime.UTC)
    policy = RetryPolicy(settle_window=0)
    with (
        make_client(store, time, policy) as client,
        pytest.raises(RefundOutcomeUnknownError) as caught,
    ):
        client.create_refund(100, items, payments)
    error = caught.value
    message = str(error)
    assert "order 100" in message
    assert "PRODUCT 1 x1, SHIPPING 7 4.10; payments braintree 41.99" in message
    assert "client.find_refund(100, items, payments, since=...)" in message
    assert "NOT sent again" in message
    assert (error.items, error.payments) == (tuple(items), tuple(payments))
    assert error.merchant_override is None
    assert error.tax_adjustment_amount is None
    assert error.sent_at is not None
    assert before <= error.sent_at <= datetime.datetime.now(datetime.UTC)
    assert time.sleeps == [0.0]  # a zero window still reads back once


# --- proven not recorded: raised as is ------------------------------------------------------


def test_the_documented_tax_service_503_is_raised_at_once_as_not_recorded() -> None:
    store, time = FakeStore(), FakeTime()
    store.script("POST", ORDER_REFUNDS, json_response(503, TAX_503))
    with make_client(store, time) as client, pytest.raises(ServiceUnavailableError) as caught:
        client.create_refund(100, ITEMS, PAYMENTS)
    assert methods(store) == ["GET", "POST"]
    assert time.sleeps == []
    assert caught.value.failures[0].error == "Tax service gone away"
    assert any("was not recorded" in note for note in caught.value.__notes__)


# --- never reached the store: the only failures that are sent again -------------------------


NEVER_REACHED: list[tuple[str, Callable[[], Exception]]] = [
    ("connection refused", lambda: httpx.ConnectError("refused")),
    ("connect timeout", lambda: httpx.ConnectTimeout("no route")),
    ("pool timeout", lambda: httpx.PoolTimeout("no free connection")),
]


@pytest.mark.parametrize(
    "failure", [f for _, f in NEVER_REACHED], ids=[n for n, _ in NEVER_REACHED]
)
def test_a_post_that_never_reached_the_store_is_sent_again(
    failure: Callable[[], Exception],
) -> None:
    store, time = FakeStore(), FakeTime()
    store.script("POST", ORDER_REFUNDS, failure())
    with make_client(store, time) as client:
        assert client.create_refund(100, ITEMS, PAYMENTS).id == 1
    assert methods(store) == ["GET", "POST", "POST"]  # no read-back: nothing was in doubt
    assert time.sleeps == [0.375]


def test_a_429_is_sent_again_after_the_advertised_reset() -> None:
    store, time = FakeStore(), FakeTime()
    store.script(
        "POST",
        ORDER_REFUNDS,
        json_response(
            429, {"status": 429, "title": "slow"}, {"X-Rate-Limit-Time-Reset-Ms": "2500"}
        ),
    )
    with make_client(store, time) as client:
        assert client.create_refund(100, ITEMS, PAYMENTS).id == 1
    assert time.sleeps == [2.5]
    assert store.count("POST") == 2


def test_without_429_in_retry_statuses_a_429_is_raised() -> None:
    store, time = FakeStore(), FakeTime()
    store.script("POST", ORDER_REFUNDS, json_response(429, {"status": 429, "title": "slow"}))
    policy = RetryPolicy(retry_statuses=frozenset({503}))
    with make_client(store, time, policy) as client, pytest.raises(RateLimitedError) as caught:
        client.create_refund(100, ITEMS, PAYMENTS)
    assert store.count("POST") == 1
    assert any("was not recorded" in note for note in caught.value.__notes__)


def test_resends_stop_at_max_attempts_with_the_typed_error() -> None:
    store, time = FakeStore(), FakeTime()
    store.script("POST", ORDER_REFUNDS, *[httpx.ConnectError("refused") for _ in range(4)])
    with make_client(store, time) as client, pytest.raises(ConnectionFailedError) as caught:
        client.create_refund(100, ITEMS, PAYMENTS)
    assert store.count("POST") == 4
    assert caught.value.maybe_sent is False
    assert any("was not recorded" in note for note in caught.value.__notes__)


def test_never_policy_does_not_resend_even_what_never_arrived() -> None:
    store = FakeStore()
    store.script("POST", ORDER_REFUNDS, httpx.ConnectError("refused"))
    with (
        make_client(store, retry=RetryPolicy.never()) as client,
        pytest.raises(ConnectionFailedError),
    ):
        client.create_refund(100, ITEMS, PAYMENTS)
    assert store.count("POST") == 1


def test_a_resend_that_then_fails_in_doubt_is_read_back_not_resent_again() -> None:
    store, time = FakeStore(), FakeTime()
    store.script(
        "POST",
        ORDER_REFUNDS,
        httpx.ConnectError("refused"),
        recorded_then(store, httpx.ReadTimeout("timed out")),
    )
    with make_client(store, time) as client:
        assert client.create_refund(100, ITEMS, PAYMENTS).id == 1
    assert methods(store) == ["GET", "POST", "POST", "GET"]
    assert time.sleeps == [0.375, 1.0]


def test_snapshot_failure_raises_before_anything_is_sent() -> None:
    store = FakeStore()
    store.script(
        "GET", ORDER_REFUNDS, json_response(404, {"status": 404, "title": "Order not found."})
    )
    with make_client(store) as client, pytest.raises(Exception, match="Order not found"):
        client.create_refund(100, ITEMS, PAYMENTS)
    assert store.count("POST") == 0


def test_async_client_waits_for_a_slow_gateway_and_resends_only_what_never_arrived() -> None:
    store, time = FakeStore(), FakeTime()
    store.script("POST", ORDER_REFUNDS, slow_gateway(store, reads_before_it_lands=1))
    store.script("POST", ORDER_REFUNDS, httpx.ConnectTimeout("no route"))

    async def main() -> tuple[Refund, Refund]:
        async with make_async_client(store, time) as client:
            first = await client.create_refund(100, ITEMS, PAYMENTS)
            second = await client.create_refund(100, ITEMS, PAYMENTS)
            return first, second

    first, second = asyncio.run(main())
    assert (first.id, second.id) == (1, 2)
    assert store.count("POST") == 3  # one for the first, two for the second
    assert time.sleeps == [1.0, 2.0, 0.375]


# --- settling later: find_refund -------------------------------------------------------------


def at(refund: dict[str, Any], created: str) -> dict[str, Any]:
    return {**refund, "created": created}


def test_find_refund_returns_the_match_none_or_refuses_to_guess() -> None:
    store = FakeStore()
    with make_client(store) as client:
        assert client.find_refund(100, ITEMS, PAYMENTS) is None
        store.record(100, at(product_refund(0), "2026-03-01T10:00:00+00:00"))
        store.record(100, at(product_refund(0, amount="1.00"), "2026-03-01T11:00:00+00:00"))
        found = client.find_refund(100, ITEMS, PAYMENTS)
        assert found is not None
        assert found.id == 1
        store.record(100, at(product_refund(0), "2026-03-01T12:00:00+00:00"))
        with pytest.raises(MultipleRefundsMatchError) as caught:
            client.find_refund(100, ITEMS, PAYMENTS)
        assert caught.value.refund_ids == (1, 3)
        assert "Pass a later `since`" in str(caught.value)
        since = datetime.datetime(
            2026, 3, 1, 13, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=2))
        )
        later = client.find_refund(100, ITEMS, PAYMENTS, since=since)
        assert later is not None
        assert later.id == 3
        with pytest.raises(ValueError, match="timezone-aware"):
            client.find_refund(100, ITEMS, PAYMENTS, since=datetime.datetime(2026, 3, 1))
    assert store.count("POST") == 0


def test_find_refund_settles_an_outcome_unknown_error_from_its_attributes() -> None:
    store, time = FakeStore(), FakeTime()
    store.script("POST", ORDER_REFUNDS, httpx.ReadTimeout("timed out"))
    with make_client(store, time, RetryPolicy(settle_window=0)) as client:
        with pytest.raises(RefundOutcomeUnknownError) as caught:
            client.create_refund(100, ITEMS, PAYMENTS)
        error = caught.value
        assert error.sent_at is not None
        store.record(100, at(product_refund(0), error.sent_at.isoformat()))  # it lands later
        found = client.find_refund(
            error.order_id,
            error.items,
            error.payments,
            merchant_override=error.merchant_override,
            since=error.sent_at - datetime.timedelta(minutes=5),
        )
    assert found is not None
    assert found.id == 1
    assert store.count("POST") == 1


def test_async_find_tax_adjustment_refund() -> None:
    store = FakeStore()
    store.record(
        106,
        refund_json(0, 106, payments=[{"provider_id": "braintree", "amount": 5.75}], total=5.75),
    )

    async def main() -> tuple[Refund | None, Refund | None]:
        async with make_async_client(store) as client:
            return (
                await client.find_tax_adjustment_refund(106, "5.75"),
                await client.find_tax_adjustment_refund(106, "5.70"),
            )

    found, missing = asyncio.run(main())
    assert found is not None
    assert found.id == 1
    assert missing is None


# --- the matching rule, directly -------------------------------------------------------------


def parsed(body: dict[str, Any]) -> Refund:
    return Refund.from_dict(json.loads(json.dumps(body)))


def test_matching_compares_items_and_payments_exactly() -> None:
    spec = RefundSpec(
        order_id=100,
        items=(product(1, 2), shipping(7, Decimal("10.10"))),
        payments=(payment("braintree", "20.10"), payment("storecredit", "10")),
    )
    record = refund_json(
        5,
        items=[
            {"item_type": "SHIPPING", "item_id": 7, "requested_amount": 10.1},
            {"item_type": "PRODUCT", "item_id": 1, "quantity": 2, "requested_amount": None},
        ],
        payments=[
            {"provider_id": "storecredit", "amount": 10, "offline": True},
            {"provider_id": "braintree", "amount": 20.1},
        ],
        total=30.1,
    )
    assert matches(spec, parsed(record))
    other_quantity = json.loads(json.dumps(record))
    other_quantity["items"][1]["quantity"] = 1
    assert not matches(spec, parsed(other_quantity))
    other_amount = json.loads(json.dumps(record))
    other_amount["payments"][1]["amount"] = 20.11
    assert not matches(spec, parsed(other_amount))
    assert not matches(spec, parsed({**record, "order_id": 101}))


def test_matching_tax_adjustments_and_overrides() -> None:
    tax = RefundSpec(order_id=106, tax_adjustment_amount=Decimal("5.75"))
    record = refund_json(
        3, 106, payments=[{"provider_id": "braintree", "amount": 5.75}], total=5.75
    )
    assert matches(tax, parsed(record))
    assert not matches(tax, parsed({**record, "total_amount": 5.7}))
    overridden = RefundSpec(
        order_id=100,
        items=(order_level(100, "10"),),
        payments=(payment("braintree", "10"),),
        merchant_override=merchant_override("10", "0"),
    )
    with_override = refund_json(
        4,
        items=[{"item_type": "ORDER", "item_id": 100, "requested_amount": 10}],
        payments=[{"provider_id": "braintree", "amount": 10}],
        total=10,
        override=True,
    )
    assert matches(overridden, parsed(with_override))
    assert not matches(
        overridden, parsed({**with_override, "uses_merchant_override_values": False})
    )


def test_judge_verdicts() -> None:
    spec = RefundSpec(order_id=100, items=tuple(ITEMS), payments=tuple(PAYMENTS))
    old, ours, other = (
        parsed(product_refund(1)),
        parsed(product_refund(2)),
        parsed(product_refund(3, amount="1.00")),
    )
    assert judge(spec, frozenset({1}), [old]).recorded is None
    assert judge(spec, frozenset({1}), [old]).new_refund_ids == ()
    assert judge(spec, frozenset({1}), [old, ours, other]).recorded is ours
    unknown = judge(spec, frozenset({1}), [old, other])
    assert unknown.recorded is None
    assert unknown.new_refund_ids == (3,)
