"""The example requests BigCommerce documents, gathered by name for the tests.

Two sources: the ``x-examples`` of the refund request bodies in the upstream spec, and the example
requests of the refunds guide (JavaScript-style comments, trailing commas and ``[...]``
placeholders removed; a placeholder list becomes an empty list, which the schema allows).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
UPSTREAM = ROOT / "openapi" / "upstream" / "orders.v3.yml"
GUIDE = ROOT / "tests" / "data" / "refunds-guide.mdx"

_OPERATION_BY_PATH_SUFFIX = {
    "payment_actions/refund_quotes": "createOrderRefundQuotes",
    "payment_actions/refunds": "createOrderRefund",
}

#: Upstream examples that upstream's own schema rejects, with the reason. They are documentation
#: defects, not requests the API accepts, so the fragment may (and does) reject them too.
DEFECTIVE_UPSTREAM_EXAMPLES = {
    "createOrderRefund: Quantity": (
        "merchant_calculated_override is given as an array whose total_tax is null; the schema "
        "(and the API) take one object with numeric total_amount and total_tax"
    ),
    "createOrderRefund: Merchant Calculated Override": (
        "the override says tax_amount where the schema requires total_tax"
    ),
}


def upstream_examples() -> dict[str, tuple[str, Any]]:
    """``{"<operationId>: <example name>": (operationId, body)}`` from upstream x-examples."""
    upstream = yaml.safe_load(UPSTREAM.read_text(encoding="utf-8"))
    found: dict[str, tuple[str, Any]] = {}
    for path, item in upstream["paths"].items():
        for suffix, operation_id in _OPERATION_BY_PATH_SUFFIX.items():
            if path.endswith(suffix) and "post" in item:
                examples = item["post"]["requestBody"].get("x-examples", {})
                for name, body in examples.items():
                    found[f"{operation_id}: {name}"] = (operation_id, body)
    return found


def _unjavascript(text: str) -> str:
    text = re.sub(r"//[^\n]*", "", text)
    text = text.replace("[...]", "[]")
    return re.sub(r",(\s*[}\]])", r"\1", text)


def guide_examples() -> dict[str, tuple[str, Any]]:
    """``{"guide: <section> / <block title>": (operationId, body)}`` for each example request."""
    text = GUIDE.read_text(encoding="utf-8")
    found: dict[str, tuple[str, Any]] = {}
    section = ""
    block = re.compile(r'```http filename="(?P<title>[^"]+)"[^\n]*\n(?P<body>.*?)```', re.S)
    position = 0
    for match in block.finditer(text):
        headings = re.findall(r"^## (.+)$", text[position : match.start()], re.M)
        section = headings[-1] if headings else section
        position = match.start()
        request_line, _, rest = match.group("body").strip().partition("\n")
        operation_id = next(
            op for suffix, op in _OPERATION_BY_PATH_SUFFIX.items() if request_line.endswith(suffix)
        )
        _, _, payload = rest.partition("\n\n")
        found[f"guide: {section} / {match.group('title')}"] = (
            operation_id,
            json.loads(_unjavascript(payload)),
        )
    return found
