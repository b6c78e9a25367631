"""A stateful sandbox of BigCommerce's Orders V3 refund API, for development and tests.

It serves the five refund operations at BigCommerce's URLs (``/stores/{store_hash}/v3/...``) with
seeded orders, BigCommerce's business rules and error shapes, X-Auth-Token scopes, rate limits,
injectable outages, and planted-bug profiles that prove a conformance suite can tell a broken
server from a correct one. See README.md next to this module.

    from bigcommerce_refunds.sandbox import serve

    with serve() as sandbox:
        httpx.post(f"{sandbox.base_url}/orders/106/payment_actions/refunds",
                   headers={"X-Auth-Token": sandbox.token}, json={"tax_adjustment_amount": 5.75})
"""

from bigcommerce_refunds.sandbox.app import create_app
from bigcommerce_refunds.sandbox.bugs import BUG_PROFILES, UnknownBugError
from bigcommerce_refunds.sandbox.config import (
    DEFAULT_TOKEN,
    READ_ONLY_TOKEN,
    READ_SCOPES,
    WRITE_SCOPES,
    SandboxConfig,
)
from bigcommerce_refunds.sandbox.faults import ConnectionDropped
from bigcommerce_refunds.sandbox.fixtures import FixtureError
from bigcommerce_refunds.sandbox.served import ServedSandbox, serve
from bigcommerce_refunds.sandbox.state import Sandbox

__all__ = [
    "BUG_PROFILES",
    "DEFAULT_TOKEN",
    "READ_ONLY_TOKEN",
    "READ_SCOPES",
    "WRITE_SCOPES",
    "ConnectionDropped",
    "FixtureError",
    "Sandbox",
    "SandboxConfig",
    "ServedSandbox",
    "UnknownBugError",
    "create_app",
    "serve",
]
