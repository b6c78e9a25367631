"""Test helpers: a client that checks every refund-operation response against the fragment.

:func:`conformance_problems` is the contract check the brief asks for: JSON content type, a
declared status (or one of the few undeclared-but-sane ones), a body valid against the declared
schema, and every required header present as a non-negative integer. :class:`Api` runs it on every
response it gets, so every test that makes a request checks conformance on the way.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import httpx
from anyio.from_thread import start_blocking_portal
from jsonschema import Draft4Validator
from starlette.applications import Starlette

from bigcommerce_refunds.sandbox import DEFAULT_TOKEN, READ_ONLY_TOKEN, SandboxConfig, create_app
from bigcommerce_refunds.spec.fragment import Operation, default_fragment

FRAGMENT = default_fragment()
BASE = "/stores/sandbox/v3"
RATE_HEADERS = (
    "X-Rate-Limit-Time-Window-Ms",
    "X-Rate-Limit-Time-Reset-Ms",
    "X-Rate-Limit-Requests-Quota",
    "X-Rate-Limit-Requests-Left",
)
# Not declared by the fragment, not describable by a schema, still answered with ErrorResponse.
UNDECLARED_OK = frozenset({400, 405, 413, 415})
FIXED_NOW = datetime(2026, 11, 28, 10, 0, tzinfo=UTC)
_ERROR_RESPONSE = Draft4Validator(FRAGMENT.component_schema("ErrorResponse"))
_OPERATIONS: list[Operation] = list(FRAGMENT.operations())
Send = Callable[..., httpx.Response]
USE_DEFAULT = object()


def sandbox_config(**overrides: Any) -> SandboxConfig:
    """A config for tests: a fixed clock and a quota high enough not to get in the way."""
    settings: dict[str, Any] = {"rate_limit_quota": 1_000_000, "now": lambda: FIXED_NOW}
    settings.update(overrides)
    return SandboxConfig(**settings)


def operation_for(method: str, path: str) -> str | None:
    """The fragment operation a request path targets (None for the control API and strays)."""
    if not path.startswith(BASE + "/"):
        return None
    relative = path[len(BASE) :].split("?", 1)[0]
    for operation in _OPERATIONS:
        if operation.method == method.upper() and operation.path_regex.match(relative):
            return operation.operation_id
    return None


def encode(value: Any) -> str:
    """JSON text of test data: Decimals as exact numbers, floats as Python writes them."""
    if isinstance(value, dict):
        return "{" + ",".join(f"{json.dumps(str(k))}:{encode(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list | tuple):
        return "[" + ",".join(encode(item) for item in value) + "]"
    if isinstance(value, Decimal):
        return format(value, "f")
    return json.dumps(value)


def parse(response: httpx.Response) -> Any:
    return json.loads(response.content, parse_float=Decimal)


def conformance_problems(operation_id: str | None, response: httpx.Response) -> list[str]:
    """What about ``response`` breaks the fragment's contract (empty when it conforms)."""
    problems: list[str] = []
    content_type = response.headers.get("content-type", "").split(";")[0].strip()
    if content_type != "application/json":
        problems.append(f"content-type is {content_type!r}, not application/json")
    try:
        body = parse(response)
    except ValueError:
        return [*problems, "the body is not JSON"]
    for header in RATE_HEADERS:
        if not response.headers.get(header, "").isdigit():
            problems.append(f"header {header} is missing or not a non-negative integer")
    status = response.status_code
    declared = True
    if operation_id is not None:
        try:
            FRAGMENT.response(operation_id, status)
        except KeyError:
            declared = False
    if operation_id is None or not declared:
        if operation_id is not None and status not in UNDECLARED_OK:
            problems.append(f"status {status} is not declared for {operation_id}")
        if status >= 400 and (errors := list(_ERROR_RESPONSE.iter_errors(body))):
            problems.append(f"error body is not an ErrorResponse: {errors[0].message}")
        return problems
    assert operation_id is not None
    problems += FRAGMENT.response_errors(operation_id, status, body)
    for header in FRAGMENT.required_response_headers(operation_id, status):
        if not response.headers.get(header, "").isdigit():
            problems.append(f"required header {header} is missing or not an integer")
    return problems


@dataclass(frozen=True)
class Reply:
    status: int
    body: Any
    headers: httpx.Headers
    response: httpx.Response

    @property
    def data(self) -> Any:
        return self.body["data"]


