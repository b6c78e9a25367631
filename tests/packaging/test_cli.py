"""The console script behaves as people expect: --version, help, a clear word on missing extras."""

from __future__ import annotations

import importlib
import subprocess
import sys
from importlib import metadata
from pathlib import Path
from typing import Any

import pytest

from bigcommerce_refunds import cli


def test_version_is_the_installed_distribution_s(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["--version"]) == 0
    assert (
        capsys.readouterr().out
        == f"bigcommerce-refunds {metadata.version('bigcommerce-refunds')}\n"
    )


def test_a_bare_command_prints_help_and_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main([]) == 2
    err = capsys.readouterr().err
    assert err.startswith("usage: bigcommerce-refunds [--version] <command>")
    assert "sandbox" in err


def test_help_exits_0_and_unknown_commands_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["--help"]) == 0
    assert "commands:" in capsys.readouterr().out
    assert cli.main(["nope"]) == 2
    assert "unknown command 'nope'" in capsys.readouterr().err


@pytest.mark.parametrize(("command", "extra"), [("sandbox", "sandbox"), ("spec", "spec")])
def test_a_command_whose_extra_is_missing_says_which_to_install(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], command: str, extra: str
) -> None:
    real = importlib.import_module

    def without_starlette(name: str, *args: Any) -> Any:
        if name == cli.SUBCOMMANDS[command].module:
            raise ModuleNotFoundError("No module named 'starlette'", name="starlette")
        return real(name, *args)

    monkeypatch.setattr(importlib, "import_module", without_starlette)
    assert cli.main([command, "--help"]) == 2
    err = capsys.readouterr().err
    assert f"needs the '{extra}' extra" in err
    assert f"pip install 'bigcommerce-refunds[{extra}]'" in err


def _imported_after(statement: str) -> set[str]:
    code = f"import sys; {statement}; print('\\n'.join(sorted(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return {name.split(".")[0] for name in done.stdout.split()}


def test_the_client_imports_nothing_of_the_server_side() -> None:
    # What `pip install bigcommerce-refunds` (no extras) must be able to run.
    loaded = _imported_after("import bigcommerce_refunds")
    assert not loaded & {"starlette", "uvicorn", "yaml", "jsonschema", "schemathesis", "pytest"}


def test_the_sandbox_needs_only_its_own_extra() -> None:
    # `[sandbox]` brings starlette, uvicorn, pyyaml and jsonschema; not the spec pipeline's tools.
    loaded = _imported_after("import bigcommerce_refunds.sandbox")
    assert not loaded & {"openapi_spec_validator", "jsonpath_ng", "schemathesis", "hypothesis"}


def test_sandbox_help_describes_every_bug_and_every_option(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from bigcommerce_refunds.sandbox import BUG_PROFILES
    from bigcommerce_refunds.sandbox.launcher import _parser

    with pytest.raises(SystemExit) as exited:
        cli.main(["sandbox", "--help"])
    assert exited.value.code == 0
    out = " ".join(capsys.readouterr().out.split())
    for name, description in BUG_PROFILES.items():
        assert f"{name} {' '.join(description.split())}" in out
    for action in _parser()._actions:
        assert action.help, f"{action.option_strings} has no help text"


def test_spec_sync_outside_a_checkout_says_what_it_needs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["spec", "sync", "new.yml", "--root", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "is not a checkout of bigcommerce-refunds" in err
    assert "openapi/overlay.yaml" in err
    assert "Traceback" not in err
