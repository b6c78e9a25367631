"""Suite profiles: how much each part of the suite does.

``quick`` is the CI default: deterministic (fixed seeds, derandomized Hypothesis) and bounded to
about two minutes at most. ``deep`` explores far more and takes as long as it takes.
"""

from __future__ import annotations

import os
from dataclasses import dataclass


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
    "deep": Profile(
        name="deep",
        schemathesis_max_examples=1000,
        schemathesis_seed=None,
        property_examples=300,
        state_machine_examples=100,
        state_machine_steps=30,
        derandomize=False,
        shrink=True,
    ),
}


def current_profile() -> Profile:
    """The profile named by CONFORMANCE_PROFILE (default ``quick``)."""
    name = os.environ.get("CONFORMANCE_PROFILE", "quick")
    if name not in PROFILES:
        raise SystemExit(
            f"CONFORMANCE_PROFILE={name!r} is not a profile; choose one of {', '.join(PROFILES)}"
        )
    return PROFILES[name]
