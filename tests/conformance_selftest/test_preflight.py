"""Preflight and exit codes: a bad target is one short line and a documented exit code, before
any test runs (``python -m conformance`` is what ``make conformance`` calls)."""

from __future__ import annotations

import io
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bigcommerce_refunds.sandbox import SandboxConfig, ServedSandbox, serve
from conformance.chokepoint import ChokePoint
from conformance.outcome import CONFIGURATION_ERROR, UNREACHABLE, ConfigurationError
from conformance.preflight import preflight
from conformance.runner import main
from conformance.target import TargetSettings
from tests.processes import clean_env, run

ROOT = Path(__file__).resolve().parents[2]
SECRET = "tok-5d1e-not-for-output"


@pytest.fixture(scope="module")
def sandbox() -> Iterator[ServedSandbox]:
    with serve(SandboxConfig(rate_limit_quota=10_000)) as served:
        yield served


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])  # closed again when the block ends


def _run(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, **env: str) -> tuple[int, str]:
    for name in list(os.environ):
        if name.startswith(("CONFORMANCE_", "BIGCOMMERCE_")):
            monkeypatch.delenv(name)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("CONFORMANCE_REPORTS", str(tmp_path))  # main() sets it; restored after
    err = io.StringIO()
    code = main(["--reports", str(tmp_path)], stderr=err)
    return code, err.getvalue()


def test_nothing_listening_is_exit_3_in_one_line(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    url = f"http://127.0.0.1:{_closed_port()}/stores/x/v3"
    started = time.monotonic()
    code, output = _run(monkeypatch, tmp_path, CONFORMANCE_TARGET=url, CONFORMANCE_TOKEN=SECRET)
    assert code == UNREACHABLE
    assert time.monotonic() - started < 10
    assert output.count("\n") == 1
    assert "target unreachable: nothing accepts connections at 127.0.0.1:" in output
    assert SECRET not in output


@pytest.mark.parametrize(
    ("path", "token", "expected"),
    [
        ("/stores/not-this-store/v3", None, "wrong path: GET"),
        ("/stores/sandbox/v3", "a-rejected-token", "the token was rejected"),
    ],
)
def test_wrong_path_and_rejected_token_are_exit_2_in_one_line(
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    sandbox: ServedSandbox,
    path: str,
    token: str | None,
    expected: str,
) -> None:
    url = sandbox.root_url + path
    code, output = _run(
        monkeypatch, tmp_path, CONFORMANCE_TARGET=url, CONFORMANCE_TOKEN=token or sandbox.token
    )
    assert code == CONFIGURATION_ERROR
    assert output.count("\n") == 1
    assert expected in output
    assert sandbox.token not in output
    assert "a-rejected-token" not in output


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("127.0.0.1:4010/stores/sandbox/v3", "has no http:// or https:// scheme"),
        ("http://127.0.0.1:4010/v3", "must be the API base URL, ending in /stores/"),
        ("ftp://127.0.0.1/stores/x/v3", "has no http:// or https:// scheme"),
    ],
)
def test_malformed_urls_are_exit_2_before_anything_is_sent(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, target: str, expected: str
) -> None:
    code, output = _run(monkeypatch, tmp_path, CONFORMANCE_TARGET=target, CONFORMANCE_TOKEN="t")
    assert code == CONFIGURATION_ERROR
    assert output.count("\n") == 1
    assert expected in output


def test_a_missing_token_and_an_unknown_profile_are_exit_2(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    url = "http://127.0.0.1:4010/stores/sandbox/v3"
    code, output = _run(monkeypatch, tmp_path, CONFORMANCE_TARGET=url)
    assert (code, output.count("\n")) == (CONFIGURATION_ERROR, 1)
    assert "CONFORMANCE_TOKEN is required" in output
    code, output = _run(monkeypatch, tmp_path, CONFORMANCE_PROFILE="fast")
    assert (code, output.count("\n")) == (CONFIGURATION_ERROR, 1)
    assert "PROFILE='fast' is not a profile; choose one of quick, smoke, deep" in output


def test_preflight_finds_the_control_api_and_checks_the_read_only_token(
    sandbox: ServedSandbox,
) -> None:
    settings = TargetSettings(kind="external", base_url=sandbox.base_url, token=sandbox.token)
    bad_reader = TargetSettings(
        kind="external",
        base_url=sandbox.base_url,
        token=sandbox.token,
        read_only_token="not-a-reader",
    )
    chokepoint = ChokePoint()
    try:
        assert preflight(settings, chokepoint).control_api is True
        with pytest.raises(ConfigurationError, match="the read-only token was rejected"):
            preflight(bad_reader, chokepoint)
    finally:
        chokepoint.shutdown()


def test_make_never_echoes_the_token_and_passes_the_failure_on(tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{_closed_port()}/stores/x/v3"
    completed = run(
        ["make", "--no-print-directory", "conformance", f"TARGET={url}", f"TOKEN={SECRET}"],
        cwd=ROOT,
        env=clean_env(CONFORMANCE_REPORTS=str(tmp_path)),
        timeout=120,
    )
    output = completed.stdout + completed.stderr
    assert completed.returncode != 0
    assert "target unreachable" in output
    assert SECRET not in output
    assert len(output.strip().splitlines()) <= 4, output


def test_make_honours_conformance_variables_from_the_environment(tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{_closed_port()}/stores/from-env/v3"
    env = clean_env(
        CONFORMANCE_TARGET=url, CONFORMANCE_TOKEN=SECRET, CONFORMANCE_REPORTS=str(tmp_path)
    )
    completed = run(["make", "--no-print-directory", "conformance"], cwd=ROOT, env=env, timeout=120)
    output = completed.stdout + completed.stderr
    assert "target unreachable: nothing accepts connections at 127.0.0.1:" in output, output
    assert SECRET not in output


def test_the_runner_module_is_what_make_calls() -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "conformance", "--help"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert "Run the conformance suite" in completed.stdout
    # make calls the installed command, which runs the same runner (conformance_cli.py).
    assert "bigcommerce-refunds conformance" in (ROOT / "Makefile").read_text()
