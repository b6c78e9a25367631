"""The client against the real sandbox: in-process (httpx.ASGITransport) and served on loopback.

Fault timing that the sandbox cannot express deterministically (a response lost *after* the
refund was recorded) comes from a thin transport wrapper around the in-process app.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from decimal import Decimal
from typing import TypeVar

import httpx
import pytest
from starlette.applications import Starlette

from bigcommerce_refunds.client import (
    AsyncRefundsClient,
    AuthenticationError,
    NotFoundError,
    PermissionDeniedError,
    RefundOutcomeUnknownError,
    RefundsClient,
    ServiceUnavailableError,
    UnprocessableError,
    payment,
    payments_for,
    product,
    quote_total,
    refund_tax,
    refund_total,
    shipping,
)
from bigcommerce_refunds.sandbox import (
    DEFAULT_TOKEN,
    READ_ONLY_TOKEN,
    SandboxConfig,
    ServedSandbox,
    create_app,
)

from ._support import FakeTime, half

T = TypeVar("T")
BASE_URL = "http://sandbox.test/stores/sandbox/v3"


class Spy(httpx.AsyncBaseTransport):
    """Forwards to the in-process app and logs what passed; can lose one POST's response."""

    def __init__(self, app: Starlette) -> None:
        self._inner = httpx.ASGITransport(app=app)
        self.log: list[tuple[str, str, int | None]] = []
        self.responses: list[httpx.Response] = []
        self.lose_next_refund_response: Exception | None = None

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        try:
            response = await self._inner.handle_async_request(request)
        except httpx.RequestError:
            self.log.append((request.method, request.url.path, None))
            raise
        await response.aread()
        self.log.append((request.method, request.url.path, response.status_code))
        self.responses.append(response)
        lost = self.lose_next_refund_response
        if lost is not None and request.method == "POST" and request.url.path.endswith("refunds"):
            self.lose_next_refund_response = None
            raise lost  # the sandbox recorded the refund; the client never hears back
        return response

    def posts(self, suffix: str = "/payment_actions/refunds") -> int:
        return sum(1 for method, path, _ in self.log if method == "POST" and path.endswith(suffix))


def order_ledger(app: Starlette, order_id: int) -> list[int]:
    """The ids of the order's refunds in the sandbox's ledger (not through the API)."""
    refunds = app.state.sandbox.store.snapshot()["refunds"]
    return [entry["id"] for entry in refunds if entry["order_id"] == order_id]


def run_async(
    body: Callable[[AsyncRefundsClient, Spy], Awaitable[T]],
    *,
    app: Starlette | None = None,
    time: FakeTime | None = None,
    token: str = DEFAULT_TOKEN,
) -> tuple[T, Spy]:
    spy = Spy(app or create_app())
    fake = time or FakeTime()

    async def main() -> T:
        async with AsyncRefundsClient(
            base_url=BASE_URL,
            access_token=token,
            transport=spy,
            sleep=fake.async_sleep,
            random=half,
            clock=fake.clock,
        ) as client:
            return await body(client, spy)

    return asyncio.run(main()), spy


# --- served on loopback, sync client ---------------------------------------------------------


def test_quote_refund_and_read_back_on_a_served_sandbox(sandbox: ServedSandbox) -> None:
    with RefundsClient(base_url=sandbox.base_url, access_token=sandbox.token) as client:
        items = [product(201, 1, reason="Arrived cracked"), shipping(301, Decimal("10.00"))]
        quote = client.quote_refund(100, items)
        assert quote_total(quote) == Decimal("107.17")  # 89.00 + 7.34 tax + 10.00 + 0.83 tax
        refund = client.create_refund(100, items, payments_for(quote.refund_methods[0]))
        assert refund_total(refund) == Decimal("107.17")
        assert refund_tax(refund) == Decimal("8.17")
        assert client.get_refund(refund.id).id == refund.id
        assert refund.id in [r.id for r in client.get_order_refunds(100)]
        listed = list(client.iter_refunds(order_ids=[100, 105], limit=1))
        assert [r.order_id for r in listed] == [105, 105, 100]


def test_the_sandbox_422_arrives_typed_with_its_message(sandbox: ServedSandbox) -> None:
    with RefundsClient(base_url=sandbox.base_url, access_token=sandbox.token) as client:
        with pytest.raises(UnprocessableError) as guest:
            client.create_refund(103, [product(231, 1)], [payment("storecredit", "16.24")])
        with pytest.raises(UnprocessableError) as too_many:
            client.quote_refund(100, [product(201, 99)])
        with pytest.raises(NotFoundError):
            client.get_order_refunds(999)
    assert guest.value.titles == ("Unable to provide store credit for a guest customer.",)
    assert guest.value.order_id == 103
    assert "createOrderRefund" in str(guest.value)
    assert too_many.value.details[0].errors["items[0].quantity"] == "requested 99, refundable 2"


def test_auth_errors_from_the_sandbox(sandbox: ServedSandbox) -> None:
    stranger = RefundsClient(base_url=sandbox.base_url, access_token="not-a-token")
    with stranger, pytest.raises(AuthenticationError) as unauthenticated:
        stranger.get_order_refunds(100)
    with RefundsClient(base_url=sandbox.base_url, access_token=READ_ONLY_TOKEN) as client:
        assert client.get_order_refunds(106) == []  # read-only scopes may read
        with pytest.raises(PermissionDeniedError):
            client.create_tax_adjustment_refund(106, Decimal("5.75"))
    assert unauthenticated.value.status_code == 401


