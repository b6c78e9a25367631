"""The client: the façade and the generated client against raw httpx, per call, in-process.

Every client talks to the same ``httpx.MockTransport``, which answers with bodies the sandbox
really served (captured once, in-process, at the start), so the figures are the clients' own
cost: building the request, going through httpx, reading and parsing the answer. Raw httpx is the
baseline (``client.get``/``client.post`` + ``response.json()``), measured in the same run.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import httpx
from bigcommerce_refunds_client import AuthenticatedClient
from bigcommerce_refunds_client.api.payment_actions import create_order_refund, get_order_refund
from bigcommerce_refunds_client.models import ItemsRefundRequest

from bench.results import Results
from bigcommerce_refunds import RefundsClient, RetryPolicy, payment, product
from bigcommerce_refunds.client.responses import parse_refund
from bigcommerce_refunds.sandbox import SandboxConfig, create_app

SECTION = "Client (in-process transport)"
BASE = "http://sandbox.test/stores/sandbox/v3"
TOKEN = "sandbox-token"
ORDER_ID = 100
REFUND_BODY: dict[str, Any] = {
    "items": [{"item_type": "PRODUCT", "item_id": 201, "quantity": 1, "reason": "Arrived cracked"}],
    "payments": [{"provider_id": "braintree", "amount": 96.34, "offline": False}],
}


def _captured() -> dict[str, httpx.Response]:
    """The sandbox's real 201 (refund POST) and 200 (GET by id, GET for the order) answers."""
    return asyncio.run(_capture())


async def _capture() -> dict[str, httpx.Response]:
    app = create_app(SandboxConfig(rate_limit_quota=10**9))
    transport = httpx.ASGITransport(app=app)
    headers = {"X-Auth-Token": TOKEN, "Accept": "application/json"}
    async with httpx.AsyncClient(transport=transport, base_url=BASE, headers=headers) as client:
        created = await client.post(f"/orders/{ORDER_ID}/payment_actions/refunds", json=REFUND_BODY)
        assert created.status_code == 201, created.text
        refund_id = created.json()["data"]["id"]
        read = await client.get(f"/orders/payment_actions/refunds/{refund_id}")
        assert read.status_code == 200, read.text
        listed = await client.get(f"/orders/{ORDER_ID}/payment_actions/refunds")
        assert listed.status_code == 200, listed.text
    keep = (
        "content-type",
        "x-rate-limit-time-window-ms",
        "x-rate-limit-time-reset-ms",
        "x-rate-limit-requests-quota",
        "x-rate-limit-requests-left",
    )
    answers = {
        method: httpx.Response(
            response.status_code,
            headers={k: v for k, v in response.headers.items() if k in keep},
            content=response.content,
        )
        for method, response in (("POST", created), ("GET", read), ("LIST", listed))
    }
    answers["refund_id"] = httpx.Response(200, content=str(refund_id).encode())
    return answers


def _transport(answers: dict[str, httpx.Response]) -> httpx.MockTransport:
    def handle(request: httpx.Request) -> httpx.Response:
        request.read()
        kind = request.method
        if kind == "GET" and request.url.path.endswith(
            f"/orders/{ORDER_ID}/payment_actions/refunds"
        ):
            kind = "LIST"
        template = answers[kind]
        return httpx.Response(
            template.status_code, headers=template.headers, content=template.content
        )

    return httpx.MockTransport(handle)


