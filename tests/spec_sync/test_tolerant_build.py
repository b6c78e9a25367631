"""The build on old upstream versions: overlay gaps are reported, never a crash, never silent.

`make spec` must keep failing when an overlay action matches nothing for the vendored upstream;
a sync builds anyway and reports the gaps. These tests need no client generation.
"""

from __future__ import annotations

import copy
import functools
import hashlib
from pathlib import Path
from typing import Any

import pytest
import yaml

from bigcommerce_refunds.spec.build import (
    UNKNOWN_DATE_VERSION,
    VALIDATION_ERRORS,
    build_fragment,
)
from bigcommerce_refunds.spec.cut import CutError, cut_fragment, missing_operations
from bigcommerce_refunds.spec.overlay import Overlay, OverlayError, load_overlay, parse_overlay
from bigcommerce_refunds.spec.project import main as build_spec_main
from bigcommerce_refunds.spec.provenance import Provenance
from bigcommerce_refunds.spec.sync import vendor
from tests.spec_sync.projects import (
    CHECKOUT,
    CURRENT,
    HISTORY_VERSIONS,
    copy_project,
    provenance_of,
    spec_file,
)

OVERLAY = load_overlay(CHECKOUT / "openapi" / "overlay.yaml")


@functools.cache
def _parsed(version: str) -> dict[str, Any]:
    # libyaml when present: the pure-Python parser takes most of a second per upstream file.
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    document: dict[str, Any] = yaml.load(spec_file(version).read_bytes(), Loader=loader)
    return document


def upstream(version: str) -> dict[str, Any]:
    """A fresh copy of the parsed upstream file of ``version`` (tests may change it)."""
    return copy.deepcopy(_parsed(version))


@pytest.mark.parametrize("version", HISTORY_VERSIONS)
def test_history_copies_are_intact(version: str) -> None:
    digest = hashlib.sha256(spec_file(version).read_bytes()).hexdigest()
    assert digest == provenance_of(version).sha256


@pytest.mark.parametrize("version", [*HISTORY_VERSIONS, CURRENT])
def test_every_version_builds_a_valid_fragment(version: str) -> None:
    result = build_fragment(upstream(version), OVERLAY, provenance_of(version))
    assert result.fragment["info"]["version"] == provenance_of(version).client_version
    assert not result.missing_operations


def test_old_versions_report_the_actions_that_no_longer_apply() -> None:
    result = build_fragment(upstream("2299d239"), OVERLAY, provenance_of("2299d239"))
    assert {action.target for action in result.unmatched} == {
        "$.components.schemas.RefundQuote_ItemsRefund",
        "$.components.schemas.RefundQuote_TaxAdjustmentAmount",
        "$.components.schemas.RefundRequest_Post_Items",
        "$.components.schemas.RefundRequest_Post_TaxAdjustmentAmount",
        "$.components.schemas.FeeItem",
    }
    # The discriminator mapping names FeeItem, which does not exist yet: left out, and said so.
    (skipped,) = result.skipped
    assert skipped.action.target == "$.components.schemas.ItemsRefund"
    assert "#/components/schemas/FeeItem" in skipped.reason
    assert "discriminator" not in result.fragment["components"]["schemas"]["ItemsRefund"]
    assert not result.complete


def test_the_current_upstream_applies_every_action_and_matches_the_checked_in_fragment() -> None:
    result = build_fragment(upstream(CURRENT), OVERLAY, provenance_of(CURRENT))
    assert result.complete
    assert not result.noop
    checked_in = (CHECKOUT / "openapi" / "refunds.yaml").read_text(encoding="utf-8")
    assert result.text == checked_in, "stale checkout? `make check-generated` says"


def test_an_action_that_changes_nothing_is_reported_as_noop() -> None:
    document = upstream(CURRENT)
    fixed = copy.deepcopy(document)
    # Pretend upstream fixed the FeeItem item_id type and title itself.
    result = build_fragment(fixed, OVERLAY, provenance_of(CURRENT))
    fee = result.fragment["components"]["schemas"]["FeeItem"]
    fixed["components"]["schemas"]["FeeItem"] = copy.deepcopy(fee)
    again = build_fragment(fixed, OVERLAY, provenance_of(CURRENT))
    assert "$.components.schemas.FeeItem" in {action.target for action in again.noop}


