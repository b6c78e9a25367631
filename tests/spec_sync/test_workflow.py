"""The scheduled workflow's own shell logic, run with each exit status of the sync.

Issue 15: the workflow ran `make sync-spec`, and make turns every failing recipe into its own
status 2, so the "verification failed (1): open the pull request with a note" branch could never
run. These tests take the `run:` scripts out of `.github/workflows/sync-spec.yml` as they are and
run them with bash, the sync command replaced by a stub that exits with a chosen status and
writes the reports the real command writes (the real command's statuses are tested in
test_failures.py and test_cli.py).
"""

from __future__ import annotations

import itertools
import json
import os
import stat
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.spec_sync.projects import CHECKOUT

WORKFLOW = CHECKOUT / ".github" / "workflows" / "sync-spec.yml"
SHA = "2299d2396e13f6d613c71c81752b58c02068e90f"
DATE = "2024-08-20"

#: What GitHub runs for `shell: bash`, and for a step without `shell:` on Linux (docs:
#: "Workflow syntax for GitHub Actions", jobs.<job_id>.steps[*].shell).
BASH = ["bash", "--noprofile", "--norc", "-eo", "pipefail"]
DEFAULT_SHELL = ["bash", "-e"]

#: The `${{ }}` expressions the runner substitutes into scripts and env values.
EXPRESSIONS = {
    "${{ steps.upstream.outputs.sha }}": SHA,
    "${{ steps.upstream.outputs.date }}": DATE,
    "${{ steps.upstream.outputs.short }}": SHA[:8],
}

STUB = """#!/usr/bin/env bash
# Stands in for `bigcommerce-refunds`: records its arguments, writes the reports the real
# command writes for STUB_STATUS, and exits with it.
printf '%s\\n' "$@" > "$STUB_LOG"
markdown="" json=""
while [ $# -gt 0 ]; do
  case "$1" in
    --markdown) markdown="$2"; shift ;;
    --json) json="$2"; shift ;;
  esac
  shift
done
mkdir -p "$(dirname "$markdown")" "$(dirname "$json")"
if [ "$STUB_STATUS" -ge 2 ]; then
  printf '## Spec sync FAILED: stub\\n' > "$markdown"
  printf '{"failed": true, "exit_status": %s, "breaking": null, "overlay_gaps": null}\\n' \\
    "$STUB_STATUS" > "$json"
else
  printf '## Spec sync: stub report\\n' > "$markdown"
  printf '{"failed": false, "exit_status": %s, "breaking": %s, "overlay_gaps": %s}\\n' \\
    "$STUB_STATUS" "$STUB_BREAKING" "$STUB_GAPS" > "$json"
fi
exit "$STUB_STATUS"
"""


def workflow_steps() -> list[dict[str, Any]]:
    document = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    steps: list[dict[str, Any]] = document["jobs"]["sync"]["steps"]
    return steps


def step(step_id: str) -> dict[str, Any]:
    (found,) = [s for s in workflow_steps() if s.get("id") == step_id]
    return found


def shell_of(found: dict[str, Any]) -> list[str]:
    shell = found.get("shell")
    assert shell in (None, "bash"), f"the test runs bash steps only, not {shell!r}"
    return BASH if shell == "bash" else DEFAULT_SHELL


def substituted(text: str) -> str:
    for expression, value in EXPRESSIONS.items():
        text = text.replace(expression, value)
    return text


@dataclass
class Run:
    returncode: int
    outputs: dict[str, str]
    summary: str
    arguments: list[str]
    workspace: Path


def run_step(step_id: str, workspace: Path, env: dict[str, str], *, stub_status: int = 0) -> Run:
    """Run one step's script in ``workspace`` with the stub as the installed console script."""
    found = step(step_id)
    stub = workspace / ".venv" / "bin" / "bigcommerce-refunds"
    stub.parent.mkdir(parents=True, exist_ok=True)
    stub.write_text(STUB, encoding="utf-8")
    stub.chmod(stub.stat().st_mode | stat.S_IXUSR)
    script = workspace / f"{step_id}.sh"
    script.write_text(substituted(found["run"]), encoding="utf-8")
    outputs, summary, log = (workspace / name for name in ("output", "summary", "stub.log"))
    for path in (outputs, summary):
        path.write_text("", encoding="utf-8")
    step_env = {key: substituted(str(value)) for key, value in (found.get("env") or {}).items()}
    completed = subprocess.run(
        [*shell_of(found), str(script)],
        cwd=workspace,
        env={
            "PATH": os.environ["PATH"],
            "UPSTREAM_REPO": "bigcommerce/docs",
            "UPSTREAM_PATH": "reference/orders.v3.yml",
            "GITHUB_OUTPUT": str(outputs),
            "GITHUB_STEP_SUMMARY": str(summary),
            "STUB_LOG": str(log),
            "STUB_STATUS": str(stub_status),
            **{key: value for key, value in step_env.items() if "${{" not in value},
            **env,
        },
        capture_output=True,
        text=True,
        check=False,
    )
    parsed = dict(
        line.split("=", 1) for line in outputs.read_text(encoding="utf-8").splitlines() if line
    )
    arguments = log.read_text(encoding="utf-8").splitlines() if log.exists() else []
    return Run(
        completed.returncode, parsed, summary.read_text(encoding="utf-8"), arguments, workspace
    )


