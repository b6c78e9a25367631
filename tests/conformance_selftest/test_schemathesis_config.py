"""The suite's Schemathesis config runs our domain checks, not only Schemathesis' own.

The config turns every check off and then on by name; a check registered by the ``hooks`` module
but not named there is silently never run (as once happened to all four).
"""

from __future__ import annotations

import dataclasses
import inspect
import tomllib
from pathlib import Path

import pytest
import schemathesis
from schemathesis.config import SchemathesisConfig
from schemathesis.engine import events

import conformance.schemathesis_checks as domain
from bigcommerce_refunds.sandbox import SandboxConfig, create_app
from conformance.profiles import PROFILES
from conformance.schemathesis_run import CHECKS, DOMAIN_CHECKS, FRAGMENT, write_config
from conformance.target import Target

_TARGET = Target(kind="embedded", base_url="http://localhost/stores/sandbox/v3", token="t")


def test_domain_checks_name_every_check_the_hooks_module_registers() -> None:
    registered = set(schemathesis.checks.CHECKS.get_all_names())
    defined = {
        name
        for name, function in inspect.getmembers(domain, inspect.isfunction)
        if function.__module__ == domain.__name__ and name in registered
    }
    assert defined == set(DOMAIN_CHECKS)


def test_config_enables_schemathesis_and_domain_checks(tmp_path: Path) -> None:
    config = tomllib.loads(write_config(_TARGET, PROFILES["quick"], tmp_path, []).read_text())
    assert config["hooks"] == domain.__name__
    assert config["cache"]["directory"] == str(tmp_path / "cache")  # crash files in reports/
    assert all(config["phases"][phase]["enabled"] for phase in config["phases"])
    smoke = tomllib.loads(write_config(_TARGET, PROFILES["smoke"], tmp_path, []).read_text())
    assert {name for name, phase in smoke["phases"].items() if phase["enabled"]} == {
        "examples",
        "fuzzing",
    }
    assert config["checks"]["enabled"] is False
    for name in [*CHECKS, *DOMAIN_CHECKS]:
        assert config["checks"][name]["enabled"] is True, name


def test_a_domain_check_fails_a_run_under_the_suite_config(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """End to end: the total_not_sum bug, caught by refund_money_is_consistent.

    The coverage phase alone: its reads list the seeded refunds, whose totals the bug skews.
    """
    monkeypatch.setenv("CONFORMANCE_TOKEN", "sandbox-token")
    coverage_only = dataclasses.replace(PROFILES["quick"], schemathesis_phases=("coverage",))
    text = write_config(_TARGET, coverage_only, tmp_path, []).read_text()
    schema = schemathesis.openapi.from_path(str(FRAGMENT), config=SchemathesisConfig.from_str(text))
    bugs = frozenset({"total_not_sum"})
    schema.app = create_app(SandboxConfig(bugs=bugs, rate_limit_quota=10**6))
    failed: set[str] = set()
    for event in schemathesis.engine.from_schema(schema).execute():
        if isinstance(event, events.ScenarioFinished):
            for nodes in event.recorder.checks.values():
                failed |= {node.name for node in nodes if node.status.name == "FAILURE"}
        elif isinstance(event, events.FatalError):
            raise AssertionError(f"Schemathesis stopped: {event.exception!r}")
    assert "refund_money_is_consistent" in failed


def test_the_example_database_is_kept_only_where_asked_and_for_random_runs(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from conformance.schemathesis_run import example_database

    monkeypatch.delenv("CONFORMANCE_EXAMPLE_DB", raising=False)
    assert example_database("pytest", derandomized=False) == "none"
    monkeypatch.setenv("CONFORMANCE_EXAMPLE_DB", str(tmp_path))
    assert example_database("pytest", derandomized=False) == str(tmp_path.resolve() / "pytest")
    assert example_database("schemathesis", derandomized=True) == "none"
