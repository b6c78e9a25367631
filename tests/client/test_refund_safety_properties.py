"""Property: whatever the network does, one create_refund call leaves at most one refund.

Hypothesis draws a sequence of faults (latency shorter and longer than the client's timeout and
settle window, connections dropped and gateway errors before or after the commit, 429s, the
tax-service 503, connections refused before anything is sent), each aimed at the refund POST or
at the reads around it, then makes one create_refund call (sync or async client) against the
sandbox over loopback. Once the sandbox has answered every request the client sent:

- the order's ledger holds at most one new refund;
- a returned refund is exactly that one;
- every other outcome is a typed error: RefundOutcomeUnknownError only if no read-back the
  client received showed a new refund; any other RefundsError only if nothing was recorded.
"""

from __future__ import annotations

import asyncio
import threading
import time
from dataclasses import dataclass, field
from typing import Any

import httpx
from hypothesis import event, given
from hypothesis import strategies as st

from bigcommerce_refunds.client import (
    AsyncRefundsClient,
    Payment,
    RefundOutcomeUnknownError,
    RefundsClient,
    RefundsError,
    RetryPolicy,
)
from bigcommerce_refunds.sandbox import ServedSandbox

from .conftest import ITEMS, ORDER_ID

TIMEOUT_S = 0.25
POLICY = RetryPolicy(
    max_attempts=3,
    initial_backoff=0.05,
    max_backoff=0.2,
    total_budget=5.0,
    settle_window=0.8,
    settle_initial_delay=0.1,
    settle_max_interval=0.3,
)
IDLE_DEADLINE_S = 20.0
REFUNDS_SUFFIX = f"/orders/{ORDER_ID}/payment_actions/refunds"


# --- the faults ------------------------------------------------------------------------------

# The POST twice as often as the reads around it (the snapshot and the read-backs).
OPERATIONS = st.sampled_from(["createOrderRefund", "createOrderRefund", "getOrderRefunds"])
PHASES = st.sampled_from(["before", "after"])
# Latency: below the timeout, beyond it but within the settle window, beyond both.
LATENCIES = st.sampled_from([30, 400, 1500])

FAULTS = st.one_of(
    st.fixed_dictionaries({"kind": st.just("latency"), "latency_ms": LATENCIES, "phase": PHASES}),
    st.fixed_dictionaries({"kind": st.just("drop_connection"), "phase": PHASES}),
    st.fixed_dictionaries(
        {"kind": st.just("gateway_error"), "status": st.sampled_from([502, 504]), "phase": PHASES}
    ),
    st.fixed_dictionaries(
        {"kind": st.just("rate_limited"), "retry_after_ms": st.sampled_from([0, 150])}
    ),
).flatmap(
    lambda spec: st.fixed_dictionaries(
        {"operations": st.lists(OPERATIONS, min_size=1, max_size=1), "skip": st.integers(0, 2)}
    ).map(lambda where: {**spec, **where, "count": 1})
)
TAX_OUTAGE = st.fixed_dictionaries(
    {
        "kind": st.just("tax_service_down"),
        "operations": st.just(["createOrderRefund"]),
        "skip": st.integers(0, 1),
        "count": st.just(1),
    }
)


@dataclass(frozen=True)
class Scenario:
    faults: list[dict[str, Any]]
    refused_connections: int
    use_async: bool


SCENARIOS = st.builds(
    Scenario,
    faults=st.lists(st.one_of(FAULTS, TAX_OUTAGE), min_size=1, max_size=3),
    refused_connections=st.integers(0, 2),
    use_async=st.booleans(),
)


# --- what the client sent and received ---------------------------------------------------------


