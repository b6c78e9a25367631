"""Run the conformance suite (as a user would: pytest on conformance/) against a served sandbox."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from bigcommerce_refunds.sandbox import SandboxConfig, serve
from bigcommerce_refunds.sandbox.config import READ_ONLY_TOKEN

ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class SuiteRun:
    returncode: int
    output: str


def run_suite_against(
    bugs: Iterable[str], reports: Path, *, stop_at_first_failure: bool
) -> SuiteRun:
    """Serve a sandbox with ``bugs`` planted and run the whole suite against it over HTTP."""
    config = SandboxConfig(bugs=frozenset(bugs), rate_limit_quota=1_000_000)
    with serve(config) as served:
        env = {
            **os.environ,
            "CONFORMANCE_TARGET": served.base_url,
            "CONFORMANCE_TOKEN": served.token,
            "CONFORMANCE_READ_ONLY_TOKEN": READ_ONLY_TOKEN,
            "CONFORMANCE_PROFILE": "quick",
            "CONFORMANCE_REPORTS": str(reports),
        }
        args = [sys.executable, "-m", "pytest", "conformance", "-p", "no:cacheprovider", "-q"]
        args += ["-x"] if stop_at_first_failure else []
        completed = subprocess.run(
            args, cwd=ROOT, env=env, capture_output=True, text=True, check=False, timeout=600
        )
    return SuiteRun(completed.returncode, completed.stdout + completed.stderr)
