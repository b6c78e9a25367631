"""Upstream files in the older URL layout (the base path in every path) sync like any other.

Issue 15: files of the 2022 layout (every path under ``/stores/{store_hash}/v3/...``, each with a
``store_hash`` path parameter, servers ``https://api.bigcommerce.com``) were refused as "upstream
spec lacks refund operations". The files here are made from the real history files by moving
the base path the other way (:func:`older_layout`), in each way the layout was written (path
parameter at path level, per operation, or as a ``$ref``; a bare server, one with a trailing
slash, or none): read back, each must build exactly the fragment its original builds.
"""

from __future__ import annotations

import copy
import functools
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from bigcommerce_refunds.spec.build import build_fragment
from bigcommerce_refunds.spec.cut import CutError, cut_fragment, missing_operations
from bigcommerce_refunds.spec.layout import normalise_layout
from bigcommerce_refunds.spec.sync import SyncResult, sync
from tests.spec_sync.projects import (
    CHECKOUT,
    CURRENT,
    VERSIONS,
    Synced,
    checkout_overlay,
    copy_project,
    provenance_of,
    spec_file,
    upstream_document,
)
from tests.spec_sync.test_gaps import before_2024_06_12
from tests.spec_sync.test_history import STALE_CHECKOUT_HINT, same_project

BASE = "/stores/{store_hash}/v3"
HOST = "https://api.bigcommerce.com"
STORE_HASH = {"name": "store_hash", "in": "path", "required": True, "schema": {"type": "string"}}
METHODS = ("get", "put", "post", "delete", "patch")
STYLES = ("path-level", "per-operation", "ref")
SERVERS = ("bare", "trailing-slash", "none", "with-base-path")


def older_layout(
    document: dict[str, Any], *, style: str = "path-level", servers: str = "bare"
) -> dict[str, Any]:
    """``document`` written the 2022 way: the base path in every path, ``store_hash`` a path
    parameter (declared as ``style`` says), the server URL without the base path."""
    older = copy.deepcopy(document)
    parameter: dict[str, Any] = copy.deepcopy(STORE_HASH)
    if style == "ref":
        older.setdefault("components", {}).setdefault("parameters", {})["StoreHash"] = parameter
        parameter = {"$ref": "#/components/parameters/StoreHash"}
    paths = {}
    for path, item in older["paths"].items():
        if style == "per-operation":
            for method in METHODS:
                if method in item:
                    item[method].setdefault("parameters", []).append(copy.deepcopy(parameter))
        else:
            item.setdefault("parameters", []).insert(0, copy.deepcopy(parameter))
        paths[BASE + path] = item
    older["paths"] = paths
    if servers == "none":
        older.pop("servers", None)
    elif servers == "with-base-path":  # inconsistent, but then the URL is already right
        older["servers"] = [{"url": HOST + BASE}]
    else:
        older["servers"] = [{"url": HOST + ("/" if servers == "trailing-slash" else "")}]
    return older


@functools.cache
def reference_fragment(version: str) -> dict[str, Any]:
    return build_fragment(
        upstream_document(version), checkout_overlay(), provenance_of(version), tolerant=True
    ).fragment


def without_servers(fragment: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in fragment.items() if key != "servers"}


# ---------------------------------------------------------------------------------- the build
@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("style", STYLES)
def test_an_older_layout_file_builds_the_fragment_of_its_original(version: str, style: str) -> None:
    older = older_layout(upstream_document(version), style=style)
    assert missing_operations(older) == []
    built = build_fragment(older, checkout_overlay(), provenance_of(version), tolerant=True)
    assert without_servers(built.fragment) == without_servers(reference_fragment(version))
    server = built.fragment["servers"][0]
    assert server["url"] == HOST + BASE
    assert server["variables"]["store_hash"]["default"] == "store_hash"
    assert built.layout is not None
    assert f"every path under `{BASE}`" in built.layout
    assert f"`{HOST}{BASE}`" in built.layout
    assert "store_hash as server variables" in built.layout.replace("(s)", "")


@pytest.mark.parametrize("servers", SERVERS)
def test_the_base_path_joins_whatever_server_was_declared(servers: str) -> None:
    older = older_layout(upstream_document(CURRENT), servers=servers)
    fragment = cut_fragment(older)
    expected = BASE if servers == "none" else HOST + BASE
    assert fragment["servers"][0]["url"] == expected
    assert set(fragment["paths"]) == set(cut_fragment(upstream_document(CURRENT))["paths"])


def test_make_spec_builds_an_older_layout_file_too() -> None:
    """The strict build (`make spec`) reads the vendored file the same way."""
    older = older_layout(upstream_document(CURRENT))
    built = build_fragment(older, checkout_overlay(), provenance_of(CURRENT))
    assert built.complete
    assert without_servers(built.fragment) == without_servers(reference_fragment(CURRENT))


def test_the_current_layout_is_left_alone() -> None:
    document = upstream_document(CURRENT)
    normalised, note = normalise_layout(document, [("/orders/payment_actions/refunds", "get")])
    assert normalised is document
    assert note is None


