"""JSON Schemas of the order reads a refund integration makes, from BigCommerce's own specs.

Orders V2 (``openapi/upstream/orders.v2.oas2.yml``: the order, its products, shipping addresses
and fees, the order list) and V3 transactions (``openapi/upstream/orders.v3.yml``). The sandbox
serves these reads and the conformance suite reads a live store through them; both validate what
they see against these schemas, exactly as upstream states them (no overlay: they are only read,
never generated from).

Each read maps to the schema of its 200 answer, fully dereferenced and converted to plain JSON
Schema. One upstream defect is worked around, not hidden: the fees read declares a single fee
object while its example (and the sandbox) answers ``{"fees": [fee, ...]}``; :data:`FEES` checks
that envelope with the declared fee schema for each entry.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from bigcommerce_refunds.spec.fragment import Fragment, FragmentValidator, to_json_schema

__all__ = [
    "FEES",
    "ORDER",
    "ORDERS",
    "PRODUCTS",
    "READS",
    "SHIPPING_ADDRESSES",
    "TRANSACTIONS",
    "problems",
    "schema",
]

_PACKAGE_COPY = Path(__file__).resolve().parent.parent / "upstream"
_CHECKOUT_COPY = Path(__file__).resolve().parents[3] / "openapi" / "upstream"
_V2 = "orders.v2.oas2.yml"
_V3 = "orders.v3.yml"

ORDER = "getOrder"
ORDERS = "getOrders"
PRODUCTS = "getOrderProducts"
SHIPPING_ADDRESSES = "getOrderShippingAddresses"
FEES = "getOrderFees"
TRANSACTIONS = "getOrderTransactions"

#: read -> (spec file, path, the component the 200 answer is built from)
READS: Mapping[str, tuple[str, str]] = {
    ORDER: (_V2, "/orders/{order_id}"),
    ORDERS: (_V2, "/orders"),
    PRODUCTS: (_V2, "/orders/{order_id}/products"),
    SHIPPING_ADDRESSES: (_V2, "/orders/{order_id}/shipping_addresses"),
    FEES: (_V2, "/orders/{order_id}/fees"),
    TRANSACTIONS: (_V3, "/orders/{order_id}/transactions"),
}


def _upstream() -> Path:
    """The copies shipped in the wheel, else the ones in this checkout."""
    return _PACKAGE_COPY if _PACKAGE_COPY.is_dir() else _CHECKOUT_COPY


@functools.cache
def _document(name: str) -> dict[str, Any]:
    with (_upstream() / name).open(encoding="utf-8") as handle:
        loaded: dict[str, Any] = yaml.safe_load(handle)
    return loaded


@functools.cache
def schema(read: str) -> dict[str, Any]:
    """The JSON Schema of ``read``'s 200 answer (KeyError for an unknown read)."""
    name, path = READS[read]
    document = _document(name)
    answer = Fragment(document).deref(document["paths"][path]["get"]["responses"]["200"])
    declared = to_json_schema(answer["content"]["application/json"]["schema"])
    if read == FEES:
        return {
            "type": "object",
            "required": ["fees"],
            "properties": {"fees": {"type": "array", "items": declared}},
        }
    converted: dict[str, Any] = declared
    return converted


@functools.cache
def _validator(read: str) -> Any:
    return FragmentValidator(schema(read))


def problems(read: str, body: Any) -> list[str]:
    """What is wrong with ``body`` as ``read``'s 200 answer: ``path: message`` lines."""
    return [
        f"{'/'.join(str(part) for part in error.absolute_path) or '$'}: {error.message}"
        for error in sorted(_validator(read).iter_errors(body), key=lambda e: str(list(e.path)))
    ]
