"""The generated-client API diff, on small packages shaped like openapi-python-client's output."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import TypedDict

from bigcommerce_refunds.spec.apidiff import ApiDiff, diff_api, snapshot
from tests.spec_sync.projects import CHECKOUT

MODEL = """
from attrs import define as _attrs_define
from attrs import field as _attrs_field
from ..types import UNSET, Unset


@_attrs_define
class Item:
    item_id: int
    {extra}
    reason: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {{}}
"""

ENUM = """
from enum import StrEnum


class ItemType(StrEnum):
{members}

    def __str__(self) -> str:
        return str(self.value)
"""

API = """
def _get_kwargs(order_id: int) -> dict[str, Any]:
    return {{}}


def sync_detailed(
    order_id: int,
    *,
    client: AuthenticatedClient | Client,
    {params}
) -> Response[{returns}]:
    ...


async def asyncio(
    order_id: int,
    *,
    client: AuthenticatedClient | Client,
    {params}
) -> {returns} | None:
    ...
"""


class Shape(TypedDict, total=False):
    """What differs between the two packages of a case (see :func:`package`)."""

    extra: str
    members: tuple[str, ...]
    params: str
    returns: str
    with_api: bool


def package(
    root: Path,
    *,
    extra: str = "",
    members: tuple[str, ...] = ("PRODUCT",),
    params: str = "",
    returns: str = "Refund | ErrorResponse",
    with_api: bool = True,
) -> Path:
    pkg = root / "client_pkg"
    (pkg / "models").mkdir(parents=True)
    (pkg / "models" / "__init__.py").write_text("")
    (pkg / "models" / "item.py").write_text(textwrap.dedent(MODEL.format(extra=extra)))
    body = "\n".join(f'    {name} = "{name}"' for name in members)
    (pkg / "models" / "item_type.py").write_text(ENUM.format(members=body))
    if with_api:
        (pkg / "api" / "actions").mkdir(parents=True)
        (pkg / "api" / "actions" / "create_thing.py").write_text(
            API.format(params=params, returns=returns)
        )
    return pkg


def compare(tmp_path: Path, old: Shape, new: Shape) -> ApiDiff:
    before = package(tmp_path / "old", **old)
    after = package(tmp_path / "new", **new)
    return diff_api(snapshot(before), snapshot(after))


def kinds(diff: ApiDiff) -> set[tuple[str, str, bool]]:
    return {(change.kind, change.name, change.breaking) for change in diff.changes}


def test_identical_packages_have_no_changes(tmp_path: Path) -> None:
    assert compare(tmp_path, {}, {}).changes == ()


def test_optional_field_added_is_not_breaking_required_field_is(tmp_path: Path) -> None:
    optional = compare(tmp_path / "a", {}, {"extra": "note: str | Unset = UNSET"})
    assert kinds(optional) == {("field-added", "Item.note", False)}
    required = compare(tmp_path / "b", {}, {"extra": "quantity: int"})
    assert kinds(required) == {("field-added", "Item.quantity", True)}


def test_field_removed_and_retyped_are_breaking(tmp_path: Path) -> None:
    removed = compare(tmp_path / "a", {"extra": "quantity: int"}, {})
    assert kinds(removed) == {("field-removed", "Item.quantity", True)}
    retyped = compare(tmp_path / "b", {"extra": "quantity: int"}, {"extra": "quantity: float"})
    assert kinds(retyped) == {("field-type-changed", "Item.quantity", True)}


def test_optional_to_required_reports_the_constructor_change_only(tmp_path: Path) -> None:
    diff = compare(tmp_path, {"extra": "quantity: int | Unset = UNSET"}, {"extra": "quantity: int"})
    assert kinds(diff) == {("field-required", "Item.quantity", True)}


def test_union_member_order_is_not_a_change(tmp_path: Path) -> None:
    diff = compare(tmp_path, {"extra": "v: A | B | Unset"}, {"extra": "v: Unset | B | A"})
    assert diff.changes == ()


def test_enum_members(tmp_path: Path) -> None:
    diff = compare(tmp_path, {"members": ("PRODUCT", "ORDER")}, {"members": ("PRODUCT", "FEE")})
    assert kinds(diff) == {
        ("enum-member-added", "ItemType.FEE", False),
        ("enum-member-removed", "ItemType.ORDER", True),
    }


def test_function_parameters_and_returns(tmp_path: Path) -> None:
    optional = compare(tmp_path / "a", {}, {"params": "limit: int | Unset = UNSET,"})
    assert kinds(optional) == {
        ("parameter-added", "api.actions.create_thing.sync_detailed(limit)", False),
        ("parameter-added", "api.actions.create_thing.asyncio(limit)", False),
    }
    required = compare(tmp_path / "b", {}, {"params": "body: Body,"})
    assert all(change.breaking for change in required.changes)
    returns = compare(tmp_path / "c", {}, {"returns": "Refund | ErrorResponse | FeeError"})
    assert {change.kind for change in returns.changes} == {"return-type-changed"}
    assert returns.breaking


def test_modules_added_and_removed(tmp_path: Path) -> None:
    diff = compare(tmp_path, {"with_api": True}, {"with_api": False})
    assert kinds(diff) == {("module-removed", "api.actions.create_thing", True)}
    assert diff.changes[0].detail == "sync_detailed, asyncio"


def test_snapshot_of_the_checkout_sees_every_model_and_operation() -> None:
    api = snapshot(CHECKOUT / "generated" / "bigcommerce_refunds_client")
    assert "RefundItem" in api.models
    assert api.models["RefundItemItemType"].kind == "enum"
    fields = {field.name: field for field in api.models["QuantityBoundItem"].fields}
    assert fields["item_id"].constructor_required
    assert not fields["additional_properties"].init
    assert {module.rsplit(".", 1)[-1] for module in api.modules} == {
        "create_order_refund",
        "create_order_refund_quotes",
        "get_order_refund",
        "get_order_refunds",
        "get_orders_refunds",
    }
    functions = {
        function.name for function in api.modules["api.payment_actions.create_order_refund"]
    }
    assert functions == {"sync", "sync_detailed", "asyncio", "asyncio_detailed"}


def test_a_missing_package_is_an_empty_api(tmp_path: Path) -> None:
    api = snapshot(tmp_path / "nothing")
    assert api.models == {}
    assert api.modules == {}
