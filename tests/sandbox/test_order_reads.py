"""The order reads (Orders V2, V3 transactions): BigCommerce's shapes, moving with refunds.

Every answer is validated against the vendored upstream schemas (spec/store_reads.py), for every
seeded order, and the refunded amounts and quantities they show are checked to move by exactly
what each refund took.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import httpx
import pytest

from bigcommerce_refunds.sandbox.launcher import _config, _parser
from bigcommerce_refunds.spec import store_reads
from tests.sandbox.helpers import Api, in_process, read_only, sandbox_config

V2 = "/stores/sandbox/v2/orders"
V3 = "/stores/sandbox/v3/orders"


def read(api: Api, read_name: str, path: str, **params: Any) -> Any:
    """GET ``path``; a 200 must validate against ``read_name``'s upstream schema."""
    response = api.raw("GET", path, params=params)
    assert response.status_code == 200, (path, response.status_code, response.text)
    assert response.headers["content-type"].startswith("application/json")
    assert "X-Rate-Limit-Requests-Left" in response.headers
    body = response.json()
    assert store_reads.problems(read_name, body) == [], path
    return body


def order_ids(api: Api) -> list[int]:
    return [order["id"] for order in api.control("GET", "/orders")]


def test_every_read_of_every_seeded_order_validates_against_upstream(api: Api) -> None:
    ids = order_ids(api)
    assert len(ids) >= 5
    listed = read(api, store_reads.ORDERS, V2, limit=250)
    assert [order["id"] for order in listed] == sorted(ids)
    for order_id in ids:
        order = read(api, store_reads.ORDER, f"{V2}/{order_id}")
        assert order["id"] == order_id
        view = api.order(order_id)
        assert Decimal(order["total_inc_tax"]) == view["totals"]["total"]
        if view["products"]:
            products = read(api, store_reads.PRODUCTS, f"{V2}/{order_id}/products")
            assert [p["id"] for p in products] == [p["id"] for p in view["products"]]
        if view["addresses"]:
            addresses = read(
                api, store_reads.SHIPPING_ADDRESSES, f"{V2}/{order_id}/shipping_addresses"
            )
            assert [a["id"] for a in addresses] == [a["id"] for a in view["addresses"]]
        fees = read(api, store_reads.FEES, f"{V2}/{order_id}/fees")
        assert [fee["id"] for fee in fees["fees"]] == [fee["id"] for fee in view["fees"]]
        transactions = read(api, store_reads.TRANSACTIONS, f"{V3}/{order_id}/transactions")
        purchases = [t for t in transactions["data"] if t["event"] == "purchase"]
        if view["paid"]:
            assert [Decimal(str(t["amount"])) for t in purchases] == [
                p["amount"] for p in view["payments"]
            ]
        else:
            assert purchases == []


def test_refunds_move_what_the_reads_show(api: Api) -> None:
    before_order = read(api, store_reads.ORDER, f"{V2}/100")
    (before_product,) = [
        p for p in read(api, store_reads.PRODUCTS, f"{V2}/100/products") if p["id"] == 202
    ]
    before_transactions = read(api, store_reads.TRANSACTIONS, f"{V3}/100/transactions")["data"]

    _, refund = api.quote_then_refund(
        100, [{"item_type": "PRODUCT", "item_id": 202, "quantity": 1}]
    )

    assert refund.status == 201, refund.body
    total = Decimal(str(refund.data["total_amount"]))
    after_order = read(api, store_reads.ORDER, f"{V2}/100")
    (after_product,) = [
        p for p in read(api, store_reads.PRODUCTS, f"{V2}/100/products") if p["id"] == 202
    ]
    after_transactions = read(api, store_reads.TRANSACTIONS, f"{V3}/100/transactions")["data"]
    assert (
        Decimal(after_order["refunded_amount"]) - Decimal(before_order["refunded_amount"]) == total
    )
    assert after_order["payment_status"] == "partially refunded"
    assert after_product["quantity_refunded"] == before_product["quantity_refunded"] + 1
    assert Decimal(after_product["refund_amount"]) > Decimal(before_product["refund_amount"])
    new = after_transactions[len(before_transactions) :]
    assert [t["event"] for t in new] == ["refund"] * len(refund.data["payments"])
    assert sum(Decimal(str(t["amount"])) for t in new) == total
    assert {t["gateway_transaction_id"] for t in new} == {
        p["transaction_id"] for p in refund.data["payments"]
    }


def test_a_shipping_refund_moves_the_order_s_refunded_amount(api: Api) -> None:
    view = api.order(100)
    address = view["addresses"][0]["id"]
    items = [{"item_type": "SHIPPING", "item_id": address, "amount": Decimal("1.00")}]
    _, refund = api.quote_then_refund(100, items)
    assert refund.status == 201, refund.body
    order = read(api, store_reads.ORDER, f"{V2}/100")
    assert Decimal(order["refunded_amount"]) == Decimal(str(refund.data["total_amount"]))


