"""Concurrent refunds on one order never over-refund (DESIGN: refunds on one order are processed
sequentially; concurrent ones are serialized or refused with a clear error)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

from conformance.domain import Domain
from conformance.expect import ConformanceError, conforming
from conformance.profiles import Profile
from conformance.strategies import payments_for
from conformance.target import Target


def test_concurrent_refunds_of_what_remains_succeed_at_most_once(
    domain: Domain, target: Target, profile: Profile
) -> None:
    concurrent = profile.concurrent_refunds
    domain.require_mutations()
    domain.reset()
    order = domain.pick(
        lambda o: o.refundable and not o.guest and any(x.by_quantity for x in o.refundable_lines),
        "refundable order with products",
    )[0]
    line = next(x for x in order.refundable_lines if x.by_quantity)
    items = [
        {"item_type": line.item_type, "item_id": line.item_id, "quantity": line.remaining_quantity}
    ]
    quote = conforming(
        domain.api.quote(order.id, {"items": items}), "createOrderRefundQuotes", status=201
    )
    body = {"items": items, "payments": payments_for(quote["data"]["refund_methods"][0])}
    before = domain.refunded_total(order.id)

    def attempt(_: int) -> tuple[int, object]:
        api = target.api()
        try:
            response = api.refund(order.id, body)
            return response.status_code, conforming(response, "createOrderRefund")
        finally:
            api.close()

    with ThreadPoolExecutor(max_workers=concurrent) as pool:
        outcomes = list(pool.map(attempt, range(concurrent)))

    statuses = sorted(status for status, _ in outcomes)
    if any(status >= 500 for status in statuses) or statuses.count(201) > 1:
        raise ConformanceError(
            f"{concurrent} concurrent refunds of all {line.remaining_quantity} remaining units of "
            f"{line.item_type} {line.item_id} on order {order.id}: statuses {statuses} "
            "(expected one 201 at most, the others 4xx)"
        )
    assert all(400 <= status < 500 for status in statuses if status != 201), statuses
    refunded = domain.refunded_total(order.id) - before
    once = Decimal(quote["data"]["total_refund_amount"])
    assert refunded == (once if 201 in statuses else 0), (
        f"order {order.id}: {refunded} refunded by {statuses.count(201)} accepted refund(s)"
    )
