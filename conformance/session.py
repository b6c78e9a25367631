"""One conformance run: the target resolved and preflighted, its choke point, and what to report.

:func:`open_run` is used by the runner (``python -m conformance``, ``make conformance``) before
pytest starts, so a configuration problem is one message and an exit code; when pytest is run on
``conformance/`` directly, the suite's conftest opens the run itself. Either way the tests see
the same :class:`Run` (``ACTIVE``).
"""

from __future__ import annotations

import contextlib
import dataclasses
import importlib.metadata
import os
import random
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from bigcommerce_refunds.spec.fragment import fragment_path
from conformance.api import ControlApi
from conformance.chokepoint import ChokePoint, RateGovernor
from conformance.outcome import ConfigurationError
from conformance.policies import MoneyGuard, RequestBudget
from conformance.preflight import PreflightReport, preflight
from conformance.profiles import PROFILES, Profile
from conformance.store_orders import StoreOrderSource
from conformance.target import Target, TargetSettings, load_orders_file, settings_from_env

__all__ = ["ACTIVE", "Run", "open_run", "profile_from_env"]

ROOT = Path(__file__).resolve().parents[1]
#: The fragment the sandbox serves: the checkout's, or the copy inside the installed package.
FRAGMENT = fragment_path()

#: A live store is shared with the merchant's other integrations: leave them this share of
#: every rate-limit window.
LIVE_RESERVE_SHARE = 0.2
#: Orders read through a store's own APIs when CONFORMANCE_ORDER_IDS names none: the most
#: recent ones. Six requests an order, against a quota shared with the merchant.
RECENT_ORDERS = 5


@dataclass
class Run:
    """The current run: what the tests need beyond the target, and what the reports record."""

    target: Target
    profile: Profile
    chokepoint: ChokePoint
    preflight: PreflightReport
    facts: dict[str, str]
    budget: RequestBudget | None = None
    #: Live stores: the money rules every refund POST passes (what it created, for the footer).
    money_guard: MoneyGuard | None = None
    #: Stores without a control API: their orders, read through their own APIs.
    store_orders: StoreOrderSource | None = None
    started: float = field(default_factory=time.monotonic)
    phase: str = "preflight"

    def set_phase(self, phase: str) -> None:
        self.phase = phase


#: The run the tests belong to (set by :func:`open_run`).
ACTIVE: Run | None = None


def profile_from_env(env: Mapping[str, str] | None = None) -> Profile:
    """The profile CONFORMANCE_PROFILE names (default ``quick``); a random seed for ``deep``."""
    env = os.environ if env is None else env
    name = env.get("CONFORMANCE_PROFILE", "").strip() or "quick"
    if name not in PROFILES:
        raise ConfigurationError(
            f"PROFILE={name!r} is not a profile; choose one of {', '.join(PROFILES)}"
        )
    profile = PROFILES[name]
    seed = env.get("CONFORMANCE_SEED", "").strip()
    if seed:
        if not seed.isdigit():
            raise ConfigurationError(f"CONFORMANCE_SEED={seed!r} is not a non-negative integer")
        profile = dataclasses.replace(profile, schemathesis_seed=int(seed))
    elif profile.schemathesis_seed is None:
        # Random, but recorded (summary, JUnit), so the run can be repeated with CONFORMANCE_SEED.
        profile = dataclasses.replace(
            profile, schemathesis_seed=random.SystemRandom().randrange(2**31)
        )
    return profile


def _version(distribution: str) -> str:
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


def _fragment_version() -> str:
    for line in FRAGMENT.read_text(encoding="utf-8").splitlines()[:20]:
        stripped = line.strip()
        if stripped.startswith("version:"):
            return stripped.split(":", 1)[1].strip().strip("'\"")
    return "unknown"


def _facts(settings: TargetSettings, profile: Profile, report: PreflightReport) -> dict[str, str]:
    return {
        "target_kind": settings.kind,
        "base_url": settings.base_url,
        "control_api": "yes" if report.control_api else f"no ({report.control_note})",
        "profile": profile.name,
        "seed": str(profile.schemathesis_seed),
        "hypothesis": "derandomized" if profile.derandomize else "random",
        "request_budget": str(profile.request_budget) if profile.request_budget else "none",
        "bigcommerce_refunds_version": _version("bigcommerce-refunds"),
        "fragment_version": _fragment_version(),
        "schemathesis_version": _version("schemathesis"),
        "hypothesis_version": _version("hypothesis"),
    }


