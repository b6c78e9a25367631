"""``bigcommerce-refunds spec sync|diff``: the spec-change workflow from the command line.

``sync SPEC`` vendors a new upstream file (path or URL), rebuilds the fragment, regenerates the
client and prints the change report; ``diff OLD NEW`` prints the report for two fragments
(``--upstream``: two upstream files, cut and overlaid first). Exit status, so that CI and
`make sync-spec` can act on it:

* 0: nothing breaks a client and the overlay applied fully;
* 1: something breaks (unless ``--allow-breaking``), the overlay did not fully apply (unless
  ``--allow-overlay-gaps``), or ``--verify`` failed; a sync has still written its files, so
  that the change can be reviewed (``git diff``) and kept or reverted;
* 2: bad command line (a ``--date`` that is not a calendar day ``YYYY-MM-DD`` included);
* 3: the sync could not build a fragment or a client; nothing was written.

A sync that fails writes a failure report where ``--markdown``/``--json`` point, so that the
previous run's report never passes for this one's. `make sync-spec` reports make's own status 2
for any failure: scripts that act on the status run this command directly.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bigcommerce_refunds.spec.report import Report

# The pipeline modules (jsonschema, openapi-spec-validator, httpx...) are imported by the
# commands that need them, so `--help` and usage errors answer at once.

__all__ = ["EXIT_BREAKING", "EXIT_FAILED", "EXIT_OK", "EXIT_USAGE", "exit_status", "main"]

EXIT_OK = 0
EXIT_BREAKING = 1
EXIT_USAGE = 2
EXIT_FAILED = 3


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="bigcommerce-refunds spec",
        description="Sync BigCommerce's upstream spec and report what changed for clients.",
    )
    commands = parser.add_subparsers(dest="command", metavar="{sync,diff}")

    def outputs(sub: argparse.ArgumentParser) -> None:
        sub.add_argument("--markdown", type=Path, help="also write the Markdown report here")
        sub.add_argument("--json", type=Path, help="also write the JSON report here")
        sub.add_argument(
            "--allow-breaking",
            action="store_true",
            help="exit 0 even when a change breaks clients",
        )
        sub.add_argument("--quiet", action="store_true", help="do not print the report")
        sub.add_argument("--root", type=Path, default=Path.cwd(), help="project checkout")

    sync_parser = commands.add_parser(
        "sync",
        help="vendor a new upstream spec, rebuild, regenerate, report",
        description="Vendor SPEC (a path or an http(s) URL) as openapi/upstream/orders.v3.yml, "
        "rebuild openapi/refunds.yaml with the overlay, regenerate generated/, and print the "
        "change report.",
    )
    sync_parser.add_argument("spec", help="the new upstream orders.v3.yml: path or URL")
    sync_parser.add_argument("--commit", help="upstream commit of SPEC (provenance)")
    sync_parser.add_argument("--date", help="upstream commit date YYYY-MM-DD (client version)")
    sync_parser.add_argument("--repository", help="e.g. github.com/bigcommerce/docs")
    sync_parser.add_argument("--path", help="path of the file in its repository")
    sync_parser.add_argument(
        "--allow-overlay-gaps",
        action="store_true",
        help="exit 0 even when overlay actions match nothing or the generator warns",
    )
    sync_parser.add_argument(
        "--verify",
        action="store_true",
        help="then run mypy --strict on the client and round-trip the spec's examples",
    )
    outputs(sync_parser)

    diff_parser = commands.add_parser(
        "diff",
        help="report the changes between two fragments",
        description="Compare two fragments (or, with --upstream, two upstream files).",
    )
    diff_parser.add_argument("old", type=Path)
    diff_parser.add_argument("new", type=Path)
    diff_parser.add_argument(
        "--upstream",
        action="store_true",
        help="OLD and NEW are upstream files: cut and apply the project's overlay first",
    )
    outputs(diff_parser)
    return parser


def _write(path: Path | None, text: str) -> None:
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def _emit(report: Report, args: argparse.Namespace, status: int) -> None:
    from bigcommerce_refunds.spec.report import render_json, render_markdown

    markdown = render_markdown(report)
    _write(args.markdown, markdown)
    _write(args.json, render_json(report, exit_status=status))
    if not args.quiet:
        print(markdown, end="")


def _fail(args: argparse.Namespace, status: int, error: str, *, unexpected: bool = False) -> int:
    """Say why on stderr and replace any earlier report with one that says this run failed."""
    from bigcommerce_refunds.spec.report import render_failure_json, render_failure_markdown

    if not unexpected:
        print(f"spec sync failed, nothing was changed: {error}", file=sys.stderr)
    title = f"Spec sync FAILED: {args.spec}"
    changed_nothing = not unexpected
    _write(
        args.markdown,
        render_failure_markdown(title, error, status, nothing_changed=changed_nothing),
    )
    _write(args.json, render_failure_json(title, error, status, nothing_changed=changed_nothing))
    return status


def exit_status(
    report: Report, *, allow_breaking: bool = False, allow_overlay_gaps: bool = False
) -> int:
    """The exit status for ``report`` (see the module docstring); says why on stderr."""
    problems = []
    if report.breaking and not allow_breaking:
        problems.append("changes break clients (--allow-breaking to accept)")
    if report.overlay_gaps and not allow_overlay_gaps:
        problems.append("the overlay did not fully apply (--allow-overlay-gaps to accept)")
    if report.verification is not None and not report.verification.ok:
        problems.append("verification failed")
    if problems:
        print("spec: " + "; ".join(problems), file=sys.stderr)
        return EXIT_BREAKING
    return EXIT_OK


def _sync(args: argparse.Namespace) -> int:
    from bigcommerce_refunds.spec.provenance import check_date
    from bigcommerce_refunds.spec.report import Report
    from bigcommerce_refunds.spec.sync import SyncError, sync

    if args.date is not None:
        # A bad command line (exit 2), refused before anything is read or written.
        try:
            check_date(args.date)
        except ValueError as error:
            return _fail(args, EXIT_USAGE, f"--date {error}")
    try:
        result = sync(
            args.root,
            args.spec,
            repository=args.repository,
            path=args.path,
            commit=args.commit,
            date=args.date,
            verify=args.verify,
        )
    except SyncError as error:
        return _fail(args, EXIT_FAILED, str(error))
    except BaseException as error:
        # A bug, or an interrupt: still no stale report; the traceback follows.
        _fail(args, EXIT_FAILED, f"unexpected {type(error).__name__}: {error}", unexpected=True)
        raise
    report = Report.from_sync(result)
    status = exit_status(
        report, allow_breaking=args.allow_breaking, allow_overlay_gaps=args.allow_overlay_gaps
    )
    _emit(report, args, status)
    if status != EXIT_OK:
        print(
            "spec: the synced files are written; review them with `git diff`, "
            "keep them, or revert with `git checkout -- openapi generated`",
            file=sys.stderr,
        )
    return status


def _diff(args: argparse.Namespace) -> int:
    from bigcommerce_refunds.spec.build import build_fragment
    from bigcommerce_refunds.spec.diff import diff_fragments
    from bigcommerce_refunds.spec.overlay import load_overlay
    from bigcommerce_refunds.spec.project import ProjectPaths
    from bigcommerce_refunds.spec.provenance import Provenance
    from bigcommerce_refunds.spec.report import Report
    from bigcommerce_refunds.spec.sync import UNKNOWN
    from bigcommerce_refunds.spec.yamlio import load_yaml

    old, new = load_yaml(args.old), load_yaml(args.new)
    if args.upstream:
        overlay = load_overlay(ProjectPaths(args.root).overlay)
        placeholder = Provenance(UNKNOWN, UNKNOWN, UNKNOWN, UNKNOWN, UNKNOWN)
        old = build_fragment(old, overlay, placeholder, tolerant=True).fragment
        new = build_fragment(new, overlay, placeholder, tolerant=True).fragment
    report = Report(f"Spec diff: {args.old.name} → {args.new.name}", diff_fragments(old, new))
    status = exit_status(report, allow_breaking=args.allow_breaking)
    _emit(report, args, status)
    return status


#: What ``spec sync`` rewrites; without them the root is not a checkout of this project.
_CHECKOUT_FILES = ("openapi/overlay.yaml", "openapi/upstream/PROVENANCE.json", "generated")


def _not_a_checkout(root: Path) -> str | None:
    """Why ``root`` cannot be synced, or None: it is a checkout of this project."""
    missing = [name for name in _CHECKOUT_FILES if not (root / name).exists()]
    if not missing:
        return None
    return (
        f"{root} is not a checkout of bigcommerce-refunds (no {', '.join(missing)}). "
        "`spec sync` rewrites a checkout's openapi/ and generated/: run it from the root of a "
        "clone (git clone, then `make install`), or pass --root; it also needs the spec "
        "pipeline's tools (make install, or pip install 'bigcommerce-refunds[spec]' plus "
        "openapi-python-client for the regeneration)"
    )


def main(argv: list[str]) -> int:
    """Entry point of ``bigcommerce-refunds spec`` (and ``scripts/sync_spec.py``)."""
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:
        return EXIT_OK if exit_.code == 0 else EXIT_USAGE
    if args.command == "sync":
        problem = _not_a_checkout(args.root)
        if problem is not None:
            print(f"spec sync: {problem}", file=sys.stderr)
            return EXIT_USAGE
        return _sync(args)
    if args.command == "diff":
        return _diff(args)
    parser.print_help(sys.stderr)
    return EXIT_USAGE
