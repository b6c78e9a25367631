"""Overlay actions that constrain what the upstream version does not define.

An action whose target matches can still be wrong for the upstream version at hand: on versions
before 2024-04-25 ``RefundQuote_Full`` has no ``order_level_refund_amount``, yet the overlay's
required list names it; before 2024-06-12 upstream has no ``transaction_id`` filter on the refunds
of an order, yet the overlay adds one to the GET. Applied silently, such an action makes the
fragment require a field no response has, or offer a filter the API does not document. Like an
action that matches nothing, it is a gap for a human to look at.

What an action adds is compared with what upstream itself declares (the cut, before any
action) and with the built fragment:

* a name added to a schema's ``required`` list must be a property of that schema in the built
  fragment (its own, or of an ``allOf``/``anyOf``/``oneOf`` branch);
* a property added to a schema that upstream has must be one upstream declares there too (the
  overlay may redeclare an upstream field, never invent one on an upstream schema);
* a parameter added to a path or operation must be one upstream declares on that path (at path
  level or on an operation): the overlay may move a parameter, never invent one;
* links added to a response must lead to operations the fragment has (upstream's operationIds
  were all lower case until 2022: ``postrefund``, ``getorderrefunds``).

Schemas, responses and parameters the overlay adds as new components are its own and are not
checked against upstream.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from bigcommerce_refunds.spec.overlay import OverlayAction

__all__ = ["Added", "UnbackedAction", "added_nodes", "unbacked_reasons"]

Path = tuple[str | int, ...]

#: Keys whose values are data (examples, defaults, enum values) or refer to other operations:
#: their content is not schema structure, whatever words it contains.
_OPAQUE_KEYS = frozenset({"example", "examples", "default", "enum", "const", "links", "x-examples"})
_HTTP_METHODS = frozenset({"get", "put", "post", "delete", "options", "head", "patch", "trace"})
_MAX_DEPTH = 8


@dataclass(frozen=True)
class UnbackedAction:
    """An applied overlay action, and what it constrains that upstream does not define."""

    action: OverlayAction
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class Added:
    """A node an action added: where, and its value."""

    path: Path
    value: Any


def added_nodes(before: Any, after: Any, path: Path = ()) -> Iterator[Added]:
    """Every node of ``after`` that ``before`` lacks (and, for a new node, all it contains).

    A list item that is not in ``before`` as it is counts as added, with its content; keys
    holding data rather than structure (:data:`_OPAQUE_KEYS`) are not entered.
    """
    if isinstance(after, dict):
        old = before if isinstance(before, dict) else None
        for key, value in after.items():
            if key in _OPAQUE_KEYS and path[-1:] != ("properties",):
                # Data, not structure: reported when new, never entered.
                if old is None or key not in old:
                    yield Added((*path, key), value)
                continue
            if old is not None and key in old:
                yield from added_nodes(old[key], value, (*path, key))
            else:
                yield Added((*path, key), value)
                yield from added_nodes(None, value, (*path, key))
    elif isinstance(after, list):
        old_items = before if isinstance(before, list) else []
        for index, item in enumerate(after):
            if item in old_items:
                continue
            yield Added((*path, index), item)
            yield from added_nodes(None, item, (*path, index))


def _lookup(document: Any, path: Path) -> Any:
    node = document
    for part in path:
        in_dict = isinstance(node, dict) and part in node
        in_list = isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)
        if not (in_dict or in_list):
            return None
        node = node[part]
    return node


def _resolve(document: Any, node: Any) -> Any:
    for _ in range(_MAX_DEPTH):
        ref = node.get("$ref") if isinstance(node, dict) else None
        if not (isinstance(ref, str) and ref.startswith("#/")):
            return node
        parts = tuple(p.replace("~1", "/").replace("~0", "~") for p in ref[2:].split("/"))
        node = _lookup(document, parts)
    return node


def _property_names(document: Any, schema: Any, depth: int = 0) -> set[str] | None:
    """Names ``schema`` defines (None: any name, e.g. ``additionalProperties``)."""
    schema = _resolve(document, schema)
    if not isinstance(schema, dict) or depth > _MAX_DEPTH:
        return set()
    names = set((schema.get("properties") or {}).keys())
    open_ended = schema.get("additionalProperties") not in (None, False)
    for keyword in ("allOf", "anyOf", "oneOf"):
        for branch in schema.get(keyword) or []:
            branch_names = _property_names(document, branch, depth + 1)
            if branch_names is None:
                open_ended = True
            else:
                names |= branch_names
    if open_ended and not names:
        return None
    return names


def _location(path: Path) -> str:
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        elif part.replace("_", "").replace("-", "").isalnum():
            text += f".{part}" if text else part
        else:
            text += f"[{part!r}]"
    return text


def _declared_parameters(
    cut: dict[str, Any], path: str, method: str | None
) -> set[tuple[str, str]]:
    """(in, name) of the parameters upstream declares on ``path`` (at path level, and on
    ``method``, or on any operation when ``method`` is None)."""
    item = (cut.get("paths") or {}).get(path)
    if not isinstance(item, dict):
        return set()
    owners = [item]
    owners += [
        value
        for key, value in item.items()
        if key in _HTTP_METHODS and isinstance(value, dict) and method in (None, key)
    ]
    declared = set()
    for owner in owners:
        for raw in owner.get("parameters") or []:
            parameter = _resolve(cut, raw)
            if isinstance(parameter, dict):
                declared.add((str(parameter.get("in")), str(parameter.get("name"))))
    return declared


def _operation_ids(document: dict[str, Any]) -> set[str]:
    return {
        operation["operationId"]
        for item in (document.get("paths") or {}).values()
        if isinstance(item, dict)
        for key, operation in item.items()
        if key in _HTTP_METHODS and isinstance(operation, dict) and "operationId" in operation
    }


def _link_reason(path: Path, links: dict[str, Any], built: dict[str, Any]) -> str | None:
    known = _operation_ids(built)
    missing = sorted(
        {
            str(link["operationId"])
            for link in links.values()
            if isinstance(link, dict) and "operationId" in link
        }
        - known
    )
    if not missing:
        return None
    names = ", ".join(f"`{name}`" for name in missing)
    return (
        f"links `{_location(path[:-1])}` to {names}, which this upstream version does not have "
        f"(its operations: {', '.join(f'`{name}`' for name in sorted(known)) or 'none'})"
    )


def _reason(added: Added, cut: dict[str, Any], built: dict[str, Any]) -> str | None:
    path, value = added.path, added.value
    if path[-1:] == ("links",) and isinstance(value, dict):
        return _link_reason(path, value, built)
    if len(path) >= 2 and path[-2] == "required" and isinstance(path[-1], int):
        schema_path = path[:-2]
        schema = _lookup(built, schema_path)
        names = _property_names(built, schema)
        defined = names is None or not isinstance(schema, dict) or value in names
        if isinstance(value, str) and not defined:
            return (
                f"requires `{value}` in `{_location(schema_path)}`, which does not define that "
                "field in this upstream version"
            )
        return None
    if len(path) >= 3 and path[-2] == "properties" and isinstance(path[-1], str):
        schema_path = path[:-2]
        upstream_schema = _lookup(cut, schema_path)
        if isinstance(upstream_schema, dict) and path[-1] not in (
            upstream_schema.get("properties") or {}
        ):
            return (
                f"defines the field `{path[-1]}` on `{_location(schema_path)}`, which upstream "
                "does not have in this version"
            )
        return None
    if (
        len(path) in (4, 5)
        and path[0] == "paths"
        and path[-2] == "parameters"
        and isinstance(path[-1], int)
        and isinstance(path[1], str)
    ):
        method = str(path[2]) if len(path) == 5 else None
        parameter = _resolve(built, value)
        if not isinstance(parameter, dict):
            return None
        key = (str(parameter.get("in")), str(parameter.get("name")))
        if key not in _declared_parameters(cut, path[1], method):
            where = f"{method.upper()} {path[1]}" if method else path[1]
            return (
                f"adds the {key[0]} parameter `{key[1]}` to `{where}`, which upstream does not "
                "declare in this version"
            )
    return None


def unbacked_reasons(
    added: list[Added], cut: dict[str, Any], built: dict[str, Any]
) -> tuple[str, ...]:
    """Why the nodes one action ``added`` constrain what upstream (``cut``) does not define, in
    the fragment as ``built``; empty when everything it added is backed by upstream."""
    reasons = (_reason(node, cut, built) for node in added)
    return tuple(dict.fromkeys(reason for reason in reasons if reason))
