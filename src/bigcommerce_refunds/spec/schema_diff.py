"""Comparing two versions of one schema, and recording each difference once per use.

:class:`SchemaDiffer` walks a pair of schemas (types, formats, enums, bounds, object fields,
``additionalProperties``, ``oneOf``/``anyOf`` branches) and records every difference as a
:class:`~bigcommerce_refunds.spec.changes.Change` at its location, with one
:class:`~bigcommerce_refunds.spec.changes.Use` per operation side that reached it (the
:class:`Ctx`), classified by :func:`~bigcommerce_refunds.spec.changes.breaks`. Which operation
reaches which schema is the operations walk's business (``spec/diff.py``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bigcommerce_refunds.spec.changes import Change, Effect, Loc, Side, Use, breaks
from bigcommerce_refunds.spec.schema_views import (
    Document,
    SchemaView,
    best_match,
    field_path,
    fields_text,
    format_location,
    is_number,
    match_branches,
    summary,
    type_text,
    types_of,
    value_text,
    view_of,
)

__all__ = ["Ctx", "SchemaDiffer"]

# Bounds that admit fewer values when they grow (lower) or shrink (upper), or when added.
_LOWER_BOUNDS = ("minimum", "minLength", "minItems", "minProperties")
_UPPER_BOUNDS = ("maximum", "maxLength", "maxItems", "maxProperties")
_FLAGS = ("exclusiveMinimum", "exclusiveMaximum", "uniqueItems")
_OPAQUE_CONSTRAINTS = ("pattern", "multipleOf")


@dataclass(frozen=True)
class Ctx:
    operation: str
    side: Side
    where: str
    field: str
    stack: frozenset[tuple[Loc, Loc]] = frozenset()

    def at(self, child: str) -> Ctx:
        return Ctx(self.operation, self.side, self.where, field_path(self.field, child), self.stack)


class SchemaDiffer:
    """Records changes; compares schemas (see the module docstring)."""

    def __init__(self, old: dict[str, Any], new: dict[str, Any]) -> None:
        self.old = Document(old)
        self.new = Document(new)
        self._changes: dict[tuple[str, str, str], tuple[str, set[Use]]] = {}

    # -------------------------------------------------------------- recording
    def emit(
        self,
        kind: str,
        loc: Loc,
        detail: str,
        message: str,
        ctx: Ctx,
        effect: Effect | None = None,
        *,
        breaking: bool | None = None,
    ) -> None:
        verdict = breaking if breaking is not None else breaks(effect or "both", ctx.side)
        key = (kind, format_location(loc), detail)
        entry = self._changes.setdefault(key, (message, set()))
        entry[1].add(Use(ctx.operation, ctx.side, ctx.where, ctx.field, verdict))

    def result(self) -> tuple[Change, ...]:
        changes = [
            Change(kind, location, detail, message, tuple(sorted(uses)))
            for (kind, location, detail), (message, uses) in self._changes.items()
        ]
        return tuple(sorted(changes, key=lambda c: (c.location, c.kind, c.detail)))

    # -------------------------------------------------------------- schemas
    def schema(self, old_node: Any, old_loc: Loc, new_node: Any, new_loc: Loc, ctx: Ctx) -> None:
        if old_node is None and new_node is None:
            return
        old = view_of(self.old, old_node, old_loc)
        new = view_of(self.new, new_node, new_loc)
        pair = (old.loc, new.loc)
        if pair in ctx.stack:
            return  # a recursive schema: this pair is being compared further up
        ctx = Ctx(ctx.operation, ctx.side, ctx.where, ctx.field, ctx.stack | {pair})
        if old.variants or new.variants:
            self.variants(old, new, ctx)
            return
        old_types, new_types = types_of(old.raw, old), types_of(new.raw, new)
        if old_types != new_types:
            self.emit(
                "type-changed",
                (*new.loc, "type"),
                f"{type_text(old_types)} -> {type_text(new_types)}",
                f"type `{type_text(old_types)}` changed to `{type_text(new_types)}`",
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

    def scalars(self, old: SchemaView, new: SchemaView, ctx: Ctx) -> None:
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

    def enums(self, old: SchemaView, new: SchemaView, ctx: Ctx) -> None:
        before, after = old.raw.get("enum"), new.raw.get("enum")
        loc = (*new.loc, "enum")
        if isinstance(before, list) and isinstance(after, list):
            for value in after:
                if value not in before:
                    self.emit(
                        "enum-value-added",
                        loc,
                        value_text(value),
                        f"enum value `{value_text(value)}` added",
                        ctx,
                        "widens",
                    )
            for value in before:
                if value not in after:
                    self.emit(
                        "enum-value-removed",
                        (*old.loc, "enum"),
                        value_text(value),
                        f"enum value `{value_text(value)}` removed",
                        ctx,
                        "narrows",
                    )
        elif isinstance(after, list):
            values = ", ".join(value_text(v) for v in after)
            self.emit("enum-added", loc, values, f"now restricted to {values}", ctx, "narrows")
        elif isinstance(before, list):
            values = ", ".join(value_text(v) for v in before)
            self.emit(
                "enum-removed",
                (*old.loc, "enum"),
                values,
                f"no longer restricted to {values}",
                ctx,
                "widens",
            )

    def constraints(self, old: SchemaView, new: SchemaView, ctx: Ctx) -> None:
        for key in (*_LOWER_BOUNDS, *_UPPER_BOUNDS, *_FLAGS, *_OPAQUE_CONSTRAINTS):
            before, after = old.raw.get(key), new.raw.get(key)
            if before == after:
                continue
            effect: Effect
            if key in _OPAQUE_CONSTRAINTS:
                effect = "both"
            elif key in _FLAGS and not is_number(before) and not is_number(after):
                effect = "narrows" if after else "widens"
            elif before is None or after is None:
                effect = "narrows" if before is None else "widens"
            elif not (is_number(before) and is_number(after)):
                effect = "both"
            elif key in _UPPER_BOUNDS or key == "exclusiveMaximum":
                effect = "narrows" if after < before else "widens"
            else:
                effect = "narrows" if after > before else "widens"
            if after is None:
                text = f"`{key}: {value_text(before)}` removed"
            elif before is None:
                text = f"`{key}: {value_text(after)}` added"
            else:
                text = f"`{key}` {value_text(before)} -> {value_text(after)}"
            kind = {"narrows": "constraint-tightened", "widens": "constraint-loosened"}.get(
                effect, "constraint-changed"
            )
            self.emit(kind, (*new.loc, key), key, text, ctx, effect)

    def objects(self, old: SchemaView, new: SchemaView, ctx: Ctx) -> None:
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
                    f"{summary(self.new, node, loc)})",
                    child,
                    breaking=required and ctx.side == "request",
                )
            elif name not in new.properties:
                node, loc = old.properties[name]
                self.emit(
                    "field-removed",
                    loc,
                    name,
                    f"field removed (was {summary(self.old, node, loc)})",
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

    def additional(self, old: SchemaView, new: SchemaView, ctx: Ctx) -> None:
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
    def variants(self, old: SchemaView, new: SchemaView, ctx: Ctx) -> None:
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
            old_views = [view_of(self.old, b, loc) for b, loc in old_branches]
            new_views = [view_of(self.new, b, loc) for b, loc in new_branches]
            pairs = match_branches(old_views, new_views)
            matched_old = {i for i, _ in pairs}
            matched_new = {j for _, j in pairs}
            for j, view in enumerate(new_views):
                if j not in matched_new:
                    self.emit(
                        "variant-added",
                        (*new.loc, new_kind),
                        view.label,
                        f"variant `{view.label}` added ({fields_text(view)})",
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
            views = [view_of(self.new, b, loc) for b, loc in branches]
            best = best_match(old, views)
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
                        f"variant `{view.label}` added ({fields_text(view)})",
                        ctx,
                        "widens",
                    )
            self.schema(old.raw, old.loc, branches[best][0], branches[best][1], ctx)
            return
        assert old.variants is not None
        kind, branches = old.variants
        views = [view_of(self.old, b, loc) for b, loc in branches]
        best = best_match(new, views)
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