class Api:
    """Calls the sandbox (in-process or over HTTP) and checks every answer against the fragment."""

    def __init__(self, send: Send, token: str = DEFAULT_TOKEN) -> None:
        self._send = send
        self.token = token

    def raw(
        self, method: str, path: str, *, token: Any = USE_DEFAULT, **kwargs: Any
    ) -> httpx.Response:
        """One request, unchecked (for tests of deliberately broken behaviour)."""
        headers = dict(kwargs.pop("headers", {}) or {})
        if "json" in kwargs:  # httpx cannot encode Decimals; send exact numbers
            kwargs["content"] = encode(kwargs.pop("json")).encode()
            headers.setdefault("Content-Type", "application/json")
        chosen = self.token if token is USE_DEFAULT else token
        if chosen is not None:
            headers.setdefault("X-Auth-Token", chosen)
        return self._send(method, path, headers=headers, **kwargs)

    def call(self, method: str, path: str, **kwargs: Any) -> Reply:
        """One request whose answer must conform to the fragment (or be a sane control answer)."""
        response = self.raw(method, path, **kwargs)
        problems = conformance_problems(operation_for(method, path), response)
        assert not problems, f"{method} {path} -> {response.status_code}: {problems}"
        return Reply(response.status_code, parse(response), response.headers, response)

    # The five operations.
    def quote(self, order_id: int | str, body: Any, **kwargs: Any) -> Reply:
        path = f"{BASE}/orders/{order_id}/payment_actions/refund_quotes"
        return self.call("POST", path, json=body, **kwargs)

    def refund(self, order_id: int | str, body: Any, **kwargs: Any) -> Reply:
        path = f"{BASE}/orders/{order_id}/payment_actions/refunds"
        return self.call("POST", path, json=body, **kwargs)

    def order_refunds(self, order_id: int | str, **params: Any) -> Reply:
        path = f"{BASE}/orders/{order_id}/payment_actions/refunds"
        return self.call("GET", path, params=params)

    def refund_by_id(self, refund_id: int | str) -> Reply:
        return self.call("GET", f"{BASE}/orders/payment_actions/refunds/{refund_id}")

    def all_refunds(self, **params: Any) -> Reply:
        return self.call("GET", f"{BASE}/orders/payment_actions/refunds", params=params)

    # The control API.
    def control(self, method: str, path: str, body: Any = None) -> Any:
        kwargs = {} if body is None else {"json": body}
        reply = self.call(method, f"/__sandbox{path}", **kwargs)
        assert reply.status < 300, reply.body
        return reply.data

    def order(self, order_id: int) -> Any:
        return self.control("GET", f"/orders/{order_id}")

    def state(self) -> Any:
        """Everything a request could change: orders with ledgers, refunds, and the API's list."""
        listed = self.all_refunds(limit=250).data
        return {
            "orders": self.control("GET", "/orders"),
            "refunds": self.control("GET", "/refunds"),
            "listed": listed,
        }

    def quote_then_refund(
        self, order_id: int, items: list[Any], method: int = 0, **extra: Any
    ) -> tuple[Reply, Reply]:
        """The documented flow: quote, then pay back with one of the quote's refund methods."""
        quote = self.quote(order_id, {"items": items})
        assert quote.status == 201, quote.body
        chosen = quote.data["refund_methods"][method]
        payments = [
            {"provider_id": o["provider_id"], "amount": o["amount"], "offline": o["offline"]}
            for o in chosen
        ]
        refund = self.refund(order_id, {"items": items, "payments": payments, **extra})
        return quote, refund


def read_only(api: Api) -> Api:
    return Api(api._send, READ_ONLY_TOKEN)


class InProcess:
    """A synchronous client for an ASGI app (httpx.AsyncClient + ASGITransport on a portal)."""

    def __init__(self, app: Starlette) -> None:
        self._stack = ExitStack()
        self._portal = self._stack.enter_context(start_blocking_portal())
        self._client = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://sandbox.test"
        )

    def send(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        return self._portal.call(functools.partial(self._client.request, method, url, **kwargs))

    def close(self) -> None:
        self._portal.call(self._client.aclose)
        self._stack.close()


@contextmanager
def in_process(config: SandboxConfig | None = None) -> Iterator[tuple[Api, Starlette]]:
    app = create_app(config or sandbox_config())
    client = InProcess(app)
    try:
        yield Api(client.send), app
    finally:
        client.close()


def money(value: str) -> Decimal:
    return Decimal(value)


def snapshot_unchanged(api: Api, before: Any) -> None:
    after = api.state()
    assert after == before, "a refused request changed the sandbox's state"


def assert_ledger_invariants(api: Api) -> None:
    """Money is never over-refunded, refunds add up, and the three reads agree.

    * per order: refunded <= paid, and refunded == the sum of its refunds' totals;
    * per line: refunded quantity <= quantity, refunded amount <= what the line charged;
    * per payment: refunded <= paid with it; tax adjusted <= tax overcharged;
    * per refund: total_amount == sum of its payments;
    * GET by id, GET for the order and GET all return the same refund objects.
    """
    orders = api.control("GET", "/orders")
    ledger = api.control("GET", "/refunds")
    by_order: dict[int, Decimal] = {}
    for refund in ledger:
        assert refund["total_amount"] == sum(p["amount"] for p in refund["payments"]), refund
        assert refund["payments"], refund
        by_order[refund["order_id"]] = (
            by_order.get(refund["order_id"], Decimal(0)) + refund["total_amount"]
        )
    for order in orders:
        totals = order["totals"]
        assert totals["refunded"] <= totals["paid"], order["id"]
        assert totals["refunded"] == by_order.get(order["id"], Decimal(0)), order["id"]
        assert totals["remaining"] == totals["paid"] - totals["refunded"]
        for product in order["products"]:
            for line in (product, product["gift_wrapping"]):
                if line is not None:
                    assert 0 <= line["refunded_quantity"] <= line["quantity"], order["id"]
                    assert line["refunded_amount"] <= line["total"], order["id"]
        lines = [a[kind] for a in order["addresses"] for kind in ("shipping", "handling")]
        for line in lines + order["fees"]:
            assert Decimal(0) <= line["refunded_amount"] <= line["total"], order["id"]
            assert line["remaining_amount"] >= 0, order["id"]
        for payment in order["payments"]:
            assert payment["refunded_amount"] <= payment["amount"], order["id"]
        assert order["tax_adjusted"] <= order["overcharged_tax"], order["id"]
    listed: list[Any] = []
    page = 1
    while True:
        reply = api.all_refunds(limit=250, page=page)
        listed += reply.data
        if page >= reply.body["meta"]["pagination"]["total_pages"]:
            break
        page += 1
    assert [r["id"] for r in listed] == [r["id"] for r in ledger]
    for refund in listed:
        assert api.refund_by_id(refund["id"]).data == refund
    for order in orders:
        assert api.order_refunds(order["id"]).data == [
            r for r in listed if r["order_id"] == order["id"]
        ]
