"""A sync that fails says so: bad dates are usage errors, and no stale report survives a failure.

Issue 15: ``--date`` checked only the pattern (``2025-13-45`` stamped client version
``2025.13.45``; ``yesterday`` exited 3, a failed sync, where a bad command line is 2), and a failed
sync left the previous ``reports/spec-sync.md`` and ``.json`` in place, readable as current.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from bigcommerce_refunds.spec.cli import EXIT_FAILED, EXIT_USAGE, main
from bigcommerce_refunds.spec.provenance import Provenance
from bigcommerce_refunds.spec.sync import SyncError, resolve_provenance
from tests.spec_sync.projects import CHECKOUT, copy_project, spec_file

#: The installed console script, next to the interpreter running the tests (.venv/bin).
CONSOLE_SCRIPT = Path(sys.executable).parent / "bigcommerce-refunds"
STALE_MARKDOWN = "## Spec sync: an earlier, successful sync\n\n**Verdict: no changes**\n"
STALE_JSON = '{"breaking": false, "overlay_gaps": false, "title": "an earlier sync"}\n'


def files_of(root: Path) -> dict[Path, bytes]:
    return {path: path.read_bytes() for path in root.rglob("*") if path.is_file()}


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_project(CHECKOUT, tmp_path / "project")


@pytest.fixture
def stale_reports(tmp_path: Path) -> tuple[Path, Path]:
    """Reports of an earlier sync, where `make sync-spec` and the workflow keep them."""
    reports = tmp_path / "reports"
    reports.mkdir()
    markdown, data = reports / "spec-sync.md", reports / "spec-sync.json"
    markdown.write_text(STALE_MARKDOWN, encoding="utf-8")
    data.write_text(STALE_JSON, encoding="utf-8")
    return markdown, data


# ---------------------------------------------------------------------------------- --date
@pytest.mark.parametrize(
    "date",
    ["2025-13-45", "2025-02-30", "2023-02-29", "2025-00-10", "yesterday", "2025-1-5", "20250105"],
)
def test_a_date_that_is_not_a_calendar_day_is_a_usage_error_and_writes_nothing(
    project: Path, capsys: pytest.CaptureFixture[str], date: str
) -> None:
    before = files_of(project)
    status = main(["sync", str(spec_file("current")), "--root", str(project), "--date", date])
    assert status == EXIT_USAGE
    err = capsys.readouterr().err
    assert f"--date {date!r}" in err
    assert "YYYY-MM-DD" in err
    assert files_of(project) == before


def test_a_leap_day_is_a_date() -> None:
    provenance, _ = resolve_provenance("/x/orders.v3.yml", b"d", date="2024-02-29")
    assert provenance.client_version == "2024.2.29"


def test_the_library_refuses_an_impossible_date_too() -> None:
    with pytest.raises(SyncError, match=r"2025-13-45.*YYYY-MM-DD"):
        resolve_provenance("/x/orders.v3.yml", b"d", date="2025-13-45")
    impossible = Provenance("r", "p", "c", "2025-13-45", "0" * 64)
    with pytest.raises(ValueError, match="2025-13-45"):
        _ = impossible.client_version


@pytest.mark.parametrize(
    ("version", "options", "status"),
    [
        ("current", ["--date", "2026-02-25"], 0),  # the vendored file itself: nothing changes
        ("cb4dad27", ["--date", "2024-11-06"], 1),  # breaking changes and overlay gaps
        ("cb4dad27", ["--date", "2024-11-06", "--allow-breaking", "--allow-overlay-gaps"], 0),
        ("current", ["--date", "yesterday"], 2),
        ("missing", [], 3),
    ],
)
def test_the_console_script_exits_with_the_documented_status(
    tmp_path: Path, project: Path, version: str, options: list[str], status: int
) -> None:
    """The command the docs and the workflow run, as a process: the status table holds."""
    spec = tmp_path / "nowhere.yml" if version == "missing" else spec_file(version)
    report = tmp_path / "r.json"
    command = [str(CONSOLE_SCRIPT), "spec", "sync", str(spec), "--root", str(project)]
    completed = subprocess.run(
        [*command, *options, "--json", str(report), "--quiet"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == status, completed.stderr
    assert json.loads(report.read_text(encoding="utf-8"))["exit_status"] == status
    if status == EXIT_USAGE:
        assert "--date 'yesterday'" in completed.stderr


# ---------------------------------------------------------------------------------- reports
@pytest.mark.parametrize(
    ("arguments", "status", "cause"),
    [
        (["--date", "2025-13-45"], EXIT_USAGE, "--date '2025-13-45'"),
        (["--swagger"], EXIT_FAILED, "Swagger 2.0"),
        (["--missing"], EXIT_FAILED, "no such file"),
    ],
)
def test_a_failed_sync_replaces_the_previous_reports_with_a_failure_report(
    tmp_path: Path,
    project: Path,
    stale_reports: tuple[Path, Path],
    capsys: pytest.CaptureFixture[str],
    arguments: list[str],
    status: int,
    cause: str,
) -> None:
    markdown, data = stale_reports
    spec = spec_file("current")
    if arguments == ["--swagger"]:
        spec = tmp_path / "orders.v3.yml"
        spec.write_text("swagger: '2.0'\ninfo: {title: x}\npaths: {}\n", encoding="utf-8")
        arguments = []
    elif arguments == ["--missing"]:
        spec = tmp_path / "nowhere.yml"
        arguments = []
    before = files_of(project)
    argv = ["sync", str(spec), "--root", str(project), "--markdown", str(markdown)]
    assert main([*argv, "--json", str(data), *arguments]) == status
    capsys.readouterr()
    assert files_of(project) == before, "a failed sync changes nothing in the project"
    text = markdown.read_text(encoding="utf-8")
    assert text != STALE_MARKDOWN
    assert text.startswith("## Spec sync FAILED")
    assert f"exit status {status}" in text
    assert "nothing was changed" in text
    assert cause in text
    report = json.loads(data.read_text(encoding="utf-8"))
    assert report["failed"] is True
    assert report["exit_status"] == status
    assert cause in report["error"]
    # A reader that only looks at the verdict fields cannot mistake it for a clean sync.
    assert report["breaking"] is None
    assert report["overlay_gaps"] is None


def test_a_successful_sync_report_says_it_did_not_fail(
    project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Syncing the checkout to its own vendored file: nothing changes, and the JSON says the
    sync succeeded with status 0."""
    data = tmp_path / "r.json"
    date = json.loads((project / "openapi/upstream/PROVENANCE.json").read_text())["date"]
    args = ["sync", str(spec_file("current")), "--root", str(project), "--date", date]
    assert main([*args, "--json", str(data), "--quiet"]) == 0
    capsys.readouterr()
    report = json.loads(data.read_text(encoding="utf-8"))
    assert report["failed"] is False
    assert report["exit_status"] == 0


def test_an_unexpected_error_still_replaces_the_previous_reports(
    project: Path,
    stale_reports: tuple[Path, Path],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A bug in the sync is raised (with its traceback), but the stale report does not
    survive it, and the failure report does not claim that nothing was written."""

    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr("bigcommerce_refunds.spec.sync.sync", broken)
    markdown, data = stale_reports
    argv = ["sync", str(spec_file("current")), "--root", str(project)]
    with pytest.raises(RuntimeError, match="disk on fire"):
        main([*argv, "--markdown", str(markdown), "--json", str(data)])
    text = markdown.read_text(encoding="utf-8")
    assert text.startswith("## Spec sync FAILED")
    assert "unexpected RuntimeError: disk on fire" in text
    assert "git status" in text
    report = json.loads(data.read_text(encoding="utf-8"))
    assert (report["failed"], report["nothing_changed"]) == (True, False)
