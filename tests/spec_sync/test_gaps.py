"""Overlay actions that constrain what an upstream version does not define are gaps, and every
gap says why it is one.

Issue 15: on upstream versions before 2024-04-25 the overlay's ``RefundQuote_Full.required``
names ``order_level_refund_amount``, which the schema does not define yet, and before 2024-06-12
it injects the GET ``transaction_id`` filter although upstream has none: both were applied
silently. And the report explained every gap with "an upstream fix or rename dropped these
corrections", also for versions that simply predate the correction.

The versions before 2024-06-12 are made here from the oldest history file by taking out what
those versions lack (the history files all postdate it).
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from bigcommerce_refunds.spec import project
from bigcommerce_refunds.spec.build import BuildResult, build_fragment
from bigcommerce_refunds.spec.cli import EXIT_BREAKING, EXIT_OK, main
from bigcommerce_refunds.spec.provenance import Provenance
from bigcommerce_refunds.spec.report import Report, render_json, render_markdown
from bigcommerce_refunds.spec.sync import sync, vendor
from tests.spec_sync.projects import (
    CHECKOUT,
    CURRENT,
    VERSIONS,
    Synced,
    checkout_overlay,
    copy_project,
    provenance_of,
    upstream_document,
)

REFUNDS_OF_ORDER = "/orders/{order_id}/payment_actions/refunds"
QUOTE_REQUIRED = "$.components.schemas.RefundQuote_Full"
GET_FILTER = f"$.paths['{REFUNDS_OF_ORDER}'].get"
PATH_LEVEL_FILTER = f"$.paths['{REFUNDS_OF_ORDER}'].parameters[?(@.name == \"transaction_id\")]"
EARLY_2024 = Provenance("github.com/bigcommerce/docs", "reference/orders.v3.yml", "e" * 40,
                        "2024-04-01", "0" * 64)  # fmt: skip


def before_2024_06_12() -> dict[str, Any]:
    """4d032cb0 without what came in 2024-04-25 (the quote's ``order_level_refund_amount``) and
    2024-06-12 (the ``transaction_id`` filter of the refunds of an order)."""
    document = copy.deepcopy(upstream_document("4d032cb0"))
    quote = document["components"]["schemas"]["RefundQuote_Full"]
    del quote["properties"]["order_level_refund_amount"]
    item = document["paths"][REFUNDS_OF_ORDER]
    item["parameters"] = [p for p in item["parameters"] if p.get("name") != "transaction_id"]
    return document


def gaps_of(build: BuildResult) -> dict[str, tuple[str, ...]]:
    return {entry.action.target: entry.reasons for entry in build.unbacked}


# ---------------------------------------------------------------------------------- item 12
def test_constraints_on_fields_and_parameters_upstream_lacks_are_gaps() -> None:
    build = build_fragment(before_2024_06_12(), checkout_overlay(), EARLY_2024, tolerant=True)
    assert not build.complete
    gaps = gaps_of(build)
    assert set(gaps) == {QUOTE_REQUIRED, GET_FILTER}, "nothing else is reported"
    (required,) = gaps[QUOTE_REQUIRED]
    assert "`order_level_refund_amount`" in required
    assert "components.schemas.RefundQuote_Full" in required
    (parameter,) = gaps[GET_FILTER]
    assert "query parameter `transaction_id`" in parameter
    assert f"GET {REFUNDS_OF_ORDER}" in parameter
    # The path-level declaration it moves is missing: that action matches nothing, as before.
    assert PATH_LEVEL_FILTER in {action.target for action in build.unmatched}


@pytest.mark.parametrize("version", VERSIONS)
def test_no_real_version_since_2024_06_12_has_such_gaps(version: str) -> None:
    """No false alarms: on every version the overlay applies to, nothing is reported."""
    build = build_fragment(
        upstream_document(version), checkout_overlay(), provenance_of(version), tolerant=True
    )
    assert build.unbacked == ()


def test_make_spec_fails_on_them_too(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = copy_project(CHECKOUT, tmp_path / "project")
    vendor(root, yaml.safe_dump(before_2024_06_12()).encode(), EARLY_2024)
    assert project.main(["--root", str(root)]) == 1
    err = capsys.readouterr().err
    assert "order_level_refund_amount" in err
    assert "transaction_id" in err


def test_a_sync_reports_them_as_overlay_gaps(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = copy_project(CHECKOUT, tmp_path / "project")
    spec = tmp_path / "orders.v3.yml"
    spec.write_text(yaml.safe_dump(before_2024_06_12(), sort_keys=False), encoding="utf-8")
    report_json, report_md = tmp_path / "r.json", tmp_path / "r.md"
    base = ["sync", str(spec), "--root", str(root), "--date", EARLY_2024.date, "--quiet"]
    outputs = ["--json", str(report_json), "--markdown", str(report_md)]
    allow = ["--allow-breaking"]
    assert main([*base, *allow, *outputs]) == EXIT_BREAKING
    assert "the overlay did not fully apply" in capsys.readouterr().err
    data = json.loads(report_json.read_text(encoding="utf-8"))
    assert data["overlay_gaps"] is True
    unbacked = {entry["target"]: entry for entry in data["overlay"]["unbacked"]}
    assert set(unbacked) == {QUOTE_REQUIRED, GET_FILTER}
    assert "order_level_refund_amount" in unbacked[QUOTE_REQUIRED]["reasons"][0]
    markdown = report_md.read_text(encoding="utf-8")
    assert "2 overlay action(s) constrain what this upstream version does not define" in markdown
    assert "`order_level_refund_amount`" in markdown
    # The same sync again (now from that version to itself) with gaps allowed: status 0.
    assert main([*base, *allow, "--allow-overlay-gaps"]) == EXIT_OK


# ---------------------------------------------------------------------------------- item 13
def test_a_version_older_than_the_vendored_one_predates_the_corrections(
    synced: Callable[[str, str], Synced],
) -> None:
    """current (2026-02-25) -> 4d032cb0 (2024-08-16): FeeItem and the titles do not exist yet."""
    result = synced(CURRENT, "4d032cb0").result
    causes = result.gap_causes
    fee = next(a for a in result.build.unmatched if a.target == "$.components.schemas.FeeItem")
    assert causes[fee.index] == (
        "this upstream version (2024-08-16) predates it: the action applies to the vendored "
        "version (2026-02-25)"
    )
    (skipped,) = result.build.skipped
    assert "predates" in causes[skipped.action.index]
    markdown = render_markdown(Report.from_sync(result))
    assert "An upstream fix or rename dropped" not in markdown
    assert "this upstream version (2024-08-16) predates it" in markdown
    data = json.loads(render_json(Report.from_sync(result)))
    assert {entry["cause"] for entry in data["overlay"]["unmatched"]} == {causes[fee.index]}


def test_a_gap_the_vendored_version_had_too_says_so(synced: Callable[[str, str], Synced]) -> None:
    """4d032cb0 -> 2299d239: the four title actions matched nothing before either."""
    result = synced("4d032cb0", "2299d239").result
    assert len(result.build.unmatched) == 5
    for action in result.build.unmatched:
        assert result.gap_causes[action.index] == (
            "the vendored version (2024-08-16) had this gap too"
        )


def test_a_newer_version_that_renames_a_corrected_schema_is_an_upstream_change(
    tmp_path: Path,
) -> None:
    """A later upstream renames FeeItem: the correction stopped applying because of upstream."""
    renamed = yaml.safe_dump(upstream_document(CURRENT), sort_keys=False).replace(
        "FeeItem", "FeeRefundItem"
    )
    spec = tmp_path / "orders.v3.yml"
    spec.write_text(renamed, encoding="utf-8")
    root = copy_project(CHECKOUT, tmp_path / "project")
    result = sync(root, str(spec), commit="f" * 40, date="2026-06-01")
    fee = next(a for a in result.build.unmatched if a.target == "$.components.schemas.FeeItem")
    assert result.gap_causes[fee.index] == (
        "upstream changed this after the vendored version (2026-02-25), by a fix or a rename: "
        "check whether the correction is still needed, and retarget or remove it"
    )


def test_links_to_operations_this_version_names_differently_are_gaps() -> None:
    """The overlay's links name operationIds (`getOrderRefund`); upstream's files until 2022
    named the operations otherwise (`getrefund`): the links would lead nowhere."""
    document = copy.deepcopy(upstream_document(CURRENT))
    operation = document["paths"]["/orders/payment_actions/refunds/{refund_id}"]["get"]
    operation["operationId"] = "getrefund"
    build = build_fragment(document, checkout_overlay(), provenance_of(CURRENT), tolerant=True)
    gaps = gaps_of(build)
    assert set(gaps) == {"$.components.responses.Refund_Resp"}
    (reason,) = gaps["$.components.responses.Refund_Resp"]
    assert "`getOrderRefund`" in reason
    assert "`getrefund`" in reason, "the reason lists the operations that do exist"
