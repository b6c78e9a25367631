"""Session set-up of the conformance suite: the target, the profile, reports and the summary.

Run it with ``make conformance`` (embedded sandbox) or ``make conformance TARGET=<base url>
TOKEN=<token>``; see ``conformance/target.py`` for live stores.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, settings

from conformance.domain import Domain
from conformance.profiles import Profile, current_profile
from conformance.recorder import RECORDER
from conformance.target import Target, configured_kind, external_target, live_target

ROOT = Path(__file__).resolve().parents[1]
REPORTS = Path(os.environ.get("CONFORMANCE_REPORTS", ROOT / "reports" / "conformance"))

_PROFILE = current_profile()
settings.register_profile(
    "conformance",
    max_examples=_PROFILE.property_examples,
    derandomize=_PROFILE.derandomize,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    database=None,
    phases=[phase for phase in Phase if _PROFILE.shrink or phase is not Phase.shrink],
)
settings.load_profile("conformance")

pytest_plugins = ["conformance.summary"]


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "exhausts_rate_limit: uses up the target's quota, so it runs after the rest"
    )


#: Cheap, targeted tests first (with -x a broken server is named by the most specific test),
#: broad and slow ones later, the quota-exhausting test last.
MODULE_ORDER = (
    "test_auth",
    "test_refund_rules",
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


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    items.sort(key=_rank)  # stable: collection order within a module


@pytest.fixture(scope="session")
def profile() -> Profile:
    return _PROFILE


@pytest.fixture(scope="session")
def reports_dir() -> Path:
    REPORTS.mkdir(parents=True, exist_ok=True)
    return REPORTS


@pytest.fixture(scope="session")
def target() -> Iterator[Target]:
    """The server under test; the embedded sandbox unless the environment names another."""
    kind = configured_kind()
    if kind == "external":
        resolved = external_target(os.environ["CONFORMANCE_TARGET"])
        yield resolved
        return
    if kind == "live":
        yield live_target()
        return
    from bigcommerce_refunds.sandbox import SandboxConfig, serve
    from bigcommerce_refunds.sandbox.config import READ_ONLY_TOKEN

    # A quota high enough that fuzzing is never throttled; the rate-limit test lowers it.
    config = SandboxConfig(rate_limit_quota=1_000_000)
    with contextlib.ExitStack() as stack:
        served = stack.enter_context(serve(config))
        from conformance.api import ControlApi

        control = ControlApi(served.root_url, served.token)
        stack.callback(control.close)
        yield Target(
            kind="embedded",
            base_url=served.base_url,
            token=served.token,
            read_only_token=READ_ONLY_TOKEN,
            control=control,
            resettable=True,
        )


@pytest.fixture(scope="session")
def domain(target: Target) -> Iterator[Domain]:
    """The target seen by the domain tests: orders, resets, snapshots, read-backs."""
    api = target.api()
    yield Domain(target, api)
    api.close()


@pytest.fixture(autouse=True)
def _record_exchanges_per_test() -> None:
    RECORDER.start_test()
