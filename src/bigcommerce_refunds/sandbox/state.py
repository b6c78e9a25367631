"""The sandbox's state: one store with its auth, rate limits, faults and planted bugs; ``reset()``.

``create_app()`` builds one :class:`Sandbox` and exposes it as ``app.state.sandbox``; tests and the
pytest plugin use it to reset state between tests, inspect the ledger, or switch bugs without HTTP.
The active bugs are held twice: as names (``bugs``, what the control API shows) and as the
:class:`~bigcommerce_refunds.sandbox.seams.Seams` they plug into (``seams``, what requests read),
rebuilt only when the names change.
"""

from __future__ import annotations

from collections.abc import Iterable

from bigcommerce_refunds.sandbox.auth import Authenticator
from bigcommerce_refunds.sandbox.bugs import seams_for
from bigcommerce_refunds.sandbox.config import SandboxConfig
from bigcommerce_refunds.sandbox.dispatch import InFlight
from bigcommerce_refunds.sandbox.faults import FaultInjector
from bigcommerce_refunds.sandbox.fixtures import load_fixtures
from bigcommerce_refunds.sandbox.ratelimit import RateLimiter
from bigcommerce_refunds.sandbox.seams import Seams
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
        self.seams: Seams = seams_for(self._bugs)

    @property
    def bugs(self) -> frozenset[str]:
        """The planted bugs active now."""
        return self._bugs

    def set_bugs(self, names: Iterable[str]) -> frozenset[str]:
        """Replace the active planted bugs (raises UnknownBugError for unknown names)."""
        active = frozenset(names)
        self.seams = seams_for(active)  # validates the names before anything changes
        self._bugs = active
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
        self.seams = seams_for(self._bugs)

    def __repr__(self) -> str:
        return f"Sandbox({self.config!r})"


__all__ = ["Sandbox"]
