"""Semantic diff of two OpenAPI 3.0 fragments, each change classified for a client.

A textual diff of two spec versions says what moved; a user regenerating their client needs to
know what that means for the code they wrote against the old one. This module compares the
documents after dereferencing (a ``$ref`` replaced by an equal inline schema is no change), per
operation and per side, and classifies every change by one rule:

* **request side**: what the client may *send* must not narrow. A new required field or
  parameter, a removed field, parameter or enum value, a new constraint, a changed type: breaking.
  An optional field, an enum value or a oneOf variant added, a required flag dropped: not.
* **response side**: what the client may *receive* must not widen. A removed field, a field no
  longer required, an enum value or a variant added (generated enums and unions fail to parse
  what they do not know), a changed type: breaking. A field added, a field made required: not.

Every change names its JSON location in the new document (the old one for removals), e.g.
``components.schemas.QuantityBoundItem.properties.adjustments``, and is attributed to every
operation whose request or response reaches it, with the field path seen from that operation,
e.g. ``createOrderRefund`` request body ``items[].adjustments``. A component reached from both
sides (``RefundItemAdjustment``) is classified once per side.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

__all__ = [
    "Change",
    "SpecDiff",
    "Use",
    "diff_fragments",
    "format_location",
]

Side = Literal["operation", "request", "response"]
Loc = tuple[str | int, ...]

_HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")

# How a change affects the set of values a schema admits. Narrowing breaks senders (request side),
# widening breaks receivers (response side); "both" breaks either side, "neither" no side.
Effect = Literal["narrows", "widens", "both", "neither"]

# Bounds that admit fewer values when they grow (lower) or shrink (upper), or when added.
_LOWER_BOUNDS = ("minimum", "minLength", "minItems", "minProperties")
_UPPER_BOUNDS = ("maximum", "maxLength", "maxItems", "maxProperties")
_FLAGS = ("exclusiveMinimum", "exclusiveMaximum", "uniqueItems")
_OPAQUE_CONSTRAINTS = ("pattern", "multipleOf")


@dataclass(frozen=True, order=True)
class Use:
    """Where one operation meets a change: its side, the part (body, parameter...), the field.

    ``field`` is the path seen from the body or parameter root (``items[].adjustments``; empty
    for the root itself); ``breaking`` is the classification for this side.
    """

    operation: str
    side: Side
    where: str
    field: str
    breaking: bool

    def describe(self) -> str:
        """E.g. ``createOrderRefund request body `items[].adjustments```."""
        side = "" if self.side == "operation" else f" {self.side}"
        part = f" {self.where}" if self.where else ""
        name = f" `{self.field}`" if self.field else ""
        return f"{self.operation}{side}{part}{name}"


@dataclass(frozen=True)
class Change:
    """One semantic change at one JSON location, with every operation use that reaches it."""

    kind: str
    location: str
    detail: str
    message: str
    uses: tuple[Use, ...]

    @property
    def sides(self) -> tuple[Side, ...]:
        found = {use.side for use in self.uses}
        return tuple(side for side in ("operation", "request", "response") if side in found)

    @property
    def breaking(self) -> bool:
        return any(use.breaking for use in self.uses)

    def breaking_on(self, side: Side) -> bool:
        return any(use.breaking for use in self.uses if use.side == side)

    def uses_on(self, side: Side) -> tuple[Use, ...]:
        return tuple(use for use in self.uses if use.side == side)

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "location": self.location,
            "detail": self.detail,
            "message": self.message,
            "breaking": self.breaking,
            "sides": list(self.sides),
            "uses": [
                {
                    "operation": use.operation,
                    "side": use.side,
                    "where": use.where,
                    "field": use.field,
                    "breaking": use.breaking,
                }
                for use in self.uses
            ],
        }


@dataclass(frozen=True)
class SpecDiff:
    """All changes between two fragments; ``components`` holds unattributed schema additions."""

    changes: tuple[Change, ...]
    components: tuple[Change, ...] = ()

    @property
    def breaking(self) -> bool:
        return any(change.breaking for change in self.changes)

    def on(self, side: Side) -> tuple[Change, ...]:
        """The changes with at least one use on ``side``."""
        return tuple(change for change in self.changes if change.uses_on(side))

    def find(self, kind: str | None = None, *, location: str | None = None) -> list[Change]:
        """Changes of ``kind`` whose location ends with ``location`` (either may be omitted)."""
        return [
            change
            for change in self.changes + self.components
            if (kind is None or change.kind == kind)
            and (location is None or change.location.endswith(location))
        ]

    def to_json(self) -> dict[str, Any]:
        return {
            "breaking": self.breaking,
            "changes": [change.to_json() for change in self.changes],
            "components": [change.to_json() for change in self.components],
        }


# ---------------------------------------------------------------------------------- locations
_SIMPLE_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_\-]*$")


class _Named(str):
    """A list item located by what it is (``parameters[page in query]``), not by its position,
    which shifts whenever an item before it comes or goes."""

    __slots__ = ()


def format_location(parts: Iterable[str | int]) -> str:
    """``('components', 'schemas', 'X', 'oneOf', 1)`` -> ``components.schemas.X.oneOf[1]``."""
    text = ""
    for part in parts:
        if isinstance(part, int | _Named):
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


def _field_path(parent: str, child: str) -> str:
    if not parent:
        return child
    if child.startswith("["):
        return parent + child
    return f"{parent}.{child}"


# ---------------------------------------------------------------------------------- documents
class _Document:
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
class _View:
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


def _view(doc: _Document, node: Any, loc: Loc, depth: int = 0) -> _View:
    schema, loc, name = doc.resolve(node, loc)
    if not isinstance(schema, dict):
        schema = {}
    raw = {key: value for key, value in schema.items() if key != "allOf"}
    view = _View(raw, loc, name)
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
            sub = _view(doc, part, (*loc, "allOf", index), depth + 1)
            for prop, value in sub.properties.items():
                view.properties.setdefault(prop, value)
            view.required |= sub.required
            for key, value in sub.raw.items():
                if key not in ("properties", "required", "title", "description"):
                    view.raw.setdefault(key, value)
            if view.variants is None:
                view.variants = sub.variants
    return view


def _types(raw: dict[str, Any], view: _View | None = None) -> frozenset[str]:
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


def _type_text(types: frozenset[str]) -> str:
    return "|".join(sorted(types)) if types else "any"


def _summary(doc: _Document, node: Any, loc: Loc, depth: int = 0) -> str:
    """A short description of a schema for messages: ``array of RefundItemAdjustment``."""
    view = _view(doc, node, loc)
    if view.name:
        return view.name
    if view.variants:
        kind, branches = view.variants
        inner = (
            ", ".join(_summary(doc, b, bl, depth + 1) for b, bl in branches) if depth < 3 else ""
        )
        return f"{kind}({inner})"
    types = _types(view.raw, view)
    if "array" in types and depth < 3:
        return f"array of {_summary(doc, view.raw.get('items'), (*view.loc, 'items'), depth + 1)}"
    text = _type_text(types)
    if isinstance(view.raw.get("enum"), list):
        text += " enum " + ", ".join(_value(value) for value in view.raw["enum"])
    return text


def _value(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value)


def _fields_text(view: _View) -> str:
    names = [f"{name}*" if name in view.required else name for name in view.properties]
    return f"fields {', '.join(names)}" if names else "no declared fields"


# ---------------------------------------------------------------------------------- walking
@dataclass(frozen=True)
class _Ctx:
    operation: str
    side: Side
    where: str
    field: str
    stack: frozenset[tuple[Loc, Loc]] = frozenset()

    def at(self, child: str) -> _Ctx:
        return _Ctx(
            self.operation, self.side, self.where, _field_path(self.field, child), self.stack
        )


def _breaks(effect: Effect, side: Side) -> bool:
    if effect == "both":
        return True
    if effect == "neither":
        return False
    if side == "request":
        return effect == "narrows"
    return side == "response" and effect == "widens"


class _Differ:
    def __init__(self, old: dict[str, Any], new: dict[str, Any]) -> None:
        self.old = _Document(old)
        self.new = _Document(new)
        self._changes: dict[tuple[str, str, str], tuple[str, set[Use]]] = {}

    # -------------------------------------------------------------- recording
    def emit(
        self,
        kind: str,
        loc: Loc,
        detail: str,
        message: str,
        ctx: _Ctx,
        effect: Effect | None = None,
        *,
        breaking: bool | None = None,
    ) -> None:
        verdict = breaking if breaking is not None else _breaks(effect or "both", ctx.side)
        key = (kind, format_location(loc), detail)
        entry = self._changes.setdefault(key, (message, set()))
        entry[1].add(Use(ctx.operation, ctx.side, ctx.where, ctx.field, verdict))

    def result(self) -> tuple[Change, ...]:
        changes = [
            Change(kind, location, detail, message, tuple(sorted(uses)))
            for (kind, location, detail), (message, uses) in self._changes.items()
        ]
        return tuple(sorted(changes, key=lambda c: (c.location, c.kind, c.detail)))

    # -------------------------------------------------------------- operations
    def operations(self) -> None:
        old_ops = dict(_operations(self.old.document))
        new_ops = dict(_operations(self.new.document))
        for key in [*new_ops, *(k for k in old_ops if k not in new_ops)]:
            path, method = key
            label = f"{method.upper()} {path}"
            if key not in old_ops:
                op_id = _op_id(new_ops[key], label)
                ctx = _Ctx(op_id, "operation", label, "")
                self.emit(
                    "operation-added",
                    ("paths", path, method),
                    op_id,
                    "operation added",
                    ctx,
                    breaking=False,
                )
                continue
            if key not in new_ops:
                op_id = _op_id(old_ops[key], label)
                ctx = _Ctx(op_id, "operation", label, "")
                self.emit(
                    "operation-removed",
                    ("paths", path, method),
                    op_id,
                    "operation removed",
                    ctx,
                    breaking=True,
                )
                continue
            old_op, new_op = old_ops[key], new_ops[key]
            old_id, op_id = _op_id(old_op, label), _op_id(new_op, label)
            loc: Loc = ("paths", path, method)
            if old_id != op_id:
                self.emit(
                    "operation-id-changed",
                    (*loc, "operationId"),
                    f"{old_id} -> {op_id}",
                    f"operationId `{old_id}` renamed to `{op_id}` (generated function "
                    "module renamed)",
                    _Ctx(op_id, "operation", label, ""),
                    breaking=True,
                )
            if bool(new_op.get("deprecated")) and not old_op.get("deprecated"):
                self.emit(
                    "operation-deprecated",
                    (*loc, "deprecated"),
                    op_id,
                    "operation deprecated",
                    _Ctx(op_id, "operation", label, ""),
                    breaking=False,
                )
            self.parameters(path, method, op_id)
            self.request_body(loc, old_op, new_op, op_id)
            self.responses(loc, old_op, new_op, op_id)

    # -------------------------------------------------------------- parameters
    def _params(
        self, doc: _Document, path: str, method: str
    ) -> dict[tuple[str, str], tuple[Any, Loc]]:
        found: dict[tuple[str, str], tuple[Any, Loc]] = {}
        item = doc.document.get("paths", {}).get(path) or {}
        for scope, owner in (((), item), ((method,), item.get(method) or {})):
            for index, raw in enumerate(owner.get("parameters") or []):
                here: Loc = ("paths", path, *scope, "parameters", index)
                param, loc, _ = doc.resolve(raw, here)
                if isinstance(param, dict) and "name" in param and "in" in param:
                    if loc == here:
                        loc = (*here[:-1], _Named(f"{param['name']} in {param['in']}"))
                    found[(str(param["in"]), str(param["name"]))] = (param, loc)
        return found

    def parameters(self, path: str, method: str, op_id: str) -> None:
        old = self._params(self.old, path, method)
        new = self._params(self.new, path, method)
        for key in [*new, *(k for k in old if k not in new)]:
            where_in, name = key
            ctx = _Ctx(op_id, "request", f"parameter `{name}` ({where_in})", "")
            if key not in old:
                param, loc = new[key]
                required = bool(param.get("required"))
                self.emit(
                    "parameter-added",
                    loc,
                    name,
                    f"parameter added ({'required' if required else 'optional'})",
                    ctx,
                    breaking=required,
                )
                continue
            if key not in new:
                self.emit(
                    "parameter-removed", old[key][1], name, "parameter removed", ctx, breaking=True
                )
                continue
            (old_param, _), (new_param, loc) = old[key], new[key]
            self._required_flag("parameter", loc, name, old_param, new_param, ctx)
            for attr in ("style", "explode", "allowReserved"):
                if old_param.get(attr) != new_param.get(attr):
                    self.emit(
                        "parameter-serialization-changed",
                        (*loc, attr),
                        name,
                        f"{attr} {old_param.get(attr)!r} -> {new_param.get(attr)!r}",
                        ctx,
                    )
            old_schema = old_param.get("schema")
            new_schema = new_param.get("schema")
            self.schema(old_schema, (*old[key][1], "schema"), new_schema, (*loc, "schema"), ctx)

    def _required_flag(
        self, what: str, loc: Loc, name: str, old: dict[str, Any], new: dict[str, Any], ctx: _Ctx
    ) -> None:
        before, after = bool(old.get("required")), bool(new.get("required"))
        if before != after:
            self.emit(
                f"{what}-{'required' if after else 'optional'}",
                (*loc, "required"),
                name,
                f"{what} {'now required' if after else 'no longer required'}",
                ctx,
                "narrows" if after else "widens",
            )

    # -------------------------------------------------------------- bodies
    def request_body(
        self, loc: Loc, old_op: dict[str, Any], new_op: dict[str, Any], op_id: str
    ) -> None:
        old_body, old_loc, _ = self.old.resolve(old_op.get("requestBody"), (*loc, "requestBody"))
        new_body, new_loc, _ = self.new.resolve(new_op.get("requestBody"), (*loc, "requestBody"))
        ctx = _Ctx(op_id, "request", "body", "")
        if not isinstance(old_body, dict) and not isinstance(new_body, dict):
            return
        if not isinstance(old_body, dict):
            required = bool(new_body.get("required"))
            self.emit(
                "body-added",
                new_loc,
                "body",
                f"request body added ({'required' if required else 'optional'})",
                ctx,
                breaking=required,
            )
            return
        if not isinstance(new_body, dict):
            self.emit("body-removed", old_loc, "body", "request body removed", ctx, breaking=True)
            return
        self._required_flag("body", new_loc, "body", old_body, new_body, ctx)
        self.content(old_body, old_loc, new_body, new_loc, ctx, "body")

    def content(
        self,
        old: dict[str, Any],
        old_loc: Loc,
        new: dict[str, Any],
        new_loc: Loc,
        ctx: _Ctx,
        part: str,
    ) -> None:
        old_content = old.get("content") or {}
        new_content = new.get("content") or {}
        for media in [*new_content, *(m for m in old_content if m not in new_content)]:
            where = part if media == "application/json" else f"{part} ({media})"
            media_ctx = _Ctx(ctx.operation, ctx.side, where, "")
            if media not in old_content:
                self.emit(
                    "media-type-added",
                    (*new_loc, "content", media),
                    media,
                    "media type added",
                    media_ctx,
                    breaking=False,
                )
            elif media not in new_content:
                self.emit(
                    "media-type-removed",
                    (*old_loc, "content", media),
                    media,
                    "media type removed",
                    media_ctx,
                    breaking=True,
                )
            else:
                self.schema(
                    (old_content[media] or {}).get("schema"),
                    (*old_loc, "content", media, "schema"),
                    (new_content[media] or {}).get("schema"),
                    (*new_loc, "content", media, "schema"),
                    media_ctx,
                )

    def responses(
        self, loc: Loc, old_op: dict[str, Any], new_op: dict[str, Any], op_id: str
    ) -> None:
        old_responses = old_op.get("responses") or {}
        new_responses = new_op.get("responses") or {}
        for status in [*new_responses, *(s for s in old_responses if s not in new_responses)]:
            code = str(status)
            success = code.startswith("2")
            ctx = _Ctx(op_id, "response", code, "")
            if status not in old_responses:
                self.emit(
                    "response-added",
                    (*loc, "responses", code),
                    code,
                    "response status added" + (" (a new success shape)" if success else ""),
                    ctx,
                    breaking=success,
                )
                continue
            if status not in new_responses:
                self.emit(
                    "response-removed",
                    (*loc, "responses", code),
                    code,
                    "response status removed",
                    ctx,
                    breaking=success,
                )
                continue
            old, old_loc, _ = self.old.resolve(old_responses[status], (*loc, "responses", code))
            new, new_loc, _ = self.new.resolve(new_responses[status], (*loc, "responses", code))
            if isinstance(old, dict) and isinstance(new, dict):
                self.content(old, old_loc, new, new_loc, ctx, f"{code} body")
                self.headers(old, old_loc, new, new_loc, _Ctx(op_id, "response", code, ""))

    def headers(
        self, old: dict[str, Any], old_loc: Loc, new: dict[str, Any], new_loc: Loc, ctx: _Ctx
    ) -> None:
        def collect(
            doc: _Document, owner: dict[str, Any], loc: Loc
        ) -> dict[str, tuple[str, Any, Loc]]:
            found: dict[str, tuple[str, Any, Loc]] = {}
            for name, raw in (owner.get("headers") or {}).items():
                header, header_loc, _ = doc.resolve(raw, (*loc, "headers", name))
                if isinstance(header, dict):
                    found[name.lower()] = (name, header, header_loc)
            return found

        old_headers = collect(self.old, old, old_loc)
        new_headers = collect(self.new, new, new_loc)
        for key in [*new_headers, *(k for k in old_headers if k not in new_headers)]:
            if key not in old_headers:
                name, _, loc = new_headers[key]
                hctx = _Ctx(ctx.operation, "response", f"{ctx.where} header `{name}`", "")
                self.emit("header-added", loc, name, "response header added", hctx, breaking=False)
            elif key not in new_headers:
                name, _, loc = old_headers[key]
                hctx = _Ctx(ctx.operation, "response", f"{ctx.where} header `{name}`", "")
                self.emit(
                    "header-removed", loc, name, "response header removed", hctx, breaking=True
                )
            else:
                _, old_header, old_hloc = old_headers[key]
                name, new_header, new_hloc = new_headers[key]
                hctx = _Ctx(ctx.operation, "response", f"{ctx.where} header `{name}`", "")
                self._required_flag("header", new_hloc, name, old_header, new_header, hctx)
                self.schema(
                    old_header.get("schema"),
                    (*old_hloc, "schema"),
                    new_header.get("schema"),
                    (*new_hloc, "schema"),
                    hctx,
                )

    # -------------------------------------------------------------- schemas
    def schema(self, old_node: Any, old_loc: Loc, new_node: Any, new_loc: Loc, ctx: _Ctx) -> None:
        if old_node is None and new_node is None:
            return
        old = _view(self.old, old_node, old_loc)
        new = _view(self.new, new_node, new_loc)
        pair = (old.loc, new.loc)
        if pair in ctx.stack:
            return  # a recursive schema: this pair is being compared further up
        ctx = _Ctx(ctx.operation, ctx.side, ctx.where, ctx.field, ctx.stack | {pair})
        if old.variants or new.variants:
            self.variants(old, new, ctx)
            return
        old_types, new_types = _types(old.raw, old), _types(new.raw, new)
        if old_types != new_types:
            self.emit(
                "type-changed",
                (*new.loc, "type"),
                f"{_type_text(old_types)} -> {_type_text(new_types)}",
                f"type `{_type_text(old_types)}` changed to `{_type_text(new_types)}`",
                ctx,
                "both",
            )
            return
        self.scalars(old, new, ctx)
        if "object" in new_types:
            self.objects(old, new, ctx)
        if "array" in new_types:
            self.schema(
                old.raw.get("items"),
                (*old.loc, "items"),
                new.raw.get("items"),
                (*new.loc, "items"),
                ctx.at("[]"),
            )

    def scalars(self, old: _View, new: _View, ctx: _Ctx) -> None:
        before, after = old.raw.get("format"), new.raw.get("format")
        if before != after:
            self.emit(
                "format-changed",
                (*new.loc, "format"),
                f"{before} -> {after}",
                f"format `{before}` changed to `{after}`",
                ctx,
                "both",
            )
        nullable_before, nullable_after = (
            bool(old.raw.get("nullable")),
            bool(new.raw.get("nullable")),
        )
        if nullable_before != nullable_after:
            self.emit(
                "nullable-added" if nullable_after else "nullable-removed",
                (*new.loc, "nullable"),
                "nullable",
                "now nullable" if nullable_after else "no longer nullable",
                ctx,
                "widens" if nullable_after else "narrows",
            )
        self.enums(old, new, ctx)
        self.constraints(old, new, ctx)

    def enums(self, old: _View, new: _View, ctx: _Ctx) -> None:
        before, after = old.raw.get("enum"), new.raw.get("enum")
        loc = (*new.loc, "enum")
        if isinstance(before, list) and isinstance(after, list):
            for value in after:
                if value not in before:
                    self.emit(
                        "enum-value-added",
                        loc,
                        _value(value),
                        f"enum value `{_value(value)}` added",
                        ctx,
                        "widens",
                    )
            for value in before:
                if value not in after:
                    self.emit(
                        "enum-value-removed",
                        (*old.loc, "enum"),
                        _value(value),
                        f"enum value `{_value(value)}` removed",
                        ctx,
                        "narrows",
                    )
        elif isinstance(after, list):
            values = ", ".join(_value(v) for v in after)
            self.emit("enum-added", loc, values, f"now restricted to {values}", ctx, "narrows")
        elif isinstance(before, list):
            values = ", ".join(_value(v) for v in before)
            self.emit(
                "enum-removed",
                (*old.loc, "enum"),
                values,
                f"no longer restricted to {values}",
                ctx,
                "widens",
            )

    def constraints(self, old: _View, new: _View, ctx: _Ctx) -> None:
        for key in (*_LOWER_BOUNDS, *_UPPER_BOUNDS, *_FLAGS, *_OPAQUE_CONSTRAINTS):
            before, after = old.raw.get(key), new.raw.get(key)
            if before == after:
                continue
            effect: Effect
            if key in _OPAQUE_CONSTRAINTS:
                effect = "both"
            elif key in _FLAGS and not _is_number(before) and not _is_number(after):
                effect = "narrows" if after else "widens"
            elif before is None or after is None:
                effect = "narrows" if before is None else "widens"
            elif not (_is_number(before) and _is_number(after)):
                effect = "both"
            elif key in _UPPER_BOUNDS or key == "exclusiveMaximum":
                effect = "narrows" if after < before else "widens"
            else:
                effect = "narrows" if after > before else "widens"
            if after is None:
                text = f"`{key}: {_value(before)}` removed"
            elif before is None:
                text = f"`{key}: {_value(after)}` added"
            else:
                text = f"`{key}` {_value(before)} -> {_value(after)}"
            kind = {"narrows": "constraint-tightened", "widens": "constraint-loosened"}.get(
                effect, "constraint-changed"
            )
            self.emit(kind, (*new.loc, key), key, text, ctx, effect)

    def objects(self, old: _View, new: _View, ctx: _Ctx) -> None:
        for name in [*new.properties, *(p for p in old.properties if p not in new.properties)]:
            child = ctx.at(name)
            if name not in old.properties:
                node, loc = new.properties[name]
                required = name in new.required
                self.emit(
                    "field-added",
                    loc,
                    name,
                    f"field added ({'required' if required else 'optional'}, "
                    f"{_summary(self.new, node, loc)})",
                    child,
                    breaking=required and ctx.side == "request",
                )
            elif name not in new.properties:
                node, loc = old.properties[name]
                self.emit(
                    "field-removed",
                    loc,
                    name,
                    f"field removed (was {_summary(self.old, node, loc)})",
                    child,
                    "both",
                )
            else:
                (old_node, old_loc), (new_node, new_loc) = (
                    old.properties[name],
                    new.properties[name],
                )
                self.schema(old_node, old_loc, new_node, new_loc, child)
        for name in sorted(new.required - old.required):
            if name in old.properties or name not in new.properties:
                self.emit(
                    "field-required",
                    (*new.loc, "required"),
                    name,
                    f"field `{name}` now required",
                    ctx.at(name),
                    "narrows",
                )
        for name in sorted(old.required - new.required):
            if name in new.properties or name not in old.properties:
                self.emit(
                    "field-optional",
                    (*new.loc, "required"),
                    name,
                    f"field `{name}` no longer required",
                    ctx.at(name),
                    "widens",
                )
        self.additional(old, new, ctx)

    def additional(self, old: _View, new: _View, ctx: _Ctx) -> None:
        before = old.raw.get("additionalProperties", True)
        after = new.raw.get("additionalProperties", True)
        if isinstance(before, dict) and isinstance(after, dict):
            self.schema(
                before,
                (*old.loc, "additionalProperties"),
                after,
                (*new.loc, "additionalProperties"),
                ctx.at("{}"),
            )
        elif bool(before) != bool(after):
            self.emit(
                "additional-properties-" + ("allowed" if after else "forbidden"),
                (*new.loc, "additionalProperties"),
                "additionalProperties",
                "undeclared fields now allowed" if after else "undeclared fields forbidden",
                ctx,
                "widens" if after else "narrows",
            )

    # -------------------------------------------------------------- compositions
    def variants(self, old: _View, new: _View, ctx: _Ctx) -> None:
        if old.variants and new.variants:
            old_kind, old_branches = old.variants
            new_kind, new_branches = new.variants
            if old_kind != new_kind:
                self.emit(
                    "composition-changed",
                    (*new.loc, new_kind),
                    f"{old_kind} -> {new_kind}",
                    f"`{old_kind}` changed to `{new_kind}`",
                    ctx,
                    "widens" if new_kind == "anyOf" else "narrows",
                )
            old_views = [_view(self.old, b, loc) for b, loc in old_branches]
            new_views = [_view(self.new, b, loc) for b, loc in new_branches]
            pairs = _match_branches(old_views, new_views)
            matched_old = {i for i, _ in pairs}
            matched_new = {j for _, j in pairs}
            for j, view in enumerate(new_views):
                if j not in matched_new:
                    self.emit(
                        "variant-added",
                        (*new.loc, new_kind),
                        view.label,
                        f"variant `{view.label}` added ({_fields_text(view)})",
                        ctx,
                        "widens",
                    )
            for i, view in enumerate(old_views):
                if i not in matched_old:
                    self.emit(
                        "variant-removed",
                        (*old.loc, old_kind),
                        view.label,
                        f"variant `{view.label}` removed",
                        ctx,
                        "narrows",
                    )
            order = [j for _, j in sorted(pairs)]
            if order != sorted(order):
                labels = ", ".join(new_views[j].label for j in sorted(matched_new))
                self.emit(
                    "variant-order-changed",
                    (*new.loc, new_kind),
                    labels,
                    f"variant order changed to {labels} (tools that take the first "
                    "matching variant may pick another)",
                    ctx,
                    "neither",
                )
            for i, j in pairs:
                self.schema(
                    old_branches[i][0],
                    old_branches[i][1],
                    new_branches[j][0],
                    new_branches[j][1],
                    ctx,
                )
            return
        if new.variants:
            kind, branches = new.variants
            views = [_view(self.new, b, loc) for b, loc in branches]
            best = _best_match(old, views)
            if best is None:
                self.emit(
                    "type-changed",
                    (*new.loc, kind),
                    f"schema -> {kind}",
                    f"`{old.label}` replaced by {kind} of {', '.join(v.label for v in views)}",
                    ctx,
                    "both",
                )
                return
            self.emit(
                "composition-changed",
                (*new.loc, kind),
                f"schema -> {kind}",
                f"became {kind} of {', '.join(v.label for v in views)} "
                f"(`{old.label}` continues as `{views[best].label}`)",
                ctx,
                "neither",
            )
            for j, view in enumerate(views):
                if j != best:
                    self.emit(
                        "variant-added",
                        (*new.loc, kind),
                        view.label,
                        f"variant `{view.label}` added ({_fields_text(view)})",
                        ctx,
                        "widens",
                    )
            self.schema(old.raw, old.loc, branches[best][0], branches[best][1], ctx)
            return
        assert old.variants is not None
        kind, branches = old.variants
        views = [_view(self.old, b, loc) for b, loc in branches]
        best = _best_match(new, views)
        if best is None:
            self.emit(
                "type-changed",
                (*new.loc, "type"),
                f"{kind} -> schema",
                f"{kind} of {', '.join(v.label for v in views)} replaced by `{new.label}`",
                ctx,
                "both",
            )
            return
        self.emit(
            "composition-changed",
            (*new.loc,),
            f"{kind} -> schema",
            f"no longer {kind}: only `{views[best].label}` remains (as `{new.label}`)",
            ctx,
            "neither",
        )
        for i, view in enumerate(views):
            if i != best:
                self.emit(
                    "variant-removed",
                    (*old.loc, kind),
                    view.label,
                    f"variant `{view.label}` removed",
                    ctx,
                    "narrows",
                )
        self.schema(branches[best][0], branches[best][1], new.raw, new.loc, ctx)

    # -------------------------------------------------------------- components
    def components(self) -> tuple[Change, ...]:
        old = (self.old.document.get("components") or {}).get("schemas") or {}
        new = (self.new.document.get("components") or {}).get("schemas") or {}
        found = [
            Change(
                "component-added",
                format_location(("components", "schemas", name)),
                name,
                "schema component added",
                (),
            )
            for name in new
            if name not in old
        ]
        found += [
            Change(
                "component-removed",
                format_location(("components", "schemas", name)),
                name,
                "schema component removed",
                (),
            )
            for name in old
            if name not in new
        ]
        return tuple(found)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _similarity(left: _View, right: _View) -> float:
    if left.name and left.name == right.name:
        return 10.0
    title_left, title_right = left.raw.get("title"), right.raw.get("title")
    if title_left and title_left == title_right:
        return 5.0
    names_left, names_right = set(left.properties), set(right.properties)
    if names_left or names_right:
        return len(names_left & names_right) / len(names_left | names_right)
    left_types, right_types = _types(left.raw, left), _types(right.raw, right)
    return 0.5 if left_types and left_types == right_types else 0.0


def _best_match(view: _View, candidates: list[_View]) -> int | None:
    scores = [_similarity(view, candidate) for candidate in candidates]
    if not scores or max(scores) <= 0:
        return None
    return scores.index(max(scores))


def _match_branches(old: list[_View], new: list[_View]) -> list[tuple[int, int]]:
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


def _operations(document: dict[str, Any]) -> Iterator[tuple[tuple[str, str], dict[str, Any]]]:
    for path, item in (document.get("paths") or {}).items():
        if not isinstance(item, dict):
            continue
        for method in _HTTP_METHODS:
            if isinstance(item.get(method), dict):
                yield (path, method), item[method]


def _op_id(operation: dict[str, Any], fallback: str) -> str:
    op_id = operation.get("operationId")
    return op_id if isinstance(op_id, str) and op_id else fallback


def diff_fragments(old: dict[str, Any], new: dict[str, Any]) -> SpecDiff:
    """Compare two OpenAPI 3.0 documents (fragments); see the module docstring for the rules."""
    differ = _Differ(old, new)
    differ.operations()
    return SpecDiff(differ.result(), differ.components())
