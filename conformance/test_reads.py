"""The three reads: filters, pagination, ordering and 404s behave as documented."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

import pytest

from conformance import checks
from conformance.domain import Domain
from conformance.expect import conforming, no_problems
from conformance.strategies import payments_for

NO_SUCH_ID = 2_000_000_000


@pytest.fixture(scope="module")
def refunds(domain: Domain) -> list[dict[str, Any]]:
    """At least three refunds on at least two orders (created when the target can be reset)."""
    if domain.can_mutate:
        domain.reset()
        for order in domain.pick(lambda o: o.refundable and not o.guest, "refundable order")[:3]:
            line = order.refundable_lines[0]
            item: dict[str, Any] = {"item_type": line.item_type, "item_id": line.item_id}
            item.update({"quantity": 1} if line.by_quantity else {"amount": Decimal("0.01")})
            quote = conforming(
                domain.api.quote(order.id, {"items": [item]}), "createOrderRefundQuotes", status=201
            )
            body = {"items": [item], "payments": payments_for(quote["data"]["refund_methods"][0])}
            conforming(domain.api.refund(order.id, body), "createOrderRefund", status=201)
    listed = conforming(domain.api.all_refunds(), "getOrdersRefunds", status=200)["data"]
    if len({r["order_id"] for r in listed}) < 2 or len(listed) < 3:
        pytest.skip("the target holds fewer than three refunds on two orders")
    return list(listed)


def _ids(response_body: Any) -> list[int]:
    return [refund["id"] for refund in response_body["data"]]


def test_get_all_is_in_ascending_id_order_without_duplicates(
    domain: Domain, refunds: list[dict[str, Any]]
) -> None:
    no_problems(checks.list_problems(refunds), "GET all refunds")


def test_order_id_in_filters_by_order(domain: Domain, refunds: list[dict[str, Any]]) -> None:
    order_ids = sorted({r["order_id"] for r in refunds})[:2]
    body = conforming(
        domain.api.all_refunds(**{"order_id:in": ",".join(map(str, order_ids))}),
        "getOrdersRefunds",
        status=200,
    )
    expected = [r["id"] for r in refunds if r["order_id"] in order_ids]
    assert _ids(body) == expected, f"order_id:in={order_ids} returned {_ids(body)}, not {expected}"
    one = conforming(
        domain.api.all_refunds(**{"order_id:in": str(order_ids[0])}), "getOrdersRefunds", status=200
    )
    assert {r["order_id"] for r in one["data"]} == {order_ids[0]}


def test_id_in_filters_by_refund(domain: Domain, refunds: list[dict[str, Any]]) -> None:
    wanted = [refunds[0]["id"], refunds[-1]["id"]]
    body = conforming(
        domain.api.all_refunds(**{"id:in": f"{wanted[0]},{wanted[1]}"}),
        "getOrdersRefunds",
        status=200,
    )
    assert _ids(body) == sorted(wanted), f"id:in={wanted} returned {_ids(body)}"


def test_transaction_id_filters_by_payment(domain: Domain, refunds: list[dict[str, Any]]) -> None:
    refund = next((r for r in refunds if r["payments"][0].get("transaction_id")), None)
    if refund is None:
        pytest.skip("no refund payment carries a transaction_id")
    transaction = refund["payments"][0]["transaction_id"]
    for response, operation in (
        (domain.api.all_refunds(transaction_id=transaction), "getOrdersRefunds"),
        (
            domain.api.order_refunds(refund["order_id"], transaction_id=transaction),
            "getOrderRefunds",
        ),
    ):
        found = conforming(response, operation, status=200)["data"]
        assert refund["id"] in [r["id"] for r in found], (
            f"{operation}: refund {refund['id']}'s payments[0].transaction_id {transaction!r} "
            "does not find it through the transaction_id filter"
        )
        for other in found:
            ids = [p.get("transaction_id") for p in other["payments"]]
            assert transaction in ids, (
                f"{operation}: transaction_id={transaction} lists refund {other['id']}, whose "
                f"payments[].transaction_id are {ids}"
            )


def test_pages_partition_the_list(domain: Domain, refunds: list[dict[str, Any]]) -> None:
    seen: list[int] = []
    for page in range(1, len(refunds) + 1):
        body = conforming(
            domain.api.all_refunds(page=str(page), limit="1"), "getOrdersRefunds", status=200
        )
        assert len(body["data"]) <= 1, f"limit=1 returned {len(body['data'])} refunds"
        seen += _ids(body)
    assert seen == [r["id"] for r in refunds], f"page by page: {seen}"


def test_created_min_and_max_bound_the_list(domain: Domain, refunds: list[dict[str, Any]]) -> None:
    newest = max(refunds, key=lambda r: datetime.fromisoformat(r["created"]))["created"]
    after = conforming(
        domain.api.all_refunds(**{"created:min": newest}), "getOrdersRefunds", status=200
    )["data"]
    assert after, f"created:min={newest} hid the newest refund"
    assert all(
        datetime.fromisoformat(r["created"]) >= datetime.fromisoformat(newest) for r in after
    ), "created:min let older refunds in"
    before = conforming(
        domain.api.all_refunds(**{"created:max": "2000-01-01T00:00:00+00:00"}),
        "getOrdersRefunds",
        status=200,
    )["data"]
    assert before == [], "created:max=2000-01-01 returned refunds"


def test_unknown_refund_is_404(domain: Domain) -> None:
    conforming(domain.api.refund_by_id(NO_SUCH_ID), "getOrderRefund", status=404)


def test_unknown_order_is_404(domain: Domain) -> None:
    conforming(domain.api.order_refunds(NO_SUCH_ID), "getOrderRefunds", status=404)
    quote = {"items": [{"item_type": "PRODUCT", "item_id": 1, "quantity": 1}]}
    conforming(domain.api.quote(NO_SUCH_ID, quote), "createOrderRefundQuotes", status=404)
    refund = {**quote, "payments": [{"provider_id": "custom", "amount": 1, "offline": True}]}
    conforming(domain.api.refund(NO_SUCH_ID, refund), "createOrderRefund", status=404)
