"""The API's direct dispatch answers exactly what Starlette's router would, headers included."""

from __future__ import annotations

from typing import Any

import pytest
from starlette.applications import Starlette

from bigcommerce_refunds.sandbox.app import api_routes
from bigcommerce_refunds.sandbox.dispatch import ApiDispatch
from tests.sandbox.helpers import BASE, Api

RATE_HEADERS = (
    "x-rate-limit-requests-quota",
    "x-rate-limit-requests-left",
    "x-rate-limit-time-window-ms",
    "x-rate-limit-time-reset-ms",
)
REFUNDS = f"{BASE}/orders/100/payment_actions/refunds"
VALID = {
    "items": [{"item_type": "FEE", "item_id": 401, "amount": 1}],
    "payments": [{"provider_id": "storecredit", "amount": 1}],
}


def _scope(method: str, path: str) -> dict[str, Any]:
    return {"type": "http", "method": method, "path": path, "root_path": "", "headers": []}


def test_an_api_path_and_method_find_their_endpoint_and_path_params() -> None:
    dispatch = ApiDispatch(api_routes())
    scope = _scope("POST", REFUNDS)

    endpoint = dispatch.endpoint_for(scope)

    assert endpoint is not None
    assert endpoint.__name__ == "order_refunds"
    assert scope["path_params"] == {"store_hash": "sandbox", "order_id": "100"}


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("DELETE", REFUNDS),  # a known path, a method it does not take: the router's 405
        ("GET", f"{BASE}/orders/100/payment_actions/nowhere"),  # the router's 404
        ("GET", "/__sandbox/orders"),  # the control API is not dispatched directly
    ],
)
def test_other_requests_are_left_to_starlette(method: str, path: str) -> None:
    assert ApiDispatch(api_routes()).endpoint_for(_scope(method, path)) is None


@pytest.mark.parametrize(
    ("method", "path", "body", "status"),
    [
        ("POST", REFUNDS, VALID, 201),
        ("POST", REFUNDS, {"items": "none"}, 422),
        ("POST", f"{BASE}/orders/999/payment_actions/refunds", VALID, 404),
        ("GET", REFUNDS, None, 200),
        ("GET", f"{BASE}/orders/payment_actions/refunds/1000", None, 200),
        ("PUT", REFUNDS, None, 405),
        ("GET", f"{BASE}/orders/100/payment_actions/nowhere", None, 404),
    ],
)
def test_every_answer_carries_each_rate_limit_header_once(
    api: Api, method: str, path: str, body: Any, status: int
) -> None:
    response = api.raw(method, path, **({"json": body} if body is not None else {}))

    assert response.status_code == status
    names = [name.lower() for name, _ in response.headers.multi_items()]
    assert [names.count(header) for header in RATE_HEADERS] == [1, 1, 1, 1]
    assert names.count("content-type") == 1
    assert response.headers["content-type"] == "application/json"


def test_a_405_on_an_api_path_still_names_the_allowed_methods(api: Api) -> None:
    response = api.raw("DELETE", REFUNDS)

    assert response.status_code == 405
    assert set(response.headers["allow"].split(", ")) == {"GET", "HEAD", "POST"}


def test_the_app_dispatches_through_the_same_route_objects_the_router_holds(
    app: Starlette,
) -> None:
    paths = [getattr(route, "path", "") for route in app.routes]

    assert [route.path for route in api_routes()] == paths[: len(api_routes())]


def test_under_a_root_path_the_prefix_is_stripped_as_starlette_strips_it() -> None:
    scope = _scope("POST", "/mounted" + REFUNDS)
    scope["root_path"] = "/mounted"

    endpoint = ApiDispatch(api_routes()).endpoint_for(scope)

    assert endpoint is not None
    assert scope["path_params"]["order_id"] == "100"
