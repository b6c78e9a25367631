"""Seeded orders: realistic, small, and each one there to exercise a rule.

``fixtures.json`` (next to this module) is the default seed; ``--fixtures FILE`` or
``SandboxConfig.fixtures_path`` replaces it with a file of the same shape: ``{"orders": [order
description, ...], "refunds": [{"order_id", "created", "body": refund request}, ...]}``. Order
descriptions use the format of ``POST /__sandbox/orders`` (see
:func:`order_descriptions.parse_order`); seeded refunds go through the same rules as API calls,
so a seed cannot describe an impossible ledger.

Order, product, address and fee ids share one id space and never collide.

=====  ============================  ==========================================================
order  what it is                    lines (ids) and payment
=====  ============================  ==========================================================
100    tax-exclusive store, USD      products 201 (2 x 89.00 + 7.34 tax), 202 (4 x 12.50 + 1.03,
                                     gift wrapping 2.00 + 0.17 each), 203 (1 x 19.95 + 1.65);
                                     addresses 301 (shipping 10.00 + 0.83, handling 2.50 + 0.21)
                                     and 302 (shipping 7.50 + 0.62, handling 1.50 + 0.12);
                                     fee 401 (3.00); paid 303.36 by braintree; customer 11
101    tax-inclusive store, GBP      products 211 (3 x 36.00 incl. 6.00 VAT), 212 (1 x 54.00
                                     incl. 9.00); address 311 (shipping 6.00 incl. 1.00); fee 411
                                     (1.20 incl. 0.20); paid 169.20 by stripe; customer 12
102    split tender                  products 221 (100.00 + 8.00), 222 (2 x 5.00 + 0.40); address
                                     321 (shipping 10.00 + 0.80); paid 129.60 = bankdeposit 90.60
                                     + storecredit 39.00; customer 13
103    guest order (customer_id 0)   product 231 (2 x 15.00 + 1.24); address 331 (shipping 5.00 +
                                     0.41); paid 37.89 by card (authorizenet)
104    unpaid (awaiting payment)     product 241, address 341; 32.47 by bankdeposit, not received
105    fully refunded already        product 251 (40.00 + 3.30), address 351 (6.00 + 0.50); paid
                                     49.80 by braintree; seeded refunds 1000 (product, 43.30) and
                                     1001 (shipping, 6.50)
106    overcharged tax 5.75          product 261 (2 x 57.50 + 5.75: taxed at 10% instead of 5%);
                                     address 361 (shipping 9.99, untaxed); paid 136.49 by store
                                     credit. ``{"tax_adjustment_amount": 5.75}`` refunds the
                                     overcharge (the Create Refund page's example)
107    declining test gateway        product 271 (3 x 20.00 + 1.65), address 371 (shipping 4.00);
                                     paid 68.95 by ``testgateway_declines``, whose refund
                                     payments are declined asynchronously (see store.py)
=====  ============================  ==========================================================
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bigcommerce_refunds.sandbox.jsonbody import MalformedJSONError, loads

DEFAULT_FIXTURES = Path(__file__).with_name("fixtures.json")


class FixtureError(ValueError):
    """A fixtures file that cannot be used (the message names the file and the problem)."""


@dataclass(frozen=True)
class SeedRefund:
    order_id: int
    created: str
    body: Any


@dataclass(frozen=True)
class Fixtures:
    """Parsed (not yet validated) seed data: orders are validated when the store is built."""

    orders: tuple[Any, ...]
    refunds: tuple[SeedRefund, ...]


def load_fixtures(path: Path | None = None) -> Fixtures:
    """Read a fixtures file (the packaged one by default)."""
    source = path or DEFAULT_FIXTURES
    try:
        data = loads(source.read_bytes())
    except OSError as error:
        raise FixtureError(f"{source}: cannot read: {error.strerror}") from None
    except MalformedJSONError as error:
        raise FixtureError(f"{source}: {error}") from None
    if not isinstance(data, dict) or not isinstance(data.get("orders"), list):
        raise FixtureError(f'{source}: expected an object with an "orders" array')
    refunds = data.get("refunds", [])
    if not isinstance(refunds, list):
        raise FixtureError(f'{source}: "refunds" must be an array')
    seeds = []
    for index, seed in enumerate(refunds):
        if (
            not isinstance(seed, dict)
            or isinstance(seed.get("order_id"), bool)
            or not isinstance(seed.get("order_id"), int)
            or not isinstance(seed.get("created"), str)
            or "body" not in seed
        ):
            raise FixtureError(
                f"{source}: refunds[{index}] needs order_id (integer), created (RFC 3339) and body"
            )
        seeds.append(SeedRefund(seed["order_id"], seed["created"], seed["body"]))
    return Fixtures(tuple(data["orders"]), tuple(seeds))


__all__ = ["DEFAULT_FIXTURES", "FixtureError", "Fixtures", "SeedRefund", "load_fixtures"]
