"""The reproduction lines a failing run prints work as printed (with TOKEN exported)."""

from __future__ import annotations

from typing import Any

import hypothesis
from hypothesis import reproduce_failure

from conformance.schemathesis_run import ROOT, reproducible
from conformance.test_stateful_ledger import REPRODUCE_HERE, RefundLedger, _machine

BASE = "http://127.0.0.1:4010/stores/sandbox/v3"


def test_schemathesis_hints_become_commands_with_the_token_and_the_real_url() -> None:
    config = ROOT / "reports" / "conformance" / "schemathesis" / "schemathesis.toml"
    printed = (
        f"    curl -X GET -H 'X-Auth-Token: [Filtered]' {BASE}/orders/payment_actions/refunds\n"
        "\n    st replay a5J5lg\n"
    )
    fixed = reproducible(printed, config, BASE)
    assert f'curl -X GET -H "X-Auth-Token: $TOKEN" {BASE}/orders' in fixed
    assert (
        'CONFORMANCE_TOKEN="$TOKEN" .venv/bin/schemathesis --config-file '
        "reports/conformance/schemathesis/schemathesis.toml replay a5J5lg "
        f"--url {BASE}"
    ) in fixed
    assert "[Filtered]" not in fixed


def test_reproduce_failure_above_the_machine_class_reaches_every_runs_machine() -> None:
    assert "above `class RefundLedger`" in REPRODUCE_HERE
    blob = (hypothesis.__version__, b"AAAA")
    reproduce_failure(*blob)(RefundLedger)
    try:
        machine: Any = _machine(domain=object())  # type: ignore[arg-type]
        # run_state_machine_as_test reads this attribute from the class it is given.
        assert machine._hypothesis_internal_use_reproduce_failure == blob
    finally:
        del RefundLedger._hypothesis_internal_use_reproduce_failure  # type: ignore[attr-defined]
