"""In live mode, Schemathesis never fuzzes Create Refund: real refunds come only from
test_live_refunds, on the designated orders, under the cap (test_money_guard, test_live_mode)."""

from __future__ import annotations

import pytest

from conformance.outcome import ConfigurationError
from conformance.schemathesis_run import safety_arguments
from conformance.target import live_target


def test_live_store_without_permission_never_fuzzes_create_refund(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("BIGCOMMERCE_STORE_HASH", "abc123")
    monkeypatch.setenv("BIGCOMMERCE_ACCESS_TOKEN", "secret-token")
    monkeypatch.delenv("CONFORMANCE_ALLOW_REFUNDS", raising=False)
    target = live_target()
    assert target.may_create_refunds is False
    assert safety_arguments(target) == ["--exclude-operation-id", "createOrderRefund"]
    assert "secret-token" not in repr(target)


def test_allowing_live_refunds_needs_an_order_and_a_cap(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BIGCOMMERCE_STORE_HASH", "abc123")
    monkeypatch.setenv("BIGCOMMERCE_ACCESS_TOKEN", "secret-token")
    monkeypatch.setenv("CONFORMANCE_ALLOW_REFUNDS", "1")
    monkeypatch.delenv("CONFORMANCE_REFUND_ORDER", raising=False)
    with pytest.raises(ConfigurationError, match="CONFORMANCE_REFUND_ORDER"):
        live_target()
    monkeypatch.setenv("CONFORMANCE_REFUND_ORDER", "42")
    monkeypatch.setenv("CONFORMANCE_REFUND_CAP", "5.00")
    target = live_target()
    assert target.may_create_refunds is True
    assert target.refund_orders == frozenset({42})
    assert safety_arguments(target) == ["--exclude-operation-id", "createOrderRefund"]