def test_make_spec_still_fails_on_an_old_upstream(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = copy_project(CHECKOUT, tmp_path)
    vendor(root, spec_file("cb4dad27"), provenance_of("cb4dad27"))
    before = (root / "openapi" / "refunds.yaml").read_bytes()
    assert build_spec_main(["--root", str(root)]) == 1
    err = capsys.readouterr().err
    assert "$.components.schemas.RefundRequest_Post_Items" in err
    assert "matched nothing" in err
    assert (root / "openapi" / "refunds.yaml").read_bytes() == before


def test_unknown_date_stamps_a_visible_placeholder_version() -> None:
    unknown = Provenance("r", "p", "unknown", "unknown", "0" * 64)
    result = build_fragment(upstream(CURRENT), OVERLAY, unknown)
    assert result.fragment["info"]["version"] == UNKNOWN_DATE_VERSION


def test_missing_operations_fail_the_strict_cut_and_are_listed_by_the_tolerant_one() -> None:
    document = upstream(CURRENT)
    del document["paths"]["/orders/payment_actions/refunds/{refund_id}"]["get"]
    with pytest.raises(CutError, match="getOrderRefund"):
        cut_fragment(document)
    assert missing_operations(document) == ["getOrderRefund"]
    result = build_fragment(document, OVERLAY, provenance_of(CURRENT), tolerant=True)
    assert result.missing_operations == ("getOrderRefund",)
    assert not result.complete
    assert "/orders/payment_actions/refunds/{refund_id}" not in result.fragment["paths"]


def test_a_document_without_any_refund_operation_is_refused_even_when_tolerant() -> None:
    with pytest.raises(CutError):
        cut_fragment({"openapi": "3.0.3", "paths": {}}, allow_missing=True)


def test_refs_into_a_component_keep_the_whole_component() -> None:
    document = upstream(CURRENT)
    document["components"].setdefault("examples", {})["Sample"] = {"value": {"id": 1}}
    operation = document["paths"]["/orders/payment_actions/refunds/{refund_id}"]["get"]
    operation["x-sample"] = {"$ref": "#/components/examples/Sample/value"}
    fragment = cut_fragment(document)
    assert fragment["components"]["examples"]["Sample"] == {"value": {"id": 1}}


def _overlay(*actions: dict[str, Any]) -> Overlay:
    return parse_overlay({"overlay": "1.0.0", "info": {"title": "t"}, "actions": list(actions)})


def test_an_action_that_makes_the_fragment_invalid_is_left_out_when_tolerant() -> None:
    overlay = _overlay(
        {"target": "$.info", "description": "harmless", "update": {"title": "T"}},
        {
            "target": "$.paths['/orders/payment_actions/refunds'].get.responses",
            "description": "breaks the document on purpose",
            "update": {"200": "not a response object"},
        },
    )
    with pytest.raises(VALIDATION_ERRORS):
        build_fragment(upstream(CURRENT), overlay, provenance_of(CURRENT))
    result = build_fragment(upstream(CURRENT), overlay, provenance_of(CURRENT), tolerant=True)
    (skipped,) = result.skipped
    assert skipped.action.index == 1
    assert "not valid OpenAPI" in skipped.reason
    assert result.fragment["info"]["title"] == "T"


def test_an_action_that_cannot_apply_is_left_out_when_tolerant() -> None:
    overlay = _overlay(
        {"target": "$.info.title", "description": "an object update on a string", "update": {}},
    )
    with pytest.raises(OverlayError):
        build_fragment(upstream(CURRENT), overlay, provenance_of(CURRENT))
    result = build_fragment(upstream(CURRENT), overlay, provenance_of(CURRENT), tolerant=True)
    assert "cannot apply" in result.skipped[0].reason
