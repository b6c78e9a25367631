"""The documented outage: with the tax service down, refund and quote POSTs answer 503 with
``{"data":[{"order_id","status":503,"error"}],"meta":{}}`` and record nothing. Needs a target
with the sandbox control API (faults are injected through it)."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import pytest

from conformance.domain import Domain
from conformance.expect import conforming
from conformance.target import Target


@pytest.fixture(autouse=True)
def _needs_control_api(target: Target) -> Iterator[None]:
    if target.control is None:
        pytest.skip("faults are injected through the sandbox control API, which the target lacks")
    yield
    target.control.clear_faults()


@pytest.mark.parametrize("operation_id", ["createOrderRefund", "createOrderRefundQuotes"])
def test_tax_service_outage_is_a_documented_503(domain: Domain, operation_id: str) -> None:
    assert domain.target.control is not None
    domain.reset()
    order = domain.pick(lambda o: o.refundable and not o.guest, "refundable order")[0]
    line = order.refundable_lines[0]
    item = {"item_type": line.item_type, "item_id": line.item_id}
    item.update({"quantity": 1} if line.by_quantity else {"amount": Decimal("0.01")})
    body = {
        "items": [item],
        "payments": [{"provider_id": order.providers[0], "amount": Decimal("1.00")}],
        "merchant_calculated_override": {"total_amount": Decimal("1.00"), "total_tax": 0},
    }
    before = domain.snapshot(order.id)
    domain.target.control.faults(
        {"kind": "tax_service_down", "operations": [operation_id], "count": 1}
    )
    send = domain.api.refund if operation_id == "createOrderRefund" else domain.api.quote
    error = conforming(send(order.id, body), operation_id, status=503)
    named = [entry["order_id"] for entry in error["data"]]
    assert named == [order.id], f"503: data[].order_id {named} is not the order {order.id}"
    statuses = [entry["status"] for entry in error["data"]]
    assert statuses == [503] * len(statuses), f"503: data[].status {statuses} is not 503"
    assert all(entry["error"] for entry in error["data"]), "503: data[].error is empty"
    assert domain.snapshot(order.id) == before, "a 503 recorded something"
