"""Planted bugs in a refund operation's response on its way out: status, content type, body."""

from __future__ import annotations

import json

from starlette.responses import Response

from bigcommerce_refunds.sandbox.bugs.profile import BugProfile, response
from bigcommerce_refunds.sandbox.errors import JsonResponse
from bigcommerce_refunds.sandbox.payloads import REFUND_OPERATION

_REFUND_READS = frozenset({"getOrderRefunds", "getOrderRefund", "getOrdersRefunds"})


def _created_as_ok(operation_id: str, answer: Response) -> Response:
    if operation_id == REFUND_OPERATION and answer.status_code == 201:
        answer.status_code = 200
    return answer


def _reads_as_text(operation_id: str, answer: Response) -> Response:
    if operation_id not in _REFUND_READS:
        return answer
    # The JSON text as it was, labelled as plain text.
    return Response(answer.body, status_code=answer.status_code, media_type="text/plain")


def _flat_error(operation_id: str, answer: Response) -> Response:
    if operation_id != REFUND_OPERATION or answer.status_code != 422:
        return answer
    title = json.loads(bytes(answer.body))["data"][0]["title"]
    return JsonResponse({"error": title}, status_code=422)


WRONG_STATUS = BugProfile(
    "wrong_status", "createOrderRefund answers 200 instead of 201.", response(_created_as_ok)
)
WRONG_CONTENT_TYPE = BugProfile(
    "wrong_content_type",
    "Refund reads answer text/plain (with the JSON text as body).",
    response(_reads_as_text),
)
WRONG_ERROR_SHAPE = BugProfile(
    "wrong_error_shape",
    'createOrderRefund 422 bodies are {"error": "..."}, not data[].',
    response(_flat_error),
)

__all__ = ["WRONG_CONTENT_TYPE", "WRONG_ERROR_SHAPE", "WRONG_STATUS"]
