"""The ASGI app: BigCommerce's refund URLs, the control API, and the request pipeline.

Every refund operation runs the same steps, each of which may answer on its own:

    gateway (429, 401, 403) -> store hash and path ids (404) -> raw body (415, 413)
    -> injected faults, before (503, 429, latency, dropped connection, gateway error)
    -> JSON (400) -> request schema (422) -> business rules and commit under the store's lock
    (422) -> 201 -> the ``responses`` seam -> injected faults, after (latency, dropped
    connection, gateway error)

The steps read the sandbox's seams (:mod:`seams`: the rule set, the store's commit, refund views,
responses) and nothing else of the planted bugs, which live in the ``bugs`` package.

Routes mirror ``https://api.bigcommerce.com/stores/{store_hash}/v3``; the control API lives under
``/__sandbox/`` (see control.py).
"""

from __future__ import annotations

import dataclasses
import logging
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from bigcommerce_refunds.sandbox import control, outages
from bigcommerce_refunds.sandbox.config import SandboxConfig
from bigcommerce_refunds.sandbox.dispatch import ApiDispatch, anchored
from bigcommerce_refunds.sandbox.errors import (
    ApiError,
    JsonResponse,
    error_response,
    quote_unprocessable,
    refund_unprocessable,
    schema_violation,
)
from bigcommerce_refunds.sandbox.faults import ConnectionDropped, Fault
from bigcommerce_refunds.sandbox.gateway import Gateway, rate_headers
from bigcommerce_refunds.sandbox.order_reads import order_reads
from bigcommerce_refunds.sandbox.payloads import (
    QUOTE_OPERATION,
    REFUND_OPERATION,
    AmbiguousRefundError,
    SchemaViolationError,
    parse_payload,
)
from bigcommerce_refunds.sandbox.requestio import (
    pagination,
    parse_json,
    positive_id,
    read_body,
    refund_filter,
)
from bigcommerce_refunds.sandbox.state import Sandbox
from bigcommerce_refunds.sandbox.store import RefundFilter
from bigcommerce_refunds.sandbox.views import refund_data
from bigcommerce_refunds.sandbox.violations import RuleViolations, Violation

logger = logging.getLogger("bigcommerce_refunds.sandbox")

API = "/stores/{store_hash}/v3"
ORDER = API + "/orders/{order_id}/payment_actions"


def _sandbox(request: Request) -> Sandbox:
    sandbox: Sandbox = request.app.state.sandbox
    return sandbox


def _not_found(title: str, errors: dict[str, str] | None = None) -> ApiError:
    return ApiError(error_response(404, title, errors))


def _check_store(request: Request) -> Sandbox:
    sandbox = _sandbox(request)
    if request.path_params["store_hash"] != sandbox.config.store_hash:
        raise _not_found("Store not found.", {"store_hash": "this sandbox serves one store"})
    return sandbox


def _order_id(request: Request, sandbox: Sandbox) -> int:
    order_id = positive_id(request.path_params["order_id"])
    if order_id is None:
        raise _not_found("Order not found.", {"order_id": "must be a positive integer"})
    with sandbox.store.lock:
        if order_id not in sandbox.store.orders:
            raise _not_found("Order not found.", {"order_id": f"no order {order_id}"})
    return order_id


def _outgoing(sandbox: Sandbox, operation_id: str, response: Response) -> Response:
    """``response`` through the ``responses`` seam (untouched when it holds no hook)."""
    seams = sandbox.seams
    return seams.outgoing(operation_id, response) if seams.responses else response


# ---------------------------------------------------------------------------------- POSTs


async def _payload(
    request: Request, sandbox: Sandbox, operation_id: str, order_id: int
) -> tuple[Any, list[Fault]]:
    """The parsed JSON body, and the injected faults that strike after processing."""
    body = await read_body(request, sandbox.config.max_body_bytes)
    later = await outages.before(sandbox, operation_id, order_id)
    return parse_json(body), later


