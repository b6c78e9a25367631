"""The conformance suite catches every planted bug, and flags nothing on the clean sandbox.

Each fault profile is a deliberate bug in the sandbox (``bigcommerce_refunds.sandbox.bugs``); the
suite runs against it over loopback HTTP exactly as ``make conformance TARGET=... TOKEN=...``
would, and must fail, with a failure that names what the bug broke.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bigcommerce_refunds.sandbox.bugs import BUG_PROFILES

from .runner import run_suite_against

#: For each planted bug, a phrase the suite's report must contain: proof that the failure is
#: about what the bug broke, not an accident.
EXPECTED_REPORT: dict[str, tuple[str, ...]] = {
    "wrong_status": (
        "expected status 201, got 200",
        "status 200 is not declared for createOrderRefund",
    ),
    "missing_field": ("'total_tax' is a required property",),
    "renamed_field": ("'total_amount' is a required property",),
    "mistyped_field": ("is not of type 'integer'",),
    "wrong_content_type": ("is not application/json",),
    "server_error_on_edge": ("got 500",),
    "over_refund": ("expected 422",),
    "mismatched_payments": ("expected 422",),
    # The field oracle sees the order not move before the read-back sees the refund missing.
    "lost_write": ("is missing", "the order's refunded total moved by 0"),
    "auth_bypass": ("expected 401",),
    "wrong_error_shape": ("'data' is a required property",),
    "total_not_sum": ("is not the sum of its payments",),
    "missing_rate_limit_headers": ("missing header X-Rate-Limit",),
    "readonly_can_write": ("expected 403",),
    "tax_adjustment_items": ("must have empty items",),
    "stale_reads": ("differs from the created one",),
    "negative_amount_accepted": ("expected 422",),
    "guest_store_credit": ("store credit",),
    # The quote's field oracle sees the tax missing before the price estimate does.
    "tax_not_refunded": ("is not what the items cost", "is not the tax of the items on the order"),
    "wrong_item_quantity": ("but the refund says",),
}


def test_every_fault_profile_has_an_expectation() -> None:
    assert set(EXPECTED_REPORT) == set(BUG_PROFILES)
    assert len(BUG_PROFILES) >= 10


#: A token no other text contains: if it shows up anywhere, the suite leaked it.
DISTINCT_TOKEN = "tok-8f3a1c0e-never-print-me"


def test_clean_sandbox_passes_the_whole_suite_and_never_writes_the_token(tmp_path: Path) -> None:
    run = run_suite_against([], tmp_path, stop_at_first_failure=False, token=DISTINCT_TOKEN)
    assert run.returncode == 0, run.output[-6000:]
    assert "conformance summary" in run.output
    assert "target_kind:                 external" in run.output
    assert DISTINCT_TOKEN not in run.output
    written = [path for path in tmp_path.rglob("*") if path.is_file()]
    assert any(path.name == "junit.xml" for path in written)
    assert any(path.name == "cassette.yaml" for path in written)
    for path in written:
        assert DISTINCT_TOKEN not in path.read_text(errors="replace"), path


@pytest.mark.parametrize("bug", sorted(BUG_PROFILES))
def test_fault_profile_is_caught(bug: str, tmp_path: Path) -> None:
    run = run_suite_against([bug], tmp_path, stop_at_first_failure=True)
    assert run.returncode == 1, f"the suite did not catch {bug!r}:\n{run.output[-4000:]}"
    assert any(phrase in run.output for phrase in EXPECTED_REPORT[bug]), (
        f"the suite failed on {bug!r}, but not with {EXPECTED_REPORT[bug]!r}:\n{run.output[-6000:]}"
    )
