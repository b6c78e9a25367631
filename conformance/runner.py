"""Run the conformance suite: choose the target, preflight it, run pytest, return an exit code.

``make conformance`` calls this (``python -m conformance``); so will issue 14's installed command.
Everything a user chooses arrives in the environment (``CONFORMANCE_TARGET``, ``CONFORMANCE_TOKEN``,
``CONFORMANCE_PROFILE``, ...; see ``conformance/target.py``), never tokens on a command line.
Arguments after the known options go to pytest unchanged (e.g. ``-x``, ``-k auth``).

Exit codes: ``conformance.outcome`` (0 conforms, 1 does not conform, 2 configuration error,
3 target unreachable).
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import os
import shutil
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TextIO

import pytest

from conformance import outcome
from conformance.outcome import ConfigurationError, RunAbortedError
from conformance.progress import Progress, terminal_stream
from conformance.session import Run, open_run

__all__ = ["main", "pytest_exit_to_outcome"]

ROOT = Path(__file__).resolve().parents[1]


def pytest_exit_to_outcome(code: int) -> int:
    """pytest's exit code, as one of the suite's documented codes."""
    if code == pytest.ExitCode.OK:
        return outcome.CONFORMS
    if code == pytest.ExitCode.TESTS_FAILED:
        return outcome.DOES_NOT_CONFORM
    # Interrupted, internal error, usage error, no tests collected: the run itself went wrong.
    return outcome.CONFIGURATION_ERROR


@contextlib.contextmanager
def _exclusive(reports: Path) -> Iterator[None]:
    """One run per reports directory: two would interleave their cassettes and JUnit files."""
    reports.mkdir(parents=True, exist_ok=True)
    with (reports / ".lock").open("w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise ConfigurationError(
                f"another conformance run is writing to {reports}; wait for it, or give this "
                "run its own directory (CONFORMANCE_REPORTS=...)"
            ) from None
        yield


def _header(run: Run) -> str:
    facts = run.facts
    return (
        f"conformance: {facts['target_kind']} target {facts['base_url']} "
        f"(control API: {facts['control_api']}), profile {facts['profile']}, "
        f"seed {facts['seed']}, request budget {facts['request_budget']}"
    )


def _footer(run: Run) -> str:
    traffic = run.chokepoint.traffic
    line = f"conformance: {traffic.sent} requests sent to the target"
    if run.budget is not None:
        line += f" ({run.budget.admitted} to the API, budget {run.budget.limit})"
    if traffic.retried_429:
        line += f"; {traffic.retried_429} answered 429 and were resent after the reset"
    if run.chokepoint.governor.waited_s >= 1:
        line += f"; waited {run.chokepoint.governor.waited_s:.0f} s for the quota"
    if traffic.refused:
        line += f"; {len(traffic.refused)} refused: {traffic.refused[0]}"
    lines = [line]
    guard = run.money_guard
    if guard is not None:
        if not guard.allowed:
            lines.append(
                "conformance: live store without CONFORMANCE_ALLOW_REFUNDS=1: no refund request "
                "reached the store"
            )
        else:
            lines.append(
                f"conformance: refunds created on the live store: {len(guard.created)}, "
                f"{guard.committed} of CONFORMANCE_REFUND_CAP={guard.cap}"
            )
            for made in guard.created:
                what = f"refund {made.refund_id}" if made.refund_id is not None else "a refund"
                doubt = " (answer lost: may or may not exist; check the order)" * made.in_doubt
                lines.append(f"  order {made.order_id}: {what}, {made.amount}{doubt}")
    source = run.store_orders
    if source is not None and source.problem is not None:
        lines.append(f"conformance: the store's orders could not be read: {source.problem}")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None, *, stderr: TextIO | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m conformance",
        description="Run the conformance suite against the target the environment names.",
    )
    parser.add_argument(
        "--reports",
        type=Path,
        default=Path(os.environ.get("CONFORMANCE_REPORTS", ROOT / "reports" / "conformance")),
        help="directory for the JUnit file, Schemathesis' reports and failure artifacts",
    )
    parser.add_argument(
        "--progress-interval", type=float, default=15.0, help="seconds between progress lines"
    )
    options, pytest_args = parser.parse_known_args(argv)
    err = stderr or sys.stderr
    reports: Path = options.reports.resolve()
    os.environ["CONFORMANCE_REPORTS"] = str(reports)
    try:
        with open_run() as run, _exclusive(reports):
            # Failure artifacts of an earlier run would read as this run's.
            shutil.rmtree(reports / "failures", ignore_errors=True)
            err.write(_header(run) + "\n")
            err.flush()
            args = [
                str(ROOT / "conformance"),
                "-p",
                "no:cacheprovider",
                f"--junitxml={reports / 'junit.xml'}",
                "--rootdir",
                str(ROOT),
                # The runner imported the sandbox (Starlette, anyio) before pytest: pytest cannot
                # rewrite asserts in those plugin modules any more, which is harmless here.
                "-W",
                "ignore::pytest.PytestAssertRewriteWarning",
                *pytest_args,
            ]
            with terminal_stream() as tty, Progress(run, tty, interval=options.progress_interval):
                code = pytest.main(args)
            err.write(_footer(run) + "\n")
    except RunAbortedError as error:
        err.write(f"conformance: {error}\n")
        return error.exit_code
    return pytest_exit_to_outcome(int(code))
