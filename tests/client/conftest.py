"""Fixtures of the client tests that run against a sandbox served on loopback."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bigcommerce_refunds.client import Payment, RefundsClient, payments_for, product
from bigcommerce_refunds.sandbox import ServedSandbox, serve

#: The refund of the issue's reproduction: order 100, one unit of product 202.
ORDER_ID = 100
ITEMS = [product(202, 1)]


@pytest.fixture(scope="module")
def served() -> Iterator[ServedSandbox]:
    """One sandbox on a free loopback port per test module, stopped at the module's end."""
    with serve() as sandbox:
        yield sandbox


@pytest.fixture
def sandbox(served: ServedSandbox) -> ServedSandbox:
    """The module's sandbox, reset to its seeded state for this test."""
    served.sandbox.reset()
    return served


@pytest.fixture(scope="module")
def payments(served: ServedSandbox) -> list[Payment]:
    """What the sandbox's own quote offers first for ITEMS on ORDER_ID."""
    served.sandbox.reset()
    with RefundsClient(base_url=served.base_url, access_token=served.token) as client:
        quote = client.quote_refund(ORDER_ID, ITEMS)
    return payments_for(quote.refund_methods[0])
