"""The suite: Schemathesis' cases per second against the sandbox and Prism, and the quick profile.

Schemathesis runs through its Python engine (the one its CLI drives) with one configuration for
every target: same fragment, seed, example budget, generation mode and checks (the conformance
suite's list, continue-on-failure, one worker). Only where requests go differs:

* the sandbox in-process (``schema.app``: Schemathesis' ASGI transport, no sockets);
* the sandbox over HTTP (``python -m bigcommerce_refunds.sandbox``, its own process);
* Prism over HTTP (``prism mock``, its own process), the baseline of the ratios.

Positive and negative mode are measured separately (negative cases against Prism include bodies
that are not JSON, which Prism never answers: those wait for the request timeout).

The quick profile is ``make conformance``'s default: the whole suite (Schemathesis CLI,
Hypothesis properties, state machine, auth) against the embedded sandbox; its wall time and the
case count from its summary line.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import schemathesis
from schemathesis.config import SchemathesisConfig
from schemathesis.engine import events

from bench.http_bench import FRAGMENT, PRISM, ensure_prism
from bench.procs import ROOT, Server, free_port, running
from bench.results import Results
from bigcommerce_refunds.sandbox import SandboxConfig, create_app
from conformance.schemathesis_run import CHECKS, POSITIVE_EXPECTED

SECTION = "Suite"
SEED = 20261128
PHASES_VERBOSE = bool(os.environ.get("BENCH_PHASES"))
TOKEN = "sandbox-token"


def _config(base_url: str, mode: str, max_examples: int, timeout: int) -> SchemathesisConfig:
    lines = [
        f'base-url = "{base_url}"',
        "continue-on-failure = true",
        "workers = 1",
        f"request-timeout = {timeout}",
        f"seed = {SEED}",
        f'headers = {{ "X-Auth-Token" = "{TOKEN}" }}',
        "[generation]",
        f'mode = "{mode}"',
        f"max-examples = {max_examples}",
        "deterministic = true",
        'database = "none"',
        "[checks]",
        "enabled = false",
    ]
    for check in CHECKS:
        lines += [f"[checks.{check}]", "enabled = true"]
        if check == "positive_data_acceptance":
            lines.append(f"expected-statuses = {json.dumps(POSITIVE_EXPECTED)}")
    # The sandbox's seeded order and item ids, as the suite's dictionaries use them.
    lines += [
        "[dictionaries.order_ids]",
        "values = [100, 101, 102, 103, 104, 105, 106, 107]",
        "[dictionaries.item_ids]",
        "values = [100, 201, 202, 203, 301, 302, 401, 211, 212, 311, 411, 221, 222, 321]",
        "[parameters]",
        '"path.order_id" = { dictionary = "order_ids", probability = 0.6 }',
        '"body.items.item_id" = { dictionary = "item_ids", probability = 0.6 }',
    ]
    return SchemathesisConfig.from_str("\n".join(lines) + "\n")


@dataclass(frozen=True)
class EngineRun:
    cases: int  # as Schemathesis counts them (its summary's "test cases")
    generated: int  # without the requests checks derive from a case (auth probes, replays)
    seconds: float

    @property
    def rate(self) -> float:
        return self.generated / self.seconds


def run_schemathesis(
    base_url: str, mode: str, max_examples: int, timeout: int, app: Any = None
) -> EngineRun:
    """One engine run over all operations."""
    schema = schemathesis.openapi.from_path(
        str(FRAGMENT), config=_config(base_url, mode, max_examples, timeout)
    )
    if app is not None:
        schema.app = app
    cases = generated = 0
    started = time.perf_counter()
    phase_started = started
    phase_cases = 0
    for event in schemathesis.engine.from_schema(schema).execute():
        if isinstance(event, events.ScenarioFinished):
            nodes = event.recorder.cases.values()
            cases += len(nodes)
            phase_cases += len(nodes)
            generated += sum(1 for n in nodes if n.parent_id is None or n.transition is not None)
        elif isinstance(event, events.PhaseStarted):
            phase_started, phase_cases = time.perf_counter(), 0
        elif isinstance(event, events.PhaseFinished) and PHASES_VERBOSE:
            print(
                f"    {event.phase.name!s:<22} {phase_cases:>5} cases "
                f"{time.perf_counter() - phase_started:6.1f} s"
            )
        elif isinstance(event, events.FatalError):
            raise RuntimeError(f"Schemathesis stopped: {event.exception!r}")
    return EngineRun(cases, generated, time.perf_counter() - started)


@contextlib.contextmanager
def _servers(log_dir: Path, with_prism: bool) -> Iterator[dict[str, Server]]:
    with contextlib.ExitStack() as stack:
        servers: dict[str, Server] = {}
        port = free_port()
        servers["sandbox"] = stack.enter_context(
            running(
                "suite sandbox",
                [
                    sys.executable,
                    "-m",
                    "bigcommerce_refunds.sandbox",
                    "--log-level",
                    "warning",
                    "--rate-limit",
                    "1000000000",
                    "--port",
                    str(port),
                ],
                port,
                log_dir,
            )
        )
        if with_prism:
            port = free_port()
            servers["prism"] = stack.enter_context(
                running(
                    "suite prism",
                    [
                        str(PRISM),
                        "mock",
                        "-v",
                        "silent",
                        "-h",
                        "127.0.0.1",
                        "-p",
                        str(port),
                        str(FRAGMENT),
                    ],
                    port,
                    log_dir,
                )
            )
        yield servers


def _reset(server: Server) -> None:
    httpx.post(
        f"{server.root}/__sandbox/reset", headers={"X-Auth-Token": TOKEN}, timeout=30
    ).raise_for_status()


def measure_schemathesis(
    results: Results, *, runs: int, max_examples: int, timeout: int, with_prism: bool, log_dir: Path
) -> None:
    prism = with_prism and ensure_prism(results)
    for mode in ("positive", "negative"):
        for run in range(1, runs + 1):
            # Fresh servers per run: Prism may not survive a run (see the README).
            with _servers(log_dir, prism) as servers:
                measured: dict[str, EngineRun] = {}
                app = create_app(SandboxConfig(rate_limit_quota=10**9))
                measured["sandbox in-process"] = run_schemathesis(
                    "http://localhost/stores/sandbox/v3", mode, max_examples, timeout, app
                )
                _reset(servers["sandbox"])
                measured["sandbox over HTTP"] = run_schemathesis(
                    f"{servers['sandbox'].root}/stores/sandbox/v3", mode, max_examples, timeout
                )
                if "prism" in servers:
                    measured["Prism over HTTP"] = run_schemathesis(
                        servers["prism"].root, mode, max_examples, timeout
                    )
                    if not servers["prism"].alive():
                        results.note(
                            f"Prism died during the {mode} run {run}; the cases after that "
                            "failed fast with connection errors"
                        )
            peer = measured.get("Prism over HTTP")
            for label, engine in measured.items():
                print(
                    f"  Schemathesis {mode:<8} run {run}  {label:<20} {engine.generated:>5} "
                    f"generated cases ({engine.cases} counted by Schemathesis) in "
                    f"{engine.seconds:6.1f} s = {engine.rate:7.1f} cases/s",
                    flush=True,
                )
                is_peer = label.startswith("Prism")
                baseline = None if is_peer else "Prism over HTTP"
                results.figure(SECTION, f"Schemathesis {mode}: {label}", "cases/s", baseline).add(
                    engine.rate, peer.rate if peer and not is_peer else None
                )
                results.figure(
                    SECTION, f"Schemathesis {mode}: {label}, wall time", "s", baseline
                ).add(engine.seconds, peer.seconds if peer and not is_peer else None)
                results.figure(
                    SECTION, f"Schemathesis {mode}: {label}, generated cases", "cases"
                ).add(engine.generated)
                results.figure(
                    SECTION, f"Schemathesis {mode}: {label}, cases counted by Schemathesis", "cases"
                ).add(engine.cases)
    if not prism:
        results.note("Schemathesis against Prism: not measured (see above); no ratio")


_TOTAL = re.compile(r"^total cases: (\d+)", re.MULTILINE)
_OUTCOME = re.compile(r"^=+ (.*(?:passed|failed).*) in ", re.MULTILINE)


def measure_quick_profile(results: Results, *, runs: int) -> None:
    """``make conformance`` (quick profile, embedded sandbox): wall time and cases."""
    for run in range(1, runs + 1):
        with tempfile.TemporaryDirectory(prefix="bench-conformance-") as reports:
            env = {
                **os.environ,
                "CONFORMANCE_PROFILE": "quick",
                "CONFORMANCE_REPORTS": reports,
                "CONFORMANCE_TARGET": "",
                "CONFORMANCE_TOKEN": "",
            }
            started = time.perf_counter()
            completed = subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "pytest",
                    "conformance",
                    "-p",
                    "no:cacheprovider",
                    f"--junitxml={reports}/junit.xml",
                ],
                cwd=ROOT,
                env=env,
                capture_output=True,
                text=True,
                timeout=1800,
                check=False,
            )
            seconds = time.perf_counter() - started
        output = completed.stdout + completed.stderr
        total = _TOTAL.search(output)
        outcome = _OUTCOME.search(output)
        if total is None:
            results.note(
                f"quick profile run {run}: no case count in its output "
                f"(exit {completed.returncode}):\n{output[-3000:]}"
            )
            continue
        cases = int(total.group(1))
        verdict = outcome.group(1) if outcome else f"exit {completed.returncode}"
        print(
            f"  quick profile run {run}: {cases} cases in {seconds:.1f} s ({verdict})", flush=True
        )
        if completed.returncode != 0:
            results.note(f"quick profile run {run} did not pass ({verdict})")
        results.figure(SECTION, "quick profile (make conformance): wall time", "s").add(seconds)
        results.figure(SECTION, "quick profile (make conformance): cases", "cases").add(cases)
        results.figure(SECTION, "quick profile (make conformance): cases/s", "cases/s").add(
            cases / seconds
        )
