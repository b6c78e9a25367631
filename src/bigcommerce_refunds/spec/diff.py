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

from collections.abc import Iterator
from typing import Any

from bigcommerce_refunds.spec.changes import Change, Loc, Side, SpecDiff, Use
from bigcommerce_refunds.spec.schema_diff import Ctx, SchemaDiffer
from bigcommerce_refunds.spec.schema_views import (
    Document,
    Named,
    format_location,
)

__all__ = [
    "Change",
    "Side",
    "SpecDiff",
    "Use",
    "diff_fragments",
    "format_location",
]

_HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


class _Differ(SchemaDiffer):
    """Walks the operations of both documents and attributes each schema change to them."""

    # -------------------------------------------------------------- operations
    def operations(self) -> None:
        old_ops = dict(_operations(self.old.document))
        new_ops = dict(_operations(self.new.document))
        for key in [*new_ops, *(k for k in old_ops if k not in new_ops)]:
            path, method = key
            label = f"{method.upper()} {path}"
            if key not in old_ops:
                op_id = _op_id(new_ops[key], label)
                ctx = Ctx(op_id, "operation", label, "")
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
                ctx = Ctx(op_id, "operation", label, "")
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
                    Ctx(op_id, "operation", label, ""),
                    breaking=True,
                )
            if bool(new_op.get("deprecated")) and not old_op.get("deprecated"):
                self.emit(
                    "operation-deprecated",
                    (*loc, "deprecated"),
                    op_id,
                    "operation deprecated",
                    Ctx(op_id, "operation", label, ""),
                    breaking=False,
                )
            self.parameters(path, method, op_id)
            self.request_body(loc, old_op, new_op, op_id)
            self.responses(loc, old_op, new_op, op_id)

    # -------------------------------------------------------------- parameters
    def _params(
        self, doc: Document, path: str, method: str
    ) -> dict[tuple[str, str], tuple[Any, Loc]]:
        found: dict[tuple[str, str], tuple[Any, Loc]] = {}
        item = doc.document.get("paths", {}).get(path) or {}
        for scope, owner in (((), item), ((method,), item.get(method) or {})):
            for index, raw in enumerate(owner.get("parameters") or []):
                here: Loc = ("paths", path, *scope, "parameters", index)
                param, loc, _ = doc.resolve(raw, here)
                if isinstance(param, dict) and "name" in param and "in" in param:
                    if loc == here:
                        loc = (*here[:-1], Named(f"{param['name']} in {param['in']}"))
                    found[(str(param["in"]), str(param["name"]))] = (param, loc)
        return found

    def parameters(self, path: str, method: str, op_id: str) -> None:
        old = self._params(self.old, path, method)
        new = self._params(self.new, path, method)
        for key in [*new, *(k for k in old if k not in new)]:
            where_in, name = key
            ctx = Ctx(op_id, "request", f"parameter `{name}` ({where_in})", "")
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
        self, what: str, loc: Loc, name: str, old: dict[str, Any], new: dict[str, Any], ctx: Ctx
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
        ctx = Ctx(op_id, "request", "body", "")
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
        ctx: Ctx,
        part: str,
    ) -> None:
        old_content = old.get("content") or {}
        new_content = new.get("content") or {}
        for media in [*new_content, *(m for m in old_content if m not in new_content)]:
            where = part if media == "application/json" else f"{part} ({media})"
            media_ctx = Ctx(ctx.operation, ctx.side, where, "")
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
            ctx = Ctx(op_id, "response", code, "")
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
                self.headers(old, old_loc, new, new_loc, Ctx(op_id, "response", code, ""))

    def headers(
        self, old: dict[str, Any], old_loc: Loc, new: dict[str, Any], new_loc: Loc, ctx: Ctx
    ) -> None:
        def collect(
            doc: Document, owner: dict[str, Any], loc: Loc
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
                hctx = Ctx(ctx.operation, "response", f"{ctx.where} header `{name}`", "")
                self.emit("header-added", loc, name, "response header added", hctx, breaking=False)
            elif key not in new_headers:
                name, _, loc = old_headers[key]
                hctx = Ctx(ctx.operation, "response", f"{ctx.where} header `{name}`", "")
                self.emit(
                    "header-removed", loc, name, "response header removed", hctx, breaking=True
                )
            else:
                _, old_header, old_hloc = old_headers[key]
                name, new_header, new_hloc = new_headers[key]
                hctx = Ctx(ctx.operation, "response", f"{ctx.where} header `{name}`", "")
                self._required_flag("header", new_hloc, name, old_header, new_header, hctx)
                self.schema(
                    old_header.get("schema"),
                    (*old_hloc, "schema"),
                    new_header.get("schema"),
                    (*new_hloc, "schema"),
                    hctx,
                )

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