def sync_env(breaking: bool, gaps: bool) -> dict[str, str]:
    """The stub's verdict."""
    return {
        "STUB_BREAKING": json.dumps(breaking),
        "STUB_GAPS": json.dumps(gaps),
    }


@pytest.mark.parametrize(
    ("status", "breaking", "gaps"),
    [(0, False, False), (0, True, True), (1, True, False), (1, False, True)],
)
def test_statuses_0_and_1_go_on_to_the_pull_request_with_the_verdict(
    tmp_path: Path, status: int, breaking: bool, gaps: bool
) -> None:
    run = run_step("sync", tmp_path, sync_env(breaking, gaps), stub_status=status)
    assert run.returncode == 0, "1 (verification failed) must still open the pull request"
    assert run.outputs == {
        "status": str(status),
        "breaking": json.dumps(breaking),
        "gaps": json.dumps(gaps),
    }
    assert "## Spec sync: stub report" in run.summary


@pytest.mark.parametrize("status", [2, 3])
def test_statuses_2_and_3_fail_the_job_with_that_status(tmp_path: Path, status: int) -> None:
    stale = tmp_path / "reports" / "spec-sync.json"
    stale.parent.mkdir()
    stale.write_text('{"breaking": false, "overlay_gaps": false}\n', encoding="utf-8")
    run = run_step("sync", tmp_path, sync_env(False, False), stub_status=status)
    assert run.returncode == status
    assert run.outputs == {"status": str(status)}
    assert "## Spec sync FAILED" in run.summary


def test_the_step_runs_the_documented_command_with_the_upstream_commit(tmp_path: Path) -> None:
    run = run_step("sync", tmp_path, sync_env(False, False))
    assert run.arguments[:3] == [
        "spec",
        "sync",
        f"https://raw.githubusercontent.com/bigcommerce/docs/{SHA}/reference/orders.v3.yml",
    ]
    options = run.arguments[3:]
    for flag in ("--allow-breaking", "--allow-overlay-gaps", "--verify"):
        assert flag in options
    pairs = dict(itertools.pairwise(options))
    assert pairs["--commit"] == SHA
    assert pairs["--date"] == DATE
    assert pairs["--markdown"] == "reports/spec-sync.md"
    assert pairs["--json"] == "reports/spec-sync.json"
    docs = (CHECKOUT / "docs" / "spec-sync.md").read_text(encoding="utf-8")
    assert "bigcommerce-refunds spec sync" in docs


def test_a_stale_report_is_removed_before_the_sync_runs(tmp_path: Path) -> None:
    """If the command dies before writing a report, the previous one must not be used."""
    reports = tmp_path / "reports"
    reports.mkdir()
    (reports / "spec-sync.md").write_text("## Spec sync: stale\n", encoding="utf-8")
    (reports / "spec-sync.json").write_text('{"breaking": false}\n', encoding="utf-8")
    found = step("sync")
    script = found["run"]
    assert ".venv/bin/bigcommerce-refunds spec sync" in script
    # Run only what precedes the sync command: it must leave no report behind.
    prelude = script[: script.index(".venv/bin/bigcommerce-refunds")]
    completed = subprocess.run(
        [*shell_of(found), "-c", prelude], cwd=tmp_path, capture_output=True, text=True, check=False
    )
    assert completed.returncode == 0, completed.stderr
    assert not list(reports.iterdir())


@pytest.mark.parametrize(("status", "noted"), [("0", False), ("1", True)])
def test_the_pull_request_says_when_verification_failed(
    tmp_path: Path, status: str, noted: bool
) -> None:
    (tmp_path / "reports").mkdir()
    (tmp_path / "reports" / "spec-sync.md").write_text("## Spec sync: r\n", encoding="utf-8")
    run = run_step("pr-body", tmp_path, {"CHECKS": "failure", "VERIFY_STATUS": status})
    assert run.returncode == 0
    body = (tmp_path / "reports" / "pr-body.md").read_text(encoding="utf-8")
    assert body.startswith("## Spec sync: r\n")
    assert "### make test on the synced tree: failure" in body
    assert ("**The sync's own verification failed**" in body) is noted


def test_the_pull_request_step_only_runs_after_a_sync_that_did_not_fail() -> None:
    """Statuses 2 and 3 fail the sync step; every later step has an `if:` without
    `always()`, so GitHub skips them (no pull request for a sync that produced nothing)."""
    steps = workflow_steps()
    after = steps[[s.get("id") for s in steps].index("sync") + 1 :]
    assert after
    for later in after:
        assert "always()" not in str(later.get("if", ""))
