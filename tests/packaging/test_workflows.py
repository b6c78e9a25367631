"""The project's CI workflow runs what a person runs, on the supported Pythons."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]


def _workflow(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((ROOT / ".github" / "workflows" / name).read_text())
    return loaded


def test_ci_runs_make_test_and_conformance_on_the_oldest_and_newest_python() -> None:
    job = _workflow("ci.yml")["jobs"]["test"]
    assert job["strategy"]["matrix"]["python"] == ["3.11", "3.13"]
    runs = [step["run"] for step in job["steps"] if "run" in step]
    assert runs == [
        "make test PYTHON=python${{ matrix.python }}",
        "make conformance PYTHON=python${{ matrix.python }}",
    ]
    ci_run = (ROOT / ".ci" / "run").read_text()
    assert "make test" in ci_run
    assert "make conformance" in ci_run
