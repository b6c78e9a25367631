"""A refund POST is never sent twice unless the read-back proves the first was not recorded."""

from __future__ import annotations

import asyncio
import json
from decimal import Decimal
from typing import Any

import httpx
import pytest
from bigcommerce_refunds_client.models import Refund

from bigcommerce_refunds.client import (
    ConnectionFailedError,
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
    json_response,
    make_async_client,
    make_client,
    product_refund,
    refund_json,
)


def recorded_then(store: FakeStore, error: Exception) -> Any:
    """A POST reply: the server records the refund, then the client never hears back."""

    def reply(request: httpx.Request) -> httpx.Response:
        store.record(100)
        raise error

    return reply


def test_timeout_after_the_server_recorded_returns_that_refund_without_resending() -> None:
    store, time = FakeStore(), FakeTime()
    store.record(100, product_refund(0, amount="5.00"))  # an older refund: not ours
    store.script("POST", ORDER_REFUNDS, recorded_then(store, httpx.ReadTimeout("timed out")))
    with make_client(store, time) as client:
        refund = client.create_refund(100, ITEMS, PAYMENTS)
    assert refund.id == 2
    assert refund_total(refund) == Decimal("37.89")
    assert store.count("POST") == 1
    assert store.count("GET") == 2  # snapshot before, read-back after
    assert time.sleeps == [1.0]  # settle delay: the request may still have been in flight


def test_timeout_when_nothing_was_recorded_is_retried_once() -> None:
    store, time = FakeStore(), FakeTime()
    store.script("POST", ORDER_REFUNDS, httpx.ReadTimeout("timed out"))
    with make_client(store, time) as client:
        refund = client.create_refund(100, ITEMS, PAYMENTS)
    assert refund.id == 1
    assert store.count("POST") == 2
    assert [r.method for r in store.requests] == ["GET", "POST", "GET", "POST"]
    assert time.sleeps == [1.0, 0.375]  # settle, then backoff before the one retry
    assert len(store.refunds[100]) == 1


def test_tax_service_503_is_verified_then_retried_without_settling() -> None:
    store, time = FakeStore(), FakeTime()
    store.script("POST", ORDER_REFUNDS, json_response(503, TAX_503))
    with make_client(store, time) as client:
        assert client.create_refund(100, ITEMS, PAYMENTS).id == 1
    assert [r.method for r in store.requests] == ["GET", "POST", "GET", "POST"]
    assert time.sleeps == [0.375]


def test_a_502_after_the_server_recorded_returns_that_refund() -> None:
    store = FakeStore()

    def reply(request: httpx.Request) -> httpx.Response:
        store.record(100)
        return httpx.Response(502, text="Bad gateway")

    store.script("POST", ORDER_REFUNDS, reply)
    with make_client(store) as client:
        assert client.create_refund(100, ITEMS, PAYMENTS).id == 1
    assert store.count("POST") == 1


def test_second_failure_not_recorded_either_raises_the_error_saying_it_is_safe() -> None:
    store, time = FakeStore(), FakeTime()
    store.script("POST", ORDER_REFUNDS, json_response(503, TAX_503), json_response(503, TAX_503))
    with make_client(store, time) as client, pytest.raises(ServiceUnavailableError) as caught:
        client.create_refund(100, ITEMS, PAYMENTS)
    assert store.count("POST") == 2
    assert any("no refund was recorded" in note for note in caught.value.__notes__)


def test_refund_retries_zero_verifies_but_does_not_resend() -> None:
    store = FakeStore()
    store.script("POST", ORDER_REFUNDS, httpx.ConnectError("refused"))
    policy = RetryPolicy(refund_retries=0)
    with make_client(store, retry=policy) as client, pytest.raises(ConnectionFailedError) as caught:
        client.create_refund(100, ITEMS, PAYMENTS)
    assert store.count("POST") == 1
    assert store.count("GET") == 2
    assert "safe" in caught.value.__notes__[0]


def test_read_back_failure_means_outcome_unknown() -> None:
    store = FakeStore()
    store.script("POST", ORDER_REFUNDS, httpx.ReadTimeout("timed out"))
    store.script("GET", ORDER_REFUNDS, json_response(200, {"data": [], "meta": {}}))  # snapshot
    store.script("GET", ORDER_REFUNDS, *[httpx.ConnectError("down") for _ in range(4)])
    with make_client(store) as client, pytest.raises(RefundOutcomeUnknownError) as caught:
        client.create_refund(100, ITEMS, PAYMENTS)
    error = caught.value
    assert error.order_id == 100
    assert isinstance(error.post_error, RequestTimeoutError)
    assert error.read_error is not None
    assert "order 100" in str(error)
    assert "outcome unknown" in str(error)
    assert store.count("POST") == 1


def test_a_new_refund_that_does_not_match_means_outcome_unknown() -> None:
    store = FakeStore()

    def someone_else_refunded(request: httpx.Request) -> httpx.Response:
        store.record(100, product_refund(0, amount="1.00"))
        raise httpx.RemoteProtocolError("connection dropped")

    store.script("POST", ORDER_REFUNDS, someone_else_refunded)
    with make_client(store) as client, pytest.raises(RefundOutcomeUnknownError) as caught:
        client.create_refund(100, ITEMS, PAYMENTS)
    assert caught.value.new_refund_ids == (1,)
    assert "none of them matches" in str(caught.value)
    assert store.count("POST") == 1


def test_two_matching_new_refunds_mean_outcome_unknown() -> None:
    store = FakeStore()

    def twice(request: httpx.Request) -> httpx.Response:
        store.record(100)
        store.record(100)
        return httpx.Response(500)

    store.script("POST", ORDER_REFUNDS, twice)
    with make_client(store) as client, pytest.raises(RefundOutcomeUnknownError) as caught:
        client.create_refund(100, ITEMS, PAYMENTS)
    assert "several new refunds match it (1, 2)" in str(caught.value)
    assert isinstance(caught.value.post_error, UnexpectedStatusError)


def test_snapshot_failure_raises_before_anything_is_sent() -> None:
    store = FakeStore()
    store.script(
        "GET", ORDER_REFUNDS, json_response(404, {"status": 404, "title": "Order not found."})
    )
    with make_client(store) as client, pytest.raises(Exception, match="Order not found"):
        client.create_refund(100, ITEMS, PAYMENTS)
    assert store.count("POST") == 0


def test_async_client_recovers_a_recorded_refund_and_retries_an_unrecorded_one() -> None:
    store, time = FakeStore(), FakeTime()
    store.script("POST", ORDER_REFUNDS, recorded_then(store, httpx.WriteTimeout("slow")))
    store.script("POST", ORDER_REFUNDS, httpx.ConnectTimeout("no route"))

    async def main() -> tuple[Refund, Refund]:
        async with make_async_client(store, time) as client:
            first = await client.create_refund(100, ITEMS, PAYMENTS)
            second = await client.create_refund(100, ITEMS, PAYMENTS)
            return first, second

    first, second = asyncio.run(main())
    assert (first.id, second.id) == (1, 2)
    assert store.count("POST") == 3  # one for the first, two for the second
    assert time.sleeps == [1.0, 0.375]  # settle after the write timeout; none after connect


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
    assert judge(spec, frozenset({1}), [old]).provably_not_recorded
    assert judge(spec, frozenset({1}), [old, ours, other]).recorded is ours
    unknown = judge(spec, frozenset({1}), [old, other])
    assert unknown.recorded is None
    assert not unknown.provably_not_recorded
    assert unknown.new_refund_ids == (3,)
