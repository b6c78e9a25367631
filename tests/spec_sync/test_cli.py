"""The command line: exit statuses, report files, provenance options, and failures that write
nothing."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from bigcommerce_refunds.cli import main as console_main
from bigcommerce_refunds.spec.build import BuildResult
from bigcommerce_refunds.spec.cli import (
    EXIT_BREAKING,
    EXIT_FAILED,
    EXIT_OK,
    EXIT_USAGE,
    exit_status,
    main,
)
from bigcommerce_refunds.spec.diff import diff_fragments
from bigcommerce_refunds.spec.overlay import load_overlay
from bigcommerce_refunds.spec.report import Report
from bigcommerce_refunds.spec.sync import SyncError, fetch, resolve_provenance, sync
from tests.spec_sync.projects import CHECKOUT, History, copy_project, provenance_of, spec_file
from tests.spec_sync.test_diff_rules import fragment, obj

STRING = {"type": "string"}


def write(path: Path, document: dict[str, Any]) -> Path:
    path.write_text(yaml.safe_dump(document), encoding="utf-8")
    return path


@pytest.fixture
def fragments(tmp_path: Path) -> tuple[Path, Path]:
    """Two fragments; the new one removes a response field (breaking)."""
    old = write(tmp_path / "old.yaml", fragment(response=obj({"a": STRING, "b": STRING})))
    new = write(tmp_path / "new.yaml", fragment(response=obj({"a": STRING})))
    return old, new


def test_diff_exit_status_follows_breaking_unless_allowed(
    fragments: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old, new = fragments
    report = tmp_path / "out" / "report.json"
    assert main(["diff", str(old), str(new), "--json", str(report)]) == EXIT_BREAKING
    out, err = capsys.readouterr()
    assert "**breaking** — field removed" in out
    assert "changes break clients" in err
    data = json.loads(report.read_text(encoding="utf-8"))
    assert data["breaking"] is True
    assert data["summary"]["response"] == {"breaking": 1, "non_breaking": 0}
    (change,) = data["spec"]["changes"]
    assert change["kind"] == "field-removed"
    assert main(["diff", str(old), str(new), "--allow-breaking", "--quiet"]) == EXIT_OK
    assert main(["diff", str(new), str(old), "--quiet"]) == EXIT_OK
    assert capsys.readouterr().out == ""


def test_diff_upstream_files_cuts_and_overlays_first(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    markdown = tmp_path / "report.md"
    status = main(
        [
            "diff",
            "--upstream",
            "--root",
            str(CHECKOUT),
            str(spec_file("2299d239")),
            str(spec_file("cb4dad27")),
            "--markdown",
            str(markdown),
            "--quiet",
        ]
    )
    assert status == EXIT_BREAKING
    text = markdown.read_text(encoding="utf-8")
    assert "enum value `FEE` added — `components.schemas.RefundItem.properties.item_type.enum`" in (
        text
    )
    assert capsys.readouterr().out == ""


def test_the_console_script_routes_spec_commands(fragments: tuple[Path, Path]) -> None:
    old, new = fragments
    assert console_main(["spec", "diff", str(old), str(new), "--quiet"]) == EXIT_BREAKING


def test_usage_errors(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == EXIT_USAGE
    assert main(["sync"]) == EXIT_USAGE
    assert main(["--help"]) == EXIT_OK
    assert "sync" in capsys.readouterr().out


def test_the_script_wrapper_runs_the_same_command() -> None:
    completed = subprocess.run(
        [sys.executable, str(CHECKOUT / "scripts" / "sync_spec.py"), "--help"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0
    assert "--allow-breaking" in completed.stdout


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("swagger: '2.0'\ninfo: {title: x}\npaths: {}\n", "Swagger 2.0"),
        ("openapi: 3.0.3\ninfo: {title: x, version: ''}\npaths: {}\n", "lacks refund operations"),
        ("- just\n- a list\n", "not an OpenAPI document"),
        ("key: [unclosed\n", "not YAML"),
    ],
)
def test_a_failed_sync_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str, message: str
) -> None:
    root = copy_project(CHECKOUT, tmp_path / "project")
    spec = tmp_path / "orders.v3.yml"
    spec.write_text(content, encoding="utf-8")
    before = {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}
    assert main(["sync", str(spec), "--root", str(root)]) == EXIT_FAILED
    assert message in capsys.readouterr().err
    after = {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}
    assert after == before


def test_a_missing_file_is_a_failed_sync(tmp_path: Path) -> None:
    root = copy_project(CHECKOUT, tmp_path)
    assert main(["sync", str(tmp_path / "nope.yml"), "--root", str(root)]) == EXIT_FAILED


def test_sync_exit_status_and_reports(
    tmp_path: Path,
    baseline: Callable[[str], Path],
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A real sync from the command line: breaking and overlay gaps both fail it, and the
    files are written anyway (for review)."""
    root = copy_project(baseline("2299d239"), tmp_path / "project")
    report_md, report_json = tmp_path / "r.md", tmp_path / "r.json"
    provenance = provenance_of("cb4dad27")
    args = [
        "sync",
        str(spec_file("cb4dad27")),
        "--root",
        str(root),
        "--commit",
        provenance.commit,
        "--date",
        provenance.date,
        "--markdown",
        str(report_md),
        "--json",
        str(report_json),
        "--quiet",
    ]
    assert main(args) == EXIT_BREAKING
    err = capsys.readouterr().err
    assert "changes break clients" in err
    assert "the overlay did not fully apply" in err
    assert "git diff" in err
    written = json.loads((root / "openapi" / "upstream" / "PROVENANCE.json").read_text())
    assert written == {
        "commit": provenance.commit,
        "date": "2024-11-06",
        "path": "reference/orders.v3.yml",
        "repository": "github.com/bigcommerce/docs",
        "sha256": provenance.sha256,
    }
    data = json.loads(report_json.read_text(encoding="utf-8"))
    assert data["breaking"] is True
    assert data["overlay_gaps"] is True
    assert {a["target"] for a in data["overlay"]["unmatched"]} == {
        "$.components.schemas.RefundQuote_ItemsRefund",
        "$.components.schemas.RefundQuote_TaxAdjustmentAmount",
        "$.components.schemas.RefundRequest_Post_Items",
        "$.components.schemas.RefundRequest_Post_TaxAdjustmentAmount",
    }
    assert data["new"]["commit"] == provenance.commit
    assert data["client_api"]["breaking"] is True
    markdown = report_md.read_text(encoding="utf-8")
    assert markdown.startswith("## Spec sync: 2299d239 (2024-08-20) → cb4dad27 (2024-11-06)")
    assert "4 overlay action(s) match nothing" in markdown
    assert "Verdict: BREAKING for clients" in markdown


