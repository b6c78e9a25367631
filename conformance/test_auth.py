"""Authentication and scopes, on all five operations (DESIGN.md: 401 without or with an unknown
token; 403 for a token without write scope on POST; read-only scopes may GET)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from conformance.api import RefundApi
from conformance.expect import ConformanceError, conforming
from conformance.target import Target

Call = Callable[[RefundApi], httpx.Response]

ORDER_ID = 100  # any id: auth is checked before the order is looked up
QUOTE = {"items": [{"item_type": "PRODUCT", "item_id": 1, "quantity": 1}]}
REFUND = {"items": [{"item_type": "PRODUCT", "item_id": 1, "quantity": 1}], "payments": []}

OPERATIONS: dict[str, tuple[str, Call]] = {
    "createOrderRefundQuotes": ("POST", lambda api: api.quote(ORDER_ID, QUOTE)),
    "createOrderRefund": ("POST", lambda api: api.refund(ORDER_ID, REFUND)),
    "getOrderRefunds": ("GET", lambda api: api.order_refunds(ORDER_ID)),
    "getOrderRefund": ("GET", lambda api: api.refund_by_id(1)),
    "getOrdersRefunds": ("GET", lambda api: api.all_refunds()),
}


@pytest.fixture(scope="module")
def apis(target: Target) -> Iterator[dict[str, RefundApi]]:
    made = {
        "none": target.api(None),
        "unknown": target.api("not-a-valid-token-" + "x" * 24),
        "valid": target.api(),
    }
    if target.read_only_token:
        made["read_only"] = target.api(target.read_only_token)
    yield made
    for api in made.values():
        api.close()


def _status(response: httpx.Response, operation_id: str, expected: int, who: str) -> Any:
    if response.status_code != expected:
        raise ConformanceError(
            f"{operation_id} with {who}: expected {expected}, got {response.status_code}: "
            f"{response.text[:300]}"
        )
    return conforming(response, operation_id, status=expected)


@pytest.mark.parametrize("operation_id", sorted(OPERATIONS))
def test_missing_token_is_401(apis: dict[str, RefundApi], operation_id: str) -> None:
    _, call = OPERATIONS[operation_id]
    _status(call(apis["none"]), operation_id, 401, "no X-Auth-Token")


@pytest.mark.parametrize("operation_id", sorted(OPERATIONS))
def test_unknown_token_is_401(apis: dict[str, RefundApi], operation_id: str) -> None:
    _, call = OPERATIONS[operation_id]
    _status(call(apis["unknown"]), operation_id, 401, "an unknown token")


@pytest.mark.parametrize("operation_id", sorted(OPERATIONS))
def test_read_only_token_reads_but_never_writes(
    apis: dict[str, RefundApi], operation_id: str, target: Target
) -> None:
    if "read_only" not in apis:
        pytest.skip("no read-only token for this target (set CONFORMANCE_READ_ONLY_TOKEN)")
    method, call = OPERATIONS[operation_id]
    response = call(apis["read_only"])
    if method == "POST":
        _status(response, operation_id, 403, "a read-only token")
    else:
        assert response.status_code in {200, 404}, (
            f"{operation_id} with a read-only token: expected 200 or 404, got "
            f"{response.status_code}: {response.text[:300]}"
        )
        conforming(response, operation_id)


def test_token_is_never_echoed(apis: dict[str, RefundApi], target: Target) -> None:
    response = apis["unknown"].refund(ORDER_ID, REFUND)
    assert "not-a-valid-token-" not in response.text, "the server echoed the token in an error"
    response = apis["valid"].refund(ORDER_ID, {"items": "not a list"})
    assert target.token not in response.text, "the server echoed the token in an error"
