"""BigCommerce-shaped JSON responses, and the error bodies of every failure the sandbox reports.

BigCommerce's errors are ``{"status", "title", "type", "errors"?}`` (ErrorResponse). Two refund
operations deviate and the sandbox follows them: createOrderRefund wraps its 422s in ``data[]``,
and both POST operations answer a down tax service with ``{"data": [{"order_id", "status",
"error"}], "meta": {}}``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from starlette.responses import Response

from bigcommerce_refunds.sandbox.jsonbody import dumps
from bigcommerce_refunds.sandbox.violations import Violation

STATUS_CODES_URL = "https://developer.bigcommerce.com/api-docs/getting-started/api-status-codes"
TAX_SERVICE_DOWN = "Tax service gone away"


class JsonResponse(Response):
    """``application/json`` with exact Decimal numbers (see :func:`jsonbody.dumps`)."""

    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        return dumps(content).encode("ascii")


def error_body(status: int, title: str, errors: Mapping[str, str] | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"status": status, "title": title, "type": STATUS_CODES_URL}
    if errors:
        body["errors"] = dict(errors)
    return body


def error_response(
    status: int,
    title: str,
    errors: Mapping[str, str] | None = None,
    headers: Mapping[str, str] | None = None,
) -> JsonResponse:
    return JsonResponse(error_body(status, title, errors), status_code=status, headers=headers)


class ApiError(Exception):
    """Raised by request handling to answer with ``response`` (a 4xx) right away."""

    def __init__(self, response: Response) -> None:
        super().__init__(response.status_code)
        self.response = response


def violation_body(violation: Violation) -> dict[str, Any]:
    return error_body(422, violation.title, violation.errors)


def refund_unprocessable(violations: list[Violation]) -> JsonResponse:
    """createOrderRefund's 422: every violation, wrapped in ``data``."""
    return JsonResponse({"data": [violation_body(v) for v in violations]}, status_code=422)


def quote_unprocessable(violations: list[Violation]) -> JsonResponse:
    """The quote's 422: one unwrapped ErrorResponse; the first violation's title and code."""
    errors: dict[str, str] = {}
    for violation in violations:
        for path, message in violation.errors.items():
            errors.setdefault(path, message)
    return JsonResponse(error_body(422, violations[0].title, errors), status_code=422)


def schema_violation(errors: Mapping[str, str]) -> Violation:
    """A request-schema failure, expressed as a violation so both 422 shapes can carry it."""
    return Violation("schema_violation", {"code": "schema_violation", **errors})


def tax_service_unavailable(order_id: int) -> JsonResponse:
    return JsonResponse(
        {"data": [{"order_id": order_id, "status": 503, "error": TAX_SERVICE_DOWN}], "meta": {}},
        status_code=503,
    )


__all__ = [
    "STATUS_CODES_URL",
    "ApiError",
    "JsonResponse",
    "error_body",
    "error_response",
    "quote_unprocessable",
    "refund_unprocessable",
    "schema_violation",
    "tax_service_unavailable",
]
