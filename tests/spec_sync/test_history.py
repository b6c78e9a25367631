"""Sync through BigCommerce's real spec history; the report must name the known changes.

Each history file is vendored into a scratch project, which is then synced to the next version
and to the current one. The expected changes were read off the diffs of the cut fragments:

* 2024-08-20 (2299d239): product refund ``adjustments`` (request and response items);
* 2024-11-06 (cb4dad27): ``FEE`` items (a ``FeeItem`` oneOf branch; ``FEE`` in the enums);
* 2024-11-19 .. 2025-05-14 (31d7d5e8): item enums narrowed and ``required`` lists added, request
  bodies become anyOf(Items Refund, Tax Adjustment Refund), ItemsRefund's branch order swapped;
* 2025-10-23 / 2025-10-28 (current): ``merchant_calculated_override`` removed from the quote
  bodies; the override's ``total_amount`` inlined (no semantic change).
"""

from __future__ import annotations

import filecmp
import itertools
from collections.abc import Callable
from pathlib import Path

import pytest

from bigcommerce_refunds.spec.diff import Change, SpecDiff
from bigcommerce_refunds.spec.report import Report, render_json, render_markdown
from tests.spec_sync.projects import (
    CHECKOUT,
    CURRENT,
    HISTORY_VERSIONS,
    VERIFIED,
    VERSIONS,
    Synced,
)

SyncedFactory = Callable[[str, str], Synced]

STEPS = list(itertools.pairwise(VERSIONS))


def one(diff: SpecDiff, kind: str, location: str, detail: str | None = None) -> Change:
    found = [c for c in diff.find(kind, location=location) if detail in (None, c.detail)]
    assert len(found) == 1, (kind, location, detail, [c.location for c in diff.find(kind)])
    return found[0]


def uses(change: Change, side: str) -> set[str]:
    return {use.describe() for use in change.uses if use.side == side}


def tree_differences(left: Path, right: Path) -> list[str]:
    """Relative paths that differ between two trees (caches ignored)."""
    problems: list[str] = []
    comparison = filecmp.dircmp(left, right, ignore=["__pycache__", ".mypy_cache"])
    problems += [f"only in {left}: {name}" for name in comparison.left_only]
    problems += [f"only in {right}: {name}" for name in comparison.right_only]
    problems += [
        name
        for name in comparison.common_files
        if not filecmp.cmp(left / name, right / name, shallow=False)
    ]
    for name in comparison.common_dirs:
        problems += tree_differences(left / name, right / name)
    return problems


def same_project(expected: Path, root: Path) -> list[str]:
    """What differs between two projects' vendored file, provenance, fragment and client."""
    problems = tree_differences(expected / "generated", root / "generated")
    for relative in ("refunds.yaml", "upstream/orders.v3.yml", "upstream/PROVENANCE.json"):
        if (expected / "openapi" / relative).read_bytes() != (
            root / "openapi" / relative
        ).read_bytes():
            problems.append(f"openapi/{relative}")
    return problems


STALE_CHECKOUT_HINT = (
    "the synced project differs from the checkout; if `make check-generated` fails too, the "
    "checkout is stale (an overlay edit without `make spec generate`), not the sync"
)


# ---------------------------------------------------------------------------------- end to end
@pytest.mark.parametrize(("old", "new"), STEPS)
def test_each_step_syncs_builds_regenerates_and_verifies(
    synced: SyncedFactory, old: str, new: str
) -> None:
    done = synced(old, new)
    result = done.result
    if (old, new) in VERIFIED:
        assert result.verification is not None
        assert result.verification.ok, render_markdown(Report.from_sync(result))
        mypy, roundtrip = result.verification.checks
        assert mypy.summary.startswith("Success: no issues found")
        assert "0 failed" in roundtrip.summary
    written = (done.root / "openapi" / "refunds.yaml").read_text(encoding="utf-8")
    assert written == result.build.text
    assert (done.root / "generated" / "bigcommerce_refunds_client" / "models").is_dir()
    assert result.new_provenance.commit.startswith(new) or new == CURRENT
    assert result.spec_diff.changes, "every step of the history changes the refund operations"


