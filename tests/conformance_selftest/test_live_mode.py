"""Live mode end to end, against a sandbox posing as a store (``--no-control``).

Without the opt-in not one refund request reaches the store, even one whose planted bugs would
accept over-refunds, negative amounts, store credit for guests and mismatched payments; the
suite still runs its reads, quotes and auth tests. With the opt-in, refunds go to the designated
order only, summing to at most the cap, and the run lists them.
"""

from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ElementTree
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx

from bigcommerce_refunds.sandbox import SandboxConfig, ServedSandbox, serve
from tests.processes import clean_env, run

ROOT = Path(__file__).resolve().parents[2]
LENIENT = frozenset(
    {"over_refund", "negative_amount_accepted", "guest_store_credit", "mismatched_payments"}
)


def ledger(served: ServedSandbox) -> list[dict[str, Any]]:
    """Every refund, read through the refunds API as a client of the store would."""
    response = httpx.get(
        f"{served.base_url}/orders/payment_actions/refunds",
        params={"limit": "250"},
        headers={"X-Auth-Token": served.token},
    )
    assert response.status_code == 200, response.text
    refunds: list[dict[str, Any]] = response.json()["data"]
    return refunds


def run_live(
    served: ServedSandbox, reports: Path, **extra: str
) -> subprocess.CompletedProcess[str]:
    env = clean_env(
        CONFORMANCE_TARGET="live",
        BIGCOMMERCE_STORE_HASH=served.sandbox.config.store_hash,
        BIGCOMMERCE_ACCESS_TOKEN=served.token,
        BIGCOMMERCE_API_URL=served.root_url,
        CONFORMANCE_PROFILE="quick",
        CONFORMANCE_REPORTS=str(reports),
        **extra,
    )
    return run([sys.executable, "-m", "conformance", "-q", "-rs"], cwd=ROOT, env=env)


def passed(reports: Path) -> set[str]:
    """The JUnit names of the tests that ran and passed."""
    tree = ElementTree.parse(reports / "junit.xml")
    return {
        f"{case.get('classname')}.{case.get('name')}"
        for case in tree.iter("testcase")
        if not any(child.tag in {"skipped", "failure", "error"} for child in case)
    }


def test_without_the_opt_in_a_lenient_store_keeps_its_ledger(tmp_path: Path) -> None:
    config = SandboxConfig(control_api=False, bugs=LENIENT, rate_limit_quota=1_000_000)
    with serve(config) as served:
        before = ledger(served)
        done = run_live(served, tmp_path)
        after = ledger(served)
    assert after == before, done.stdout + done.stderr
    output = done.stdout + done.stderr
    assert "no refund request reached the store" in output
    assert "not sent to the live store" in output  # the tests that needed a refund skipped
    ran = passed(tmp_path)
    assert any("test_auth" in name and "Quotes" in name for name in ran), sorted(ran)
    assert any("test_reads" in name for name in ran), sorted(ran)
    assert any("test_schemathesis" in name for name in ran), sorted(ran)


def test_with_the_opt_in_refunds_go_to_the_designated_order_under_the_cap(
    tmp_path: Path,
) -> None:
    with serve(SandboxConfig(control_api=False, rate_limit_quota=1_000_000)) as served:
        before = {refund["id"] for refund in ledger(served)}
        done = run_live(
            served,
            tmp_path,
            CONFORMANCE_ALLOW_REFUNDS="1",
            CONFORMANCE_REFUND_ORDER="100",
            CONFORMANCE_REFUND_CAP="5.00",
        )
        new = [refund for refund in ledger(served) if refund["id"] not in before]
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    assert new, output
    assert {refund["order_id"] for refund in new} == {100}
    assert sum(Decimal(str(refund["total_amount"])) for refund in new) <= Decimal("5.00")
    assert f"refunds created on the live store: {len(new)}," in output
    for refund in new:
        assert f"order 100: refund {refund['id']}," in output
