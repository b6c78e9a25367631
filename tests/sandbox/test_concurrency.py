"""Fifty concurrent refunds on one order, over loopback HTTP: serialized, never over-refunded."""

from __future__ import annotations

import asyncio
from decimal import Decimal

import httpx

from bigcommerce_refunds.sandbox import ServedSandbox
from tests.sandbox.helpers import Api, assert_ledger_invariants, conformance_problems, encode, parse

CONCURRENT = 50
AMOUNT = Decimal("10.00")
PAID = Decimal("303.36")


def test_fifty_concurrent_refunds_on_one_order(
    refunds_sandbox: ServedSandbox, served_api: Api
) -> None:
    path = "/stores/sandbox/v3/orders/100/payment_actions/refunds"
    body = encode(
        {
            "items": [{"item_type": "ORDER", "item_id": 100, "amount": AMOUNT}],
            "payments": [{"provider_id": "custom", "amount": AMOUNT}],
        }
    ).encode()
    headers = {"X-Auth-Token": refunds_sandbox.token, "Content-Type": "application/json"}

    async def fire() -> list[httpx.Response]:
        limits = httpx.Limits(max_connections=25)
        gate = asyncio.Semaphore(25)
        async with httpx.AsyncClient(
            base_url=refunds_sandbox.root_url, headers=headers, limits=limits, timeout=60
        ) as client:

            async def one() -> httpx.Response:
                async with gate:
                    return await client.post(path, content=body)

            return await asyncio.gather(*(one() for _ in range(CONCURRENT)))

    responses = asyncio.run(fire())

    statuses = sorted(response.status_code for response in responses)
    for response in responses:
        assert conformance_problems("createOrderRefund", response) == []
    created = statuses.count(201)
    refused = [parse(r)["data"][0]["errors"]["code"] for r in responses if r.status_code == 422]
    assert created + len(refused) == CONCURRENT
    assert created == int(PAID // AMOUNT)  # 30 fit, then the order runs out
    assert set(refused) <= {"amount_exceeds_remaining", "over_refund"}
    assert created * AMOUNT <= PAID
    totals = served_api.order(100)["totals"]
    assert totals["refunded"] == created * AMOUNT
    assert totals["refunded"] <= totals["paid"]
    ids = [parse(r)["data"]["id"] for r in responses if r.status_code == 201]
    assert len(set(ids)) == created
    assert_ledger_invariants(served_api)
