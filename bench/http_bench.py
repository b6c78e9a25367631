"""The sandbox over HTTP, side by side with the fixed-body ceiling and Prism, in one run.

Servers (all started once, measured interleaved, stopped at the end):

* ``sandbox``: ``python -m bigcommerce_refunds.sandbox`` with ``--fast`` (httptools on uvloop,
  the default where installed) and with ``--h11`` (h11 on asyncio, the pure-Python fallback);
  ``--log-level warning`` (no access log) and a rate limit high enough never to answer 429, as
  the conformance suite does;
* ``ceiling``: :mod:`bench.ceiling_app` under the very same uvicorn settings, h11 and fast;
* ``prism``: ``prism mock -v error`` on the same fragment (openapi/refunds.yaml).

Scenarios: (a) a valid Items Refund POST answered 201 (on an order seeded through the control API
with enough stock for every run), (b) a body the schema rejects, answered 422, (c) GET a refund by
id. The ceiling answers its fixed body to all three.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx

from bench.load import LoadResult, Request, run_load, wrk_path
from bench.procs import ROOT, Server, free_port, running
from bench.results import Results
from bigcommerce_refunds.sandbox.served import fast_available

PRISM_VERSION = "5.16.0"
#: The peer the ratios are taken against: Prism at its fastest (no logging at all).
PEER = "Prism (-v silent)"
NODE_DIR = ROOT / "bench" / ".node"
PRISM = NODE_DIR / "node_modules" / ".bin" / "prism"
FRAGMENT = ROOT / "openapi" / "refunds.yaml"
TOKEN = "sandbox-token"
SECTION = "Sandbox over HTTP"
BENCH_UNITS = 10**8  # refundable units of the seeded product: more than any run can use


@dataclass(frozen=True)
class Scenario:
    key: str
    title: str
    expected: int  # the status the sandbox and Prism must answer


SCENARIOS = (
    Scenario("refund_201", "valid refund POST (201)", 201),
    Scenario("invalid_422", "invalid body (422)", 422),
    Scenario("get_by_id", "GET refund by id (200)", 200),
)

VALID_BODY = {
    "items": [{"item_type": "PRODUCT", "item_id": 0, "quantity": 1, "reason": "Arrived cracked"}],
    "payments": [{"provider_id": "braintree", "amount": Decimal("1.00"), "offline": False}],
}
INVALID_BODY = {
    "items": [{"item_type": "PRODUCT", "item_id": 201, "quantity": "one"}],
    "payments": [{"provider_id": "braintree", "amount": Decimal("96.34")}],
}


def _json(body: Any) -> bytes:
    return (
        json.dumps(body, default=str, separators=(",", ":"))
        .replace('"1.00"', "1.00")
        .replace('"96.34"', "96.34")
        .encode()
    )


@dataclass
class Target:
    """A server under test and the requests that make up each scenario on it."""

    label: str
    server: Server
    requests: dict[str, Request]
    kind: str  # sandbox | ceiling | prism
    fast: bool = False
    order_id: int | None = None
    product_id: int | None = None


def ensure_prism(results: Results) -> bool:
    """Install Prism into bench/.node with npm when it is missing; False when it cannot be had."""
    if PRISM.exists():
        return True
    npm = shutil.which("npm")
    if npm is None:
        results.note("Prism: not measured: npm is not installed (apt-get install npm)")
        return False
    print(f"installing @stoplight/prism-cli@{PRISM_VERSION} into {NODE_DIR} (npm) ...", flush=True)
    completed = subprocess.run(
        [
            npm,
            "install",
            "--prefix",
            str(NODE_DIR),
            "--no-audit",
            "--no-fund",
            f"@stoplight/prism-cli@{PRISM_VERSION}",
        ],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if completed.returncode != 0 or not PRISM.exists():
        results.note(f"Prism: not measured: npm install failed: {completed.stderr[-500:]}")
        return False
    return True


def prism_version() -> str:
    completed = subprocess.run(
        [str(PRISM), "--version"], capture_output=True, text=True, timeout=60, check=False
    )
    return completed.stdout.strip() or "?"


def ensure_wrk(results: Results) -> None:
    """Install wrk from Debian's packages when missing and allowed; otherwise say what is used."""
    if wrk_path() is not None:
        return
    apt = shutil.which("apt-get")
    if apt is not None and os.geteuid() == 0:
        print("wrk is missing: apt-get install -y wrk ...", flush=True)
        install = [apt, "install", "-y", "-qq", "wrk"]
        if subprocess.run(install, timeout=600, check=False).returncode != 0:
            print("... after apt-get update", flush=True)
            subprocess.run([apt, "update", "-qq"], timeout=600, check=False)
            subprocess.run(install, timeout=600, check=False)
    if wrk_path() is None:
        results.note(
            "wrk is not installed (apt-get install wrk): HTTP figures come from the Python "
            "asyncio fallback load generator, which is itself a bottleneck on 2 cores; "
            "ratios stay comparable, absolute figures do not"
        )


