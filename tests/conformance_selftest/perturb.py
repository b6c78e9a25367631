"""A server that lies about one response field: the sandbox behind a perturbing ASGI wrapper.

The perturbations are generated from the fragment's response schemas: every field path of every
response (``conformance/ORACLE.md`` names them by shape, e.g. ``Refund.payments[].provider_id``)
gets one or two schema-valid perturbations — a number moved by one cent or one unit, an enum
value or a provider swapped for another valid one, a string changed, a boolean flipped, a date
moved by a day, an array element dropped or duplicated. The wrapper applies the active one to
every response that carries the field, consistently (the reads tell the same lie as the 201), and
checks that the perturbed body is still schema-valid, so only the field oracle can catch it.

The sandbox's domain modules know nothing of this; the wrapper rewrites answers on the way out.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any, cast

from bigcommerce_refunds.sandbox import SandboxConfig
from bigcommerce_refunds.sandbox.app import create_app
from bigcommerce_refunds.sandbox.served import SandboxServer, first_write_token, uvicorn_config
from bigcommerce_refunds.spec.fragment import Fragment, default_fragment
from conformance.expect import decimals_as_floats

CENT = Decimal("0.01")
OPERATIONS = (
    "createOrderRefundQuotes",
    "createOrderRefund",
    "getOrderRefunds",
    "getOrderRefund",
    "getOrdersRefunds",
)
#: Fields a list's ``meta`` carries beyond the fragment (BigCommerce's V3 collection pagination).
EXTRA_FIELDS = {
    ("getOrdersRefunds", "200"): {
        f"meta.pagination.{name}": {"type": "integer"}
        for name in ("total", "count", "per_page", "current_page", "total_pages")
    }
}


# ------------------------------------------------------------------------- field paths


def response_shapes(operation_id: str, status: str) -> dict[str, str]:
    """The ORACLE.md shapes a response carries, each with its root in the body ("" = the body)."""
    if status.startswith("2"):
        if operation_id == "createOrderRefundQuotes":
            return {"RefundQuote": "data", "RefundQuoteResponse": ""}
        if operation_id in {"getOrderRefunds", "getOrdersRefunds"}:
            return {"Refund": "data[]", "RefundList": ""}
        return {"Refund": "data", "RefundResponse": ""}
    if operation_id == "createOrderRefund" and status == "422":
        return {"RefundErrors": ""}
    if status == "503":
        return {"TaxServiceError": ""}
    return {"Error": ""}


def shape_path(operation_id: str, status: str, path: str) -> str:
    """The ORACLE.md name of a field path (``data.payments[].id`` → ``Refund.payments[].id``)."""
    for shape, root in response_shapes(operation_id, status).items():
        if root and path.startswith(root + "."):
            return f"{shape}.{path[len(root) + 1 :]}"
    envelope = [shape for shape, root in response_shapes(operation_id, status).items() if not root]
    return f"{envelope[0]}.{path}"


def _walk(schema: Any, path: str, out: dict[str, dict[str, Any]]) -> None:
    if not isinstance(schema, dict):
        return
    for keyword in ("anyOf", "oneOf", "allOf"):
        for branch in schema.get(keyword, []):
            _walk(branch, path, out)
    for name, sub in (schema.get("properties") or {}).items():
        where = f"{path}.{name}" if path else name
        out.setdefault(where, sub)
        _walk(sub, where, out)
    if "items" in schema and isinstance(schema["items"], dict):
        if "array" in _types(schema["items"]):  # an array of arrays: the inner arrays are fields
            out.setdefault(f"{path}[]", schema["items"])
        _walk(schema["items"], f"{path}[]", out)


def response_fields(fragment: Fragment | None = None) -> dict[tuple[str, str, str], dict[str, Any]]:
    """Every field path of every declared JSON response: (operation, status, path) → schema."""
    fragment = fragment or default_fragment()
    found: dict[tuple[str, str, str], dict[str, Any]] = {}
    for operation in fragment.operations():
        if operation.operation_id not in OPERATIONS:
            continue
        for status in operation.spec.get("responses", {}):
            try:
                schema = fragment.response_schema(operation.operation_id, status)
            except KeyError:
                continue
            fields: dict[str, dict[str, Any]] = {}
            _walk(schema, "", fields)
            fields.update(EXTRA_FIELDS.get((operation.operation_id, str(status)), {}))
            for path, sub in fields.items():
                found[(operation.operation_id, str(status), path)] = sub
    return found


def _types(schema: dict[str, Any]) -> set[str]:
    kind = schema.get("type")
    return set(kind) if isinstance(kind, list) else {kind} if isinstance(kind, str) else set()


# ------------------------------------------------------------------------- perturbations


@dataclass(frozen=True)
class Perturbation:
    """One lie: ``kind`` applied to every value at ``path`` (an ORACLE.md shape path)."""

    path: str
    kind: str
    schema: dict[str, Any] = field(compare=False, hash=False, repr=False)
    #: Lie in this one response only, (operation, status); None: in every response with the field.
    response: tuple[str, str] | None = None

    def __str__(self) -> str:
        where = f" in {self.response[0]} {self.response[1]} only" if self.response else ""
        return f"{self.path} ({self.kind}){where}"

    def lie(self, value: Any) -> Any:
        """The perturbed value, or ``...`` when this value cannot be perturbed validly."""
        kind = self.kind
        if kind == "flip" and isinstance(value, bool):
            return not value
        if kind == "plus one" and isinstance(value, int) and not isinstance(value, bool):
            return value + 1
        if kind == "one cent" and isinstance(value, int | Decimal) and not isinstance(value, bool):
            moved = Decimal(value) + CENT
            maximum = self.schema.get("maximum")
            if maximum is not None and moved >= Decimal(str(maximum)):
                moved = Decimal(value) - CENT
            return moved
        if kind == "other enum value" and isinstance(value, str):
            values = list(self.schema["enum"])
            return values[(values.index(value) + 1) % len(values)] if value in values else ...
        if kind == "other provider" and isinstance(value, str):
            return "storecredit" if value == "custom" else "custom"
        if kind == "a day later" and isinstance(value, str):
            try:
                return (datetime.fromisoformat(value) + timedelta(days=1)).isoformat()
            except ValueError:
                return ...
        if kind == "other text" and isinstance(value, str):
            return f"{value} (perturbed)" if value else "perturbed"
        if kind == "drop last" and isinstance(value, list):
            return value[:-1] if len(value) > int(self.schema.get("minItems", 0)) else ...
        if kind == "duplicate first" and isinstance(value, list):
            return [value[0], *value] if value else ...
        return ...


def kinds_for(path: str, schema: dict[str, Any]) -> list[str]:
    """The perturbations of one field, by its schema (objects have none: their fields do)."""
    types = _types(schema)
    if "array" in types:
        return ["drop last", "duplicate first"]
    if "boolean" in types:
        return ["flip"]
    if "integer" in types:
        return ["plus one"]
    if "number" in types:
        return ["one cent"]
    if "string" in types:
        if "enum" in schema:
            return ["other enum value"]
        if path.endswith("provider_id"):
            return ["other provider"]
        if schema.get("format") == "date-time":
            return ["a day later"]
        return ["other text"]
    return []


def perturbations(fragment: Fragment | None = None) -> list[Perturbation]:
    """One perturbation per (shape path, kind), told by every response with the field."""
    found: dict[tuple[str, str], Perturbation] = {}
    for (operation_id, status, path), schema in response_fields(fragment).items():
        shape = shape_path(operation_id, status, path)
        for kind in kinds_for(path, schema):
            found.setdefault((shape, kind), Perturbation(shape, kind, schema))
    return [found[key] for key in sorted(found)]


def per_response_perturbations(fragment: Fragment | None = None) -> list[Perturbation]:
    """One perturbation per (operation, status, field path, kind), told by that response only."""
    found = [
        Perturbation(shape_path(operation_id, status, path), kind, schema, (operation_id, status))
        for (operation_id, status, path), schema in response_fields(fragment).items()
        for kind in kinds_for(path, schema)
    ]
    return sorted(found, key=lambda p: (p.path, p.kind, p.response or ("", "")))


# ------------------------------------------------------------------------- the wrapper


def _apply(value: Any, steps: list[str], perturbation: Perturbation) -> tuple[Any, int]:
    """``value`` with the perturbation applied at ``steps``; how many values it changed."""
    if not steps:
        lied = perturbation.lie(value)
        return (value, 0) if lied is ... else (lied, 1)
    step, rest = steps[0], steps[1:]
    if step == "[]":
        if not isinstance(value, list):
            return value, 0
        changed, out = 0, []
        for element in value:
            new, count = _apply(element, rest, perturbation)
            out.append(new)
            changed += count
        return out, changed
    if not isinstance(value, dict) or step not in value:
        return value, 0
    new, count = _apply(value[step], rest, perturbation)
    return ({**value, step: new} if count else value), count


def _steps(path: str) -> list[str]:
    return [part for part in path.replace("[]", ".[]").split(".") if part]


def dumps(value: Any) -> bytes:
    """JSON with Decimals written as their exact text."""

    def encode(node: Any) -> str:
        if isinstance(node, Decimal):
            return str(node)
        if isinstance(node, dict):
            return "{" + ",".join(f"{json.dumps(k)}:{encode(v)}" for k, v in node.items()) + "}"
        if isinstance(node, list):
            return "[" + ",".join(encode(v) for v in node) + "]"
        return json.dumps(node)

    return encode(value).encode("utf-8")


class PerturbingApp:
    """ASGI wrapper: the active perturbation rewrites every response that carries its field."""

    def __init__(self, app: Any, fragment: Fragment | None = None) -> None:
        self.app = app
        self.fragment = fragment or default_fragment()
        self.active: Perturbation | None = None
        self.applied = 0
        self.schema_errors: list[str] = []
        self._lock = threading.Lock()
        self._operations = [
            (op.method.upper(), op.path_regex, op.operation_id) for op in self.fragment.operations()
        ]

    def switch(self, perturbation: Perturbation | None) -> None:
        with self._lock:
            self.active, self.applied, self.schema_errors = perturbation, 0, []

    def _operation(self, method: str, path: str) -> str | None:
        api_path = path.split("/v3", 1)[1] if "/v3/" in path else path
        for op_method, regex, operation_id in self._operations:
            if op_method == method and regex.match(api_path):
                return operation_id
        return None

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        active = self.active
        if scope["type"] != "http" or active is None or scope["path"].startswith("/__sandbox"):
            await self.app(scope, receive, send)
            return
        operation_id = self._operation(scope["method"], scope["path"])
        start: dict[str, Any] = {}
        chunks: list[bytes] = []

        async def capture(message: Any) -> None:
            if message["type"] == "http.response.start":
                start.update(message)
                return
            if message["type"] != "http.response.body":
                await send(message)
                return
            chunks.append(message.get("body", b""))
            if message.get("more_body", False):
                return
            body = self._rewrite(active, operation_id, str(start["status"]), b"".join(chunks))
            headers = [
                (name, str(len(body)).encode() if name.lower() == b"content-length" else value)
                for name, value in start.get("headers", [])
            ]
            await send({**start, "headers": headers})
            await send({"type": "http.response.body", "body": body})

        await self.app(scope, receive, capture)

    def _rewrite(
        self, active: Perturbation, operation_id: str | None, status: str, body: bytes
    ) -> bytes:
        if operation_id is None or active.response not in (None, (operation_id, status)):
            return body
        shape, _, inner = active.path.partition(".")
        shapes = response_shapes(operation_id, status)
        if shape not in shapes:
            return body
        try:
            parsed = json.loads(body, parse_float=Decimal)
        except ValueError:
            return body
        root = shapes[shape]
        steps = _steps(f"{root}.{inner}" if root else inner)
        lied, changed = _apply(parsed, steps, active)
        if not changed:
            return body
        errors = self.fragment.response_errors(operation_id, int(status), decimals_as_floats(lied))
        with self._lock:
            self.applied += changed
            self.schema_errors += [f"{operation_id} {status}: {e}" for e in errors]
        return dumps(lied)


@dataclass(frozen=True)
class LyingServer:
    base_url: str
    root_url: str
    token: str
    proxy: PerturbingApp


@contextmanager
def lying_server(config: SandboxConfig | None = None) -> Iterator[LyingServer]:
    """The sandbox behind a :class:`PerturbingApp`, served on a loopback port."""
    app = create_app(config or SandboxConfig(rate_limit_quota=1_000_000))
    proxy = PerturbingApp(app)
    server = SandboxServer(uvicorn_config(cast(Any, proxy), "127.0.0.1", 0, "warning"))
    thread = threading.Thread(target=server.run, name="lying-sandbox", daemon=True)
    thread.start()
    try:
        if not server.ready.wait(20) or not server.started:
            raise RuntimeError("the perturbing sandbox could not start")
        root = f"http://127.0.0.1:{server.bound_port()}"
        sandbox = app.state.sandbox
        yield LyingServer(
            base_url=f"{root}/stores/{sandbox.config.store_hash}/v3",
            root_url=root,
            token=first_write_token(sandbox.config),
            proxy=proxy,
        )
    finally:
        server.should_exit = True
        thread.join(10)


__all__ = [
    "LyingServer",
    "Perturbation",
    "PerturbingApp",
    "kinds_for",
    "lying_server",
    "per_response_perturbations",
    "perturbations",
    "response_fields",
    "response_shapes",
    "shape_path",
]