def test_a_connection_dropped_after_the_refund_was_recorded_returns_it_over_loopback(
    sandbox: ServedSandbox,
) -> None:
    sandbox.sandbox.faults.add(
        {"kind": "drop_connection", "phase": "after", "operations": ["createOrderRefund"]}
    )
    fake = FakeTime()
    with RefundsClient(
        base_url=sandbox.base_url, access_token=sandbox.token, sleep=fake.sleep, random=half
    ) as client:
        refund = client.create_tax_adjustment_refund(106, Decimal("5.75"))
        assert [r.id for r in client.get_order_refunds(106)] == [refund.id]
    assert sandbox.sandbox.faults.fired["drop_connection"] == 1
    assert fake.sleeps == [1.0]  # one read-back found it


# --- in-process, async client ------------------------------------------------------------------


def test_async_tax_adjustment_refund_in_process() -> None:
    async def body(client: AsyncRefundsClient, spy: Spy) -> Decimal:
        quote = await client.quote_tax_adjustment(106, Decimal("5.75"))
        assert quote_total(quote) == Decimal("5.75")
        refund = await client.create_tax_adjustment_refund(106, Decimal("5.75"))
        assert refund.items == []
        return refund_total(refund)

    total, spy = run_async(body)
    assert total == Decimal("5.75")
    assert [status for method, _, status in spy.log if method == "POST"] == [201, 201]


def test_429_from_the_sandbox_is_retried_after_the_advertised_reset() -> None:
    fake = FakeTime()
    app = create_app(SandboxConfig(rate_limit_quota=2, monotonic=fake.clock))

    async def body(client: AsyncRefundsClient, spy: Spy) -> None:
        for _ in range(3):
            await client.get_order_refunds(100)

    _, spy = run_async(body, app=app, time=fake)
    limited = [r for r in spy.responses if r.status_code == 429]
    assert len(limited) == 1
    advertised = int(limited[0].headers["X-Rate-Limit-Time-Reset-Ms"]) / 1000
    assert fake.sleeps == [advertised]
    assert [status for _, _, status in spy.log] == [200, 200, 429, 200]


def test_tax_service_outage_on_a_refund_is_raised_as_not_recorded() -> None:
    app = create_app()
    app.state.sandbox.faults.add(
        {"kind": "tax_service_down", "operations": ["createOrderRefund"], "count": 1}
    )

    async def body(client: AsyncRefundsClient, spy: Spy) -> None:
        await client.create_refund(100, [product(203, 1)], [payment("braintree", "21.60")])

    with pytest.raises(ServiceUnavailableError) as caught:
        run_async(body, app=app)
    assert caught.value.failures[0].error == "Tax service gone away"
    assert app.state.sandbox.faults.fired["tax_service_down"] == 1
    assert order_ledger(app, 100) == []


def test_a_refund_recorded_before_the_response_was_lost_is_returned_not_resent() -> None:
    async def body(client: AsyncRefundsClient, spy: Spy) -> tuple[int, list[int]]:
        spy.lose_next_refund_response = httpx.ReadTimeout("lost after the server recorded it")
        refund = await client.create_refund(100, [product(203, 1)], [payment("braintree", "21.60")])
        return refund.id, [r.id for r in await client.get_order_refunds(100)]

    (refund_id, order_refunds), spy = run_async(body)
    assert spy.posts() == 1
    assert order_refunds == [refund_id]


@pytest.mark.parametrize(("phase", "recorded"), [("before", False), ("after", True)])
def test_a_dropped_connection_in_process_is_read_back_never_resent(
    phase: str, recorded: bool
) -> None:
    app = create_app()
    app.state.sandbox.faults.add(
        {"kind": "drop_connection", "phase": phase, "operations": ["createOrderRefund"]}
    )

    async def body(client: AsyncRefundsClient, spy: Spy) -> int | None:
        try:
            refund = await client.create_refund(
                100, [product(203, 1)], [payment("braintree", "21.60")]
            )
        except RefundOutcomeUnknownError:
            return None
        return refund.id

    refund_id, spy = run_async(body, app=app)
    assert spy.posts() == 1
    assert order_ledger(app, 100) == ([refund_id] if recorded else [])
    assert (refund_id is not None) is recorded


def test_concurrent_creates_on_one_order_both_succeed_against_the_sandbox() -> None:
    async def body(client: AsyncRefundsClient, spy: Spy) -> list[Decimal]:
        refunds = await asyncio.gather(
            client.create_refund(100, [product(202, 1)], [payment("braintree", "13.53")]),
            client.create_refund(100, [product(202, 1)], [payment("braintree", "13.53")]),
        )
        return [refund_total(refund) for refund in refunds]

    totals, spy = run_async(body)
    assert totals == [Decimal("13.53"), Decimal("13.53")]
    posts = [i for i, (method, _, _) in enumerate(spy.log) if method == "POST"]
    # Each create is snapshot GET then POST; the second snapshot follows the first POST.
    assert [method for method, _, _ in spy.log] == ["GET", "POST", "GET", "POST"]
    assert len(posts) == 2