def test_downgrade_to_the_oldest_version_verifies_and_reports_removals(
    synced: SyncedFactory,
) -> None:
    """Syncing backwards (current -> 4d032cb0) exercises removals, and verifies 4d032cb0."""
    result = synced(CURRENT, "4d032cb0").result
    assert result.verification is not None
    assert result.verification.ok
    diff = result.spec_diff
    removed = one(diff, "field-removed", "components.schemas.RefundItem.properties.adjustments")
    assert removed.breaking_on("response")
    fee = one(diff, "enum-value-removed", "RefundItem.properties.item_type.enum", "FEE")
    assert not fee.breaking_on("response"), "a response enum losing a value breaks no client"
    branch = one(diff, "variant-removed", "components.schemas.ItemsRefund.oneOf", "FeeItem")
    assert branch.breaking_on("request")
    assert result.api_diff.find("model-removed", "FeeItem")[0].breaking
    unmatched = {action.target for action in result.build.unmatched}
    assert "$.components.schemas.FeeItem" in unmatched
    assert "$.components.schemas.RefundRequest_Post_Items" in unmatched
    assert [s.action.target for s in result.build.skipped] == ["$.components.schemas.ItemsRefund"]
    assert result.overlay_gaps


# ---------------------------------------------------------------------------------- the steps
def test_2024_08_20_product_refund_adjustments_are_non_breaking_additions(
    synced: SyncedFactory,
) -> None:
    result = synced("4d032cb0", "2299d239").result
    diff = result.spec_diff
    request = one(
        diff, "field-added", "components.schemas.QuantityBoundItem.properties.adjustments"
    )
    assert uses(request, "request") == {
        "createOrderRefund request body `items[].adjustments`",
        "createOrderRefundQuotes request body `items[].adjustments`",
    }
    assert not request.breaking
    assert "optional" in request.message
    response = one(diff, "field-added", "components.schemas.RefundItem.properties.adjustments")
    assert uses(response, "response") == {
        "createOrderRefund response 201 body `data.items[].adjustments`",
        "getOrderRefund response 200 body `data.items[].adjustments`",
        "getOrderRefunds response 200 body `data[].items[].adjustments`",
        "getOrdersRefunds response 200 body `data[].items[].adjustments`",
    }
    assert not response.breaking
    assert not result.breaking
    assert result.api_diff.find("field-added", "QuantityBoundItem.adjustments")
    assert result.api_diff.find("model-added", "RefundItemAdjustment")
    markdown = render_markdown(Report.from_sync(result))
    assert "Verdict: no breaking changes" in markdown
    assert "createOrderRefund request body `items[].adjustments`" in markdown


def test_2024_11_06_fee_items_break_response_parsing_only(synced: SyncedFactory) -> None:
    result = synced("2299d239", "cb4dad27").result
    diff = result.spec_diff
    branch = one(diff, "variant-added", "components.schemas.ItemsRefund.oneOf", "FeeItem")
    assert uses(branch, "request") == {
        "createOrderRefund request body `items[]`",
        "createOrderRefundQuotes request body `items[]`",
    }
    assert not branch.breaking
    sent = one(diff, "enum-value-added", "QuantityBoundItem.properties.item_type.enum", "FEE")
    assert not sent.breaking
    received = one(diff, "enum-value-added", "RefundItem.properties.item_type.enum", "FEE")
    assert received.sides == ("response",)
    assert received.breaking_on("response")
    assert "getOrderRefunds response 200 body `data[].items[].item_type`" in uses(
        received, "response"
    )
    assert diff.find("component-added", location="components.schemas.FeeItem")
    assert result.breaking
    assert result.api_diff.find("model-added", "FeeItem")
    assert result.api_diff.find("enum-member-added", "RefundItemItemType.FEE")
    # FeeItem exists now, so the overlay's FeeItem correction applies again...
    assert "$.components.schemas.FeeItem" not in {a.target for a in result.build.unmatched}
    assert not result.build.skipped
    # ...and the FEE upstream added to AmountBoundItem is hidden by the overlay's disjoint enums.
    assert any(
        c.location.endswith("AmountBoundItem.properties.item_type.enum") and c.detail == "FEE"
        for c in result.masked
    )
    report = Report.from_sync(result)
    assert "**breaking** — enum value `FEE` added — " in render_markdown(report)
    assert '"breaking": true' in render_json(report)
    assert report.counts()["response"] == {"breaking": 1, "non_breaking": 0}


