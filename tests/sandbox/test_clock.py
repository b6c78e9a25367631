"""The default clock: UTC, whole seconds, one datetime per second."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bigcommerce_refunds.sandbox import config


def test_the_default_clock_is_utc_to_the_second_and_reuses_its_datetime(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    now = [1_795_000_000.25]
    monkeypatch.setattr("bigcommerce_refunds.sandbox.config.time.time", lambda: now[0])

    first = config.utc_now()
    now[0] += 0.5
    same_second = config.utc_now()
    now[0] += 1
    next_second = config.utc_now()

    assert first == datetime(2026, 11, 18, 11, 6, 40, tzinfo=UTC)
    assert same_second is first
    assert next_second == datetime(2026, 11, 18, 11, 6, 41, tzinfo=UTC)
    assert next_second.microsecond == 0