def test_each_allowance_covers_only_its_own_finding() -> None:
    """The exit policy on a report that both breaks clients and has overlay gaps."""
    breaking = diff_fragments(
        fragment(response=obj({"a": STRING, "b": STRING})), fragment(response=obj({"a": STRING}))
    )
    action = load_overlay(CHECKOUT / "openapi" / "overlay.yaml").actions[0]
    build = BuildResult(fragment={}, text="", unmatched=(action,))
    report = Report("r", breaking, build=build)

    def status(*flags: str) -> int:
        return exit_status(
            report,
            allow_breaking="breaking" in flags,
            allow_overlay_gaps="gaps" in flags,
        )

    assert status() == EXIT_BREAKING
    assert status("breaking") == EXIT_BREAKING
    assert status("gaps") == EXIT_BREAKING
    assert status("breaking", "gaps") == EXIT_OK


# ---------------------------------------------------------------------------------- provenance
def test_a_raw_github_url_names_repository_commit_and_path() -> None:
    sha = "2299d2396e13f6d613c71c81752b58c02068e90f"
    url = f"https://raw.githubusercontent.com/bigcommerce/docs/{sha}/reference/orders.v3.yml"
    provenance, notes = resolve_provenance(url, b"data", date="2024-08-20")
    assert (provenance.repository, provenance.path, provenance.commit) == (
        "github.com/bigcommerce/docs",
        "reference/orders.v3.yml",
        sha,
    )
    assert provenance.client_version == "2024.8.20"
    assert len(provenance.sha256) == 64
    assert not any("unknown" in note for note in notes)


