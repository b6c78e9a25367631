"""The Sandbox: one store with its auth, rate limits, faults and planted bugs; ``reset()`` all.

``create_app()`` builds one and exposes it as ``app.state.sandbox``; tests and the pytest plugin use
it to reset state between tests, inspect the ledger, or switch bugs without HTTP.
"""

from __future__ import annotations

from collections.abc import Iterable

from bigcommerce_refunds.sandbox.auth import Authenticator
from bigcommerce_refunds.sandbox.bugs import validate_bugs
from bigcommerce_refunds.sandbox.config import SandboxConfig
from bigcommerce_refunds.sandbox.dispatch import InFlight
from bigcommerce_refunds.sandbox.faults import FaultInjector
from bigcommerce_refunds.sandbox.fixtures import load_fixtures
from bigcommerce_refunds.sandbox.ratelimit import RateLimiter
from bigcommerce_refunds.sandbox.store import Store


class Sandbox:
    def __init__(self, config: SandboxConfig | None = None) -> None:
        self.config = config or SandboxConfig()
        self.store = Store(load_fixtures(self.config.fixtures_path), self.config.now)
        self.auth = Authenticator(self.config.tokens)
        self.limiter = RateLimiter(
            self.config.rate_limit_quota, self.config.rate_limit_window_ms, self.config.monotonic
        )
        self.faults = FaultInjector(self.config.seed)
        self.in_flight = InFlight()
        self._bugs = self.config.bugs

    @property
    def bugs(self) -> frozenset[str]:
        """The planted bugs active now."""
        return self._bugs

    def set_bugs(self, names: Iterable[str]) -> frozenset[str]:
        """Replace the active planted bugs (raises UnknownBugError for unknown names)."""
        self._bugs = validate_bugs(names)
        return self._bugs

    @property
    def requests_in_flight(self) -> int:
        """API requests being answered now (e.g. held by a latency fault)."""
        return self.in_flight.count

    @property
    def requests_finished(self) -> int:
        """API requests answered (or dropped) since the sandbox started; never reset."""
        return self.in_flight.finished

    def reset(self) -> None:
        """Seeded orders and refunds, no faults, fresh rate-limit windows, the configured bugs."""
        self.store.reset()
        self.limiter.reset()
        self.faults.reset()
        self._bugs = self.config.bugs

    def __repr__(self) -> str:
        return f"Sandbox({self.config!r})"


__all__ = ["Sandbox"]
