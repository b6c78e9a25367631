"""pytest plugin: the console summary and, for each failure, a reproducible artifact.

The summary counts every case the suite ran, per source (Schemathesis or the domain tests),
operation, request variant and status class. A failing test leaves
``reports/conformance/failures/<test>.txt`` with the requests it sent as curl commands (token as
``$TOKEN``) and the Hypothesis reproduction line from its report.
"""

from __future__ import annotations

import os
import re
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest

from conformance import session
from conformance.recorder import RECORDER

ROOT = Path(__file__).resolve().parents[1]
REPORTS = Path(os.environ.get("CONFORMANCE_REPORTS", ROOT / "reports" / "conformance"))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    outcome = yield
    report: pytest.TestReport = outcome.get_result()
    if report.when != "call" or not report.failed:
        return
    failures = REPORTS / "failures"
    failures.mkdir(parents=True, exist_ok=True)
    name = re.sub(r"[^A-Za-z0-9_.-]+", "_", item.nodeid)
    text = report.longreprtext
    seeds = [
        line.strip()
        for line in text.splitlines()
        if "reproduce_failure" in line or "@seed" in line or "st replay" in line
    ]
    lines = [
        f"# {item.nodeid}",
        "",
        "## Hypothesis",
        *(seeds or ["(no Hypothesis seed: not a property test)"]),
        "",
    ]
    lines += ["## Requests (oldest first; export TOKEN=... to replay)", ""]
    lines += [exchange.as_curl() for exchange in RECORDER.current] or ["(no requests recorded)"]
    lines += ["", "## Failure", "", text]
    (failures / f"{name}.txt").write_text("\n".join(lines), encoding="utf-8")
    report.sections.append(("conformance artifact", str(failures / f"{name}.txt")))


def pytest_terminal_summary(terminalreporter: Any) -> None:
    counts = RECORDER.counts
    run = session.ACTIVE
    if not counts and run is None:
        return
    write = terminalreporter.write_line
    terminalreporter.section("conformance summary")
    if run is not None:
        # What was tested, with what: the same facts the JUnit file carries as properties.
        for name, value in run.facts.items():
            write(f"{name + ':':<29}{value}")
        traffic = run.chokepoint.traffic
        if run.budget is not None:
            write(
                f"{'requests sent:':<29}{run.budget.admitted} (budget {run.budget.limit}; "
                f"{traffic.sent} with the control API's)"
            )
        else:
            write(f"{'requests sent:':<29}{traffic.sent}")
    by_operation: dict[tuple[str, str, str], dict[str, int]] = defaultdict(dict)
    for (source, operation, variant, status), n in sorted(counts.items()):
        by_operation[(source, operation, variant)][status] = n
    write(f"{'source':<13} {'operation':<25} {'variant':<15} {'cases':>7}  statuses")
    for (source, operation, variant), statuses in sorted(by_operation.items()):
        total = sum(statuses.values())
        detail = ", ".join(f"{status}: {n}" for status, n in sorted(statuses.items()))
        write(f"{source:<13} {operation:<25} {variant:<15} {total:>7}  {detail}")
    write(f"total cases: {RECORDER.total()}")
    write(f"reports: {REPORTS}")
