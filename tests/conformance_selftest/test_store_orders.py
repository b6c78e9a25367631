"""Live mode's orders: read through the store's own APIs, they equal what the control API says.

The sandbox serves both the control API's order view and the Orders V2 / V3 transactions reads a
real store has. Reconstructed from the reads alone, every seeded order must parse into the same
lines, remaining quantities and amounts, payments and totals, before and after refunds of every
kind; only the overcharged tax is invisible in the reads.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Mapping
from decimal import Decimal
from typing import Any

import httpx
import pytest

from bigcommerce_refunds.sandbox import ServedSandbox
from bigcommerce_refunds.sandbox.pytest_plugin import (
    refunds_sandbox,
    refunds_sandbox_config,
    refunds_sandbox_server,
)
from conformance.orders import Order, parse_order
from conformance.store_orders import Get, StoreReadError, order_view, store_orders

# The sandbox's own pytest plugin: a served sandbox per session, reset for every test.
__all__ = ["refunds_sandbox", "refunds_sandbox_config", "refunds_sandbox_server"]


@pytest.fixture
def sandbox(refunds_sandbox: ServedSandbox) -> ServedSandbox:
    return refunds_sandbox


@pytest.fixture
def http(sandbox: ServedSandbox) -> Iterator[httpx.Client]:
    with httpx.Client(headers={"X-Auth-Token": sandbox.token}) as client:
        yield client


def getter(http: httpx.Client, sandbox: ServedSandbox) -> Get:
    root = sandbox.base_url.removesuffix("/v3")

    def get(path: str, params: Mapping[str, str]) -> httpx.Response:
        return http.get(root + path, params=dict(params))

    return get


def control_orders(sandbox: ServedSandbox) -> dict[int, Order]:
    views = sandbox.sandbox.store.snapshot()["orders"]
    return {view["id"]: _comparable(parse_order(view)) for view in views}


def _comparable(order: Order) -> Order:
    return dataclasses.replace(order, overcharged_tax=Decimal(0))


def from_reads(http: httpx.Client, sandbox: ServedSandbox) -> dict[int, Order]:
    views = store_orders(getter(http, sandbox), None, limit=250)
    return {view["id"]: parse_order(view) for view in views}


def refund(http: httpx.Client, sandbox: ServedSandbox, order_id: int, items: list[Any]) -> None:
    base = f"{sandbox.base_url}/orders/{order_id}/payment_actions"
    quote = http.post(f"{base}/refund_quotes", json={"items": items})
    assert quote.status_code == 201, quote.text
    method = quote.json()["data"]["refund_methods"][0]
    payments = [{"provider_id": o["provider_id"], "amount": o["amount"]} for o in method]
    created = http.post(f"{base}/refunds", json={"items": items, "payments": payments})
    assert created.status_code == 201, created.text


def test_every_seeded_order_reads_the_same_through_the_store_s_own_apis(
    sandbox: ServedSandbox, http: httpx.Client
) -> None:
    expected = control_orders(sandbox)
    assert from_reads(http, sandbox) == expected
    assert len(expected) >= 5


def test_after_refunds_of_every_kind_the_reads_still_agree(
    sandbox: ServedSandbox, http: httpx.Client
) -> None:
    view = sandbox.sandbox.store.snapshot()["orders"]
    order = next(v for v in view if v["id"] == 100)
    product = order["products"][0]["id"]
    address = order["addresses"][0]["id"]
    items: list[list[Any]] = [
        [{"item_type": "PRODUCT", "item_id": product, "quantity": 1}],
        [{"item_type": "SHIPPING", "item_id": address, "amount": 1.25}],
    ]
    wrapped = [p for p in order["products"] if p.get("gift_wrapping")]
    if wrapped:
        items.append([{"item_type": "GIFT_WRAPPING", "item_id": wrapped[0]["id"], "quantity": 1}])
    if order["fees"]:
        items.append([{"item_type": "FEE", "item_id": order["fees"][0]["id"], "amount": 0.5}])
    for entry in items:
        refund(http, sandbox, 100, entry)
    assert from_reads(http, sandbox)[100] == control_orders(sandbox)[100]


def test_named_orders_are_read_and_unknown_ones_are_reported(
    sandbox: ServedSandbox, http: httpx.Client
) -> None:
    get = getter(http, sandbox)
    assert [view["id"] for view in store_orders(get, [101, 100])] == [101, 100]
    with pytest.raises(StoreReadError, match="GET /v2/orders/999999: HTTP 404"):
        order_view(get, 999999)


def test_a_store_whose_reads_break_the_schema_is_reported_not_guessed_around() -> None:
    def get(path: str, params: Mapping[str, str]) -> httpx.Response:
        return httpx.Response(200, json={"id": "100", "refunded_amount": 5})

    with pytest.raises(StoreReadError, match="does not match BigCommerce's schema"):
        order_view(get, 100)