def test_any_base_path_and_its_variables_are_moved_not_just_bigcommerces() -> None:
    """Nothing is tailored to `/stores/{store_hash}/v3`: another base path with two template
    variables, one parameter inline with a default and one by `$ref`, another server."""
    operation = {"responses": {"200": {"description": "ok"}}}
    document = {
        "openapi": "3.0.3",
        "servers": [{"url": "https://api.example.test/", "description": "production"}],
        "paths": {
            "/api/{tenant}/{version}/things": {
                "parameters": [
                    {"$ref": "#/components/parameters/Tenant"},
                    {"name": "version", "in": "path", "required": True,
                     "schema": {"type": "string", "default": "v9"}},
                    {"name": "q", "in": "query", "schema": {"type": "string"}},
                ],
                "get": operation,
            },
            "/api/{tenant}/{version}/other": {"post": operation},
            "/health": {"get": operation},
        },
        "components": {
            "parameters": {
                "Tenant": {"name": "tenant", "in": "path", "required": True,
                           "description": "Tenant id.", "schema": {"type": "string"}}
            }
        },
    }  # fmt: skip
    original = copy.deepcopy(document)
    normalised, note = normalise_layout(document, [("/things", "get"), ("/missing", "get")])
    assert document == original, "the input is not modified"
    assert list(normalised["paths"]) == ["/things", "/other", "/health"]
    assert normalised["paths"]["/things"]["parameters"] == [
        {"name": "q", "in": "query", "schema": {"type": "string"}}
    ]
    assert normalised["servers"] == [
        {
            "url": "https://api.example.test/api/{tenant}/{version}",
            "description": "production",
            "variables": {
                "tenant": {"default": "tenant", "description": "Tenant id."},
                "version": {"default": "v9"},
            },
        }
    ]
    assert note is not None
    assert "every path under `/api/{tenant}/{version}`" in note


def test_a_file_that_declares_a_path_both_ways_is_refused_by_name() -> None:
    document = older_layout(upstream_document(CURRENT))
    document["paths"]["/orders/{order_id}/payment_actions/capture"] = {}
    with pytest.raises(
        CutError, match=re.escape("both '/orders/{order_id}/payment_actions/capture'")
    ):
        cut_fragment(document)


# ---------------------------------------------------------------------------------- the sync
def write_older(tmp_path: Path, version: str) -> Path:
    path = tmp_path / f"orders.v3-older-layout@{version}.yml"
    path.write_text(yaml.safe_dump(older_layout(upstream_document(version)), sort_keys=False))
    return path


def changes_of(result: SyncResult) -> set[tuple[str, str, str]]:
    return {(c.kind, c.location, c.detail) for c in result.spec_diff.changes}


def test_a_sync_to_an_older_layout_file_reports_that_versions_changes(
    tmp_path: Path, synced: Callable[[str, str], Synced]
) -> None:
    """Current -> 4d032cb0 written the 2022 way, and back: the same changes as the syncs
    between the originals, the layout is noted, and the round trip ends at the checkout."""
    root = copy_project(CHECKOUT, tmp_path / "project")
    provenance = provenance_of("4d032cb0")
    down = sync(
        root,
        str(write_older(tmp_path, "4d032cb0")),
        commit=provenance.commit,
        date=provenance.date,
    )
    assert changes_of(down) == changes_of(synced(CURRENT, "4d032cb0").result)
    assert any("older URL layout" in note for note in down.notes)
    vendored = (root / "openapi" / "upstream" / "orders.v3.yml").read_text(encoding="utf-8")
    assert f"{BASE}/orders/" in vendored, "the upstream file is vendored as it is"
    current = provenance_of(CURRENT)
    up = sync(root, str(spec_file(CURRENT)), commit=current.commit, date=current.date)
    assert changes_of(up) == changes_of(synced("4d032cb0", CURRENT).result)
    assert not any("older URL layout" in note for note in up.notes)
    assert same_project(CHECKOUT, root) == [], STALE_CHECKOUT_HINT


def test_a_file_like_2022s_syncs_verifies_and_says_what_does_not_fit(
    tmp_path: Path, mypy_cache: Path
) -> None:
    """Everything a 2022 file differs by at once: the older layout, lower-case operationIds,
    `Content-Type` as the header parameter's component name, no GET by id, and none of what
    2024 added. The sync builds, generates and verifies it, and the report names each misfit."""
    document = older_layout(before_2024_06_12())
    renamed = {"createOrderRefundQuotes": "postrefundquote", "createOrderRefund": "postrefund",
               "getOrderRefunds": "getorderrefunds", "getOrdersRefunds": "getrefunds"}  # fmt: skip
    for item in document["paths"].values():
        for operation in item.values():
            if isinstance(operation, dict) and operation.get("operationId") in renamed:
                operation["operationId"] = renamed[operation["operationId"]]
    del document["paths"][BASE + "/orders/payment_actions/refunds/{refund_id}"]
    text = yaml.safe_dump(document, sort_keys=False)
    text = text.replace("parameters/ContentType", "parameters/Content-Type")
    text = text.replace("\n    ContentType:\n", "\n    Content-Type:\n")
    spec = tmp_path / "orders.v3.yml"
    spec.write_text(text, encoding="utf-8")
    root = copy_project(CHECKOUT, tmp_path / "project")
    result = sync(
        root, str(spec), commit="2022abc", date="2022-06-01", verify=True, mypy_cache_dir=mypy_cache
    )
    assert result.verification is not None
    assert result.verification.ok, result.verification.to_json()
    assert result.build.missing_operations == ("getOrderRefund",)
    renames = {c.detail for c in result.spec_diff.find("operation-id-changed")}
    assert renames == {f"{old} -> {new}" for old, new in renamed.items()}
    unmatched = {action.target for action in result.build.unmatched}
    assert "$.components.parameters.ContentType" in unmatched
    reasons = [reason for entry in result.build.unbacked for reason in entry.reasons]
    assert any("`order_level_refund_amount`" in reason for reason in reasons)
    assert any("`transaction_id`" in reason for reason in reasons)
    assert any("`getOrderRefund`" in reason and "`postrefund`" in reason for reason in reasons)
    assert any("older URL layout" in note for note in result.notes)
    for index in {a.index for a in result.build.unmatched}:
        assert "predates it" in result.gap_causes[index]