def _per_call(call: Callable[[], object], count: int) -> float:
    """Microseconds per call: the best of 5 batches of ``count // 5`` (noise only adds time)."""
    batch = max(1, count // 5)
    best = float("inf")
    for _ in range(5):
        started = time.perf_counter()
        for _ in range(batch):
            call()
        best = min(best, (time.perf_counter() - started) / batch)
    return best * 1e6


def measure(results: Results, *, runs: int, calls: int) -> None:
    answers = _captured()
    refund_id = int(answers["refund_id"].content)
    body_bytes = json.dumps(REFUND_BODY).encode()
    refund_json = answers["GET"].content
    raw = httpx.Client(transport=_transport(answers), base_url=BASE)
    headers = {"X-Auth-Token": TOKEN, "Accept": "application/json"}
    post_headers = {**headers, "Content-Type": "application/json"}
    facade = RefundsClient(base_url=BASE, access_token=TOKEN, transport=_transport(answers))
    unread = RefundsClient(
        base_url=BASE,
        access_token=TOKEN,
        transport=_transport(answers),
        retry=RetryPolicy.without_read_before_refund(),
    )
    generated = AuthenticatedClient(
        base_url=BASE,
        token=TOKEN,
        prefix="",
        auth_header_name="X-Auth-Token",
        httpx_args={"transport": _transport(answers)},
    )
    items = [product(201, quantity=1, reason="Arrived cracked")]
    payments = [payment("braintree", Decimal("96.34"))]

    def raw_get() -> object:
        return raw.get(f"/orders/payment_actions/refunds/{refund_id}", headers=headers).json()

    def raw_post() -> object:
        return raw.post(
            f"/orders/{ORDER_ID}/payment_actions/refunds", content=body_bytes, headers=post_headers
        ).json()

    def raw_read_then_post() -> object:
        raw.get(f"/orders/{ORDER_ID}/payment_actions/refunds", headers=headers).json()
        return raw_post()

    def generated_get() -> object:
        return get_order_refund.sync(refund_id, client=generated)

    def generated_post() -> object:
        return create_order_refund.sync(
            ORDER_ID, client=generated, body=ItemsRefundRequest.from_dict(REFUND_BODY)
        )

    checks = (
        facade.get_refund(refund_id).id == refund_id,
        facade.create_refund(ORDER_ID, items, payments).id == refund_id,
        unread.create_refund(ORDER_ID, items, payments).id == refund_id,
        generated_get() is not None,
        generated_post() is not None,
    )
    assert all(checks)
    try:
        for _ in range(runs):
            base_get = _per_call(raw_get, calls)
            base_post = _per_call(raw_post, calls)
            base_both = _per_call(raw_read_then_post, calls)
            results.figure(SECTION, "GET refund by id: raw httpx + json", "µs/call").add(base_get)
            results.figure(SECTION, "refund POST: raw httpx + json", "µs/call").add(base_post)
            results.figure(
                SECTION, "refund POST: raw httpx, GET order's refunds + POST", "µs/call"
            ).add(base_both)
            results.figure(
                SECTION,
                "GET refund by id: façade (RefundsClient.get_refund)",
                "µs/call",
                "raw httpx",
            ).add(_per_call(lambda: facade.get_refund(refund_id), calls), base_get)
            create = _per_call(lambda: facade.create_refund(ORDER_ID, items, payments), calls)
            results.figure(
                SECTION,
                "refund POST: façade (RefundsClient.create_refund)",
                "µs/call",
                "raw httpx POST",
            ).add(create, base_post)
            results.figure(
                SECTION,
                "refund POST: façade, vs the same two exchanges raw",
                "µs/call",
                "raw httpx GET + POST",
            ).add(create, base_both)
            results.figure(
                SECTION,
                "refund POST: façade, read before refund off (RefundsClient.create_refund)",
                "µs/call",
                "raw httpx POST",
            ).add(
                _per_call(lambda: unread.create_refund(ORDER_ID, items, payments), calls), base_post
            )
            results.figure(
                SECTION, "GET refund by id: generated client (sync)", "µs/call", "raw httpx"
            ).add(_per_call(generated_get, calls), base_get)
            results.figure(
                SECTION, "refund POST: generated client (sync)", "µs/call", "raw httpx"
            ).add(_per_call(generated_post, calls), base_post)
            loads = _per_call(lambda: json.loads(refund_json), calls * 5)
            results.figure(SECTION, "parse a refund body: json.loads only", "µs").add(loads)
            results.figure(
                SECTION,
                "parse a refund body into models (json.loads + parse_refund)",
                "µs",
                "json.loads",
            ).add(_per_call(lambda: parse_refund(json.loads(refund_json)), calls * 5), loads)
    finally:
        raw.close()
        facade.close()
        unread.close()
    ours = [f for f in results.figures if f.section == SECTION and f.median is not None]
    width = max((len(figure.name) for figure in ours), default=0)
    for figure in ours:
        ratio = f"  ({figure.ratio:.2f}x {figure.baseline})" if figure.ratio else ""
        print(f"  {figure.name:<{width}} {figure.median:8.1f} {figure.unit}{ratio}", flush=True)