def _headers(body: bool) -> dict[str, str]:
    headers = {"Accept": "application/json", "X-Auth-Token": TOKEN}
    if body:
        headers["Content-Type"] = "application/json"
    return headers


def _seed_order(client: httpx.Client) -> tuple[int, int]:
    """An order with BENCH_UNITS units at 1.00, paid by braintree: (order id, product id)."""
    description = {
        "customer_id": 42,
        "tax_inclusive": False,
        "paid": True,
        "currency_code": "USD",
        "products": [
            {"name": "Bench widget", "quantity": BENCH_UNITS, "unit_price": 1, "unit_tax": 0}
        ],
        "payments": [{"provider_id": "braintree", "provider_description": "Braintree"}],
    }
    response = client.post("/__sandbox/orders", json=description)
    response.raise_for_status()
    order = response.json()["data"]
    return int(order["id"]), int(order["products"][0]["id"])


def sandbox_target(label: str, server: Server, fast: bool) -> Target:
    base = f"{server.root}/stores/sandbox/v3"
    with httpx.Client(base_url=server.root, headers={"X-Auth-Token": TOKEN}, timeout=10) as client:
        order_id, product_id = _seed_order(client)
        body = json.loads(json.dumps(VALID_BODY, default=str))
        body["items"][0]["item_id"] = product_id
        valid = _json(body)
        created = client.post(
            f"{base}/orders/{order_id}/payment_actions/refunds",
            content=valid,
            headers=_headers(True),
        )
        if created.status_code != 201:
            raise RuntimeError(f"{label}: the seeded refund was answered {created.status_code}")
        refund_id = created.json()["data"]["id"]
    return Target(
        label,
        server,
        {
            "refund_201": Request(
                "POST", f"{base}/orders/{order_id}/payment_actions/refunds", _headers(True), valid
            ),
            "invalid_422": Request(
                "POST",
                f"{base}/orders/100/payment_actions/refunds",
                _headers(True),
                _json(INVALID_BODY),
            ),
            "get_by_id": Request(
                "GET", f"{base}/orders/payment_actions/refunds/{refund_id}", _headers(False)
            ),
        },
        "sandbox",
        fast,
        order_id,
        product_id,
    )


def prism_target(label: str, server: Server) -> Target:
    body = json.loads(json.dumps(VALID_BODY, default=str))
    body["items"][0]["item_id"] = 201
    root = server.root
    return Target(
        label,
        server,
        {
            "refund_201": Request(
                "POST", f"{root}/orders/100/payment_actions/refunds", _headers(True), _json(body)
            ),
            "invalid_422": Request(
                "POST",
                f"{root}/orders/100/payment_actions/refunds",
                _headers(True),
                _json(INVALID_BODY),
            ),
            "get_by_id": Request(
                "GET", f"{root}/orders/payment_actions/refunds/1002", _headers(False)
            ),
        },
        "prism",
    )


def ceiling_target(label: str, server: Server, fast: bool) -> Target:
    base = f"{server.root}/stores/sandbox/v3"
    body = _json(INVALID_BODY)
    return Target(
        label,
        server,
        {
            "refund_201": Request(
                "POST", f"{base}/orders/100/payment_actions/refunds", _headers(True), body
            ),
            "invalid_422": Request(
                "POST", f"{base}/orders/100/payment_actions/refunds", _headers(True), body
            ),
            "get_by_id": Request(
                "GET", f"{base}/orders/payment_actions/refunds/1002", _headers(False)
            ),
        },
        "ceiling",
        fast,
    )