async def create_refund_quote(request: Request) -> Response:
    sandbox = _check_store(request)
    order_id = _order_id(request, sandbox)
    body, later = await _payload(request, sandbox, QUOTE_OPERATION, order_id)
    answer = _outgoing(sandbox, QUOTE_OPERATION, _quote(sandbox, order_id, body))
    return await outages.after(later, answer) if later else answer


def _quote(sandbox: Sandbox, order_id: int, body: Any) -> Response:
    try:
        payload = parse_payload(QUOTE_OPERATION, body)
    except SchemaViolationError as error:
        return quote_unprocessable([schema_violation(error.errors)])
    except AmbiguousRefundError:
        return quote_unprocessable([_ambiguous()])
    # Quotes take no override (upstream removed it from quote bodies); ignore one if sent.
    payload = dataclasses.replace(payload, payments=[], merchant_calculated_override=None)
    try:
        quote = sandbox.store.quote(order_id, payload, sandbox.seams.rules)
    except RuleViolations as error:
        return quote_unprocessable(error.violations)
    except KeyError:  # the order vanished in a concurrent reset
        raise _not_found("Order not found.") from None
    return JsonResponse({"data": quote, "meta": {}}, status_code=201)


def _ambiguous() -> Violation:
    return Violation(
        "ambiguous_refund",
        {"code": "ambiguous_refund", "tax_adjustment_amount": "must be 0 when items are sent"},
    )


async def create_refund(request: Request) -> Response:
    sandbox = _check_store(request)
    order_id = _order_id(request, sandbox)
    body, later = await _payload(request, sandbox, REFUND_OPERATION, order_id)
    answer = _outgoing(sandbox, REFUND_OPERATION, _refund(sandbox, order_id, body))
    return await outages.after(later, answer) if later else answer


def _refund(sandbox: Sandbox, order_id: int, body: Any) -> Response:
    try:
        payload = parse_payload(REFUND_OPERATION, body)
    except SchemaViolationError as error:
        return refund_unprocessable([schema_violation(error.errors)])
    except AmbiguousRefundError:
        return refund_unprocessable([_ambiguous()])
    # Refunds on one order are processed one at a time (BigCommerce: "concurrent refunds on the
    # same order are not yet supported"): the store checks and commits under its lock, and
    # nothing awaits in between, so no other request can interleave.
    seams = sandbox.seams
    try:
        refund = sandbox.store.create_refund(
            order_id, payload, seams.rules, keep=seams.keeps_refunds
        )
    except RuleViolations as error:
        return refund_unprocessable(error.violations)
    except KeyError:
        raise _not_found("Order not found.") from None
    data = refund_data(refund, seams.refund_views)
    return JsonResponse({"data": data, "meta": {}}, status_code=201)


# ---------------------------------------------------------------------------------- GETs


async def order_refunds(request: Request) -> Response:
    if request.method == "POST":
        return await create_refund(request)
    return await get_order_refunds(request)


async def get_order_refunds(request: Request) -> Response:
    sandbox = _check_store(request)
    order_id = _order_id(request, sandbox)
    later = await outages.before(sandbox, "getOrderRefunds", None)
    refunds = _read(sandbox, refund_filter(request, order_id=order_id))
    views = sandbox.seams.refund_views
    data = [refund_data(refund, views) for refund in refunds]
    answer = _outgoing(sandbox, "getOrderRefunds", JsonResponse({"data": data, "meta": {}}))
    return await outages.after(later, answer) if later else answer


async def get_refund(request: Request) -> Response:
    sandbox = _check_store(request)
    refund_id = positive_id(request.path_params["refund_id"])
    if refund_id is None:
        raise _not_found("Refund not found.", {"refund_id": "must be a positive integer"})
    later = await outages.before(sandbox, "getOrderRefund", None)
    found = _read(sandbox, RefundFilter(refund_ids=frozenset({refund_id})))
    if not found:
        raise _not_found("Refund not found.", {"refund_id": f"no refund {refund_id}"})
    data = refund_data(found[0], sandbox.seams.refund_views, by_id=True)
    answer = _outgoing(sandbox, "getOrderRefund", JsonResponse({"data": data, "meta": {}}))
    return await outages.after(later, answer) if later else answer


