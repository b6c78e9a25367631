"""The control API under ``/__sandbox/``: inspect and shape the sandbox over HTTP.

Not part of BigCommerce's API. It needs a valid token (any scope to GET, a write scope to change
anything) and does not count against rate limits, so tests can arrange and inspect state freely.

================================  ==============================================================
``GET /__sandbox/orders``         every order: lines, payments, refunded and remaining amounts
``GET /__sandbox/orders/{id}``    one order
``POST /__sandbox/orders``        create an order from a JSON description (201, or 422 + errors)
``GET /__sandbox/refunds``        the raw ledger (no planted bugs, no decline settlement)
``POST /__sandbox/reset``         seeded state, no faults, fresh rate limits, configured bugs
``GET /__sandbox/faults``         active faults, how often each kind fired, and the API
                                  requests in flight (``in_flight``: e.g. held by latency)
``POST /__sandbox/faults``        inject a fault: ``{"kind", "operations"?, "count"?, "skip"?,
                                  "probability"?, "phase"?, "latency_ms"?, "status"?,
                                  "retry_after_ms"?}`` (see faults.py)
``DELETE /__sandbox/faults``      deactivate all faults (counters stay)
``GET /__sandbox/bugs``           active planted bugs and the available profiles
``POST /__sandbox/bugs``          ``{"bugs": [names]}``: replace the active planted bugs
================================  ==============================================================
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from bigcommerce_refunds.sandbox.bugs import BUG_PROFILES, UnknownBugError
from bigcommerce_refunds.sandbox.errors import ApiError, JsonResponse, error_response
from bigcommerce_refunds.sandbox.faults import FaultSpecError
from bigcommerce_refunds.sandbox.order_descriptions import OrderDescriptionError
from bigcommerce_refunds.sandbox.requestio import parse_json, positive_id, read_body
from bigcommerce_refunds.sandbox.state import Sandbox

PREFIX = "/__sandbox"


def _sandbox(request: Request) -> Sandbox:
    sandbox: Sandbox = request.app.state.sandbox
    return sandbox


async def _body(request: Request, sandbox: Sandbox) -> Any:
    return parse_json(await read_body(request, sandbox.config.max_body_bytes))


def _unprocessable(title: str, errors: dict[str, str]) -> Response:
    return error_response(422, title, errors)


async def index(request: Request) -> Response:
    sandbox = _sandbox(request)
    return JsonResponse(
        {
            "data": {
                "store_hash": sandbox.config.store_hash,
                "api_base_path": f"/stores/{sandbox.config.store_hash}/v3",
                "endpoints": [
                    f"{','.join(sorted(route.methods or ()))} {route.path}" for route in _routes()
                ],
            }
        }
    )


async def orders(request: Request) -> Response:
    sandbox = _sandbox(request)
    if request.method == "POST":
        description = await _body(request, sandbox)
        try:
            order = sandbox.store.add_order(description)
        except OrderDescriptionError as error:
            return _unprocessable("The order description is invalid.", error.errors)
        with sandbox.store.lock:
            return JsonResponse({"data": order.view()}, status_code=201)
    with sandbox.store.lock:
        data = [order.view() for order in sandbox.store.orders.values()]
    return JsonResponse({"data": data})


async def order(request: Request) -> Response:
    sandbox = _sandbox(request)
    order_id = positive_id(request.path_params["order_id"])
    with sandbox.store.lock:
        found = sandbox.store.orders.get(order_id) if order_id is not None else None
        if found is None:
            raise ApiError(error_response(404, "Order not found."))
        return JsonResponse({"data": found.view()})


async def refunds(request: Request) -> Response:
    snapshot = _sandbox(request).store.snapshot()
    return JsonResponse({"data": snapshot["refunds"]})


async def reset(request: Request) -> Response:
    _sandbox(request).reset()
    return JsonResponse({"data": {"reset": True}})


async def faults(request: Request) -> Response:
    sandbox = _sandbox(request)
    if request.method == "POST":
        spec = await _body(request, sandbox)
        try:
            sandbox.faults.add(spec)
        except FaultSpecError as error:
            return _unprocessable("The fault description is invalid.", error.errors)
        return JsonResponse({"data": _faults_view(sandbox)}, status_code=201)
    if request.method == "DELETE":
        sandbox.faults.clear()
    return JsonResponse({"data": _faults_view(sandbox)})


def _faults_view(sandbox: Sandbox) -> dict[str, Any]:
    return {**sandbox.faults.view(), "in_flight": sandbox.requests_in_flight}


async def bugs(request: Request) -> Response:
    sandbox = _sandbox(request)
    if request.method == "POST":
        body = await _body(request, sandbox)
        names = body.get("bugs") if isinstance(body, dict) else None
        if not isinstance(names, list) or not all(isinstance(name, str) for name in names):
            return _unprocessable('Send {"bugs": [names]}.', {"bugs": "must be an array of names"})
        try:
            sandbox.set_bugs(names)
        except UnknownBugError as error:
            return _unprocessable("Unknown bug profile.", {"bugs": str(error)})
    return JsonResponse({"data": {"active": sorted(sandbox.bugs), "available": dict(BUG_PROFILES)}})


def _routes() -> list[Route]:
    return [
        Route(PREFIX, index, methods=["GET"]),
        Route(f"{PREFIX}/", index, methods=["GET"]),
        Route(f"{PREFIX}/orders", orders, methods=["GET", "POST"]),
        Route(f"{PREFIX}/orders/{{order_id}}", order, methods=["GET"]),
        Route(f"{PREFIX}/refunds", refunds, methods=["GET"]),
        Route(f"{PREFIX}/reset", reset, methods=["POST"]),
        Route(f"{PREFIX}/faults", faults, methods=["GET", "POST", "DELETE"]),
        Route(f"{PREFIX}/bugs", bugs, methods=["GET", "POST"]),
    ]


def routes() -> list[BaseRoute]:
    return list(_routes())


__all__ = ["PREFIX", "routes"]
