"""Which server the suite tests, and what it may do there.

Three kinds of target:

* ``embedded`` (default): the project's sandbox, started by the suite on a loopback port.
* ``external``: any server claiming the API, at ``CONFORMANCE_TARGET`` (the API base URL, e.g.
  ``http://127.0.0.1:4010/stores/sandbox/v3``) with ``CONFORMANCE_TOKEN``. When it also serves the
  sandbox control API (``/__sandbox/``), the suite resets it and reads its orders from there;
  otherwise the orders come from ``CONFORMANCE_ORDERS`` (a JSON file in the control API's order
  format).
* ``live``: a real store (``BIGCOMMERCE_STORE_HASH``, ``BIGCOMMERCE_ACCESS_TOKEN``). Safe by
  default: reads, quotes and requests built to be rejected only. Creating real refunds needs
  ``CONFORMANCE_ALLOW_REFUNDS=1``, a designated ``CONFORMANCE_REFUND_ORDER`` and an amount cap
  ``CONFORMANCE_REFUND_CAP``.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from conformance.api import ControlApi, RefundApi

LIVE_BASE = "https://api.bigcommerce.com/stores/{store_hash}/v3"
_BASE_PATH = re.compile(r"^(?P<root>.*?)/stores/(?P<store_hash>[^/]+)/v3/?$")


class TargetError(SystemExit):
    """The target configuration is incomplete or contradictory (the message says how to fix it)."""


@dataclass(frozen=True, repr=False)
class Target:
    """A resolved target. Its repr never shows tokens."""

    kind: str
    base_url: str
    token: str
    read_only_token: str | None = None
    control: ControlApi | None = None
    orders: tuple[dict[str, Any], ...] = ()
    may_create_refunds: bool = True
    refund_orders: frozenset[int] | None = None
    refund_cap: Decimal | None = None
    resettable: bool = False
    extra: dict[str, Any] = field(default_factory=dict)

    def __repr__(self) -> str:
        return (
            f"Target(kind={self.kind!r}, base_url={self.base_url!r}, token=<redacted>, "
            f"control={'yes' if self.control else 'no'}, orders={len(self.orders)}, "
            f"may_create_refunds={self.may_create_refunds})"
        )

    @property
    def root_url(self) -> str:
        match = _BASE_PATH.match(self.base_url)
        return match.group("root") if match else self.base_url

    def api(self, token: str | object | None = ...) -> RefundApi:
        """A recording client; by default with the target's token."""
        chosen = self.token if token is ... else token
        return RefundApi(self.base_url, chosen if isinstance(chosen, str) else None)

    def refresh_orders(self) -> tuple[dict[str, Any], ...]:
        """Current order state (from the control API when there is one)."""
        if self.control is not None:
            return tuple(self.control.orders())
        return self.orders


def _require(name: str, why: str) -> str:
    value = os.environ.get(name, "").strip()
    if not value:
        raise TargetError(f"{name} is required {why}")
    return value


def _orders_file() -> tuple[dict[str, Any], ...]:
    path = os.environ.get("CONFORMANCE_ORDERS", "").strip()
    if not path:
        return ()
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise TargetError(f"CONFORMANCE_ORDERS={path}: cannot read JSON orders: {error}") from error
    orders = data.get("data", data) if isinstance(data, dict) else data
    if not isinstance(orders, list):
        raise TargetError(
            f"CONFORMANCE_ORDERS={path}: expected a list of orders (or {{data: [...]}})"
        )
    return tuple(orders)


def external_target(base_url: str) -> Target:
    token = _require("CONFORMANCE_TOKEN", "with CONFORMANCE_TARGET (make conformance TOKEN=...)")
    match = _BASE_PATH.match(base_url.rstrip("/"))
    if not match:
        raise TargetError(
            f"CONFORMANCE_TARGET={base_url!r} must be an API base URL ending in /stores/<hash>/v3"
        )
    control = ControlApi(match.group("root"), token)
    has_control = control.available()
    if not has_control:
        control.close()
    return Target(
        kind="external",
        base_url=base_url.rstrip("/"),
        token=token,
        read_only_token=os.environ.get("CONFORMANCE_READ_ONLY_TOKEN") or None,
        control=control if has_control else None,
        orders=() if has_control else _orders_file(),
        resettable=has_control,
    )


def live_target() -> Target:
    store_hash = _require("BIGCOMMERCE_STORE_HASH", "for a live store")
    token = _require("BIGCOMMERCE_ACCESS_TOKEN", "for a live store")
    allow = os.environ.get("CONFORMANCE_ALLOW_REFUNDS") == "1"
    refund_orders: frozenset[int] | None = None
    cap: Decimal | None = None
    if allow:
        raw_orders = _require("CONFORMANCE_REFUND_ORDER", "with CONFORMANCE_ALLOW_REFUNDS=1")
        raw_cap = _require("CONFORMANCE_REFUND_CAP", "with CONFORMANCE_ALLOW_REFUNDS=1")
        try:
            refund_orders = frozenset(int(part) for part in raw_orders.split(","))
            cap = Decimal(raw_cap)
        except (ValueError, InvalidOperation) as error:
            raise TargetError(f"bad CONFORMANCE_REFUND_ORDER/CAP: {error}") from error
        if cap <= 0:
            raise TargetError("CONFORMANCE_REFUND_CAP must be a positive amount")
    return Target(
        kind="live",
        base_url=LIVE_BASE.format(store_hash=store_hash),
        token=token,
        read_only_token=os.environ.get("CONFORMANCE_READ_ONLY_TOKEN") or None,
        orders=_orders_file(),
        may_create_refunds=allow,
        refund_orders=refund_orders,
        refund_cap=cap,
    )


def configured_kind() -> str:
    """``external``, ``live`` or ``embedded``, from the environment."""
    if os.environ.get("CONFORMANCE_TARGET", "").strip():
        return "external"
    if os.environ.get("BIGCOMMERCE_STORE_HASH", "").strip():
        return "live"
    return "embedded"
