"""Cut the refund operations, and every component they reference, out of the upstream spec."""

from __future__ import annotations

import copy
from typing import Any

from bigcommerce_refunds.spec.layout import LayoutError, normalise_layout

__all__ = ["REFUND_OPERATIONS", "CutError", "current_layout", "cut_fragment", "missing_operations"]

#: (path, method, operationId) of the five operations this project covers.
REFUND_OPERATIONS: tuple[tuple[str, str, str], ...] = (
    ("/orders/{order_id}/payment_actions/refund_quotes", "post", "createOrderRefundQuotes"),
    ("/orders/{order_id}/payment_actions/refunds", "post", "createOrderRefund"),
    ("/orders/{order_id}/payment_actions/refunds", "get", "getOrderRefunds"),
    ("/orders/payment_actions/refunds/{refund_id}", "get", "getOrderRefund"),
    ("/orders/payment_actions/refunds", "get", "getOrdersRefunds"),
)

_HTTP_METHODS = frozenset({"get", "put", "post", "delete", "options", "head", "patch", "trace"})
_TOP_LEVEL_KEYS = ("openapi", "info", "servers", "security", "tags")


class CutError(ValueError):
    """The upstream document lacks something the cut needs (an operation, a component)."""


def _iter_refs(node: Any) -> list[str]:
    found: list[str] = []
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            ref = item.get("$ref")
            if isinstance(ref, str):
                found.append(ref)
            stack.extend(value for key, value in item.items() if key != "$ref")
        elif isinstance(item, list):
            stack.extend(item)
    return found


def _resolve_local(document: dict[str, Any], ref: str) -> tuple[str, str]:
    # A pointer into a component (``#/components/examples/X/value``) keeps the whole component.
    parts = ref.split("/")
    if len(parts) < 4 or parts[:2] != ["#", "components"]:
        raise CutError(f"unsupported $ref {ref!r}: only '#/components/<kind>/<name>' is handled")
    kind, name = parts[2], parts[3].replace("~1", "/").replace("~0", "~")
    if name not in document.get("components", {}).get(kind, {}):
        raise CutError(f"$ref {ref!r} points at nothing in the upstream document")
    return kind, name


def current_layout(upstream: dict[str, Any]) -> tuple[dict[str, Any], str | None]:
    """``upstream`` with its paths in the current layout (see :mod:`.layout`), and a note saying
    what was rewritten (None when the file is in the current layout already)."""
    try:
        return normalise_layout(upstream, ((path, method) for path, method, _ in REFUND_OPERATIONS))
    except LayoutError as error:
        raise CutError(str(error)) from error


def missing_operations(upstream: dict[str, Any]) -> list[str]:
    """The operationIds of :data:`REFUND_OPERATIONS` whose path and method upstream lacks."""
    upstream, _ = current_layout(upstream)
    paths = upstream.get("paths") or {}
    return [
        op_id
        for path, method, op_id in REFUND_OPERATIONS
        if not isinstance((paths.get(path) or {}).get(method), dict)
    ]


def cut_fragment(upstream: dict[str, Any], *, allow_missing: bool = False) -> dict[str, Any]:
    """Return a new document with only the refund operations and what they reference.

    Order is taken from the upstream file (paths in upstream order, components in upstream
    order within each kind) so the output is stable across runs and diffs stay small.

    ``allow_missing`` keeps going when some (not all) refund operations are absent, so that a
    spec sync can report an upstream version without them as "operation removed" instead of
    failing; `make spec` keeps the strict default. A file in upstream's older URL layout (the
    base path in every path) is read in the current one first (:func:`current_layout`).
    """
    upstream, _ = current_layout(upstream)
    wanted = {(path, method) for path, method, _ in REFUND_OPERATIONS}
    paths: dict[str, Any] = {}
    for path, item in upstream.get("paths", {}).items():
        kept = {
            key: copy.deepcopy(value)
            for key, value in item.items()
            if key not in _HTTP_METHODS or (path, key) in wanted
        }
        if any(key in _HTTP_METHODS for key in kept):
            paths[path] = kept
    missing = [
        op_id for path, method, op_id in REFUND_OPERATIONS if method not in paths.get(path, {})
    ]
    if missing and (not allow_missing or len(missing) == len(REFUND_OPERATIONS)):
        raise CutError(f"upstream spec lacks refund operations: {', '.join(missing)}")

    referenced: set[tuple[str, str]] = set()
    queue = _iter_refs(paths)
    while queue:
        kind, name = _resolve_local(upstream, queue.pop())
        if (kind, name) in referenced:
            continue
        referenced.add((kind, name))
        queue.extend(_iter_refs(upstream["components"][kind][name]))

    components: dict[str, Any] = {}
    for kind, entries in upstream.get("components", {}).items():
        if kind == "securitySchemes":
            components[kind] = copy.deepcopy(entries)
            continue
        kept_entries = {
            name: copy.deepcopy(value)
            for name, value in entries.items()
            if (kind, name) in referenced
        }
        if kept_entries:
            components[kind] = kept_entries

    fragment: dict[str, Any] = {
        key: copy.deepcopy(upstream[key]) for key in _TOP_LEVEL_KEYS if key in upstream
    }
    used_tags = {
        tag
        for item in paths.values()
        for op in item.values()
        if isinstance(op, dict)
        for tag in op.get("tags", [])
    }
    if "tags" in fragment:
        fragment["tags"] = [tag for tag in fragment["tags"] if tag.get("name") in used_tags]
    fragment["paths"] = paths
    fragment["components"] = components
    return fragment
