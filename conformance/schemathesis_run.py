"""Run Schemathesis (its own engine and CLI) over all five operations of a target.

Schemathesis' CLI runs every phase we want in one go — explicit examples, coverage (boundary and
near-boundary values), fuzzing in positive and negative mode, and stateful sequences through the
fragment's links — with continue-on-failure, seeds, JUnit and VCR cassettes (every failure is a
replayable request). The suite drives it as a subprocess with a generated config file, and registers
our domain checks through ``conformance.schemathesis_checks`` (``hooks``).

The token is never on a command line: the config says ``${CONFORMANCE_TOKEN}`` and the value is
passed in the child's environment.

Schemathesis reaches the target through a loopback proxy (``conformance.proxy``) in front of the
run's choke point, so its requests are paced, retried after 429s and reviewed by the same request
policies as the suite's own. Everything it writes (output, JUnit, cassette, crash files) is
rewritten to name the real target, and its ``st replay <case>`` hints are replaced by a command
that works as printed (config with the crash directory, the real URL, the token from ``$TOKEN``).
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import re
import shlex
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from bigcommerce_refunds.spec.fragment import fragment_path
from conformance.chokepoint import ChokePoint
from conformance.profiles import Profile
from conformance.proxy import LoopbackProxy, serve_proxy
from conformance.target import Target

__all__ = [
    "CHECKS",
    "DOMAIN_CHECKS",
    "FRAGMENT",
    "SchemathesisResult",
    "replay_command",
    "reproducible",
    "run_schemathesis",
    "safety_arguments",
    "write_config",
]

ROOT = Path(__file__).resolve().parents[1]
#: The fragment the sandbox serves: the checkout's, or the copy inside the installed package.
FRAGMENT = fragment_path()

#: Statuses a schema-valid request may legitimately get. Valid JSON can still name an order that
#: does not exist (404) or break a business rule (422: the documented refusal); the refund POST may
#: also meet the documented tax-service outage (503). Positive data acceptance is otherwise 2xx.
POSITIVE_EXPECTED = ["2xx", "404", "422"]

#: Statuses that reject a schema-violating request. Besides the usual 4xx of validation, a body
#: over the size limit is refused 413 before it is parsed (a deep run met one: a 70 KB quote
#: body), and a body in another media type 415; both are declared by the fragment.
NEGATIVE_EXPECTED = ["400", "401", "403", "404", "405", "406", "413", "415", "422"]

#: Checks that apply to this API (DESIGN.md / issue 4); `all` would add object-level authorization,
#: which needs two principals the API does not have.
CHECKS = [
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_schema_conformance",
    "response_headers_conformance",
    "negative_data_rejection",
    "positive_data_acceptance",
    "missing_required_header",
    "ignored_auth",
    "unsupported_method",
    "use_after_free",
    "ensure_resource_availability",
]

#: Our checks, registered by ``conformance.schemathesis_checks`` (the ``hooks`` setting). The
#: config turns every check off and then on by name, so a registered check that is not named
#: here never runs.
DOMAIN_CHECKS = [
    "refund_money_is_consistent",
    "quote_methods_add_up",
    "rate_limit_headers_are_consistent",
    "created_refund_reads_back",
]


#: Schemathesis' phases, in the order it runs them (and reports them finished).
ALL_PHASES = ("examples", "coverage", "fuzzing", "stateful")
_PHASE_DONE = re.compile(r"^\s*\S*\s*(Examples|Coverage|Fuzzing|Stateful) \(in [0-9.]+s\)")
_REPLAY_HINT = re.compile(r"st replay (?P<case>\S+)")


@dataclass(frozen=True)
class SchemathesisResult:
    returncode: int
    output: str
    report_dir: Path
    config_path: Path

    @property
    def junit(self) -> Path:
        return self.report_dir / "junit.xml"

    @property
    def cassette(self) -> Path:
        return self.report_dir / "cassette.yaml"


def _toml_value(value: Any) -> str:
    # json's encoding is valid TOML for strings, numbers, booleans and arrays of those.
    return json.dumps(value)


def _dictionaries(orders: Sequence[dict[str, Any]]) -> dict[str, list[int]]:
    order_ids: list[int] = []
    item_ids: list[int] = []
    for order in orders:
        order_ids.append(int(order["id"]))
        item_ids.append(int(order["id"]))  # ORDER items name the order itself
        for key in ("products", "addresses", "fees"):
            item_ids.extend(int(entry["id"]) for entry in order.get(key, []) if "id" in entry)
    return {"order_ids": sorted(set(order_ids)), "item_ids": sorted(set(item_ids))}


def write_config(
    target: Target,
    profile: Profile,
    report_dir: Path,
    orders: Sequence[dict[str, Any]],
    *,
    base_url: str | None = None,
    request_timeout: float = 10.0,
) -> Path:
    """Write the schemathesis.toml for this run; returns its path.

    ``base_url``: where Schemathesis sends its requests (the proxy's), default the target's.
    """
    report_dir.mkdir(parents=True, exist_ok=True)
    lines = [
        f"base-url = {_toml_value(base_url or target.base_url)}",
        "continue-on-failure = true",
        f"workers = {schemathesis_workers()}",
        f"request-timeout = {_toml_value(request_timeout)}",
        f"hooks = {_toml_value('conformance.schemathesis_checks')}",
        'headers = { "X-Auth-Token" = "${CONFORMANCE_TOKEN}" }',
    ]
    if profile.schemathesis_seed is not None:
        lines.append(f"seed = {profile.schemathesis_seed}")
    lines += [
        "",
        "[cache]",
        f"directory = {_toml_value(str(report_dir / 'cache'))}",
        "",
        "[reports]",
        f"directory = {_toml_value(str(report_dir))}",
        "[reports.junit]",
        "enabled = true",
        f"path = {_toml_value(str(report_dir / 'junit.xml'))}",
        "[reports.vcr]",
        "enabled = true",
        f"path = {_toml_value(str(report_dir / 'cassette.yaml'))}",
        "",
        "[generation]",
        'mode = "all"',
        f"max-examples = {profile.schemathesis_max_examples}",
        f"deterministic = {_toml_value(profile.derandomize)}",
        f"database = {_toml_value(example_database('schemathesis', profile.derandomize))}",
        "",
        *(
            f"[phases.{phase}]\nenabled = {_toml_value(phase in profile.schemathesis_phases)}"
            for phase in ALL_PHASES
        ),
        "",
        "[checks]",
        "enabled = false",
    ]
    for check in CHECKS:
        lines += [f"[checks.{check}]", "enabled = true"]
        if check == "positive_data_acceptance":
            lines.append(f"expected-statuses = {_toml_value(POSITIVE_EXPECTED)}")
        if check == "negative_data_rejection":
            lines.append(f"expected-statuses = {_toml_value(NEGATIVE_EXPECTED)}")
        if check == "response_schema_conformance":
            lines.append("validate-formats = true")
    for check in DOMAIN_CHECKS:
        lines += [f"[checks.{check}]", "enabled = true"]
    dictionaries = _dictionaries(orders)
    if dictionaries["order_ids"]:
        lines += [
            "",
            "[dictionaries.order_ids]",
            f"values = {_toml_value(dictionaries['order_ids'])}",
        ]
        lines += ["[dictionaries.item_ids]", f"values = {_toml_value(dictionaries['item_ids'])}"]
        lines += [
            "",
            "[parameters]",
            '"path.order_id" = { dictionary = "order_ids", probability = 0.6 }',
            '"body.items.item_id" = { dictionary = "item_ids", probability = 0.6 }',
        ]
    path = report_dir / "schemathesis.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def schemathesis_workers() -> int:
    """Schemathesis' worker threads: 2 where the Python allows it, else 1.

    On CPython 3.11 concurrent ``ast`` use from several threads (Hypothesis does it) raised "AST
    constructor recursion depth mismatch" (cpython gh-106905); 3.12 is not affected and 3.12.2
    fixed it for good. ``CONFORMANCE_WORKERS`` overrides (e.g. to measure).
    """
    chosen = os.environ.get("CONFORMANCE_WORKERS", "").strip()
    if chosen.isdigit() and int(chosen) >= 1:
        return int(chosen)
    return 2 if sys.version_info >= (3, 12) else 1


def example_database(name: str, derandomized: bool) -> str:
    """Where Hypothesis keeps failing examples: ``CONFORMANCE_EXAMPLE_DB/<name>``, or "none".

    With a directory (kept between CI runs, e.g. the Action's cache), a failure a random run
    (``deep``) found is replayed first in every later run, on any runner. Derandomized profiles
    (``smoke``, ``quick``) draw the same examples every run, so a failure recurs by itself, and
    Hypothesis refuses a database with them; without a directory nothing is written.
    """
    root = os.environ.get("CONFORMANCE_EXAMPLE_DB", "").strip()
    return str(Path(root).resolve() / name) if root and not derandomized else "none"


def safety_arguments(target: Target) -> list[str]:
    """On a live store Schemathesis never sends Create Refund, and nowhere refunds are refused.

    Fuzzed refunds are almost always refused, but "almost" is not good enough for real money.
    Even with CONFORMANCE_ALLOW_REFUNDS=1 the fuzzer stays out: its bodies name any order and any
    amount, the choke point's money rules (conformance.policies.MoneyGuard) would refuse most of
    them, and each refusal would read as a failure. On a live store refunds are created by
    ``test_live_refunds``, on the designated orders, within the cap.
    """
    if target.kind != "live" and target.may_create_refunds:
        return []
    return ["--exclude-operation-id", "createOrderRefund"]


def _shown(path: Path) -> str:
    """``path`` as typed in the project directory (relative inside it, absolute elsewhere)."""
    return shlex.quote(str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path))


def replay_command(config: Path, base_url: str, case_id: str) -> str:
    """A command that replays one stored failing case against the real target, as printed.

    Run from the project directory with ``TOKEN`` set: the config names the crash directory and
    takes the token from ``CONFORMANCE_TOKEN``.
    """
    executable = Path(sys.executable).with_name("schemathesis")
    return (
        f'CONFORMANCE_TOKEN="$TOKEN" {_shown(executable)} --config-file {_shown(config)} '
        f"replay {case_id} --url {shlex.quote(base_url)}"
    )


#: Schemathesis prints curl commands with the token header filtered out; ours say $TOKEN.
_FILTERED_TOKEN = re.compile(r"-H '(?i:x-auth-token): \[Filtered\]'")


def reproducible(output: str, config: Path, base_url: str) -> str:
    """Schemathesis' output with reproduction lines that work as printed (``TOKEN`` exported)."""
    output = _FILTERED_TOKEN.sub('-H "X-Auth-Token: $TOKEN"', output)
    return _REPLAY_HINT.sub(
        lambda match: replay_command(config, base_url, match.group("case")), output
    )


def _rewrite_reports(report_dir: Path, proxy: LoopbackProxy | None, token: str) -> None:
    """Name the real target (not the proxy) and never the token in every file Schemathesis wrote."""
    for path in report_dir.rglob("*"):
        if not path.is_file() or path.suffix not in {
            ".xml",
            ".yaml",
            ".json",
            ".jsonl",
            ".txt",
            ".toml",
        }:
            continue
        text = path.read_text(encoding="utf-8", errors="surrogateescape")
        fixed = proxy.unproxied(text) if proxy is not None else text
        fixed = fixed.replace(token, "$TOKEN") if token else fixed
        if fixed != text:
            path.write_text(fixed, encoding="utf-8", errors="surrogateescape")


def _follow(stream: IO[str], on_phase: Callable[[str], None], lines: list[str]) -> None:
    """Collect Schemathesis' output, telling ``on_phase`` which phase runs now."""
    phases = list(ALL_PHASES)
    for line in stream:
        lines.append(line)
        if "Loaded specification" in line:
            on_phase(phases[0])
        match = _PHASE_DONE.match(line)
        if match:
            done = match.group(1).lower()
            later = phases[phases.index(done) + 1 :] if done in phases else []
            on_phase(later[0] if later else "report")


@contextlib.contextmanager
def _reachable_through_choke_point(target: Target) -> Iterator[LoopbackProxy | None]:
    if isinstance(target.transport, ChokePoint):
        with serve_proxy(target.transport, target.base_url) as proxy:
            yield proxy
    else:
        yield None


def _request_timeout(target: Target) -> float:
    """Schemathesis' per-request timeout: 10 s, plus a whole rate-limit window.

    A request the choke point holds back until the window resets is not a slow server.
    """
    if isinstance(target.transport, ChokePoint):
        return 10.0 + math.ceil(target.transport.governor.longest_window_s())
    return 10.0


def run_schemathesis(
    target: Target,
    profile: Profile,
    report_dir: Path,
    orders: Sequence[dict[str, Any]],
    *,
    on_phase: Callable[[str], None] = lambda phase: None,
) -> SchemathesisResult:
    """Run the Schemathesis CLI against ``target``; never raises for test failures."""
    with _reachable_through_choke_point(target) as proxy:
        base_url = proxy.proxied(target.base_url) if proxy is not None else target.base_url
        config = write_config(
            target,
            profile,
            report_dir,
            orders,
            base_url=base_url,
            request_timeout=_request_timeout(target),
        )
        executable = Path(sys.executable).with_name("schemathesis")
        env = {
            **os.environ,
            "CONFORMANCE_TOKEN": target.token,
            "SCHEMATHESIS_CONFORMANCE_TIMEOUT": str(_request_timeout(target)),
            "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
            "SCHEMATHESIS_CONFORMANCE_BASE_URL": base_url,
            "NO_COLOR": "1",
            "PYTHONUNBUFFERED": "1",
        }
        lines: list[str] = []
        with subprocess.Popen(
            [
                str(executable),
                "--config-file",
                str(config),
                "run",
                str(FRAGMENT),
                "--no-color",
                *safety_arguments(target),
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env=env,
            # The checkout, where reproduction lines are run from; installed, the reports (an
            # installed package's directory is no place for anything a run writes).
            cwd=str(ROOT if (ROOT / "pyproject.toml").is_file() else report_dir),
        ) as child:
            assert child.stdout is not None
            reader = threading.Thread(target=_follow, args=(child.stdout, on_phase, lines))
            reader.start()
            returncode = child.wait()
            reader.join()
        output = "".join(lines)
        if proxy is not None:
            output = proxy.unproxied(output)
        output = output.replace(target.token, "$TOKEN")
        output = reproducible(output, config, target.base_url)
        _rewrite_reports(report_dir, proxy, target.token)
    (report_dir / "output.txt").write_text(output, encoding="utf-8")
    return SchemathesisResult(returncode, output, report_dir, config)