@dataclass
class Wire:
    """The client's side of the wire: refused connections to fake, and what got through."""

    refused_left: int
    sent: int = 0
    #: (method, status or None, refund ids in a 200 list of the order's refunds)
    log: list[tuple[str, int | None, frozenset[int]]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def refuse(self, request: httpx.Request) -> bool:
        """Fail this refund POST before a connection is made (ConnectError), while any left."""
        with self.lock:
            if request.method == "POST" and self.refused_left > 0:
                self.refused_left -= 1
                return True
            self.sent += 1
            return False

    def record(self, request: httpx.Request, response: httpx.Response | None) -> None:
        ids: frozenset[int] = frozenset()
        if response is not None and response.status_code == 200 and request.method == "GET":
            ids = frozenset(entry["id"] for entry in response.json()["data"])
        status = None if response is None else response.status_code
        with self.lock:
            self.log.append((request.method, status, ids))


class SyncWire(httpx.BaseTransport):
    def __init__(self, wire: Wire) -> None:
        self._wire = wire
        self._inner = httpx.HTTPTransport()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if self._wire.refuse(request):
            raise httpx.ConnectError("connection refused (test)", request=request)
        try:
            response = self._inner.handle_request(request)
            response.read()
        except httpx.RequestError:
            self._wire.record(request, None)
            raise
        self._wire.record(request, response)
        return response

    def close(self) -> None:
        self._inner.close()


class AsyncWire(httpx.AsyncBaseTransport):
    def __init__(self, wire: Wire) -> None:
        self._wire = wire
        self._inner = httpx.AsyncHTTPTransport()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if self._wire.refuse(request):
            raise httpx.ConnectError("connection refused (test)", request=request)
        try:
            response = await self._inner.handle_async_request(request)
            await response.aread()
        except httpx.RequestError:
            self._wire.record(request, None)
            raise
        self._wire.record(request, response)
        return response

    async def aclose(self) -> None:
        await self._inner.aclose()


# --- one call ---------------------------------------------------------------------------------


def call(served: ServedSandbox, payments: list[Payment], scenario: Scenario, wire: Wire) -> Any:
    """The refund, or the RefundsError raised. Any other exception fails the test."""
    if scenario.use_async:

        async def main() -> Any:
            async with AsyncRefundsClient(
                base_url=served.base_url,
                access_token=served.token,
                timeout=TIMEOUT_S,
                retry=POLICY,
                transport=AsyncWire(wire),
            ) as client:
                try:
                    return await client.create_refund(ORDER_ID, ITEMS, payments)
                except RefundsError as error:
                    return error

        return asyncio.run(main())
    with RefundsClient(
        base_url=served.base_url,
        access_token=served.token,
        timeout=TIMEOUT_S,
        retry=POLICY,
        transport=SyncWire(wire),
    ) as client:
        try:
            return client.create_refund(ORDER_ID, ITEMS, payments)
        except RefundsError as error:
            return error


def order_refunds(served: ServedSandbox) -> set[int]:
    refunds = served.sandbox.store.snapshot()["refunds"]
    return {entry["id"] for entry in refunds if entry["order_id"] == ORDER_ID}


def wait_until_answered(served: ServedSandbox, finished_before: int, sent: int) -> None:
    """Until the sandbox has finished every request the client put on the wire."""
    sandbox = served.sandbox
    deadline = time.monotonic() + IDLE_DEADLINE_S
    while sandbox.requests_finished - finished_before < sent or sandbox.requests_in_flight:
        assert time.monotonic() < deadline, "the sandbox never finished the client's requests"
        time.sleep(0.01)


@given(scenario=SCENARIOS)
def test_one_create_refund_call_never_leaves_two_refunds(
    served: ServedSandbox, payments: list[Payment], scenario: Scenario
) -> None:
    served.sandbox.reset()
    before = order_refunds(served)
    for spec in scenario.faults:
        served.sandbox.faults.add(spec)
    wire = Wire(refused_left=scenario.refused_connections)
    finished_before = served.sandbox.requests_finished

    result = call(served, payments, scenario, wire)

    wait_until_answered(served, finished_before, wire.sent)
    new = order_refunds(served) - before
    event(f"outcome: {type(result).__name__}, {len(new)} new refund(s)")
    assert len(new) <= 1, f"one call left {len(new)} refunds: {sorted(new)}"
    if isinstance(result, RefundOutcomeUnknownError):
        assert result.new_refund_ids == ()
        first_post = next(i for i, (method, _, _) in enumerate(wire.log) if method == "POST")
        shown = [ids - before for method, _, ids in wire.log[first_post:] if method == "GET"]
        assert not any(shown), f"a read-back showed {shown}, yet the outcome is 'unknown'"
    elif isinstance(result, RefundsError):
        assert new == set(), f"{type(result).__name__} raised, but refund(s) {new} recorded"
    else:
        assert new == {result.id}
