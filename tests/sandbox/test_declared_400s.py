"""The fragment's 400s say what the sandbox sends, operation by operation (issue 15, item 6).

The shared 400 response said "The request body is not valid JSON." (the sandbox's title carries
the parser's reason) and was attached to the three GETs too, though Get a Refund has neither body
nor query. Now the POSTs declare an unreadable body, the two list reads an unparsable filter, and
Get a Refund no 400; each example is the body the sandbox answers to the request it describes.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.sandbox.helpers import BASE, FRAGMENT, Api

REQUESTS = {
    "createOrderRefund": ("POST", f"{BASE}/orders/100/payment_actions/refunds", b'{"items": ['),
    "createOrderRefundQuotes": (
        "POST",
        f"{BASE}/orders/100/payment_actions/refund_quotes",
        b'{"items": [',
    ),
    "getOrdersRefunds": (
        "GET",
        f"{BASE}/orders/payment_actions/refunds?created:min=yesterday",
        b"",
    ),
    "getOrderRefunds": (
        "GET",
        f"{BASE}/orders/100/payment_actions/refunds?created:min=yesterday",
        b"",
    ),
}


def _example(operation_id: str) -> Any:
    response = FRAGMENT.response(operation_id, 400)
    examples = response["content"]["application/json"]["examples"]
    assert len(examples) == 1, examples
    return next(iter(examples.values()))["value"]


@pytest.mark.parametrize("operation_id", sorted(REQUESTS))
def test_each_declared_400_example_is_what_the_sandbox_sends(api: Api, operation_id: str) -> None:
    method, path, body = REQUESTS[operation_id]
    headers = {"Content-Type": "application/json"} if body else {}

    reply = api.call(method, path, content=body, headers=headers)

    assert reply.status == 400
    assert reply.body == _example(operation_id)


def test_get_a_refund_declares_no_400() -> None:
    with pytest.raises(KeyError):
        FRAGMENT.response("getOrderRefund", 400)


def test_every_operation_with_a_400_is_covered_here() -> None:
    declared = {
        operation.operation_id
        for operation in FRAGMENT.operations()
        if "400" in operation.spec["responses"]
    }
    assert declared == set(REQUESTS)
