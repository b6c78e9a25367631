"""Suite profiles: how much each part of the suite does.

``quick`` is the CI default: deterministic (fixed seeds, derandomized Hypothesis) and bounded to
about two minutes at most. ``deep`` explores far more and takes as long as it takes. ``smoke`` is
for live stores and pull requests: every operation, both request variants, auth and one example
of each refusal rule within a budget of ``request_budget`` requests, which the run's choke point
enforces (a request past the budget is refused, and the run fails saying so).
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["PROFILES", "Profile"]


@dataclass(frozen=True)
class Profile:
    """Budgets for one run of the suite."""

    name: str
    schemathesis_max_examples: int
    schemathesis_seed: int | None
    property_examples: int
    state_machine_examples: int
    state_machine_steps: int
    derandomize: bool
    #: Shrinking replays requests against the server many times; quick runs report the failing
    #: example as found (with its reproduction blob) and leave shrinking to ``deep``.
    shrink: bool
    #: Schemathesis phases to run (its config names).
    schemathesis_phases: tuple[str, ...] = ("examples", "coverage", "fuzzing", "stateful")
    #: At most this many requests reach the target in the whole run (None: no budget).
    request_budget: int | None = None
    #: Simultaneous refunds of the same line in the concurrency test.
    concurrent_refunds: int = 16
    #: Roughly how many requests a run against the sandbox sends: the progress line's ETA.
    expected_requests: int = 2500


PROFILES = {
    "quick": Profile(
        name="quick",
        schemathesis_max_examples=100,
        schemathesis_seed=20261128,
        property_examples=25,
        state_machine_examples=10,
        state_machine_steps=12,
        derandomize=True,
        shrink=False,
    ),
    "smoke": Profile(
        name="smoke",
        schemathesis_max_examples=1,
        schemathesis_seed=20261128,
        property_examples=1,
        state_machine_examples=1,
        state_machine_steps=2,
        derandomize=True,
        shrink=False,
        schemathesis_phases=("examples", "fuzzing"),
        request_budget=300,
        concurrent_refunds=4,
        expected_requests=280,
    ),
    "deep": Profile(
        name="deep",
        schemathesis_max_examples=1000,
        schemathesis_seed=None,
        property_examples=300,
        state_machine_examples=100,
        state_machine_steps=30,
        derandomize=False,
        shrink=True,
        expected_requests=20000,
    ),
}
