"""Run the conformance suite as a user would (``python -m conformance``, what ``make conformance``
calls) against a served sandbox."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from bigcommerce_refunds.sandbox import SandboxConfig, serve
from bigcommerce_refunds.sandbox.config import READ_ONLY_TOKEN, READ_SCOPES, WRITE_SCOPES

ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class SuiteRun:
    returncode: int
    output: str


def run_suite_against(
    bugs: Iterable[str],
    reports: Path,
    *,
    stop_at_first_failure: bool,
    token: str | None = None,
    extra_env: Mapping[str, str] | None = None,
) -> SuiteRun:
    """Serve a sandbox with ``bugs`` planted and run the whole suite against it over HTTP.

    ``token``: the sandbox's write token (default: the well-known one).
    """
    config = SandboxConfig(bugs=frozenset(bugs), rate_limit_quota=1_000_000)
    if token is not None:
        tokens = {token: WRITE_SCOPES, READ_ONLY_TOKEN: READ_SCOPES}
        config = SandboxConfig(bugs=frozenset(bugs), rate_limit_quota=1_000_000, tokens=tokens)
    with serve(config) as served:
        env = {
            **os.environ,
            "CONFORMANCE_TARGET": served.base_url,
            "CONFORMANCE_TOKEN": served.token,
            "CONFORMANCE_READ_ONLY_TOKEN": READ_ONLY_TOKEN,
            "CONFORMANCE_PROFILE": "quick",
            "CONFORMANCE_REPORTS": str(reports),
            **(extra_env or {}),
        }
        args = [sys.executable, "-m", "conformance", "-q"]
        args += ["-x"] if stop_at_first_failure else []
        completed = subprocess.run(
            args, cwd=ROOT, env=env, capture_output=True, text=True, check=False, timeout=600
        )
    return SuiteRun(completed.returncode, completed.stdout + completed.stderr)
