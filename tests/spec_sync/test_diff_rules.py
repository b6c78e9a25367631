"""The breaking/non-breaking rules of the semantic diff, on small synthetic fragments.

Each case builds two fragments that differ in one spot, on the request side (a body schema) or
the response side (a 200 body schema), and checks the kind, the location and the verdict.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest

from bigcommerce_refunds.spec.diff import Change, SpecDiff, diff_fragments, format_location

Schema = dict[str, Any]


def fragment(
    request: Schema | None = None,
    response: Schema | None = None,
    components: dict[str, Schema] | None = None,
    parameters: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """One POST operation ``createThing`` with a JSON body and a JSON 200 response."""
    operation: dict[str, Any] = {
        "operationId": "createThing",
        "parameters": parameters or [],
        "responses": {
            "200": {
                "description": "ok",
                "content": {"application/json": {"schema": response or {"type": "object"}}},
            }
        },
    }
    if request is not None:
        operation["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": request}},
        }
    return {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {"/things": {"post": operation}},
        "components": {"schemas": components or {}},
    }


def obj(properties: dict[str, Schema], required: list[str] | None = None) -> Schema:
    schema: Schema = {"type": "object", "properties": properties}
    if required:
        schema["required"] = required
    return schema


STRING: Schema = {"type": "string"}
REQ = "paths['/things'].post.requestBody.content['application/json'].schema"
RESP = "paths['/things'].post.responses['200'].content['application/json'].schema"


def only(diff: SpecDiff) -> Change:
    assert len(diff.changes) == 1, [(c.kind, c.location, c.detail) for c in diff.changes]
    return diff.changes[0]


def on_side(side: str, old: Schema, new: Schema) -> Change:
    """The single change between two versions of the request (or response) body schema."""
    if side == "request":
        return only(diff_fragments(fragment(request=old), fragment(request=new)))
    return only(diff_fragments(fragment(response=old), fragment(response=new)))


# ---------------------------------------------------------------------------------- fields
@pytest.mark.parametrize(
    ("side", "required", "breaking"),
    [
        ("request", False, False),  # an optional field clients may send
        ("request", True, True),  # a field every client must now send
        ("response", False, False),  # a field clients may ignore
        ("response", True, False),
    ],
)
def test_field_added(side: str, required: bool, breaking: bool) -> None:
    new = obj({"a": STRING, "b": STRING}, ["b"] if required else None)
    change = on_side(side, obj({"a": STRING}), new)
    assert change.kind == "field-added"
    assert change.location == f"{REQ if side == 'request' else RESP}.properties.b"
    assert change.breaking is breaking
    assert change.uses[0].field == "b"


@pytest.mark.parametrize("side", ["request", "response"])
def test_field_removed_breaks_both_sides(side: str) -> None:
    change = on_side(side, obj({"a": STRING, "b": STRING}), obj({"a": STRING}))
    assert change.kind == "field-removed"
    assert change.breaking


@pytest.mark.parametrize(
    ("side", "now_required", "breaking"),
    [
        ("request", True, True),
        ("request", False, False),
        ("response", True, False),
        ("response", False, True),  # a field clients read may now be missing
    ],
)
def test_required_flag(side: str, now_required: bool, breaking: bool) -> None:
    loose, strict = obj({"a": STRING}), obj({"a": STRING}, ["a"])
    old, new = (loose, strict) if now_required else (strict, loose)
    change = on_side(side, old, new)
    assert change.kind == ("field-required" if now_required else "field-optional")
    assert change.detail == "a"
    assert change.breaking is breaking


# ---------------------------------------------------------------------------------- values
@pytest.mark.parametrize(
    ("side", "added", "breaking"),
    [
        ("request", True, False),
        ("request", False, True),
        ("response", True, True),  # generated enums fail to parse values they do not know
        ("response", False, False),
    ],
)
def test_enum_values(side: str, added: bool, breaking: bool) -> None:
    small = {"type": "string", "enum": ["A"]}
    large = {"type": "string", "enum": ["A", "B"]}
    old, new = (small, large) if added else (large, small)
    change = on_side(side, obj({"kind": old}), obj({"kind": new}))
    assert change.kind == ("enum-value-added" if added else "enum-value-removed")
    assert change.detail == "B"
    assert change.breaking is breaking
    assert change.location.endswith(".properties.kind.enum")


@pytest.mark.parametrize("side", ["request", "response"])
def test_type_change_breaks_both_sides(side: str) -> None:
    change = on_side(side, obj({"id": {"type": "number"}}), obj({"id": {"type": "integer"}}))
    assert change.kind == "type-changed"
    assert change.detail == "number -> integer"
    assert change.breaking


@pytest.mark.parametrize(
    ("side", "old", "new", "kind", "breaking"),
    [
        ("request", {"maxLength": 10}, {"maxLength": 5}, "constraint-tightened", True),
        ("request", {"maxLength": 5}, {"maxLength": 10}, "constraint-loosened", False),
        ("response", {"minItems": 1}, {}, "constraint-loosened", True),
        ("response", {}, {"minItems": 1}, "constraint-tightened", False),
        ("request", {"pattern": "a"}, {"pattern": "b"}, "constraint-changed", True),
    ],
)
def test_constraints(side: str, old: Schema, new: Schema, kind: str, breaking: bool) -> None:
    array = "minItems" in old or "minItems" in new
    base: Schema = {"type": "array", "items": STRING} if array else {"type": "string"}
    change = on_side(side, obj({"v": {**base, **old}}), obj({"v": {**base, **new}}))
    assert change.kind == kind
    assert change.breaking is breaking


@pytest.mark.parametrize(("side", "breaking"), [("request", False), ("response", True)])
def test_nullable_added(side: str, breaking: bool) -> None:
    change = on_side(side, obj({"v": STRING}), obj({"v": {"type": "string", "nullable": True}}))
    assert change.kind == "nullable-added"
    assert change.breaking is breaking


def test_descriptions_examples_and_titles_are_not_changes() -> None:
    old = obj({"v": {"type": "string", "description": "x", "example": "a", "title": "V"}})
    new = obj({"v": {"type": "string", "description": "y", "example": "b"}})
    assert diff_fragments(fragment(request=old), fragment(request=new)).changes == ()


def test_a_ref_replaced_by_an_equal_inline_schema_is_no_change() -> None:
    amount = {"type": "number", "format": "float", "title": "Amount"}
    old = fragment(
        request=obj({"total": {"$ref": "#/components/schemas/Amount"}}),
        components={"Amount": amount},
    )
    new = fragment(request=obj({"total": {**amount, "description": "inlined"}}))
    diff = diff_fragments(old, new)
    assert diff.changes == ()
    assert [c.kind for c in diff.components] == ["component-removed"]


# ---------------------------------------------------------------------------------- sharing
def test_a_component_reached_from_both_sides_is_classified_per_side() -> None:
    old_item = obj({"kind": {"type": "string", "enum": ["A"]}})
    new_item = obj({"kind": {"type": "string", "enum": ["A", "B"]}})
    ref = {"type": "array", "items": {"$ref": "#/components/schemas/Item"}}
    old = fragment(obj({"items": ref}), obj({"data": ref}), {"Item": old_item})
    new = fragment(obj({"items": ref}), obj({"data": ref}), {"Item": new_item})
    change = only(diff_fragments(old, new))
    assert change.location == "components.schemas.Item.properties.kind.enum"
    assert change.sides == ("request", "response")
    assert not change.breaking_on("request")
    assert change.breaking_on("response")
    assert {use.describe() for use in change.uses} == {
        "createThing request body `items[].kind`",
        "createThing response 200 body `data[].kind`",
    }


def test_recursive_schemas_terminate() -> None:
    node = obj({"children": {"type": "array", "items": {"$ref": "#/components/schemas/Node"}}})
    grown = copy.deepcopy(node)
    grown["properties"]["name"] = STRING
    ref = {"$ref": "#/components/schemas/Node"}
    diff = diff_fragments(
        fragment(response=ref, components={"Node": node}),
        fragment(response=ref, components={"Node": grown}),
    )
    change = only(diff)
    assert change.location == "components.schemas.Node.properties.name"


def test_all_of_is_folded_and_located_in_its_branch() -> None:
    base = {"allOf": [{"$ref": "#/components/schemas/Base"}, obj({"extra": STRING})]}
    diff = diff_fragments(
        fragment(response=base, components={"Base": obj({"status": STRING})}),
        fragment(response=base, components={"Base": obj({"status": STRING, "title": STRING})}),
    )
    change = only(diff)
    assert change.kind == "field-added"
    assert change.location == "components.schemas.Base.properties.title"


# ---------------------------------------------------------------------------------- variants
def _union(*names: str) -> Schema:
    return {"oneOf": [{"$ref": f"#/components/schemas/{name}"} for name in names]}


_BRANCHES = {
    "Cat": obj({"meow": STRING}),
    "Dog": obj({"bark": STRING}),
    "Fox": obj({"yip": STRING}),
}


@pytest.mark.parametrize(("side", "breaking"), [("request", False), ("response", True)])
def test_variant_added(side: str, breaking: bool) -> None:
    before, after = _union("Cat", "Dog"), _union("Cat", "Dog", "Fox")
    if side == "request":
        old = fragment(request=before, components=_BRANCHES)
        new = fragment(request=after, components=_BRANCHES)
    else:
        old = fragment(response=before, components=_BRANCHES)
        new = fragment(response=after, components=_BRANCHES)
    change = only(diff_fragments(old, new))
    assert change.kind == "variant-added"
    assert change.detail == "Fox"
    assert change.breaking is breaking


def test_variant_order_swap_is_reported_but_not_breaking() -> None:
    old = fragment(request=_union("Cat", "Dog"), components=_BRANCHES)
    new = fragment(request=_union("Dog", "Cat"), components=_BRANCHES)
    change = only(diff_fragments(old, new))
    assert change.kind == "variant-order-changed"
    assert not change.breaking


def test_object_becoming_any_of_keeps_its_fields_and_adds_a_variant() -> None:
    """The 2025-04-22 shape change: RefundRequest_Post turned into anyOf(items, tax)."""
    body = obj({"items": {"type": "array", "items": STRING}, "reason": STRING}, ["items"])
    tax = obj({"tax_adjustment_amount": {"type": "number"}}, ["tax_adjustment_amount"])
    old = fragment(request={"$ref": "#/components/schemas/Body"}, components={"Body": body})
    new = fragment(
        request={"$ref": "#/components/schemas/Body"},
        components={
            "Body": {
                "anyOf": [
                    {"$ref": "#/components/schemas/Items"},
                    {"$ref": "#/components/schemas/Tax"},
                ]
            },
            "Items": body,
            "Tax": tax,
        },
    )
    diff = diff_fragments(old, new)
    assert {(c.kind, c.detail) for c in diff.changes} == {
        ("composition-changed", "schema -> anyOf"),
        ("variant-added", "Tax"),
    }
    assert not diff.breaking
    added = diff.find("variant-added")[0]
    assert "tax_adjustment_amount*" in added.message


# ---------------------------------------------------------------------------------- operations
def test_operations_added_and_removed() -> None:
    old = fragment()
    new = copy.deepcopy(old)
    new["paths"]["/others"] = {"get": {"operationId": "listOthers", "responses": {}}}
    added = only(diff_fragments(old, new))
    assert (added.kind, added.detail, added.breaking) == ("operation-added", "listOthers", False)
    removed = only(diff_fragments(new, old))
    assert (removed.kind, removed.breaking) == ("operation-removed", True)
    assert removed.sides == ("operation",)


@pytest.mark.parametrize(
    ("old_params", "new_params", "kind", "breaking"),
    [
        ([], [{"name": "q", "in": "query", "schema": STRING}], "parameter-added", False),
        (
            [],
            [{"name": "q", "in": "query", "required": True, "schema": STRING}],
            "parameter-added",
            True,
        ),
        ([{"name": "q", "in": "query", "schema": STRING}], [], "parameter-removed", True),
        (
            [{"name": "q", "in": "query", "schema": STRING}],
            [{"name": "q", "in": "query", "required": True, "schema": STRING}],
            "parameter-required",
            True,
        ),
        (
            [{"name": "q", "in": "query", "schema": STRING}],
            [{"name": "q", "in": "query", "schema": {"type": "integer"}}],
            "type-changed",
            True,
        ),
    ],
)
def test_parameters(
    old_params: list[dict[str, Any]],
    new_params: list[dict[str, Any]],
    kind: str,
    breaking: bool,
) -> None:
    change = only(diff_fragments(fragment(parameters=old_params), fragment(parameters=new_params)))
    assert change.kind == kind
    assert change.breaking is breaking
    assert change.uses[0].where == "parameter `q` (query)"


def test_response_status_added_breaks_only_for_success_codes() -> None:
    old = fragment()
    new = copy.deepcopy(old)
    responses = new["paths"]["/things"]["post"]["responses"]
    responses["404"] = {"description": "missing"}
    assert not only(diff_fragments(old, new)).breaking
    responses["202"] = {"description": "accepted"}
    accepted = diff_fragments(old, new).find("response-added", location="responses['202']")
    assert accepted[0].breaking


def test_format_location_quotes_keys_that_are_not_identifiers() -> None:
    assert (
        format_location(("paths", "/a/{b}", "post", "responses", "200", "oneOf", 1))
        == "paths['/a/{b}'].post.responses['200'].oneOf[1]"
    )