def test_2025_04_22_tax_adjustment_variant_and_2024_11_19_narrowing(
    synced: SyncedFactory,
) -> None:
    result = synced("cb4dad27", "31d7d5e8").result
    diff = result.spec_diff
    refund = one(
        diff,
        "variant-added",
        "components.schemas.RefundRequest_Post.anyOf",
        "RefundRequest_Post_TaxAdjustmentAmount",
    )
    assert uses(refund, "request") == {"createOrderRefund request body"}
    assert not refund.breaking
    assert "tax_adjustment_amount*" in refund.message
    quote = one(
        diff,
        "variant-added",
        "components.schemas.RefundQuote_Post.anyOf",
        "RefundQuote_TaxAdjustmentAmount",
    )
    assert uses(quote, "request") == {"createOrderRefundQuotes request body"}
    assert not quote.breaking
    became = one(diff, "composition-changed", "components.schemas.RefundRequest_Post.anyOf")
    assert not became.breaking
    # 2025-05-14: ItemsRefund's first two branches swapped; reported, not breaking.
    order = one(diff, "variant-order-changed", "components.schemas.ItemsRefund.oneOf")
    assert not order.breaking
    # 2024-11-19: the quantity-bound item no longer accepts amount-bound item types...
    narrowed = diff.find(
        "enum-value-removed", location="QuantityBoundItem.properties.item_type.enum"
    )
    assert {c.detail for c in narrowed} == {"ORDER", "SHIPPING", "HANDLING", "TAX", "FEE"}
    assert all(c.breaking_on("request") for c in narrowed)
    # ...and the item schemas gained required lists: new required request fields break senders.
    for schema, fields in (
        ("QuantityBoundItem", {"item_type", "item_id", "quantity"}),
        ("AmountBoundItem", {"item_type", "item_id", "amount"}),
    ):
        required = diff.find("field-required", location=f"components.schemas.{schema}.required")
        assert {c.detail for c in required} == fields
        assert all(c.breaking_on("request") for c in required)
    quantity = one(diff, "field-removed", "components.schemas.AmountBoundItem.properties.quantity")
    assert quantity.breaking_on("request")
    # A tax-adjustment refund has no items, so Refund.items lost minItems: responses widened.
    loosened = one(
        diff, "constraint-loosened", "components.schemas.Refund.properties.items.minItems"
    )
    assert loosened.breaking_on("response")
    # Quotes accept merchant_calculated_override from here until 2025-10-23.
    override = one(
        diff,
        "field-added",
        "components.schemas.RefundQuote_ItemsRefund.properties.merchant_calculated_override",
    )
    assert not override.breaking
    api = result.api_diff
    assert api.find("model-removed", "RefundRequestPost")[0].breaking
    assert api.find("model-added", "TaxAdjustmentRefundRequest")
    assert api.find("parameter-type-changed", "api.payment_actions.create_order_refund.sync(body)")
    assert result.build.complete, "every overlay action applies from 31d7d5e8 on"


def test_2025_10_23_override_removed_from_quotes_is_breaking_for_senders(
    synced: SyncedFactory,
) -> None:
    done = synced("31d7d5e8", CURRENT)
    result = done.result
    diff = result.spec_diff
    removed = diff.find("field-removed")
    assert {c.location for c in removed} == {
        "components.schemas.RefundQuote_ItemsRefund.properties.merchant_calculated_override",
        "components.schemas.RefundQuote_TaxAdjustmentAmount.properties.merchant_calculated_override",
    }
    for change in removed:
        assert change.breaking_on("request")
        assert uses(change, "request") == {
            "createOrderRefundQuotes request body `merchant_calculated_override`"
        }
    # 2025-10-28 inlined MerchantOverride.total_amount: no semantic change, so nothing else.
    assert diff.changes == tuple(removed)
    assert {(c.kind, c.name) for c in result.api_diff.changes} == {
        ("field-removed", "ItemsRefundQuoteRequest.merchant_calculated_override"),
        ("field-removed", "TaxAdjustmentRefundQuoteRequest.merchant_calculated_override"),
    }
    assert result.build.complete
    assert not result.overlay_gaps
    # Synced to the vendored version, the scratch project is the checkout, byte for byte.
    assert same_project(CHECKOUT, done.root) == [], STALE_CHECKOUT_HINT


@pytest.mark.parametrize("old", HISTORY_VERSIONS[:-1])
def test_older_versions_sync_straight_to_current(synced: SyncedFactory, old: str) -> None:
    done = synced(old, CURRENT)
    diff = done.result.spec_diff
    one(diff, "variant-added", "RefundRequest_Post.anyOf", "RefundRequest_Post_TaxAdjustmentAmount")
    one(diff, "variant-order-changed", "components.schemas.ItemsRefund.oneOf")
    if old == "4d032cb0":
        added = one(diff, "field-added", "QuantityBoundItem.properties.adjustments")
        assert not added.breaking
    else:
        assert not diff.find("field-added", location="QuantityBoundItem.properties.adjustments")
    if old in ("4d032cb0", "2299d239"):
        assert one(diff, "enum-value-added", "RefundItem.properties.item_type.enum", "FEE").breaking
        assert not one(diff, "variant-added", "ItemsRefund.oneOf", "FeeItem").breaking
    else:
        assert not diff.find("variant-added", location="ItemsRefund.oneOf")
    # The quotes had no override before 31d7d5e8, and have none now: no change to report.
    assert not diff.find(location="properties.merchant_calculated_override")
    assert done.result.breaking
    # Whatever the starting version, a sync to the current file ends in the same project.
    assert same_project(synced("31d7d5e8", CURRENT).root, done.root) == []
