"""One create_refund call never leaves two refunds, against the real sandbox over loopback.

The sandbox's faults make the failures a client cannot tell apart from outside: a slow payment
gateway (the refund is committed after the client gave up), a connection dropped or a gateway
error before the store processed the POST (nothing recorded) or after (recorded). After every
call the test waits until the sandbox has finished every request, then checks the order's
ledger: at most one new refund, and if the call returned a refund, exactly that one.

The waiting polls the sandbox's count of requests in flight (with a deadline): the latency
fault keeps the POST in flight until its refund is committed.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from bigcommerce_refunds.client import (
    AsyncRefundsClient,
    Payment,
    RefundOutcomeUnknownError,
    RefundsClient,
    RetryPolicy,
)
from bigcommerce_refunds.sandbox import ServedSandbox

from .conftest import ITEMS, ORDER_ID

#: Quick read-backs for the short faults; the issue's own case keeps the default policy.
QUICK = RetryPolicy(settle_initial_delay=0.2, settle_max_interval=0.5, settle_window=2.0)
IDLE_DEADLINE_S = 20.0


def ledger(served: ServedSandbox) -> list[int]:
    """The order's refund ids in the sandbox's ledger (not through the API)."""
    refunds = served.sandbox.store.snapshot()["refunds"]
    return [entry["id"] for entry in refunds if entry["order_id"] == ORDER_ID]


def wait_until_settled(served: ServedSandbox, kind: str) -> None:
    """Until the fault has fired and no API request is still being answered."""
    deadline = time.monotonic() + IDLE_DEADLINE_S
    sandbox = served.sandbox
    while sandbox.faults.fired[kind] < 1 or sandbox.requests_in_flight:
        assert time.monotonic() < deadline, "the sandbox never finished its requests"
        time.sleep(0.01)


@dataclass(frozen=True)
class Outcome:
    refund_id: int | None
    unknown: RefundOutcomeUnknownError | None


def create_sync(
    served: ServedSandbox, payments: list[Payment], timeout: float, policy: RetryPolicy
) -> Outcome:
    with RefundsClient(
        base_url=served.base_url, access_token=served.token, timeout=timeout, retry=policy
    ) as client:
        try:
            return Outcome(client.create_refund(ORDER_ID, ITEMS, payments).id, None)
        except RefundOutcomeUnknownError as error:
            return Outcome(None, error)


def create_async(
    served: ServedSandbox, payments: list[Payment], timeout: float, policy: RetryPolicy
) -> Outcome:
    async def main() -> Outcome:
        async with AsyncRefundsClient(
            base_url=served.base_url, access_token=served.token, timeout=timeout, retry=policy
        ) as client:
            try:
                refund = await client.create_refund(ORDER_ID, ITEMS, payments)
            except RefundOutcomeUnknownError as error:
                return Outcome(None, error)
            return Outcome(refund.id, None)

    return asyncio.run(main())


Create = Callable[[ServedSandbox, list[Payment], float, RetryPolicy], Outcome]
CLIENTS = pytest.mark.parametrize("create", [create_sync, create_async], ids=["sync", "async"])


def fault(served: ServedSandbox, **spec: Any) -> None:
    served.sandbox.faults.add({"operations": ["createOrderRefund"], "count": 1, **spec})


# --- the reproduction -----------------------------------------------------------------


@CLIENTS
def test_a_gateway_slower_than_the_timeout_leaves_exactly_the_returned_refund(
    sandbox: ServedSandbox, payments: list[Payment], create: Create
) -> None:
    # 2.5 s of gateway latency against a 1 s client timeout, with the default retry policy.
    fault(sandbox, kind="latency", latency_ms=2500)

    outcome = create(sandbox, payments, 1.0, RetryPolicy())

    wait_until_settled(sandbox, "latency")
    assert outcome.unknown is None
    assert ledger(sandbox) == [outcome.refund_id]


@CLIENTS
@pytest.mark.parametrize(
    ("latency_ms", "timeout", "phase"),
    [(1200, 0.3, "before"), (600, 0.2, "before"), (800, 0.3, "after"), (400, 0.1, "after")],
    ids=["1.2s-vs-0.3s", "0.6s-vs-0.2s", "after-0.8s-vs-0.3s", "after-0.4s-vs-0.1s"],
)
def test_latency_beyond_the_timeout_at_several_ratios_leaves_one_refund(
    sandbox: ServedSandbox,
    payments: list[Payment],
    create: Create,
    latency_ms: int,
    timeout: float,
    phase: str,
) -> None:
    fault(sandbox, kind="latency", latency_ms=latency_ms, phase=phase)

    outcome = create(sandbox, payments, timeout, QUICK)

    wait_until_settled(sandbox, "latency")
    assert outcome.unknown is None
    assert ledger(sandbox) == [outcome.refund_id]


@CLIENTS
def test_a_gateway_slower_than_the_settle_window_is_unknown_then_found_later(
    sandbox: ServedSandbox, payments: list[Payment], create: Create
) -> None:
    fault(sandbox, kind="latency", latency_ms=3000)
    window = RetryPolicy(settle_initial_delay=0.2, settle_max_interval=0.2, settle_window=0.6)

    outcome = create(sandbox, payments, 0.3, window)

    assert outcome.unknown is not None
    assert outcome.unknown.new_refund_ids == ()
    wait_until_settled(sandbox, "latency")
    (landed,) = ledger(sandbox)  # it was recorded after the call gave up: once, not twice
    error = outcome.unknown
    assert error.sent_at is not None
    with RefundsClient(base_url=sandbox.base_url, access_token=sandbox.token) as client:
        found = client.find_refund(error.order_id, error.items, error.payments, since=error.sent_at)
    assert found is not None
    assert found.id == landed


# --- lost answers: dropped connections and gateway errors, before or after the commit ---------


LOST = [
    ({"kind": "drop_connection"}, "drop_connection"),
    ({"kind": "gateway_error", "status": 502}, "gateway_error"),
    ({"kind": "gateway_error", "status": 504}, "gateway_error"),
]


@CLIENTS
@pytest.mark.parametrize(("spec", "kind"), LOST, ids=["drop", "502", "504"])
def test_an_answer_lost_after_the_commit_returns_that_refund(
    sandbox: ServedSandbox, payments: list[Payment], create: Create, spec: dict[str, Any], kind: str
) -> None:
    fault(sandbox, phase="after", **spec)

    outcome = create(sandbox, payments, 5.0, QUICK)

    wait_until_settled(sandbox, kind)
    assert outcome.unknown is None
    assert ledger(sandbox) == [outcome.refund_id]


@CLIENTS
@pytest.mark.parametrize(("spec", "kind"), LOST, ids=["drop", "502", "504"])
def test_an_answer_lost_before_the_commit_is_unknown_and_never_resent(
    sandbox: ServedSandbox, payments: list[Payment], create: Create, spec: dict[str, Any], kind: str
) -> None:
    fault(sandbox, phase="before", **spec)
    window = RetryPolicy(settle_initial_delay=0.1, settle_max_interval=0.2, settle_window=0.5)

    outcome = create(sandbox, payments, 5.0, window)

    wait_until_settled(sandbox, kind)
    assert outcome.refund_id is None
    assert outcome.unknown is not None
    assert outcome.unknown.new_refund_ids == ()
    assert ledger(sandbox) == []  # nothing recorded, and nothing sent a second time