def _preflight(target: Target, scenario: Scenario) -> tuple[int, int]:
    """(status, body bytes) of one request of the scenario."""
    request = target.requests[scenario.key]
    response = httpx.request(
        request.method, request.url, headers=request.headers, content=request.body, timeout=10
    )
    return response.status_code, len(response.content)


def _refunded_units(target: Target) -> int:
    response = httpx.get(
        f"{target.server.root}/__sandbox/orders/{target.order_id}",
        headers={"X-Auth-Token": TOKEN},
        timeout=30,
    )
    response.raise_for_status()
    return int(response.json()["data"]["products"][0]["refunded_quantity"])


def measure(
    results: Results,
    *,
    runs: int,
    duration: int,
    threads: int,
    connections: int,
    with_prism: bool,
    log_dir: Path,
    baseline_src: Path | None = None,
) -> None:
    """Measure every scenario on every server, interleaved run by run.

    ``baseline_src``: a source tree of the project (e.g. an older commit, ``git archive``-d into a
    directory) whose sandbox is served too, as ``sandbox@base``, with its ``src/`` first on
    ``PYTHONPATH``: a before/after comparison measured in the same run, under the same load.
    """
    ensure_wrk(results)
    python = sys.executable
    sandbox_argv = [
        python,
        "-m",
        "bigcommerce_refunds.sandbox",
        "--log-level",
        "warning",
        "--rate-limit",
        "1000000000",
    ]
    ceiling_argv = [python, "-m", "bench.ceiling_app"]
    fast = fast_available()
    if not fast:
        results.note(
            "fast server setting: not measured: uvloop/httptools are not installed "
            "(make install, or pip install 'bigcommerce-refunds[fast]')"
        )
    prism = with_prism and ensure_prism(results)
    if not with_prism:
        results.note("Prism: not measured: --no-prism")
    plans: list[tuple[str, list[str], Callable[[Server], Target], dict[str, str] | None]] = []
    settings = [("h11", False)] + ([("fast", True)] if fast else [])
    base_env = None
    if baseline_src is not None:
        base_env = {"PYTHONPATH": str((baseline_src / "src").resolve())}
        results.note(
            f"`sandbox@base`: the sandbox of {baseline_src} (its src/ first on PYTHONPATH), "
            "served and measured in the same run as the current code"
        )
    for setting, is_fast in settings:
        extra = ["--fast"] if is_fast else ["--h11"]
        plans.append(
            (
                f"sandbox ({setting})",
                [*sandbox_argv, *extra],
                _builder(sandbox_target, setting),
                None,
            )
        )
        if base_env is not None:
            label = f"sandbox@base ({setting})"
            plans.append(
                (
                    label,
                    [*sandbox_argv, *_base_flags(baseline_src, is_fast)],
                    functools.partial(_labelled_sandbox, label, is_fast),
                    base_env,
                )
            )
        plans.append(
            (
                f"ceiling ({setting})",
                [*ceiling_argv, *(["--fast"] if is_fast else [])],
                _builder(ceiling_target, setting),
                None,
            )
        )
    if prism:
        results.note(
            f"Prism {prism_version()} on Node {_node_version()}: `{PEER}` (no logging; the "
            "baseline of the ratios) and `Prism (-v error)` (as in the issue; it still logs "
            "every response, since the mocked answers lack the declared rate-limit headers)"
        )
        for level in ("silent", "error"):
            label = f"Prism (-v {level})"
            plans.append(
                (
                    label,
                    [str(PRISM), "mock", "-v", level, "-h", "127.0.0.1"],
                    functools.partial(prism_target, label),
                    None,
                )
            )
    with contextlib.ExitStack() as stack:
        targets: list[Target] = []
        for name, argv, build, env in plans:
            port = free_port()
            full = (
                [*argv, "--port", str(port)]
                if not name.startswith("Prism")
                else [*argv, "-p", str(port), str(FRAGMENT)]
            )
            server = stack.enter_context(running(name, full, port, log_dir, env))
            targets.append(build(server))
        for target in targets:
            for scenario in SCENARIOS:
                status, size = _preflight(target, scenario)
                expected = scenario.expected if target.kind != "ceiling" else status
                flag = "" if status == expected else f"  UNEXPECTED (wanted {scenario.expected})"
                print(f"  {target.label:<16} {scenario.title:<26} -> {status}, {size} B{flag}")
                if flag:
                    results.note(
                        f"{target.label}: {scenario.title} answered {status}, not "
                        f"{scenario.expected}"
                    )
        for run in range(1, runs + 1):
            for scenario in SCENARIOS:
                measured: dict[str, LoadResult] = {}
                for target in targets:
                    if not target.server.alive():
                        results.note(f"{target.label}: not measured in run {run}: it died")
                        continue
                    before = (
                        _refunded_units(target)
                        if (target.kind == "sandbox" and scenario.key == "refund_201")
                        else None
                    )
                    result = run_load(
                        target.requests[scenario.key],
                        threads=threads,
                        connections=connections,
                        duration=duration,
                    )
                    measured[target.label] = result
                    check = ""
                    if before is not None:
                        created = _refunded_units(target) - before
                        check = f", ledger +{created}"
                        if abs(created - result.requests) > connections or result.non_2xx:
                            results.note(
                                f"{target.label}: run {run}: {result.requests} requests "
                                f"but {created} refunds recorded"
                            )
                    print(
                        f"  run {run} {scenario.title:<26} {target.label:<16} "
                        f"{result.rps:>9.0f} req/s  p50 {result.p50_ms:6.2f} ms  "
                        f"p99 {result.p99_ms:6.2f} ms  non-2xx {result.non_2xx}  "
                        f"errors {result.socket_errors}{check}  [{result.tool}]",
                        flush=True,
                    )
                _record(results, scenario, measured)