def test_the_order_list_sorts_pages_and_filters(api: Api) -> None:
    ids = sorted(order_ids(api))
    newest_first = read(api, store_reads.ORDERS, V2, sort="id:desc", limit=2)
    assert [o["id"] for o in newest_first] == ids[::-1][:2]
    second_page = read(api, store_reads.ORDERS, V2, limit=2, page=2)
    assert [o["id"] for o in second_page] == ids[2:4]
    bounded = read(api, store_reads.ORDERS, V2, min_id=ids[1], max_id=ids[2])
    assert [o["id"] for o in bounded] == ids[1:3]


def test_an_empty_v2_list_is_a_204_without_a_body(api: Api) -> None:
    response = api.raw("GET", V2, params={"min_id": 10**9})
    assert response.status_code == 204
    assert response.content == b""


@pytest.mark.parametrize(
    "params",
    [{"sort": "total:desc"}, {"sort": "id:sideways"}, {"min_id": "abc"}, {"max_id": "-1"}],
)
def test_invalid_list_parameters_are_400(api: Api, params: dict[str, str]) -> None:
    response = api.raw("GET", V2, params=params)
    assert response.status_code == 400
    assert response.json()["status"] == 400


@pytest.mark.parametrize(
    "path",
    [
        f"{V2}/999999",
        f"{V2}/999999/products",
        f"{V2}/abc/shipping_addresses",
        f"{V2}/0/fees",
        f"{V3}/999999/transactions",
        "/stores/other/v2/orders/100",
        "/stores/other/v2/orders",
    ],
)
def test_unknown_orders_and_stores_are_json_404s(api: Api, path: str) -> None:
    response = api.raw("GET", path)
    assert response.status_code == 404
    assert response.json()["status"] == 404


@pytest.mark.parametrize(
    "path", [f"{V2}", f"{V2}/100", f"{V2}/100/products", f"{V3}/100/transactions"]
)
def test_reads_need_a_token_and_a_read_only_one_will_do(api: Api, path: str) -> None:
    assert api.raw("GET", path, token=None).status_code == 401
    assert api.raw("GET", path, token="wrong").status_code == 401
    assert read_only(api).raw("GET", path).status_code == 200


def test_reads_count_against_the_rate_limit(api: Api) -> None:
    first = api.raw("GET", f"{V2}/100")
    second = api.raw("GET", f"{V2}/100/fees")
    left = [int(r.headers["X-Rate-Limit-Requests-Left"]) for r in (first, second)]
    assert left[1] == left[0] - 1


def test_post_to_a_read_is_405(api: Api) -> None:
    response = api.raw("POST", f"{V2}/100/products", json={})
    assert response.status_code == 405
    assert isinstance(response, httpx.Response)


@pytest.mark.parametrize(
    ("read_name", "body"),
    [
        (store_reads.ORDER, {"id": "100"}),
        (store_reads.ORDER, {"id": 100, "payment_status": "settled-ish"}),
        (store_reads.ORDERS, {"id": 100}),
        (store_reads.PRODUCTS, [{"id": 1, "quantity_refunded": "1"}]),
        (store_reads.PRODUCTS, [{"id": 1, "surprise": True}]),
        (store_reads.SHIPPING_ADDRESSES, [{"id": "301"}]),
        (store_reads.FEES, [{"id": 1}]),
        (store_reads.FEES, {"fees": [{"id": 1, "type": "surcharge"}]}),
        (store_reads.TRANSACTIONS, {"data": [{"event": "refund", "amount": 1}]}),
        (
            store_reads.TRANSACTIONS,
            {
                "data": [
                    {
                        "event": "refund",
                        "method": "credit_card",
                        "amount": 1,
                        "currency": "USD",
                        "gateway": "not-a-gateway",
                    }
                ]
            },
        ),
    ],
)
def test_the_upstream_schemas_reject_wrong_shapes(read_name: str, body: Any) -> None:
    # The validation above would prove nothing if these schemas accepted anything.
    assert store_reads.problems(read_name, body) != []


def test_without_the_control_api_the_sandbox_poses_as_a_store() -> None:
    with in_process(sandbox_config(control_api=False)) as (api, _):
        for method, path in [
            ("GET", "/__sandbox/orders"),
            ("POST", "/__sandbox/reset"),
            ("GET", "/__sandbox"),
            ("POST", "/__sandbox/faults"),
        ]:
            response = api.raw(method, path)
            assert response.status_code == 404, path
            assert response.json()["title"] == "Not found: no such endpoint."
        # The store itself answers as before: its orders through the V2 reads, its refunds.
        assert read(api, store_reads.ORDER, f"{V2}/100")["id"] == 100
        assert api.order_refunds(100).status == 200


def test_the_launcher_switches_the_control_api_off() -> None:
    assert _config(_parser().parse_args([])).control_api is True
    assert _config(_parser().parse_args(["--no-control"])).control_api is False
    assert "--no-control" in _parser().format_help()
