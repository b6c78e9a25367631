"""Which server the suite tests, and what it may do there.

Three kinds of target, chosen only by ``CONFORMANCE_TARGET`` (``make conformance TARGET=...``):

* unset: ``embedded``, the project's sandbox, started by the suite on a loopback port.
* a URL: ``external``, any server claiming the API; the URL is the API base URL (e.g.
  ``http://127.0.0.1:4010/stores/sandbox/v3``), the token is ``CONFORMANCE_TOKEN``. When it also
  serves the sandbox control API (``/__sandbox/``), the suite resets it and reads its orders from
  there; otherwise the orders come from ``CONFORMANCE_ORDERS`` (a JSON file in the control API's
  order format).
* ``live``: a real store (``BIGCOMMERCE_STORE_HASH``, ``BIGCOMMERCE_ACCESS_TOKEN``, and
  ``BIGCOMMERCE_API_URL``, the API root, default ``https://api.bigcommerce.com``). Never chosen
  implicitly: exported store credentials alone do not make a run live. Safe by default: reads,
  quotes and requests built to be rejected only. Creating real refunds needs
  ``CONFORMANCE_ALLOW_REFUNDS=1``, a designated ``CONFORMANCE_REFUND_ORDER`` and an amount cap
  ``CONFORMANCE_REFUND_CAP``.

Tokens come from the environment only, never from a command line (``ps`` shows command lines).
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx

from conformance.api import ControlApi, RefundApi
from conformance.outcome import ConfigurationError

__all__ = [
    "DEFAULT_API_URL",
    "Target",
    "TargetError",
    "TargetSettings",
    "check_base_url",
    "settings_from_env",
]

DEFAULT_API_URL = "https://api.bigcommerce.com"
_BASE_PATH = re.compile(r"^(?P<root>.*?)/stores/(?P<store_hash>[^/]+)/v3/?$")

#: Kept for callers of the first release; the configuration error of a run.
TargetError = ConfigurationError


@dataclass(frozen=True, repr=False)
class TargetSettings:
    """What the environment asks to test, before anything is contacted. No token in its repr."""

    kind: str
    base_url: str = ""
    token: str = ""
    read_only_token: str | None = None
    orders_file: str | None = None
    may_create_refunds: bool = True
    refund_orders: frozenset[int] | None = None
    refund_cap: Decimal | None = None
    #: CONFORMANCE_ORDER_IDS: the orders to read through the store's own APIs (default: recent).
    order_ids: tuple[int, ...] = ()
    #: Whether the rate-limit test may exhaust the quota (always on a test server; on a live
    #: store only with CONFORMANCE_EXHAUST_RATE_LIMIT=1: it blocks the merchant's integrations).
    may_exhaust_rate_limit: bool = True

    def __repr__(self) -> str:
        return f"TargetSettings(kind={self.kind!r}, base_url={self.base_url!r}, token=<redacted>)"

    @property
    def root_url(self) -> str:
        match = _BASE_PATH.match(self.base_url)
        return match.group("root") if match else self.base_url


@dataclass(frozen=True, repr=False)
class Target:
    """A resolved target. Its repr never shows tokens.

    ``transport`` is the run's choke point (``conformance.chokepoint``): every client the suite
    builds for this target sends through it.
    """

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
    may_exhaust_rate_limit: bool = True
    transport: httpx.BaseTransport | None = None
    #: Where orders come from without a control API or CONFORMANCE_ORDERS: the store's reads.
    order_source: Callable[[], tuple[dict[str, Any], ...]] | None = None
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
        """A recording client through the choke point; by default with the target's token."""
        chosen = self.token if token is ... else token
        return RefundApi(
            self.base_url, chosen if isinstance(chosen, str) else None, transport=self.transport
        )

    def refresh_orders(self) -> tuple[dict[str, Any], ...]:
        """Current order state: the control API's, the file's, or the store's own reads."""
        if self.control is not None:
            return tuple(self.control.orders())
        if self.orders or self.order_source is None:
            return self.orders
        return self.order_source()


def check_base_url(name: str, url: str) -> str:
    """``url`` without a trailing slash, or a ConfigurationError naming what is wrong with it."""
    url = url.strip().rstrip("/")
    parts = urlsplit(url)
    example = "http://127.0.0.1:4010/stores/sandbox/v3"
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        raise ConfigurationError(
            f"{name}={url!r} has no http:// or https:// scheme and host; "
            f"give the API base URL, e.g. {example}"
        )
    if parts.query or parts.fragment:
        raise ConfigurationError(f"{name}={url!r}: the base URL takes no query or fragment")
    if not _BASE_PATH.match(url):
        raise ConfigurationError(
            f"{name}={url!r} must be the API base URL, ending in /stores/<store hash>/v3 "
            f"(e.g. {example})"
        )
    return url


def _require(env: Mapping[str, str], name: str, why: str) -> str:
    value = env.get(name, "").strip()
    if not value:
        raise ConfigurationError(f"{name} is required {why}")
    return value


