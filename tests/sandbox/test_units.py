"""The small pieces: money, JSON in and out, config, fixtures, orders, rate-limit windows."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from bigcommerce_refunds.sandbox import SandboxConfig, create_app
from bigcommerce_refunds.sandbox.fixtures import FixtureError, load_fixtures
from bigcommerce_refunds.sandbox.jsonbody import MalformedJSONError, dumps, loads
from bigcommerce_refunds.sandbox.money import MAX_AMOUNT, in_range, money, parse_amount, share
from bigcommerce_refunds.sandbox.ratelimit import RateLimiter
from tests.sandbox.helpers import Api, snapshot_unchanged

D = Decimal


def test_money_rounds_half_up_and_refuses_floats() -> None:
    assert money("2.675") == D("2.68")
    assert money(D("-0.005")) == D("-0.01")
    assert money(3) == D("3.00")
    for bad in (0.1, True, D("NaN"), D("1e15")):
        with pytest.raises(ValueError, match="money"):
            money(bad)


def test_parse_amount_keeps_huge_values_comparable_without_arithmetic() -> None:
    assert parse_amount(D("1.005")) == D("1.01")
    huge = parse_amount(D("1e99999999"))
    assert huge is not None
    assert huge > MAX_AMOUNT
    assert not in_range(huge)
    assert parse_amount("1") is None
    assert parse_amount(False) is None
    assert parse_amount(D("Infinity")) is None
    assert share(D("3.33"), D("0.83"), D("10.00")) == D("0.28")
    assert share(D("1"), D("1"), D("0")) == D("0.00")


def test_json_numbers_are_exact_both_ways() -> None:
    parsed = loads(b'{"a": 0.1, "b": 10, "c": 1e400, "d": "\\ud800"}')
    assert parsed == {"a": D("0.1"), "b": 10, "c": D("1e400"), "d": "\ud800"}
    assert dumps({"a": D("5.75"), "b": [D("10.00"), 1, None, True], "c": "\ud800"}) == (
        '{"a":5.75,"b":[10.00,1,null,true],"c":"\\ud800"}'
    )
    assert json.loads(dumps({"x": D("0.10")})) == {"x": 0.1}
    with pytest.raises(TypeError):
        dumps({"x": 0.1})
    with pytest.raises(ValueError, match="non-finite"):
        dumps({"x": D("NaN")})


@pytest.mark.parametrize(
    "text", [b"NaN", b"[Infinity]", b"", b"{", b"\xff", b"[" * 65 + b"]" * 65, b'{"a":' * 100]
)
def test_loads_refuses_what_json_does_not_allow(text: bytes) -> None:
    with pytest.raises(MalformedJSONError):
        loads(text)


def test_loads_ignores_brackets_inside_strings_when_measuring_depth() -> None:
    text = '{"reason": "' + "[" * 5000 + '\\"]"}'
    assert loads(text.encode())["reason"].startswith("[[[")


def test_config_validates_and_redacts() -> None:
    with pytest.raises(ValueError, match="store_hash"):
        SandboxConfig(store_hash="a/b")
    with pytest.raises(ValueError, match="at least one token"):
        SandboxConfig(tokens={})
    with pytest.raises(ValueError, match="printable"):
        SandboxConfig(tokens={"bad\ntoken": frozenset()})
    config = SandboxConfig(tokens={"t0p-s3cret": frozenset()})
    assert "t0p-s3cret" not in repr(config)
    assert "<1 redacted>" in repr(config)


def test_rate_limiter_windows_with_a_fake_clock() -> None:
    now = [0.0]
    limiter = RateLimiter(2, 1000, lambda: now[0])
    assert [limiter.consume("a").left for _ in range(2)] == [1, 0]
    denied = limiter.consume("a")
    assert not denied.allowed
    assert denied.headers()["X-Retry-After"] == "1"
    assert limiter.consume("b").allowed
    assert limiter.peek("a").left == 0
    now[0] = 1.0
    assert limiter.consume("a").left == 1
    limiter.reset()
    assert limiter.peek("a").left == 2


def test_the_seeded_fixtures_are_consistent(api: Api) -> None:
    orders = {order["id"]: order for order in api.control("GET", "/orders")}
    assert sorted(orders) == list(range(100, 108))
    ids = list(orders)
    for order in orders.values():
        ids += [p["id"] for p in order["products"]]
        ids += [a["id"] for a in order["addresses"]]
        ids += [f["id"] for f in order["fees"]]
    assert len(ids) == len(set(ids)), "ids must be distinct across orders, items and fees"
    assert orders[100]["totals"]["paid"] == D("303.36")
    assert orders[101]["tax_inclusive"] is True
    assert [p["provider_id"] for p in orders[102]["payments"]] == ["bankdeposit", "storecredit"]
    assert orders[103]["customer_id"] == 0
    assert orders[104]["status"] == "Awaiting Payment"
    assert orders[105]["status"] == "Refunded"
    assert orders[106]["overcharged_tax"] == D("5.75")
    assert orders[107]["payments"][0]["provider_id"] == "testgateway_declines"


def test_create_an_order_through_the_control_api(api: Api) -> None:
    description = {
        "customer_id": 0,
        "products": [
            {"name": "Mug", "quantity": 2, "unit_price": 10, "unit_tax": 0.83},
        ],
        "addresses": [{"shipping": 5, "shipping_tax": 0.41}],
        "fees": [{"name": "Rush", "amount": 2}],
        "payments": [{"provider_id": "stripe"}],
    }
    created = api.call("POST", "/__sandbox/orders", json=description)
    assert created.status == 201
    order = created.data
    assert order["id"] > 411
    assert order["totals"]["paid"] == D("29.07")
    product_id = order["products"][0]["id"]
    _, refund = api.quote_then_refund(
        order["id"], [{"item_type": "PRODUCT", "item_id": product_id, "quantity": 2}]
    )
    assert refund.status == 201
    assert refund.data["payments"][0]["provider_id"] == "stripe"
    before = api.state()
    guest = api.refund(
        order["id"],
        {
            "items": [{"item_type": "FEE", "item_id": order["fees"][0]["id"], "amount": 2}],
            "payments": [{"provider_id": "storecredit", "amount": 2}],
        },
    )
    assert guest.body["data"][0]["title"] == "Unable to provide store credit for a guest customer."
    snapshot_unchanged(api, before)
    api.control("POST", "/reset")
    assert api.call("GET", f"/__sandbox/orders/{order['id']}").status == 404


def test_fixtures_from_a_file(tmp_path: Path) -> None:
    path = tmp_path / "fixtures.json"
    path.write_text(
        json.dumps(
            {
                "orders": [
                    {
                        "id": 7,
                        "customer_id": 3,
                        "products": [{"id": 8, "quantity": 1, "unit_price": 5}],
                        "payments": [{"provider_id": "storecredit", "amount": 5}],
                    }
                ]
            }
        )
    )
    app = create_app(SandboxConfig(fixtures_path=path))
    assert list(app.state.sandbox.store.orders) == [7]
    for content, message in [
        ("[]", '"orders" array'),
        ("{", "not valid JSON"),
        ('{"orders": [], "refunds": [{}]}', "refunds[0] needs"),
        (
            '{"orders": [], "refunds": [{"order_id": 1, "created": "x", "body": {}}]}',
            "not in the fixtures",
        ),
    ]:
        path.write_text(content)
        with pytest.raises(FixtureError, match=message.replace("[", r"\[")):
            create_app(SandboxConfig(fixtures_path=path))
    with pytest.raises(FixtureError, match="cannot read"):
        load_fixtures(tmp_path / "missing.json")
