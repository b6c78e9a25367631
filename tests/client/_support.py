"""Shared test helpers: a scripted fake BigCommerce on httpx.MockTransport, fake time, bodies."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import httpx

from bigcommerce_refunds.client import (
    AsyncRefundsClient,
    RefundsClient,
    RetryPolicy,
    payment,
    product,
)

TOKEN = "tok-SECRET-9f8e7d6c5b4a3210"
BASE_URL = "https://api.test/stores/abc123/v3"
RATE_HEADERS = {
    "X-Rate-Limit-Time-Window-Ms": "30000",
    "X-Rate-Limit-Requests-Quota": "150",
}


def refund_json(
    refund_id: int,
    order_id: int = 100,
    *,
    items: Iterable[dict[str, Any]] = (),
    payments: Iterable[dict[str, Any]] = (),
    total: Any = 0,
    total_tax: Any = 0,
    override: bool = False,
) -> dict[str, Any]:
    """A Refund as the API returns it (every required field present)."""
    payment_list = [
        {
            "id": 1000 + refund_id * 10 + index,
            "offline": False,
            "is_declined": False,
            "declined_message": "",
            **entry,
        }
        for index, entry in enumerate(payments)
    ]
    return {
        "id": refund_id,
        "order_id": order_id,
        "user_id": 0,
        "created": "2026-01-02T03:04:05+00:00",
        "reason": "",
        "total_amount": total,
        "total_tax": total_tax,
        "uses_merchant_override_values": override,
        "items": list(items),
        "payments": payment_list,
    }


def product_refund(refund_id: int, order_id: int = 100, amount: str = "37.89") -> dict[str, Any]:
    """What the server records for ``product(1, 1)`` paid by ``payment("braintree", amount)``."""
    return refund_json(
        refund_id,
        order_id,
        items=[{"item_type": "PRODUCT", "item_id": 1, "quantity": 1, "requested_amount": None}],
        payments=[{"provider_id": "braintree", "amount": json.loads(amount)}],
        total=json.loads(amount),
    )


def json_response(status: int, body: Any, headers: dict[str, str] | None = None) -> httpx.Response:
    return httpx.Response(status, json=body, headers={**RATE_HEADERS, **(headers or {})})


def envelope(data: Any) -> dict[str, Any]:
    return {"data": data, "meta": {}}


QUOTE = {
    "order_id": 100,
    "total_refund_amount": 37.89,
    "total_refund_tax_amount": 2.89,
    "order_level_refund_amount": 0,
    "rounding": 0,
    "adjustment": 0,
    "tax_inclusive": False,
    "refund_methods": [
        [
            {
                "provider_id": "braintree",
                "provider_description": "Braintree",
                "amount": 37.89,
                "offline": False,
                "offline_provider": False,
                "offline_reason": "",
            }
        ],
        [
            {
                "provider_id": "storecredit",
                "provider_description": "Store Credit",
                "amount": 37.89,
                "offline": False,
                "offline_provider": False,
                "offline_reason": "",
            }
        ],
    ],
}


Reply = httpx.Response | Exception | Callable[[httpx.Request], httpx.Response]


@dataclass
class FakeStore:
    """A scripted BigCommerce: per-route reply queues, plus an in-memory list of refunds.

    Unscripted ``GET .../orders/{id}/payment_actions/refunds`` answers from ``refunds``; an
    unscripted refund POST records ``product_refund`` and answers 201. ``requests`` logs every
    request the transport saw (with the real token: only tests look at it).
    """

    refunds: dict[int, list[dict[str, Any]]] = field(default_factory=dict)
    scripts: dict[tuple[str, str], list[Reply]] = field(default_factory=dict)
    requests: list[httpx.Request] = field(default_factory=list)
    next_id: int = 1
    lock: threading.Lock = field(default_factory=threading.Lock)

    def script(self, method: str, path: str, *replies: Reply) -> None:
        self.scripts.setdefault((method, path), []).extend(replies)

    def record(self, order_id: int, body: dict[str, Any] | None = None) -> dict[str, Any]:
        """Record a refund on the order (as if a POST had reached the server)."""
        with self.lock:
            refund = dict(body or product_refund(self.next_id, order_id))
            refund["id"] = self.next_id
            self.next_id += 1
            self.refunds.setdefault(order_id, []).append(refund)
            return refund

    def count(self, method: str, path_suffix: str = "") -> int:
        return sum(
            1
            for request in self.requests
            if request.method == method and request.url.path.endswith(path_suffix)
        )

    def handle(self, request: httpx.Request) -> httpx.Response:
        with self.lock:
            self.requests.append(request)
            path = request.url.path.removeprefix("/stores/abc123/v3")
            queue = self.scripts.get((request.method, path))
            reply: Reply | None = queue.pop(0) if queue else None
        if reply is not None:
            if isinstance(reply, Exception):
                raise reply
            if isinstance(reply, httpx.Response):
                return reply
            return reply(request)
        parts = path.strip("/").split("/")
        listing = request.method == "GET" and parts[0] == "orders" and parts[-1] == "refunds"
        if listing and len(parts) == 4:
            return json_response(200, envelope(self.refunds.get(int(parts[1]), [])))
        if request.method == "POST" and parts[-1] == "refunds":
            return json_response(201, envelope(self.record(int(parts[1]))))
        return json_response(404, {"status": 404, "title": "Not scripted", "type": "x"})

    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self.handle)


@dataclass
class FakeTime:
    """A clock that only moves when the client sleeps; every sleep is recorded."""

    now: float = 1000.0
    sleeps: list[float] = field(default_factory=list)

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds

    async def async_sleep(self, seconds: float) -> None:
        self.sleep(seconds)


def half() -> float:
    """Deterministic jitter: the backoff factor becomes exactly 0.75."""
    return 0.5


def make_client(
    store: FakeStore,
    time: FakeTime | None = None,
    retry: RetryPolicy | None = None,
) -> RefundsClient:
    fake = time or FakeTime()
    return RefundsClient(
        base_url=BASE_URL,
        access_token=TOKEN,
        transport=store.transport(),
        retry=retry,
        sleep=fake.sleep,
        random=half,
        clock=fake.clock,
    )


def make_async_client(
    store: FakeStore,
    time: FakeTime | None = None,
    retry: RetryPolicy | None = None,
) -> AsyncRefundsClient:
    fake = time or FakeTime()
    return AsyncRefundsClient(
        base_url=BASE_URL,
        access_token=TOKEN,
        transport=store.transport(),
        retry=retry,
        sleep=fake.async_sleep,
        random=half,
        clock=fake.clock,
    )


ORDER_REFUNDS = "/orders/100/payment_actions/refunds"
QUOTES = "/orders/100/payment_actions/refund_quotes"
#: The refund most tests create: one unit of product 1, paid back to braintree.
ITEMS = [product(1, 1)]
PAYMENTS = [payment("braintree", Decimal("37.89"))]
#: BigCommerce's answer when its tax service is down (both POST operations).
TAX_503 = {"data": [{"order_id": 100, "status": 503, "error": "Tax service gone away"}], "meta": {}}
