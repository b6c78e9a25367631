"""The live-mode money rules at the choke point: what they let through, and what they count."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import httpx
import pytest

from conformance.chokepoint import ChokePoint, RequestRefusedError
from conformance.policies import MoneyGuard, refund_bound

BASE = "https://store.test/stores/abc/v3"


def post(order: int | str, body: Any) -> httpx.Request:
    content = body if isinstance(body, bytes) else json.dumps(body).encode()
    return httpx.Request("POST", f"{BASE}/orders/{order}/payment_actions/refunds", content=content)


def answer(status: int, total: str = "0", refund_id: int = 7) -> httpx.Response:
    body = {"data": {"id": refund_id, "total_amount": json.loads(total)}, "meta": {}}
    return httpx.Response(status, json=body)


ITEMS = [{"item_type": "PRODUCT", "item_id": 1, "quantity": 1}]


@pytest.mark.parametrize(
    ("body", "bound"),
    [
        ({"items": ITEMS, "payments": [{"provider_id": "x", "amount": 2.5}]}, Decimal("2.5")),
        ({"items": ITEMS, "payments": [{"amount": -3}, {"amount": 1}]}, Decimal(4)),
        ({"tax_adjustment_amount": 5.75}, Decimal("5.75")),
        (
            {
                "items": ITEMS,
                "payments": [{"amount": 1}],
                "merchant_calculated_override": {"total_amount": 9, "total_tax": 0},
            },
            Decimal(9),
        ),
    ],
)
def test_the_bound_is_the_most_a_body_can_pay_back(body: Any, bound: Decimal) -> None:
    assert refund_bound(json.dumps(body).encode()) == bound


@pytest.mark.parametrize(
    "content",
    [
        b"not json",
        b"[]",
        json.dumps({"items": ITEMS}).encode(),
        json.dumps({"items": ITEMS, "payments": []}).encode(),
        json.dumps({"items": ITEMS, "payments": [{"amount": "NaN"}]}).encode(),
        json.dumps({"items": ITEMS, "payments": [{"amount": "ten"}]}).encode(),
        json.dumps({"items": ITEMS, "payments": [{"amount": True}]}).encode(),
        json.dumps({"tax_adjustment_amount": None}).encode(),
    ],
)
def test_a_body_whose_amount_cannot_be_told_has_no_bound(content: bytes) -> None:
    assert isinstance(refund_bound(content), str)


def test_without_the_opt_in_no_refund_post_passes_but_everything_else_does() -> None:
    guard = MoneyGuard(allowed=False)
    assert "never sent without CONFORMANCE_ALLOW_REFUNDS=1" in (guard.review(post(100, {})) or "")
    assert guard.review(httpx.Request("GET", f"{BASE}/orders/100/payment_actions/refunds")) is None
    quote = httpx.Request("POST", f"{BASE}/orders/100/payment_actions/refund_quotes", content=b"{}")
    assert guard.review(quote) is None


def test_with_the_opt_in_only_designated_orders_and_only_under_the_cap() -> None:
    guard = MoneyGuard(allowed=True, orders=frozenset({100}), cap=Decimal("5.00"))
    one = {"items": ITEMS, "payments": [{"amount": 2}]}
    assert "not to order 101" in (guard.review(post(101, one)) or "")
    assert "not to order abc" in (guard.review(post("abc", one)) or "")
    first = post(100, one)
    assert guard.review(first) is None
    second = post(100, one)
    assert guard.review(second) is None  # 4.00 in flight
    assert "would pass CONFORMANCE_REFUND_CAP=5.00" in (guard.review(post(100, one)) or "")
    guard.observe(first, answer(422))  # refused by the store: its reservation is released
    assert guard.remaining == Decimal(3)
    guard.observe(second, answer(201, "2.5", 9))  # the store says more than asked: counted
    assert guard.committed == Decimal("2.5")
    assert [(c.order_id, c.refund_id, c.amount) for c in guard.created] == [
        (100, 9, Decimal("2.5"))
    ]


def test_an_answer_in_doubt_keeps_its_amount_counted() -> None:
    guard = MoneyGuard(allowed=True, orders=frozenset({100}), cap=Decimal("5"))
    request = post(100, {"tax_adjustment_amount": 3})
    assert guard.review(request) is None
    guard.observe(request, httpx.Response(502, text="bad gateway"))
    assert guard.committed == Decimal(3)
    assert guard.created[0].in_doubt
    lost = post(100, {"tax_adjustment_amount": 1})
    assert guard.review(lost) is None  # its answer never comes: observe is never called
    assert guard.remaining == Decimal(1)


def test_the_choke_point_applies_it_to_every_request() -> None:
    sent: list[httpx.Request] = []

    def store(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return answer(201, "1", 1)

    guard = MoneyGuard(allowed=True, orders=frozenset({100}), cap=Decimal(1))
    chokepoint = ChokePoint(policies=[guard], inner=httpx.MockTransport(store))
    with httpx.Client(transport=chokepoint) as client:
        assert (
            client.post(
                f"{BASE}/orders/100/payment_actions/refunds", json={"tax_adjustment_amount": 1}
            ).status_code
            == 201
        )
        with pytest.raises(RequestRefusedError) as refused:
            client.post(
                f"{BASE}/orders/100/payment_actions/refunds", json={"tax_adjustment_amount": 1}
            )
    assert refused.value.policy is guard
    assert len(sent) == 1
    chokepoint.shutdown()


def test_opting_in_without_orders_or_a_cap_is_refused() -> None:
    with pytest.raises(ValueError, match="designated orders and a cap"):
        MoneyGuard(allowed=True)