def load_orders_file(path: str | None) -> tuple[dict[str, Any], ...]:
    """The orders of ``CONFORMANCE_ORDERS`` (a list, or ``{"data": [...]}``)."""
    if not path:
        return ()
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise ConfigurationError(
            f"CONFORMANCE_ORDERS={path}: cannot read JSON orders: {error}"
        ) from error
    orders = data.get("data", data) if isinstance(data, dict) else data
    if not isinstance(orders, list):
        raise ConfigurationError(
            f"CONFORMANCE_ORDERS={path}: expected a list of orders (or {{data: [...]}})"
        )
    return tuple(orders)


def _order_ids(env: Mapping[str, str]) -> tuple[int, ...]:
    raw = env.get("CONFORMANCE_ORDER_IDS", "").strip()
    if not raw:
        return ()
    parts = [part.strip() for part in raw.split(",")]
    if not all(part.isdigit() and int(part) > 0 for part in parts):
        raise ConfigurationError(
            f"CONFORMANCE_ORDER_IDS={raw!r} must be order ids separated by commas, e.g. 100,101"
        )
    return tuple(int(part) for part in parts)


def _live(env: Mapping[str, str]) -> TargetSettings:
    why = "with CONFORMANCE_TARGET=live (make conformance TARGET=live)"
    store_hash = _require(env, "BIGCOMMERCE_STORE_HASH", why)
    token = _require(env, "BIGCOMMERCE_ACCESS_TOKEN", why)
    if not re.fullmatch(r"[A-Za-z0-9_-]+", store_hash):
        raise ConfigurationError(f"BIGCOMMERCE_STORE_HASH={store_hash!r} is not a store hash")
    api_url = env.get("BIGCOMMERCE_API_URL", "").strip() or DEFAULT_API_URL
    base_url = check_base_url(
        "BIGCOMMERCE_API_URL", f"{api_url.rstrip('/')}/stores/{store_hash}/v3"
    )
    allow = env.get("CONFORMANCE_ALLOW_REFUNDS", "").strip() == "1"
    refund_orders: frozenset[int] | None = None
    cap: Decimal | None = None
    if allow:
        raw_orders = _require(env, "CONFORMANCE_REFUND_ORDER", "with CONFORMANCE_ALLOW_REFUNDS=1")
        raw_cap = _require(env, "CONFORMANCE_REFUND_CAP", "with CONFORMANCE_ALLOW_REFUNDS=1")
        try:
            refund_orders = frozenset(int(part) for part in raw_orders.split(","))
            cap = Decimal(raw_cap)
        except (ValueError, InvalidOperation) as error:
            raise ConfigurationError(f"bad CONFORMANCE_REFUND_ORDER/CAP: {error}") from error
        if not cap.is_finite() or cap <= 0:
            raise ConfigurationError("CONFORMANCE_REFUND_CAP must be a positive amount")
    return TargetSettings(
        kind="live",
        base_url=base_url,
        token=token,
        read_only_token=env.get("CONFORMANCE_READ_ONLY_TOKEN", "").strip() or None,
        orders_file=env.get("CONFORMANCE_ORDERS", "").strip() or None,
        may_create_refunds=allow,
        refund_orders=refund_orders,
        refund_cap=cap,
        order_ids=_order_ids(env),
        may_exhaust_rate_limit=env.get("CONFORMANCE_EXHAUST_RATE_LIMIT", "").strip() == "1",
    )


def settings_from_env(env: Mapping[str, str] | None = None) -> TargetSettings:
    """The target the environment names; ConfigurationError when it is incomplete or malformed."""
    env = os.environ if env is None else env
    chosen = env.get("CONFORMANCE_TARGET", "").strip()
    if not chosen or chosen == "embedded":
        return TargetSettings(kind="embedded")
    if chosen == "live":
        return _live(env)
    base_url = check_base_url("TARGET", chosen)
    token = _require(
        env, "CONFORMANCE_TOKEN", "with a TARGET URL (make conformance TARGET=<url> TOKEN=<token>)"
    )
    return TargetSettings(
        kind="external",
        base_url=base_url,
        token=token,
        read_only_token=env.get("CONFORMANCE_READ_ONLY_TOKEN", "").strip() or None,
        orders_file=env.get("CONFORMANCE_ORDERS", "").strip() or None,
        order_ids=_order_ids(env),
    )


def live_target(env: Mapping[str, str] | None = None) -> Target:
    """The live target the environment describes, unconnected (no control API, no transport)."""
    settings = _live(os.environ if env is None else env)
    return Target(
        kind="live",
        base_url=settings.base_url,
        token=settings.token,
        read_only_token=settings.read_only_token,
        orders=load_orders_file(settings.orders_file),
        may_create_refunds=settings.may_create_refunds,
        refund_orders=settings.refund_orders,
        refund_cap=settings.refund_cap,
        may_exhaust_rate_limit=settings.may_exhaust_rate_limit,
    )
