"""Carrying out injected faults around one API request: before it is processed, and after.

:mod:`faults` decides *which* faults fire for a request; this module makes them happen. A fault
in the ``before`` phase strikes between reading the body and processing it, so nothing is
recorded unless the fault only delays the request (a slow payment gateway: the refund is committed
when the delay is over, whether or not the client is still waiting). A fault in the ``after``
phase strikes once the endpoint has answered (and committed): the refund exists, but its answer
is late, lost or replaced by a gateway's error page. The two are indistinguishable from outside,
which is exactly what a client's refund safety has to survive.
"""

from __future__ import annotations

import asyncio
import math

from starlette.responses import Response

from bigcommerce_refunds.sandbox.errors import ApiError, error_response, tax_service_unavailable
from bigcommerce_refunds.sandbox.faults import ConnectionDropped, Fault
from bigcommerce_refunds.sandbox.state import Sandbox

__all__ = ["after", "before", "gateway_error", "rate_limited"]

_GATEWAY_TITLES = {502: "502 Bad Gateway", 504: "504 Gateway Time-out"}


def gateway_error(status: int) -> Response:
    """What a proxy in front of the store answers: an HTML page, not an API error body."""
    title = _GATEWAY_TITLES.get(status, f"{status} Gateway Error")
    page = f"<html><head><title>{title}</title></head><body><h1>{title}</h1></body></html>\n"
    return Response(page, status_code=status, media_type="text/html")


def rate_limited(fault: Fault) -> Response:
    """A 429 as the store's rate limiter sends it, advertising ``retry_after_ms``.

    The gateway adds the window and quota headers; these say the quota is spent until the reset.
    """
    reset_ms = fault.retry_after_ms
    return error_response(
        429,
        "Too many requests.",
        headers={
            "X-Rate-Limit-Requests-Left": "0",
            "X-Rate-Limit-Time-Reset-Ms": str(reset_ms),
            "X-Retry-After": str(math.ceil(reset_ms / 1000)),
        },
    )


async def before(sandbox: Sandbox, operation_id: str, order_id: int | None) -> list[Fault]:
    """Carry out the faults that strike before processing; return those that strike after."""
    later: list[Fault] = []
    for fault in sandbox.faults.draw(operation_id):
        if fault.after:
            later.append(fault)
        elif fault.kind == "latency":
            await asyncio.sleep(fault.latency_ms / 1000)
        elif fault.kind == "drop_connection":
            raise ConnectionDropped("connection dropped by an injected sandbox fault")
        elif fault.kind == "gateway_error" and fault.status is not None:
            raise ApiError(gateway_error(fault.status))
        elif fault.kind == "rate_limited":
            raise ApiError(rate_limited(fault))
        elif fault.kind == "tax_service_down" and order_id is not None:
            raise ApiError(tax_service_unavailable(order_id))
    return later


async def after(faults: list[Fault], response: Response) -> Response:
    """``response`` once the ``after`` faults struck: delayed, dropped or replaced."""
    for fault in faults:
        if fault.kind == "latency":
            await asyncio.sleep(fault.latency_ms / 1000)
        elif fault.kind == "drop_connection":
            raise ConnectionDropped("connection dropped by an injected sandbox fault (after)")
        elif fault.kind == "gateway_error" and fault.status is not None:
            response = gateway_error(fault.status)
    return response
