"""Count the cases of a Schemathesis VCR cassette per operation, request variant and status."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

import yaml

from conformance.recorder import variant_of

_OPERATIONS = [
    (
        "POST",
        re.compile(r"/orders/[^/]+/payment_actions/refund_quotes$"),
        "createOrderRefundQuotes",
    ),
    ("POST", re.compile(r"/orders/[^/]+/payment_actions/refunds$"), "createOrderRefund"),
    ("GET", re.compile(r"/orders/[^/]+/payment_actions/refunds$"), "getOrderRefunds"),
    ("GET", re.compile(r"/orders/payment_actions/refunds/[^/]+$"), "getOrderRefund"),
    ("GET", re.compile(r"/orders/payment_actions/refunds$"), "getOrdersRefunds"),
]

_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def operation_of(method: str, url: str) -> str:
    path = url.split("?", 1)[0]
    for op_method, pattern, operation_id in _OPERATIONS:
        if method.upper() == op_method and pattern.search(path):
            return operation_id
    return f"{method.upper()} (undeclared)"


def count_cases(cassette: Path) -> Counter[tuple[str, str, int]]:
    """``{(operation, variant, status): n}`` for every interaction in the cassette."""
    counts: Counter[tuple[str, str, int]] = Counter()
    if not cassette.exists():
        return counts
    with cassette.open("rb") as handle:
        document = yaml.load(handle, Loader=_Loader) or {}
    for interaction in document.get("http_interactions", []):
        request = interaction.get("request", {})
        operation = operation_of(str(request.get("method", "")), str(request.get("uri", "")))
        body_text = (request.get("body") or {}).get("string")
        try:
            body = json.loads(body_text) if body_text else None
        except ValueError:
            body = "<not JSON>"
        response = interaction.get("response") or {}
        status = int((response.get("status") or {}).get("code") or 0)
        counts[(operation, variant_of(operation, body), status)] += 1
    return counts