def test_a_branch_url_or_bare_file_leaves_commit_and_date_unknown() -> None:
    url = "https://raw.githubusercontent.com/bigcommerce/docs/main/reference/orders.v3.yml"
    provenance, notes = resolve_provenance(url, b"data")
    assert provenance.commit == "unknown"
    assert provenance.date == "unknown"
    assert any("branch 'main'" in note for note in notes)
    assert any("0.0.0" in note for note in notes)


def test_options_win_over_inference_and_file_names_name_commits() -> None:
    provenance, _ = resolve_provenance("/x/orders.v3@cb4dad27.yml", b"d")
    assert provenance.commit == "cb4dad27"
    explicit, _ = resolve_provenance(
        "/x/orders.v3@cb4dad27.yml", b"d", commit="abc1234", repository="github.com/me/fork"
    )
    assert (explicit.commit, explicit.repository) == ("abc1234", "github.com/me/fork")


def test_a_malformed_date_is_refused() -> None:
    with pytest.raises(SyncError, match="YYYY-MM-DD"):
        resolve_provenance("/x/orders.v3.yml", b"d", date="20 May 2025")


def test_fetch_reads_urls_through_httpx_and_reports_http_errors() -> None:
    def serve(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("orders.v3.yml"):
            return httpx.Response(200, content=b"openapi: 3.0.3\n")
        return httpx.Response(404)

    transport = httpx.MockTransport(serve)
    assert fetch("https://example.test/orders.v3.yml", transport=transport) == b"openapi: 3.0.3\n"
    with pytest.raises(SyncError, match="404"):
        fetch("https://example.test/other.yml", transport=transport)


def test_the_scheduled_workflow_runs_the_sync_command_and_opens_a_pull_request() -> None:
    workflow = yaml.safe_load(
        (CHECKOUT / ".github" / "workflows" / "sync-spec.yml").read_text(encoding="utf-8")
    )
    triggers = workflow[True]  # YAML 1.1 reads the bare key `on` as a boolean
    assert triggers["schedule"][0]["cron"]
    assert "workflow_dispatch" in triggers
    steps = workflow["jobs"]["sync"]["steps"]
    runs = "\n".join(step.get("run", "") for step in steps)
    assert "make install" in runs
    assert ".venv/bin/bigcommerce-refunds spec sync" in runs
    assert "--allow-breaking --allow-overlay-gaps --verify" in runs
    assert "make test" in runs
    uses = [step.get("uses", "") for step in steps]
    assert any(name.startswith("peter-evans/create-pull-request@") for name in uses)


def test_a_first_sync_into_an_empty_project_reports_everything_as_added(
    tmp_path: Path, history: History
) -> None:
    for name in ("overlay.yaml", "generator-config.yaml"):
        (tmp_path / "openapi").mkdir(exist_ok=True)
        (tmp_path / "openapi" / name).write_bytes((CHECKOUT / "openapi" / name).read_bytes())
    provenance = provenance_of("current")
    result = sync(
        tmp_path, str(spec_file("current")), commit=provenance.commit, date=provenance.date
    )
    assert result.old_provenance is None
    added = result.spec_diff.find("operation-added")
    assert {change.detail for change in added} == {
        "createOrderRefundQuotes",
        "createOrderRefund",
        "getOrderRefunds",
        "getOrderRefund",
        "getOrdersRefunds",
    }
    assert not result.breaking
    assert {change.kind for change in result.api_diff.changes} == {"model-added", "module-added"}
    # The same fragment as any other sync to the current file (the old state plays no part).
    current = history.synced("31d7d5e8", "current").root
    assert (tmp_path / "openapi" / "refunds.yaml").read_bytes() == (
        current / "openapi" / "refunds.yaml"
    ).read_bytes()
