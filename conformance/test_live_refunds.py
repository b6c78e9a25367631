"""Live stores with CONFORMANCE_ALLOW_REFUNDS=1: real refunds, designated orders, under the cap.

Elsewhere the refund tests create refunds freely on a target they can reset. On a live store
nothing is reset and money moves, so this is the one test that creates refunds there: small ones
(one unit, or at most one currency unit of an amount line), on the orders of
``CONFORMANCE_REFUND_ORDER`` only, each following the store's own quote, while what remains of
``CONFORMANCE_REFUND_CAP`` allows. The choke point's money rules enforce the same limits on every
request whatever this test computes; this test checks what the store answers and shows.
"""

from __future__ import annotations

from decimal import ROUND_DOWN, Decimal
from typing import Any

import pytest

from conformance import checks
from conformance.domain import Domain
from conformance.expect import conforming, no_problems
from conformance.orders import Line
from conformance.session import Run
from conformance.strategies import payments_for

#: At most this many refunds per run: enough to see refunds accumulate, little enough to be cheap.
MAX_LIVE_REFUNDS = 3
CENT = Decimal("0.01")


def _small_item(line: Line, room: Decimal) -> dict[str, Any] | None:
    """The smallest refund of ``line`` that fits in ``room`` (tax included), or None."""
    item: dict[str, Any] = {"item_type": line.item_type, "item_id": line.item_id}
    if line.by_quantity:
        return {**item, "quantity": 1} if line.unit_gross <= room else None
    ratio = line.unit_gross if line.unit_gross > 0 else Decimal(1)
    amount = min(line.remaining_amount, Decimal(1), (room / ratio)).quantize(CENT, ROUND_DOWN)
    return {**item, "amount": amount} if amount >= CENT else None


def test_refunds_go_only_to_the_designated_orders_and_stay_under_the_cap(
    run: Run, domain: Domain
) -> None:
    guard = run.money_guard
    if run.target.kind != "live" or guard is None:
        pytest.skip("live stores only: the other targets' refund tests create refunds freely")
    if not guard.allowed:
        pytest.skip("live store without CONFORMANCE_ALLOW_REFUNDS=1: no refund is created")
    created: list[dict[str, Any]] = []
    for order in domain.orders():
        if order.id not in guard.orders or not order.refundable or order.guest:
            continue
        for line in order.refundable_lines:
            if len(created) >= MAX_LIVE_REFUNDS:
                break
            item = _small_item(line, guard.remaining)
            if item is None:
                continue
            quote = conforming(
                domain.api.quote(order.id, {"items": [item]}), "createOrderRefundQuotes", status=201
            )["data"]
            no_problems(checks.quote_problems(quote), f"quote for order {order.id}")
            payments = payments_for(quote["refund_methods"][0])
            paid_back = sum((Decimal(str(p["amount"])) for p in payments), Decimal(0))
            if paid_back > guard.remaining:
                continue  # the quote costs more than the estimate: leave the cap alone
            before = domain.refunded_total(order.id)
            body = {"items": [item], "payments": payments}
            refund = dict(
                conforming(domain.api.refund(order.id, body), "createOrderRefund", status=201)[
                    "data"
                ]
            )
            no_problems(
                checks.refund_problems(refund, order_id=order.id, request=body), "created refund"
            )
            domain.read_back(refund)
            after = domain.refunded_total(order.id)
            assert after - before == Decimal(str(refund["total_amount"])), (
                f"order {order.id}: its refunds sum to {after} after refund {refund['id']} of "
                f"{refund['total_amount']}; they summed to {before} before"
            )
            created.append(refund)
    if not created:
        pytest.skip(
            "the designated orders have nothing refundable within what remains of the cap "
            f"({guard.remaining})"
        )
    assert {refund["order_id"] for refund in created} <= guard.orders
    assert guard.committed <= guard.cap