async def get_all_refunds(request: Request) -> Response:
    sandbox = _check_store(request)
    later = await outages.before(sandbox, "getOrdersRefunds", None)
    refund_filter_ = refund_filter(request)
    page, limit = pagination(request)
    refunds = _read(sandbox, refund_filter_)
    chunk = refunds[(page - 1) * limit : page * limit]
    meta = {
        "pagination": {
            "total": len(refunds),
            "count": len(chunk),
            "per_page": limit,
            "current_page": page,
            "total_pages": max(1, -(-len(refunds) // limit)),
        }
    }
    views = sandbox.seams.refund_views
    data = [refund_data(refund, views) for refund in chunk]
    answer = _outgoing(sandbox, "getOrdersRefunds", JsonResponse({"data": data, "meta": meta}))
    return await outages.after(later, answer) if later else answer


def _read(sandbox: Sandbox, refund_filter_: RefundFilter) -> list[Any]:
    sandbox.store.settle_declines()
    return sandbox.store.find_refunds(refund_filter_)


# ---------------------------------------------------------------------------------- errors


async def _api_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ApiError)
    return exc.response


async def _http_error(request: Request, exc: Exception) -> Response:
    """Router 404s and 405s, as JSON ErrorResponses."""
    assert isinstance(exc, HTTPException)
    if exc.status_code == 405:
        allowed = (exc.headers or {}).get("Allow", "")
        title = f"Method {request.method} is not allowed here; allowed: {allowed}."
    elif exc.status_code == 404:
        title = "Not found: no such endpoint."
    else:
        title = str(exc.detail)
    return error_response(exc.status_code, title, headers=exc.headers)


async def _server_error(request: Request, exc: Exception) -> Response:
    """Backstop for errors the gateway could not catch (it normally answers 500 itself)."""
    if not isinstance(exc, ConnectionDropped):
        logger.error("unexpected error answering %s %s", request.method, request.url.path)
    return error_response(500, "Internal server error.", headers=rate_headers(request.scope))


def api_routes() -> list[Route]:
    """The refund API's routes (served by :class:`ApiDispatch`, and by the router for 405s)."""
    return [
        Route(f"{ORDER}/refund_quotes", create_refund_quote, methods=["POST"]),
        # One route per path, so a 405's Allow header names every method of the path.
        Route(f"{ORDER}/refunds", order_refunds, methods=["GET", "POST"]),
        Route(f"{API}/orders/payment_actions/refunds/{{refund_id}}", get_refund, methods=["GET"]),
        Route(f"{API}/orders/payment_actions/refunds", get_all_refunds, methods=["GET"]),
        # The order reads an integration makes before refunding (Orders V2, V3 transactions).
        *(Route(path, endpoint, methods=["GET"]) for path, endpoint in order_reads()),
    ]


def create_app(config: SandboxConfig | None = None) -> Starlette:
    """A new sandbox app with its own state (``app.state.sandbox``)."""
    sandbox = Sandbox(config)
    api = anchored(api_routes())
    app = Starlette(
        routes=[*api, *anchored(control.routes())],
        middleware=[
            Middleware(Gateway, sandbox=sandbox, dispatch=ApiDispatch(api, sandbox.in_flight))
        ],
        exception_handlers={
            ApiError: _api_error,
            HTTPException: _http_error,
            Exception: _server_error,
        },
    )
    # BigCommerce does not redirect /refunds/ to /refunds; a 307 without a JSON body would not
    # be an API answer either. Unknown paths are JSON 404s.
    app.router.redirect_slashes = False
    app.state.sandbox = sandbox
    return app


__all__ = ["create_app"]
