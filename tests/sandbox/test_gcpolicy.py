"""The ledger's objects are frozen out of the cycle collector's way, and thawed on reset."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from bigcommerce_refunds.sandbox.gcpolicy import LedgerGc
from tests.sandbox.helpers import BASE, Api


@pytest.fixture(autouse=True)
def _thawed() -> Iterator[None]:
    """Each test starts and ends with nothing frozen (the freeze is process-wide)."""
    gc.unfreeze()
    yield
    gc.unfreeze()


def test_nothing_is_frozen_before_the_interval_is_reached() -> None:
    policy = LedgerGc(every=3)

    policy.recorded()
    policy.recorded()

    assert (policy.freezes, gc.get_freeze_count()) == (0, 0)


def test_the_interval_freezes_what_is_alive_and_reset_thaws_it() -> None:
    policy = LedgerGc(every=3)
    kept = [[index] for index in range(100)]  # tracked objects alive at the freeze

    for _ in range(3):
        policy.recorded()
    frozen = gc.get_freeze_count()
    policy.reset()

    assert policy.freezes == 0
    assert frozen >= len(kept)
    assert gc.get_freeze_count() == 0


def test_zero_switches_the_policy_off_and_negative_is_refused() -> None:
    policy = LedgerGc(every=0)
    for _ in range(10):
        policy.recorded()
    assert gc.get_freeze_count() == 0
    with pytest.raises(ValueError, match="every must be >= 0"):
        LedgerGc(every=-1)


def test_the_store_counts_recorded_refunds_not_refused_ones(api: Api, app: object) -> None:
    store = app.state.sandbox.store  # type: ignore[attr-defined]
    store.ledger_gc = LedgerGc(every=1_000)
    store.ledger_gc.recorded(998)
    body = {
        "items": [{"item_type": "FEE", "item_id": 401, "amount": 1}],
        "payments": [{"provider_id": "storecredit", "amount": 1}],
    }

    assert api.refund(100, {"items": []}).status == 422
    assert api.refund(100, body).status == 201
    assert gc.get_freeze_count() == 0
    assert api.refund(100, body).status == 201
    assert store.ledger_gc.freezes == 1
    assert gc.get_freeze_count() > 0

    api.control("POST", "/reset")  # the seed records far fewer than 1,000 refunds

    assert (store.ledger_gc.freezes, gc.get_freeze_count()) == (0, 0)
    assert api.call("GET", f"{BASE}/orders/100/payment_actions/refunds").status == 200
