"""The sandbox's hot path in-process: microseconds per request, and a profile of it.

Requests go straight into the ASGI app (:mod:`bench.asgi_driver`: no sockets, no HTTP parsing), so
this is the sandbox's own cost per request: gateway (auth, rate limit), routing, body reading,
JSON parsing, request validation, business rules, the ledger, JSON encoding. The baseline is the
fixed-body ceiling app driven the same way.

    python -m bench.run --only hotpath            # timings, into the results
    python -m bench.run --profile refund_201      # cProfile of one scenario, top functions
"""

from __future__ import annotations

import asyncio
import cProfile
import json
import pstats
from typing import Any

from bench.asgi_driver import App, Scope, call, scope_for, time_calls
from bench.ceiling_app import create_app as create_ceiling
from bench.results import Results
from bigcommerce_refunds.sandbox import SandboxConfig, create_app

SECTION = "Sandbox in-process (ASGI, no HTTP)"
BASE = "/stores/sandbox/v3"
HEADERS = {"accept": "application/json", "x-auth-token": "sandbox-token"}
SCENARIOS = {
    "refund_201": "valid refund POST (201)",
    "invalid_422": "invalid body (422)",
    "get_by_id": "GET refund by id (200)",
}
INVALID = (
    b'{"items":[{"item_type":"PRODUCT","item_id":201,"quantity":"one"}],'
    b'"payments":[{"provider_id":"braintree","amount":96.34}]}'
)


def _sandbox_requests() -> tuple[App, dict[str, tuple[Scope, bytes]], int]:
    """A sandbox with a roomy seeded order, and one request per scenario."""
    app: Any = create_app(SandboxConfig(rate_limit_quota=10**9))
    order = app.state.sandbox.store.add_order(
        {
            "customer_id": 42,
            "paid": True,
            "products": [
                {"name": "Bench widget", "quantity": 10**8, "unit_price": 1, "unit_tax": 0}
            ],
            "payments": [{"provider_id": "braintree", "provider_description": "Braintree"}],
        }
    )
    product_id = next(iter(order.products))
    valid = json.dumps(
        {
            "items": [
                {
                    "item_type": "PRODUCT",
                    "item_id": product_id,
                    "quantity": 1,
                    "reason": "Arrived cracked",
                }
            ],
            "payments": [{"provider_id": "braintree", "amount": 1.00, "offline": False}],
        }
    ).encode()
    post = {**HEADERS, "content-type": "application/json"}
    requests = {
        "refund_201": (
            scope_for("POST", f"{BASE}/orders/{order.id}/payment_actions/refunds", post, valid),
            valid,
        ),
        "invalid_422": (
            scope_for("POST", f"{BASE}/orders/100/payment_actions/refunds", post, INVALID),
            INVALID,
        ),
    }
    status, body = asyncio.run(call(app, *requests["refund_201"]))
    assert status == 201, body
    refund_id = json.loads(body)["data"]["id"]
    requests["get_by_id"] = (
        scope_for("GET", f"{BASE}/orders/payment_actions/refunds/{refund_id}", HEADERS, b""),
        b"",
    )
    return app, requests, refund_id


def _best(app: App, scope: Scope, body: bytes, count: int) -> float:
    """Microseconds per request: the best of 5 batches (noise from other work only adds)."""

    async def batches() -> float:
        return min([await time_calls(app, scope, body, max(1, count // 5)) for _ in range(5)])

    return asyncio.run(batches()) * 1e6


def measure(results: Results, *, runs: int, count: int) -> None:
    app, requests, _ = _sandbox_requests()
    expected = {"refund_201": 201, "invalid_422": 422, "get_by_id": 200}
    for key, (scope, body) in requests.items():
        status, _ = asyncio.run(call(app, scope, body))
        assert status == expected[key], (key, status)
    ceiling = create_ceiling()
    for _ in range(runs):
        for key, title in SCENARIOS.items():
            scope, body = requests[key]
            base = _best(ceiling, scope, body, count)
            results.figure(SECTION, f"{title}: ceiling app", "µs/req").add(base)
            results.figure(SECTION, f"{title}: sandbox", "µs/req", "ceiling app").add(
                _best(app, scope, body, count), base
            )
    for title in SCENARIOS.values():
        figure = results.figure(SECTION, f"{title}: sandbox", "µs/req")
        print(f"  in-process {title:<26} {figure.median:7.1f} µs/req", flush=True)


def profile(scenario: str, count: int, top: int = 30) -> None:
    """Print the functions that take the most time for ``scenario`` (cumulative and own)."""
    app, requests, _ = _sandbox_requests()
    scope, body = requests[scenario]

    async def run() -> None:
        for _ in range(count):
            await call(app, scope, body)

    profiler = cProfile.Profile()
    profiler.enable()
    asyncio.run(run())
    profiler.disable()
    stats = pstats.Stats(profiler)
    stats.sort_stats("cumulative").print_stats(top)
    stats.sort_stats("tottime").print_stats(top)
