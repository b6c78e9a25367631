"""The suite: Schemathesis' cases per second against the sandbox and Prism, and the quick profile.

Schemathesis runs through its Python engine (the one its CLI drives) with one configuration for
every target: same fragment, seed, example budget, generation mode and checks (the conformance
suite's list, continue-on-failure, one worker). Only where requests go differs:

* the sandbox in-process (``schema.app``: Schemathesis' ASGI transport, no sockets);
* the sandbox over HTTP (``python -m bigcommerce_refunds.sandbox``, its own process);
* Prism over HTTP (``prism mock``, its own process), the baseline of the ratios.

Positive and negative mode are measured separately (negative cases against Prism include bodies
that are not JSON, which Prism never answers: those wait for the request timeout).

What makes the comparison fair (each point measured on 2026-12-01; the figures are in the README):

* **Same inputs in-process as over HTTP.** Given an app object, Schemathesis mines its Python
  source for literals and mixes them into generated values (``[analysis.constants]``, on by
  default). Only the in-process run has an app object, so it generated other cases than the HTTP
  runs and than ``make conformance`` (the CLI, over HTTP): 371 instead of 384 in one positive
  run, with strings such as ``SandboxH11Protocol`` in bodies. The analysis is off for every
  target (a no-op over HTTP); the in-process and HTTP runs now send the same requests.
* **No target pays the process's cold start.** The first run in a process imports the ASGI
  transport, starts its event-loop thread and fills Hypothesis' and Schemathesis' caches, and a
  fresh Prism compiles its hot paths: 3-16% of a positive run, always charged to the in-process
  run, which came first. Each run now starts with one unmeasured pass per target (same mode,
  ``WARM_UP_EXAMPLES`` examples per operation; the sandbox is reset afterwards and the
  in-process app is a new one), and the measured passes take the targets in an order rotated
  from run to run, so the drift of a shared machine does not fall on one target.
* **A case is a distinct generated request.** Schemathesis' own count ("cases counted by
  Schemathesis", its summary's number) includes the requests checks derive from a case: Prism
  does not enforce ``X-Auth-Token``, so ``ignored_auth`` sends two probes (no token, a wrong
  token) after each of its 2xx answers and fails; that makes 1,170 "cases" of 305 distinct
  ones. Probes are not cases. Neither is Hypothesis sending an input again in the same scenario:
  it re-runs failing explicit examples (Prism's Create Refund examples run twice), fuzzing draws
  some inputs twice, and against Prism the stateful links lead to the same mocked ids, so the
  same GET repeats. Counting repeats (the former "generated cases", still a figure) gives
  Prism 396 and the sandbox 384, and ratios about 12% lower.
* **Not equalised, by design.** Schemathesis adapts to the answers (links are followed from
  201s, fuzzing leans towards accepted inputs, 422s feed its error feedback), so the cases
  differ between the sandbox and Prism for the same budget; and Prism's failures cost
  Schemathesis time: the probes are ~40% of a positive run against Prism. That is what running
  the suite against Prism costs, so it stays in its wall time; were Prism to enforce auth, the
  positive ratio would be about 1.1-1.2x (see the README). The wall time for the same
  configuration is a figure too, with its ratio to Prism's: "same budget, how much sooner it
  finishes".
* **Case counts move with the code.** Hypothesis also mines literals, from every local module the
  process has loaded (the sandbox included), for every target alike; so the counts change when
  the sandbox's source changes, and differ from a process that loads other modules.

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
from schemathesis.engine.recorder import CaseNode, ScenarioRecorder

from bench.http_bench import FRAGMENT, PRISM, ensure_prism
from bench.procs import ROOT, Server, free_port, running
from bench.results import Results
from bigcommerce_refunds.sandbox import SandboxConfig, create_app
from conformance.schemathesis_run import CHECKS, POSITIVE_EXPECTED

SECTION = "Suite"
SEED = 20261128
PHASES_VERBOSE = bool(os.environ.get("BENCH_PHASES"))
TOKEN = "sandbox-token"
#: Examples per operation of the unmeasured pass each target gets before a run is measured.
WARM_UP_EXAMPLES = 2
IN_PROCESS, OVER_HTTP, PRISM_HTTP = "sandbox in-process", "sandbox over HTTP", "Prism over HTTP"
SANDBOX_ROOT = "http://localhost/stores/sandbox/v3"


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
        # Literals mined from an app's source: only an in-process run has an app, so this would
        # make it generate other cases than the HTTP runs (see the module docstring).
        "[analysis.constants]",
        "enabled = false",
        "[checks]",
        "enabled = false",
    ]
    for check in CHECKS:
        lines += [f"[checks.{check}]", "enabled = true"]
        if check == "positive_data_acceptance":
            lines.append(f"expected-statuses = {json.dumps(POSITIVE_EXPECTED)}")
        if check == "response_schema_conformance":
            lines.append("validate-formats = true")  # as the suite's config
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
    cases: int  # as Schemathesis counts them (its summary's "test cases": probes included)
    generated: int  # generated requests, an input sent again counted each time
    distinct: int  # generated requests, an input sent again in its scenario counted once
    seconds: float

    @property
    def rate(self) -> float:
        return self.distinct / self.seconds


def _is_generated(node: CaseNode) -> bool:
    # A check's probe hangs under the case it derives from; a stateful step hangs under the
    # previous step through a link (its transition).
    return node.parent_id is None or node.transition is not None


def _distinct_generated(recorder: ScenarioRecorder) -> int:
    """Generated requests of one scenario, an input sent again counted once."""
    # Case.__hash__ is the wire request (method, URL, headers, body), its test-case id header
    # neutralised: equal hashes are the same request sent again.
    return len({hash(node.value) for node in recorder.cases.values() if _is_generated(node)})


def run_schemathesis(
    base_url: str, mode: str, max_examples: int, timeout: int, app: Any = None
) -> EngineRun:
    """One engine run over all operations."""
    schema = schemathesis.openapi.from_path(
        str(FRAGMENT), config=_config(base_url, mode, max_examples, timeout)
    )
    if app is not None:
        schema.app = app
    recorders: list[ScenarioRecorder] = []
    started = time.perf_counter()
    phase_started = started
    phase_recorders: list[ScenarioRecorder] = []
    for event in schemathesis.engine.from_schema(schema).execute():
        if isinstance(event, events.ScenarioFinished):
            recorders.append(event.recorder)
            phase_recorders.append(event.recorder)
        elif isinstance(event, events.PhaseStarted):
            phase_started, phase_recorders = time.perf_counter(), []
        elif isinstance(event, events.PhaseFinished) and PHASES_VERBOSE:
            elapsed = time.perf_counter() - phase_started
            print(
                f"    {event.phase.name!s:<22} {sum(map(_distinct_generated, phase_recorders)):>5} "
                f"cases ({sum(len(r.cases) for r in phase_recorders)} counted by Schemathesis) "
                f"{elapsed:6.1f} s"
            )
        elif isinstance(event, events.FatalError):
            raise RuntimeError(f"Schemathesis stopped: {event.exception!r}")
    seconds = time.perf_counter() - started
    # Counted after the clock stopped: hashing a case prepares its request.
    return EngineRun(
        cases=sum(len(recorder.cases) for recorder in recorders),
        generated=sum(sum(map(_is_generated, recorder.cases.values())) for recorder in recorders),
        distinct=sum(map(_distinct_generated, recorders)),
        seconds=seconds,
    )


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


def _run_target(
    label: str, servers: dict[str, Server], mode: str, max_examples: int, timeout: int
) -> EngineRun:
    """One engine run against a target in a fresh state (a new app, or the sandbox reset)."""
    if label == IN_PROCESS:
        app = create_app(SandboxConfig(rate_limit_quota=10**9))
        return run_schemathesis(SANDBOX_ROOT, mode, max_examples, timeout, app)
    if label == OVER_HTTP:
        _reset(servers["sandbox"])
        return run_schemathesis(
            f"{servers['sandbox'].root}/stores/sandbox/v3", mode, max_examples, timeout
        )
    return run_schemathesis(servers["prism"].root, mode, max_examples, timeout)


def measure_schemathesis(
    results: Results, *, runs: int, max_examples: int, timeout: int, with_prism: bool, log_dir: Path
) -> None:
    prism = with_prism and ensure_prism(results)
    labels = [IN_PROCESS, OVER_HTTP, *([PRISM_HTTP] if prism else [])]
    for mode in ("positive", "negative"):
        for run in range(1, runs + 1):
            # Fresh servers per run: Prism may not survive a run (see the README).
            with _servers(log_dir, prism) as servers:
                for label in labels:  # the warm-up pass, not measured
                    _run_target(label, servers, mode, WARM_UP_EXAMPLES, timeout)
                shift = (run - 1) % len(labels)
                measured: dict[str, EngineRun] = {}
                for label in labels[shift:] + labels[:shift]:
                    measured[label] = _run_target(label, servers, mode, max_examples, timeout)
                    if label == PRISM_HTTP and not servers["prism"].alive():
                        results.note(
                            f"Prism died during the {mode} run {run}; the cases after that "
                            "failed fast with connection errors"
                        )
            peer = measured.get(PRISM_HTTP)
            for label in labels:
                engine = measured[label]
                print(
                    f"  Schemathesis {mode:<8} run {run}  {label:<20} {engine.distinct:>5} "
                    f"distinct generated cases ({engine.generated} with repeats, {engine.cases} "
                    f"counted by Schemathesis) in {engine.seconds:6.1f} s = "
                    f"{engine.rate:7.1f} cases/s",
                    flush=True,
                )
                is_peer = label == PRISM_HTTP
                baseline = None if is_peer else PRISM_HTTP
                results.figure(SECTION, f"Schemathesis {mode}: {label}", "cases/s", baseline).add(
                    engine.rate, peer.rate if peer and not is_peer else None
                )
                results.figure(
                    SECTION, f"Schemathesis {mode}: {label}, wall time", "s", baseline
                ).add(engine.seconds, peer.seconds if peer and not is_peer else None)
                results.figure(
                    SECTION, f"Schemathesis {mode}: {label}, distinct generated cases", "cases"
                ).add(engine.distinct)
                results.figure(
                    SECTION, f"Schemathesis {mode}: {label}, generated cases (repeats)", "cases"
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
                [sys.executable, "-m", "conformance"],  # what make conformance runs
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
