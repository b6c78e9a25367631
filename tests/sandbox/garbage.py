"""Hand-made garbage for the fuzz test: mutated refund bodies, hostile bytes, paths and queries.

Deterministic (a seeded ``random.Random``), so a failure can be replayed from its seed and index.
Mixed in are honest quote-then-refund flows on random items, so the ledger actually moves while the
garbage flies.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from tests.sandbox.helpers import BASE

ORDER_IDS = [100, 101, 102, 103, 104, 105, 106, 107]
ITEM_IDS = {
    "PRODUCT": [201, 202, 203, 211, 212, 221, 222, 231, 241, 251, 261, 271],
    "GIFT_WRAPPING": [202, 201],
    "SHIPPING": [301, 302, 311, 321, 331, 341, 351, 361, 371],
    "HANDLING": [301, 302, 311],
    "FEE": [401, 411],
    "ORDER": ORDER_IDS,
    "TAX": [301],
}
# The seeded orders' own lines, so honest flows mostly hit real items.
ORDER_LINES: dict[int, list[tuple[str, int]]] = {
    100: [
        ("PRODUCT", 201),
        ("PRODUCT", 202),
        ("GIFT_WRAPPING", 202),
        ("PRODUCT", 203),
        ("SHIPPING", 301),
        ("HANDLING", 301),
        ("SHIPPING", 302),
        ("HANDLING", 302),
        ("FEE", 401),
        ("ORDER", 100),
    ],
    101: [("PRODUCT", 211), ("PRODUCT", 212), ("SHIPPING", 311), ("FEE", 411), ("ORDER", 101)],
    102: [("PRODUCT", 221), ("PRODUCT", 222), ("SHIPPING", 321), ("ORDER", 102)],
    103: [("PRODUCT", 231), ("SHIPPING", 331), ("ORDER", 103)],
    104: [("PRODUCT", 241), ("SHIPPING", 341)],
    105: [("PRODUCT", 251), ("SHIPPING", 351)],
    106: [("PRODUCT", 261), ("SHIPPING", 361), ("ORDER", 106)],
    107: [("PRODUCT", 271), ("SHIPPING", 371), ("ORDER", 107)],
}
PROVIDERS = ["braintree", "stripe", "storecredit", "custom", "bankdeposit", "authorizenet", "x"]


class Raw(str):
    """JSON text inserted verbatim (numbers JSON allows but Python cannot hold as floats)."""


ODD_VALUES: list[Any] = [
    0,
    -1,
    1,
    2,
    Raw("0.5"),
    Raw("-0.001"),
    Raw("1.005"),
    Raw("1e400"),
    Raw("-1e400"),
    Raw("1e-400"),
    Raw("1" + "0" * 400),
    Raw("9" * 2000),
    Raw("NaN"),
    Raw("Infinity"),
    2**63,
    "",
    "x" * 1500,
    None,
    True,
    [],
    {},
    "\ud800",
    "١٢",
    "PRODUCT",
    {"$ref": "#"},
    [[[[[[]]]]]],
]


def encode(value: Any) -> str:
    if isinstance(value, Raw):
        return str(value)
    if isinstance(value, dict):
        return "{" + ",".join(f"{json.dumps(str(k))}:{encode(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ",".join(encode(item) for item in value) + "]"
    return json.dumps(value)


@dataclass
class Request:
    method: str
    path: str
    headers: dict[str, str] = field(default_factory=dict)
    content: bytes | None = None
    flow: dict[str, Any] | None = None  # an honest quote-then-refund: items to refund


def _item(rng: random.Random, order_id: int | None = None) -> dict[str, Any]:
    if order_id is not None:
        item_type, item_id = rng.choice(ORDER_LINES[order_id])
    else:
        item_type = rng.choice(list(ITEM_IDS))
        item_id = rng.choice(ITEM_IDS[item_type])
    item: dict[str, Any] = {"item_type": item_type, "item_id": item_id}
    if item_type in ("PRODUCT", "GIFT_WRAPPING"):
        item["quantity"] = rng.choice([1, 1, 1, 1, 2, 3, 4, 5, 0])
        if item_type == "PRODUCT" and rng.random() < 0.2:
            item["adjustments"] = [{"amount": rng.choice([-1, -0.5, -100]), "description": "fee"}]
    else:
        item["amount"] = rng.choice([0.01, 0.5, 1, 1, 2.5, 5, 10, 100, 0])
    if rng.random() < 0.3:
        item["reason"] = rng.choice(["", "Damaged", "x" * 10, "\u202e\U0001f4a9"])
    return item


def _body(rng: random.Random) -> dict[str, Any]:
    if rng.random() < 0.15:
        return {"tax_adjustment_amount": rng.choice([5.75, 1, 0, -1, 2.875])}
    items = [_item(rng) for _ in range(rng.choice([1, 1, 2, 3]))]
    amount = rng.choice([1, 5.75, 10.83, 96.34, 0])
    payments = [
        {"provider_id": rng.choice(PROVIDERS), "amount": amount, "offline": rng.random() < 0.3}
    ]
    body: dict[str, Any] = {"items": items, "payments": payments}
    if rng.random() < 0.1:
        body["merchant_calculated_override"] = {"total_amount": amount, "total_tax": 0}
    return body


def value_paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix]
    if isinstance(value, dict):
        for key, item in value.items():
            found += value_paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += value_paths(item, (*prefix, index))
    return found


def _mutate(rng: random.Random, body: Any) -> Any:
    paths = [path for path in value_paths(body) if path]
    if not paths:
        return rng.choice(ODD_VALUES)
    path = rng.choice(paths)
    parent = body
    for part in path[:-1]:
        parent = parent[part]
    action = rng.random()
    if action < 0.6:
        parent[path[-1]] = rng.choice(ODD_VALUES)
    elif action < 0.8 and isinstance(parent, dict):
        del parent[path[-1]]
    elif isinstance(parent, list):
        parent.append(parent[path[-1]])  # duplicate an entry
    else:
        parent[rng.choice(["order_id", "items", "payments", "tax_adjustment_amount", "?"])] = (
            rng.choice(ODD_VALUES)
        )
    return body


def requests(seed: int, count: int, token: str) -> Iterator[Request]:
    rng = random.Random(seed)
    json_headers = {"Content-Type": "application/json", "X-Auth-Token": token}
    for _ in range(count):
        kind = rng.random()
        order_id = rng.choice(ORDER_IDS)
        operation = rng.choice(["refunds", "refund_quotes"])
        path = f"{BASE}/orders/{order_id}/payment_actions/{operation}"
        if kind < 0.40:
            body = _body(rng)
            for _ in range(rng.choice([0, 1, 1, 2, 3])):
                body = _mutate(rng, body)
            yield Request(
                "POST", path, dict(json_headers), encode(body).encode("utf-8", "surrogatepass")
            )
        elif kind < 0.65:
            unique = {}
            for _ in range(rng.choice([1, 1, 2, 3])):
                item = _item(rng, order_id)
                unique[(item["item_type"], item["item_id"])] = item
            flow = {"order_id": order_id, "items": list(unique.values())}
            yield Request("POST", path, dict(json_headers), flow=flow)
        elif kind < 0.72:
            size = rng.choice([0, 1, 10, 100, 5000, 70_000])
            content = bytes(rng.getrandbits(8) for _ in range(min(size, 2000))) * max(
                1, size // 2000
            )
            yield Request("POST", path, dict(json_headers), content)
        elif kind < 0.80:
            segment = rng.choice(
                ["0", "-1", "abc", "%F0%9F%92%A9", "1" * 40, "..", "%2e%2e", "1.0", "", "%00"]
            )
            target = rng.choice(
                [
                    f"{BASE}/orders/{segment}/payment_actions/refunds",
                    f"{BASE}/orders/payment_actions/refunds/{segment}",
                    f"/stores/{segment}/v3/orders/payment_actions/refunds",
                    f"{BASE}/{segment}",
                ]
            )
            method = rng.choice(["GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD"])
            yield Request(method, target, dict(json_headers), b"{}" if method == "POST" else None)
        elif kind < 0.92:
            params = rng.choice(
                [
                    "order_id:in=100,abc",
                    "order_id:in=100&order_id:in=105",
                    "id:in=1000,1001",
                    "created:min=2026-11-20T09:30:00Z",
                    "created:max=not-a-date",
                    "created:min=2026-11-20T10:35:00+01:00",
                    "page=0",
                    "page=2&limit=1",
                    "limit=251",
                    "transaction_id=%00%FF",
                    "order_id:in=" + "9" * 40,
                    "page=" + "1" * 30,
                    "%FF=%FE",
                ]
            )
            yield Request(
                "GET", f"{BASE}/orders/payment_actions/refunds?{params}", {"X-Auth-Token": token}
            )
        else:
            headers = rng.choice(
                [
                    {"Content-Type": "text/plain", "X-Auth-Token": token},
                    {"Content-Type": "application/json"},
                    {"Content-Type": "application/json", "X-Auth-Token": token + "x"},
                    {"Content-Type": "application/json; charset=latin-1", "X-Auth-Token": token},
                    {"Content-Type": "", "X-Auth-Token": token},
                    {"Content-Type": "application/json", "X-Auth-Token": "sandbox-read-token"},
                ]
            )
            yield Request("POST", path, headers, b'{"tax_adjustment_amount": 5.75}')
