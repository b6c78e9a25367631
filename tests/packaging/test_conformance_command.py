"""`bigcommerce-refunds conformance`: the suite as an installed command, from any directory."""

from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest

from bigcommerce_refunds.conformance_cli import suite_root
from bigcommerce_refunds.sandbox import serve
from bigcommerce_refunds.sandbox.config import READ_ONLY_TOKEN, SandboxConfig
from tests.processes import clean_env, run

SECRET = "a-conformance-token-that-must-never-show-1234"


def _command(*args: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    script = Path(sys.executable).with_name("bigcommerce-refunds")
    return run([str(script), "conformance", *args], cwd=cwd, env=env)


def test_the_suite_is_found_from_this_install() -> None:
    root = suite_root()
    assert root is not None
    assert (root / "conformance" / "runner.py").is_file()


def test_a_smoke_run_from_an_empty_directory_with_the_token_in_the_environment(
    tmp_path: Path,
) -> None:
    tokens = {SECRET: frozenset({"store_v2_orders", "store_v2_transactions"})}
    tokens[READ_ONLY_TOKEN] = frozenset({"store_v2_orders_read_only"})
    config = SandboxConfig(tokens=tokens, rate_limit_quota=1_000_000)
    reports = tmp_path / "out"
    with serve(config) as served:
        done = _command(
            "--target",
            served.base_url,
            "--token-env",
            "MY_TOKEN",
            "--read-only-token-env",
            "MY_READ_TOKEN",
            "--profile",
            "smoke",
            "--reports",
            str(reports),
            cwd=tmp_path,
            env=clean_env(MY_TOKEN=SECRET, MY_READ_TOKEN=READ_ONLY_TOKEN),
        )
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    assert f"external target {served.base_url}" in output
    suite = ElementTree.parse(reports / "junit.xml").getroot()
    properties = {p.get("name"): p.get("value") for p in suite.iter("property")}
    assert properties["profile"] == "smoke"
    assert SECRET not in output
    for path in reports.rglob("*"):
        if path.is_file():
            assert SECRET.encode() not in path.read_bytes(), path
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]  # nothing else written here


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--token-env", "NOT_SET_ANYWHERE", "--target", "http://127.0.0.1:1/stores/x/v3"],
            "the environment variable NOT_SET_ANYWHERE (--token-env) is not set",
        ),
        (["--target", "http://127.0.0.1:1/stores/x/v3", "--live"], "not allowed with argument"),
        (["--profile", "huge"], "invalid choice: 'huge'"),
    ],
)
def test_bad_command_lines_exit_2_with_one_clear_line(
    tmp_path: Path, args: list[str], message: str
) -> None:
    done = _command(*args, cwd=tmp_path, env=clean_env())
    assert done.returncode == 2
    assert message in done.stderr
    assert "Traceback" not in done.stderr


def test_an_unreachable_target_exits_3(tmp_path: Path) -> None:
    done = _command(
        "--target",
        "http://127.0.0.1:1/stores/x/v3",
        "--token-env",
        "T",
        cwd=tmp_path,
        env=clean_env(T="t"),
    )
    assert done.returncode == 3, done.stderr
    assert "target unreachable" in done.stderr
