"""Schemathesis over all five operations: positive and negative data, every applicable check,
our domain checks, and stateful sequences through the fragment's links."""

from __future__ import annotations

from pathlib import Path

from conformance.cassette import count_cases
from conformance.profiles import Profile
from conformance.recorder import RECORDER
from conformance.schemathesis_run import run_schemathesis
from conformance.session import Run
from conformance.target import Target


def test_schemathesis_finds_no_failure(
    target: Target, profile: Profile, reports_dir: Path, run: Run
) -> None:
    if target.control is not None:
        target.control.reset()
    orders = target.refresh_orders()
    result = run_schemathesis(
        target,
        profile,
        reports_dir / "schemathesis",
        orders,
        on_phase=lambda phase: run.set_phase(f"schemathesis: {phase}"),
    )
    for (operation, variant, status), n in count_cases(result.cassette).items():
        RECORDER.add_count("schemathesis", operation, variant, status, n)
    if target.control is not None:
        target.control.reset()
    assert result.returncode == 0, (
        f"Schemathesis reported failures (JUnit: {result.junit}, cassette: {result.cassette}, "
        f"config: {result.config_path}):\n{result.output[-20000:]}"
    )
