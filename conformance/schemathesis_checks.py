"""Our domain checks, registered with Schemathesis (loaded through the ``hooks`` setting).

Each wraps a function of ``conformance.checks`` and fails with its message. The read-back check
follows every created refund to the three reads, which catches lost writes and stale reads even
when Schemathesis' stateful phase does not reach them.

Registering a check does not enable it: the suite's config turns every check off and then on by
name, so ``schemathesis_run.DOMAIN_CHECKS`` names each of them too. They run on every
response, so each returns before parsing the body when the operation or status is not its own.
"""

from __future__ import annotations

import os
from typing import Any

import httpx
import schemathesis

from conformance import checks

_BASE_URL = os.environ.get("SCHEMATHESIS_CONFORMANCE_BASE_URL", "")
#: Reads go through the suite's choke point, which may hold them until the quota resets.
_TIMEOUT = float(os.environ.get("SCHEMATHESIS_CONFORMANCE_TIMEOUT", "10"))
_REFUND_READS = {"getOrderRefund", "getOrderRefunds", "getOrdersRefunds"}


def _operation_id(case: schemathesis.Case[Any]) -> str:
    definition = getattr(case.operation, "definition", None)
    raw = getattr(definition, "raw", None)
    if isinstance(raw, dict):
        return str(raw.get("operationId", ""))
    return ""


def _json(response: schemathesis.Response) -> Any:
    try:
        return checks.parse_json(response.content)
    except ValueError:
        return None


def _fail(problems: list[str]) -> None:
    if problems:
        raise AssertionError("\n".join(problems))


def _headers(response: schemathesis.Response) -> dict[str, str]:
    return {name: values[0] for name, values in response.headers.items() if values}


@schemathesis.check
def refund_money_is_consistent(
    ctx: schemathesis.CheckContext, response: schemathesis.Response, case: schemathesis.Case[Any]
) -> None:
    """Every refund a response carries: total_amount is the sum of its payments, to the cent."""
    if not 200 <= response.status_code < 300:
        return
    operation = _operation_id(case)
    if operation != "createOrderRefund" and operation not in _REFUND_READS:
        return
    body = _json(response)
    if not isinstance(body, dict):
        return
    data = body.get("data")
    if operation == "createOrderRefund":
        order_id = case.path_parameters.get("order_id")
        _fail(
            checks.refund_problems(
                data, order_id=order_id if isinstance(order_id, int) else None, request=case.body
            )
        )
    elif operation == "getOrderRefund":
        _fail(checks.refund_problems(data))
    elif operation in _REFUND_READS:
        order_id = case.path_parameters.get("order_id")
        _fail(checks.list_problems(data, order_id=order_id if isinstance(order_id, int) else None))


@schemathesis.check
def quote_methods_add_up(
    ctx: schemathesis.CheckContext, response: schemathesis.Response, case: schemathesis.Case[Any]
) -> None:
    """Each refund method of a quote pays exactly the quote's total refund amount."""
    if _operation_id(case) == "createOrderRefundQuotes" and response.status_code == 201:
        body = _json(response)
        if isinstance(body, dict):
            _fail(checks.quote_problems(body.get("data")))


@schemathesis.check
def rate_limit_headers_are_consistent(
    ctx: schemathesis.CheckContext, response: schemathesis.Response, case: schemathesis.Case[Any]
) -> None:
    """Requests-Left stays within the quota and the reset time within the window."""
    _fail(checks.rate_limit_problems(_headers(response)))


@schemathesis.check
def created_refund_reads_back(
    ctx: schemathesis.CheckContext, response: schemathesis.Response, case: schemathesis.Case[Any]
) -> None:
    """A 201 refund is then returned, identical, by GET by id, GET for the order and GET all."""
    if _operation_id(case) != "createOrderRefund" or response.status_code != 201 or not _BASE_URL:
        return
    body = _json(response)
    created = body.get("data") if isinstance(body, dict) else None
    if not isinstance(created, dict) or not isinstance(created.get("id"), int):
        return
    token = os.environ.get("CONFORMANCE_TOKEN")
    headers = {"Accept": "application/json"}
    if token:
        headers["X-Auth-Token"] = str(token)
    refund_id, order_id = created["id"], created.get("order_id")
    problems: list[str] = []
    with httpx.Client(base_url=_BASE_URL, headers=headers, timeout=_TIMEOUT) as http:
        by_id = http.get(f"/orders/payment_actions/refunds/{refund_id}")
        read = checks.parse_json(by_id.content).get("data") if by_id.status_code == 200 else None
        problems += checks.same_refund_problems(f"GET by id ({by_id.status_code})", created, read)
        for label, url, params in (
            ("GET for the order", f"/orders/{order_id}/payment_actions/refunds", None),
            ("GET all", "/orders/payment_actions/refunds", {"id:in": str(refund_id)}),
        ):
            listed = http.get(url, params=params)
            data = (
                checks.parse_json(listed.content).get("data") if listed.status_code == 200 else []
            )
            found = checks.find_refund(data if isinstance(data, list) else [], refund_id)
            problems += checks.same_refund_problems(
                f"{label} ({listed.status_code})", created, found
            )
    _fail(problems)
