"""The composite Action (action.yml): valid, and its run step is a command these tests run.

The "Run the conformance suite" step's script is taken from the YAML as it is and run with bash:
against a served sandbox with the real command (what a user's CI gets), and with a stand-in
command that prints its arguments, to see how each kind of input is passed on.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml

from bigcommerce_refunds.sandbox import serve
from bigcommerce_refunds.sandbox.config import SandboxConfig
from tests.processes import clean_env, run

ROOT = Path(__file__).resolve().parents[2]


def _action() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((ROOT / "action.yml").read_text())
    return loaded


def _steps() -> list[dict[str, Any]]:
    steps: list[dict[str, Any]] = _action()["runs"]["steps"]
    return steps


def _step(name: str) -> dict[str, Any]:
    (step,) = [s for s in _steps() if s.get("name") == name]
    return step


def _run_step(env: dict[str, str], path: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    step = _step("Run the conformance suite")
    assert step["shell"] == "bash"
    return run(["bash", "-c", step["run"]], cwd=cwd, env=clean_env(PATH=path, **env))


def test_the_action_is_a_composite_with_the_documented_inputs() -> None:
    action = _action()
    assert action["runs"]["using"] == "composite"
    assert set(action["inputs"]) == {
        "target",
        "token",
        "read-only-token",
        "profile",
        "reports",
        "package",
        "python-version",
    }
    uses = [s.get("uses", "") for s in _steps()]
    assert any(u.startswith("actions/cache@") for u in uses)
    assert any(u.startswith("actions/upload-artifact@") for u in uses)
    assert "CONFORMANCE_EXAMPLE_DB" in _step("Run the conformance suite")["env"]
    assert "bigcommerce-refunds conformance" in _step("Run the conformance suite")["run"]
    assert "pip install" in _step("Install the conformance suite")["run"]
    docs = (ROOT / "docs" / "conformance-action.md").read_text()
    assert "uses: <owner>/bigcommerce-refunds@<tag>" in docs


def test_the_step_runs_the_suite_against_a_server(tmp_path: Path) -> None:
    venv_bin = str(Path(sys.executable).parent)
    with serve(SandboxConfig(rate_limit_quota=1_000_000)) as served:
        done = _run_step(
            {
                "INPUT_TARGET": served.base_url,
                "INPUT_PROFILE": "smoke",
                "INPUT_REPORTS": str(tmp_path / "reports"),
                "CONFORMANCE_ACTION_TOKEN": served.token,
                "CONFORMANCE_ACTION_READ_ONLY_TOKEN": "",
                "CONFORMANCE_EXAMPLE_DB": str(tmp_path / "examples"),
            },
            f"{venv_bin}:/usr/bin:/bin",
            tmp_path,
        )
    assert done.returncode == 0, done.stdout + done.stderr
    assert (tmp_path / "reports" / "junit.xml").is_file()


def _arguments(tmp_path: Path, **env: str) -> tuple[list[str], dict[str, str]]:
    """What the step passes to `bigcommerce-refunds`, through a stand-in that records it."""
    stub = tmp_path / "bin" / "bigcommerce-refunds"
    stub.parent.mkdir(exist_ok=True)
    stub.write_text(
        '#!/bin/bash\nprintf "%s\\n" "$@" > "$RECORD"\n'
        'echo "${BIGCOMMERCE_ACCESS_TOKEN:-}" > "$RECORD.token"\n'
    )
    stub.chmod(0o755)
    record = tmp_path / "args.txt"
    defaults = {
        "INPUT_TARGET": "",
        "INPUT_PROFILE": "quick",
        "INPUT_REPORTS": "out",
        "CONFORMANCE_ACTION_TOKEN": "",
        "CONFORMANCE_ACTION_READ_ONLY_TOKEN": "",
        "RECORD": str(record),
    }
    done = _run_step({**defaults, **env}, f"{stub.parent}:/usr/bin:/bin", tmp_path)
    assert done.returncode == 0, done.stderr
    token = Path(f"{record}.token").read_text().strip()
    return record.read_text().split(), {"BIGCOMMERCE_ACCESS_TOKEN": token}


def test_inputs_become_options_and_tokens_stay_in_the_environment(tmp_path: Path) -> None:
    args, _ = _arguments(tmp_path)
    assert args == ["conformance", "--profile", "quick", "--reports", "out"]
    args, _ = _arguments(
        tmp_path, INPUT_TARGET="http://h/stores/x/v3", CONFORMANCE_ACTION_TOKEN="s3cret"
    )
    assert args[-4:] == [
        "--target",
        "http://h/stores/x/v3",
        "--token-env",
        "CONFORMANCE_ACTION_TOKEN",
    ]
    assert "s3cret" not in args
    args, env = _arguments(tmp_path, INPUT_TARGET="live", CONFORMANCE_ACTION_TOKEN="s3cret")
    assert "--live" in args
    assert "s3cret" not in args
    assert env["BIGCOMMERCE_ACCESS_TOKEN"] == "s3cret"
