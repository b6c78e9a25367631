"""Run the suite's field-oracle tour against a lying server, one perturbation at a time.

The tour is ``conformance.oracle_scenario``: the same functions ``conformance/test_field_oracle.py``
runs. Each perturbation gets a fresh store (the control API's reset is never perturbed) and the
part of the tour that provokes the responses carrying its field.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from bigcommerce_refunds.sandbox.config import READ_ONLY_TOKEN
from conformance import oracle_scenario
from conformance.api import ControlApi
from conformance.domain import Domain
from conformance.target import Target

from .perturb import LyingServer, Perturbation

ROOT = Path(__file__).resolve().parents[2]
ORACLE_TABLE = ROOT / "conformance" / "ORACLE.md"
ERROR_SHAPES = ("Error", "RefundErrors", "TaxServiceError")


@dataclass(frozen=True)
class Outcome:
    perturbation: Perturbation
    #: "caught", "survived", "not applicable" (no answer of the tour carries a value it could
    #: change validly) or "schema-invalid" (the self-test's own bug: the lie broke the schema).
    verdict: str
    message: str = ""
    named: bool = False


def names_field(message: str, path: str) -> bool:
    """Whether a failure message names the field (``payments[0].amount`` names
    ``Refund.payments[].amount``)."""
    inner = path.partition(".")[2]
    normalized = re.sub(r"\[\d+\]", "[]", message)
    return re.search(rf"(?<![\w.\]]){re.escape(inner)}(?![\w\[])", normalized) is not None


def domain_for(server: LyingServer) -> Domain:
    control = ControlApi(server.root_url, server.token)
    target = Target(
        kind="external",
        base_url=server.base_url,
        token=server.token,
        read_only_token=READ_ONLY_TOKEN,
        control=control,
        resettable=True,
    )
    return Domain(target, target.api())


def run_tour(domain: Domain, perturbation: Perturbation | None) -> str | None:
    """The tour's first failure message (None: it passed)."""
    shape = perturbation.path.partition(".")[0] if perturbation else None
    try:
        if shape is None or shape not in ERROR_SHAPES:
            tour = oracle_scenario.refunds_of_every_kind(domain)
            oracle_scenario.declined_payment(domain, tour)
            oracle_scenario.reads_list_exactly_what_exists(domain, tour)
        if shape is None or shape in ERROR_SHAPES:
            oracle_scenario.error_bodies(domain)
    except AssertionError as error:
        return str(error)
    except pytest.skip.Exception as skipped:
        return f"the tour skipped: {skipped}"
    return None


def try_perturbation(server: LyingServer, domain: Domain, perturbation: Perturbation) -> Outcome:
    server.proxy.switch(perturbation)
    try:
        message = run_tour(domain, perturbation)
    finally:
        applied, schema_errors = server.proxy.applied, list(server.proxy.schema_errors)
        server.proxy.switch(None)
    if schema_errors:
        return Outcome(perturbation, "schema-invalid", "; ".join(schema_errors[:3]))
    if not applied:
        return Outcome(perturbation, "not applicable", message or "")
    if message is None:
        return Outcome(perturbation, "survived")
    return Outcome(perturbation, "caught", message, names_field(message, perturbation.path))


def table_rows() -> dict[str, str]:
    """ORACLE.md: field path → its oracle text (the first column and the third)."""
    rows: dict[str, str] = {}
    for line in ORACLE_TABLE.read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) >= 3 and cells[0].startswith("`") and cells[0].endswith("`"):
            rows[cells[0].strip("`")] = cells[2]
    return rows


def uncheckable(rows: dict[str, str]) -> dict[str, str]:
    """The rows ORACLE.md marks "cannot be checked from outside", with the reason."""
    marker = "**cannot be checked from outside**"
    return {
        path: text.split(marker, 1)[1].strip(" :") for path, text in rows.items() if marker in text
    }


__all__ = [
    "ORACLE_TABLE",
    "Outcome",
    "domain_for",
    "names_field",
    "run_tour",
    "run_whole_suite",
    "table_rows",
    "try_perturbation",
    "uncheckable",
]


def run_whole_suite(server: LyingServer, reports: Path) -> tuple[int, str]:
    """The conformance suite as a user runs it (``pytest conformance``, quick profile, stopping
    at the first failure) against the lying server: (exit code, output)."""
    env = {
        **os.environ,
        "CONFORMANCE_TARGET": server.base_url,
        "CONFORMANCE_TOKEN": server.token,
        "CONFORMANCE_READ_ONLY_TOKEN": READ_ONLY_TOKEN,
        "CONFORMANCE_PROFILE": "quick",
        "CONFORMANCE_REPORTS": str(reports),
    }
    args = [sys.executable, "-m", "pytest", "conformance", "-p", "no:cacheprovider", "-q", "-x"]
    completed = subprocess.run(
        args, cwd=ROOT, env=env, capture_output=True, text=True, check=False, timeout=600
    )
    return completed.returncode, completed.stdout + completed.stderr