def _governor(settings: TargetSettings) -> RateGovernor:
    return RateGovernor(reserve_share=LIVE_RESERVE_SHARE if settings.kind == "live" else 0.0)


@contextlib.contextmanager
def _embedded(stack: contextlib.ExitStack) -> Iterator[TargetSettings]:
    from bigcommerce_refunds.sandbox import SandboxConfig, serve
    from bigcommerce_refunds.sandbox.config import READ_ONLY_TOKEN

    # A quota high enough that fuzzing is never throttled; the rate-limit test uses its own.
    served = stack.enter_context(serve(SandboxConfig(rate_limit_quota=1_000_000)))
    yield TargetSettings(
        kind="embedded",
        base_url=served.base_url,
        token=served.token,
        read_only_token=READ_ONLY_TOKEN,
    )


def _store_orders(
    settings: TargetSettings, chokepoint: ChokePoint, stack: contextlib.ExitStack
) -> StoreOrderSource:
    """The target's orders through its own reads (Orders V2, V3 transactions, refunds)."""
    client = httpx.Client(
        transport=chokepoint,
        headers={"X-Auth-Token": settings.token, "Accept": "application/json"},
        timeout=30.0,
    )
    stack.callback(client.close)
    store_root = settings.base_url.removesuffix("/v3")

    def get(path: str, params: Mapping[str, str]) -> httpx.Response:
        return client.get(store_root + path, params=dict(params))

    wanted = list(settings.order_ids)
    wanted += sorted(set(settings.refund_orders or ()) - set(wanted))
    return StoreOrderSource(get, wanted, RECENT_ORDERS)


@contextlib.contextmanager
def open_run(
    env: Mapping[str, str] | None = None, *, profile: Profile | None = None
) -> Iterator[Run]:
    """Resolve, serve (embedded) and preflight the target, or raise RunAbortedError saying why."""
    global ACTIVE
    settings = settings_from_env(env)
    profile = profile or profile_from_env(env)
    orders = load_orders_file(settings.orders_file)
    with contextlib.ExitStack() as stack:
        if settings.kind == "embedded":
            settings = stack.enter_context(_embedded(stack))
        budget = RequestBudget(profile.request_budget) if profile.request_budget else None
        chokepoint = ChokePoint(governor=_governor(settings), policies=[budget] if budget else [])
        stack.callback(chokepoint.shutdown)
        guard: MoneyGuard | None = None
        if settings.kind == "live":
            # Before the preflight: no request of the run may move money unless allowed.
            guard = MoneyGuard(
                settings.may_create_refunds, settings.refund_orders, settings.refund_cap
            )
            chokepoint.add_policy(guard)
        report = preflight(settings, chokepoint)
        control: ControlApi | None = None
        if report.control_api:
            control = ControlApi(settings.root_url, settings.token, transport=chokepoint)
            stack.callback(control.close)
        source: StoreOrderSource | None = None
        if control is None and not orders:
            source = _store_orders(settings, chokepoint, stack)
            if guard is not None:
                guard.on_refund = source.invalidate
        target = Target(
            kind=settings.kind,
            base_url=settings.base_url,
            token=settings.token,
            read_only_token=settings.read_only_token,
            control=control,
            orders=() if control is not None else orders,
            may_create_refunds=settings.may_create_refunds,
            refund_orders=settings.refund_orders,
            refund_cap=settings.refund_cap,
            resettable=control is not None,
            may_exhaust_rate_limit=settings.may_exhaust_rate_limit,
            transport=chokepoint,
            order_source=source.views if source is not None else None,
        )
        facts = _facts(settings, profile, report)
        run = Run(target, profile, chokepoint, report, facts, budget, guard, source)
        ACTIVE = run
        try:
            yield run
        finally:
            ACTIVE = None
