"""Reading one side of a spec diff: locations, ``$ref`` resolution and folded schema views.

A :class:`SchemaView` is a schema with ``allOf`` folded in and every property keyed with its own
JSON location, which is what lets the diff compare two versions field by field and name each
change where it lives. Also here: how locations are written (``parameters[page in query]``, not
a position that shifts), short schema summaries for messages, and how the branches of two
``oneOf``/``anyOf`` lists are paired.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from bigcommerce_refunds.spec.changes import Loc

__all__ = [
    "Document",
    "Named",
    "SchemaView",
    "best_match",
    "field_path",
    "fields_text",
    "format_location",
    "is_number",
    "match_branches",
    "summary",
    "type_text",
    "types_of",
    "value_text",
    "view_of",
]

_SIMPLE_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_\-]*$")


class Named(str):
    """A list item located by what it is (``parameters[page in query]``), not by its position,
    which shifts whenever an item before it comes or goes."""

    __slots__ = ()


def format_location(parts: Iterable[str | int]) -> str:
    """``('components', 'schemas', 'X', 'oneOf', 1)`` -> ``components.schemas.X.oneOf[1]``."""
    text = ""
    for part in parts:
        if isinstance(part, int | Named):
            text += f"[{part}]"
        elif _SIMPLE_KEY.match(part):
            text += f".{part}" if text else part
        else:
            text += f"[{part!r}]"
    return text


def _pointer_parts(ref: str) -> Loc:
    return tuple(
        part.replace("~1", "/").replace("~0", "~") for part in ref.removeprefix("#/").split("/")
    )


def field_path(parent: str, child: str) -> str:
    if not parent:
        return child
    if child.startswith("["):
        return parent + child
    return f"{parent}.{child}"


# ---------------------------------------------------------------------------------- documents
class Document:
    """One side of the comparison: ``$ref`` resolution that remembers where a node lives."""

    def __init__(self, document: dict[str, Any]) -> None:
        self.document = document

    def lookup(self, parts: Loc) -> Any:
        node: Any = self.document
        for part in parts:
            if isinstance(node, dict) and part in node:
                node = node[part]
                continue
            if not (isinstance(node, list) and isinstance(part, int) and part < len(node)):
                return None
            node = node[part]
        return node

    def resolve(self, node: Any, loc: Loc) -> tuple[Any, Loc, str | None]:
        """Follow ``$ref`` chains; return the target, its location and its component name."""
        name: str | None = None
        seen: set[str] = set()
        while isinstance(node, dict) and isinstance(node.get("$ref"), str):
            ref = node["$ref"]
            if ref in seen or not ref.startswith("#/"):
                break
            seen.add(ref)
            loc = _pointer_parts(ref)
            if len(loc) == 3 and loc[0] == "components":
                name = str(loc[2])
            node = self.lookup(loc)
        return node, loc, name


@dataclass
class SchemaView:
    """A schema with ``allOf`` folded in, its properties keyed with their own locations."""

    raw: dict[str, Any]
    loc: Loc
    name: str | None
    properties: dict[str, tuple[Any, Loc]] = field(default_factory=dict)
    required: set[str] = field(default_factory=set)
    variants: tuple[str, list[tuple[Any, Loc]]] | None = None

    @property
    def label(self) -> str:
        title = self.raw.get("title")
        return self.name or (
            title if isinstance(title, str) and title else format_location(self.loc)
        )


def view_of(doc: Document, node: Any, loc: Loc, depth: int = 0) -> SchemaView:
    schema, loc, name = doc.resolve(node, loc)
    if not isinstance(schema, dict):
        schema = {}
    raw = {key: value for key, value in schema.items() if key != "allOf"}
    view = SchemaView(raw, loc, name)
    for prop, prop_schema in (schema.get("properties") or {}).items():
        view.properties[prop] = (prop_schema, (*loc, "properties", prop))
    view.required.update(r for r in schema.get("required") or [] if isinstance(r, str))
    for key in ("oneOf", "anyOf"):
        if isinstance(schema.get(key), list):
            view.variants = (
                key,
                [(branch, (*loc, key, i)) for i, branch in enumerate(schema[key])],
            )
            break
    if isinstance(schema.get("allOf"), list) and depth < 32:
        for index, part in enumerate(schema["allOf"]):
            sub = view_of(doc, part, (*loc, "allOf", index), depth + 1)
            for prop, value in sub.properties.items():
                view.properties.setdefault(prop, value)
            view.required |= sub.required
            for key, value in sub.raw.items():
                if key not in ("properties", "required", "title", "description"):
                    view.raw.setdefault(key, value)
            if view.variants is None:
                view.variants = sub.variants
    return view


def types_of(raw: dict[str, Any], view: SchemaView | None = None) -> frozenset[str]:
    declared = raw.get("type")
    if isinstance(declared, str):
        return frozenset({declared})
    if isinstance(declared, list):
        return frozenset(str(item) for item in declared)
    if (view is not None and view.properties) or "properties" in raw:
        return frozenset({"object"})
    if "items" in raw:
        return frozenset({"array"})
    return frozenset()


def type_text(types: frozenset[str]) -> str:
    return "|".join(sorted(types)) if types else "any"


def summary(doc: Document, node: Any, loc: Loc, depth: int = 0) -> str:
    """A short description of a schema for messages: ``array of RefundItemAdjustment``."""
    view = view_of(doc, node, loc)
    if view.name:
        return view.name
    if view.variants:
        kind, branches = view.variants
        inner = ", ".join(summary(doc, b, bl, depth + 1) for b, bl in branches) if depth < 3 else ""
        return f"{kind}({inner})"
    types = types_of(view.raw, view)
    if "array" in types and depth < 3:
        return f"array of {summary(doc, view.raw.get('items'), (*view.loc, 'items'), depth + 1)}"
    text = type_text(types)
    if isinstance(view.raw.get("enum"), list):
        text += " enum " + ", ".join(value_text(value) for value in view.raw["enum"])
    return text


def value_text(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value)


def fields_text(view: SchemaView) -> str:
    names = [f"{name}*" if name in view.required else name for name in view.properties]
    return f"fields {', '.join(names)}" if names else "no declared fields"


def is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _similarity(left: SchemaView, right: SchemaView) -> float:
    if left.name and left.name == right.name:
        return 10.0
    title_left, title_right = left.raw.get("title"), right.raw.get("title")
    if title_left and title_left == title_right:
        return 5.0
    names_left, names_right = set(left.properties), set(right.properties)
    if names_left or names_right:
        return len(names_left & names_right) / len(names_left | names_right)
    left_types, right_types = types_of(left.raw, left), types_of(right.raw, right)
    return 0.5 if left_types and left_types == right_types else 0.0


def best_match(view: SchemaView, candidates: list[SchemaView]) -> int | None:
    scores = [_similarity(view, candidate) for candidate in candidates]
    if not scores or max(scores) <= 0:
        return None
    return scores.index(max(scores))


def match_branches(old: list[SchemaView], new: list[SchemaView]) -> list[tuple[int, int]]:
    """Pair old and new variants: same component, then same title, then most shared fields."""
    scored = sorted(
        ((_similarity(o, n), i, j) for i, o in enumerate(old) for j, n in enumerate(new)),
        key=lambda item: (-item[0], item[1], item[2]),
    )
    pairs: list[tuple[int, int]] = []
    used_old: set[int] = set()
    used_new: set[int] = set()
    for score, i, j in scored:
        if score <= 0 or i in used_old or j in used_new:
            continue
        pairs.append((i, j))
        used_old.add(i)
        used_new.add(j)
    return pairs