def _base_flags(baseline_src: Path | None, fast: bool) -> list[str]:
    """The server flag for the baseline tree's launcher: before ``--h11`` existed, h11 was the
    default (and the flag would be refused)."""
    if fast:
        return ["--fast"]
    launcher = (baseline_src or Path()) / "src/bigcommerce_refunds/sandbox/launcher.py"
    knows_h11 = launcher.is_file() and '"--h11"' in launcher.read_text(encoding="utf-8")
    return ["--h11"] if knows_h11 else []


def _labelled_sandbox(label: str, fast: bool, server: Server) -> Target:
    return sandbox_target(label, server, fast)


def _builder(
    build: Callable[[str, Server, bool], Target], setting: str
) -> Callable[[Server], Target]:
    kind = "sandbox" if build is sandbox_target else "ceiling"
    return lambda server: build(f"{kind} ({setting})", server, setting == "fast")


def _node_version() -> str:
    node = shutil.which("node")
    if node is None:
        return "?"
    return subprocess.run(
        [node, "--version"], capture_output=True, text=True, timeout=30, check=False
    ).stdout.strip()


def _record(results: Results, scenario: Scenario, measured: dict[str, LoadResult]) -> None:
    """Throughput against the ceiling (same settings) and Prism; p50/p99 against the ceiling's."""
    for label, result in measured.items():
        setting = label.split("(")[-1].rstrip(")") if "(" in label else ""
        ceiling = measured.get(f"ceiling ({setting})") if label.startswith("sandbox") else None
        prism = measured.get(PEER)
        name = f"{scenario.title}: {label}"
        if label.startswith("sandbox"):
            results.figure(
                SECTION, f"{name}, req/s vs ceiling", "req/s", f"ceiling ({setting})"
            ).add(result.rps, ceiling.rps if ceiling else None)
            if prism is not None:
                results.figure(SECTION, f"{name}, req/s vs Prism", "req/s", PEER).add(
                    result.rps, prism.rps
                )
        else:
            results.figure(SECTION, f"{name}, req/s", "req/s").add(result.rps)
        results.figure(SECTION, f"{name}, p50", "ms").add(result.p50_ms)
        results.figure(SECTION, f"{name}, p99", "ms").add(result.p99_ms)
