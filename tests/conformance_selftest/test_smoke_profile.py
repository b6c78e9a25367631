"""The smoke profile: every operation, both request variants, auth and each refusal rule, within
its budget of 300 requests (enforced by the choke point, counted over the whole run)."""

from __future__ import annotations

import re
from pathlib import Path

from conformance.profiles import PROFILES

from .runner import run_suite_against

OPERATIONS = (
    "createOrderRefund",
    "createOrderRefundQuotes",
    "getOrderRefund",
    "getOrderRefunds",
    "getOrdersRefunds",
)


def test_smoke_covers_the_api_within_its_budget(tmp_path: Path) -> None:
    budget = PROFILES["smoke"].request_budget
    assert budget is not None
    assert budget <= 300
    run = run_suite_against(
        [], tmp_path, stop_at_first_failure=False, extra_env={"CONFORMANCE_PROFILE": "smoke"}
    )
    assert run.returncode == 0, run.output[-6000:]
    sent = re.search(r"requests sent:\s+(\d+) \(budget (\d+);", run.output)
    assert sent is not None, run.output[-3000:]
    assert int(sent.group(1)) <= int(sent.group(2)) == budget
    rows = [
        line.split()
        for line in run.output.splitlines()
        if line.startswith(("domain ", "schemathesis "))
    ]
    for source in ("domain", "schemathesis"):
        covered = {row[1] for row in rows if row[0] == source}
        assert set(OPERATIONS) <= covered, (source, covered)
    variants = {row[2] for row in rows if row[1] == "createOrderRefund"}
    assert {"items", "tax_adjustment"} <= variants
    # Every test ran except the rate-limit test (this sandbox's quota is too big to exhaust).
    assert re.search(r"\b1 skipped\b", run.output), run.output[-3000:]
    assert "quota 1000000 is above" in (tmp_path / "junit.xml").read_text()
