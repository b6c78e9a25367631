"""Session set-up of the conformance suite: the run (target, profile, choke point), reports.

Run it with ``make conformance`` (the runner, ``python -m conformance``: preflight first, then
pytest in-process with the run already open). Run by pytest directly, this conftest opens the run
itself and ends the session with the same one-line message and exit code on a bad target.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Generator, Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, settings
from hypothesis.configuration import set_hypothesis_home_dir
from hypothesis.database import DirectoryBasedExampleDatabase, ExampleDatabase

from conformance import session
from conformance.chokepoint import RequestRefusedError
from conformance.domain import Domain
from conformance.outcome import RunAbortedError
from conformance.policies import MoneyGuard
from conformance.profiles import Profile
from conformance.recorder import RECORDER
from conformance.schemathesis_run import example_database
from conformance.target import Target

ROOT = Path(__file__).resolve().parents[1]
REPORTS = Path(os.environ.get("CONFORMANCE_REPORTS", ROOT / "reports" / "conformance"))

pytest_plugins = ["conformance.summary"]

_OWN_RUN = pytest.StashKey[contextlib.ExitStack]()


def _example_database(profile: Profile) -> ExampleDatabase | None:
    """CONFORMANCE_EXAMPLE_DB/pytest for a random profile, else no database (see
    ``schemathesis_run.example_database``)."""
    where = example_database("pytest", profile.derandomize)
    return None if where == "none" else DirectoryBasedExampleDatabase(where)


def _load_hypothesis_profile(profile: Profile) -> None:
    # Hypothesis' own files go with the run's reports, never into the working directory (which
    # may be anyone's checkout, or read-only).
    set_hypothesis_home_dir(str(REPORTS / ".hypothesis"))
    settings.register_profile(
        "conformance",
        max_examples=profile.property_examples,
        derandomize=profile.derandomize,
        deadline=None,
        print_blob=True,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        database=_example_database(profile),
        phases=[phase for phase in Phase if profile.shrink or phase is not Phase.shrink],
    )
    settings.load_profile("conformance")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "exhausts_rate_limit: uses up the target's quota, so it runs after the rest"
    )
    if session.ACTIVE is None:
        stack = contextlib.ExitStack()
        try:
            stack.enter_context(session.open_run())
        except RunAbortedError as error:
            stack.close()
            pytest.exit(str(error), returncode=error.exit_code)
        config.stash[_OWN_RUN] = stack
    assert session.ACTIVE is not None
    _load_hypothesis_profile(session.ACTIVE.profile)


def pytest_unconfigure(config: pytest.Config) -> None:
    stack = config.stash.get(_OWN_RUN, None)
    if stack is not None:
        stack.close()


#: Cheap, targeted tests first (with -x a broken server is named by the most specific test),
#: broad and slow ones later, the quota-exhausting test last.
MODULE_ORDER = (
    "test_auth",
    "test_refund_rules",
    "test_live_refunds",
    "test_reads",
    "test_faults",
    "test_concurrency",
    "test_stateful_ledger",
    "test_schemathesis",
    "test_rate_limit",
)


def _rank(item: pytest.Item) -> tuple[int, int]:
    module = item.path.stem
    position = MODULE_ORDER.index(module) if module in MODULE_ORDER else len(MODULE_ORDER) - 2
    return (item.get_closest_marker("exhausts_rate_limit") is not None, position)


#: Modules that only mean something against a live store (elsewhere they are deselected, not
#: skipped: a skip in every ordinary run would be noise).
LIVE_ONLY = frozenset({"test_live_refunds"})


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    live = session.ACTIVE is not None and session.ACTIVE.target.kind == "live"
    if not live:
        dropped = [item for item in items if item.path.stem in LIVE_ONLY]
        if dropped:
            config.hook.pytest_deselected(items=dropped)
            items[:] = [item for item in items if item.path.stem not in LIVE_ONLY]
    items.sort(key=_rank)  # stable: collection order within a module


def pytest_runtest_logstart(nodeid: str, location: tuple[str, int | None, str]) -> None:
    if session.ACTIVE is not None:
        module = Path(location[0]).stem.removeprefix("test_").replace("_", " ")
        session.ACTIVE.set_phase(module)


@pytest.hookimpl(wrapper=True)
def pytest_pyfunc_call(pyfuncitem: pytest.Function) -> Generator[None, object, object]:
    """A request the live-mode money rules refused skips its test, saying why.

    The rules (conformance.policies.MoneyGuard) sit at the choke point, so no test can send a
    refund to a live store that it should not; a test that tried is not a failure of the store.
    """
    try:
        return (yield)
    except RequestRefusedError as refused:
        if not isinstance(refused.policy, MoneyGuard):
            raise
        pytest.skip(f"not sent to the live store: {refused.reason}")


@pytest.fixture(scope="session")
def run() -> session.Run:
    assert session.ACTIVE is not None, "the conformance run is opened by conftest or the runner"
    return session.ACTIVE


@pytest.fixture(scope="session", autouse=True)
def _record_run_facts(run: session.Run, record_testsuite_property: object) -> None:
    """The JUnit file says what was tested: target kind, URL, profile, seed, versions."""
    for name, value in run.facts.items():
        record_testsuite_property(name, value)  # type: ignore[operator]


@pytest.fixture(scope="session")
def profile(run: session.Run) -> Profile:
    return run.profile


@pytest.fixture(scope="session")
def reports_dir() -> Path:
    REPORTS.mkdir(parents=True, exist_ok=True)
    return REPORTS


@pytest.fixture(scope="session")
def target(run: session.Run) -> Target:
    """The server under test (the embedded sandbox unless the environment names another)."""
    return run.target


@pytest.fixture(scope="session")
def domain(target: Target) -> Iterator[Domain]:
    """The target seen by the domain tests: orders, resets, snapshots, read-backs."""
    api = target.api()
    yield Domain(target, api)
    api.close()


@pytest.fixture(autouse=True)
def _record_exchanges_per_test() -> None:
    RECORDER.start_test()
