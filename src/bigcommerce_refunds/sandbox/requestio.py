"""Reading requests defensively: path ids, JSON bodies, query filters; each failure a clean 4xx.

Malformed JSON (400), a wrong Content-Type (415) and an oversized body (413) are not describable by
the fragment's schemas and are not declared on the operations; the sandbox still answers them with
an ErrorResponse body (``status``, ``title``, ``type``), like BigCommerce does.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from starlette.requests import ClientDisconnect, Request

from bigcommerce_refunds.sandbox.errors import ApiError, error_response
from bigcommerce_refunds.sandbox.jsonbody import MalformedJSONError, loads
from bigcommerce_refunds.sandbox.rfc3339 import parse_datetime
from bigcommerce_refunds.sandbox.store import RefundFilter

# Every pattern here is used with fullmatch(): ``$`` would also match before a final newline, and
# Python's int() also takes " 5", "+5", "5_0" and any Unicode digit (Arabic-Indic, ...), none of
# which is an id. [0-9] (not \d) keeps to ASCII digits.
_POSITIVE_ID = re.compile(r"[1-9][0-9]{0,17}")
# Query integers: the fragment allows any integer, so any (sane-sized) integer is accepted; ids
# that cannot exist simply match nothing, and out-of-range pages and limits are clamped. An
# integer is an optional minus sign and ASCII digits, nothing else (no "+", no spaces).
_ANY_INTEGER = re.compile(r"-?[0-9]+")
_DIGITS = re.compile(r"[0-9]+")
_HUGE = 10**18  # beyond any id, page or limit; bigger integers are clamped without int()


def _clamped_int(text: str) -> int:
    """An integer of any length, clamped to +/-_HUGE (int() of very long text is costly)."""
    digits = text.lstrip("-").lstrip("0")
    if len(digits) > 18:
        return -_HUGE if text.startswith("-") else _HUGE
    return int(text)


# Bodies beyond the limit are read and discarded up to this much, so the client gets its 413
# instead of a reset connection; past it the connection is given up.
_DRAIN_LIMIT = 16 * 1024 * 1024
MAX_LIMIT = 250
DEFAULT_LIMIT = 50


def positive_id(text: str) -> int | None:
    """A path id as an int, or None when it is not a positive integer of sane size."""
    return int(text) if _POSITIVE_ID.fullmatch(text) else None


def _bad_request(title: str, errors: dict[str, str] | None = None) -> ApiError:
    return ApiError(error_response(400, title, errors))


def _too_large(max_bytes: int) -> ApiError:
    return ApiError(error_response(413, f"The request body is larger than {max_bytes} bytes."))


def _header(request: Request, name: bytes) -> str:
    """The first ``name`` header (lower case), read from the ASGI scope without building the
    ``Headers`` object that ``request.headers`` would: this runs on every POST."""
    for key, value in request.scope["headers"]:
        if key == name:
            text: str = value.decode("latin-1")
            return text
    return ""


async def read_body(request: Request, max_bytes: int) -> bytes:
    """The raw body of a JSON POST: 415 unless it is declared JSON, 413 beyond ``max_bytes``.

    Reads the ASGI messages itself (what ``request.stream()`` does, minus an async generator).
    """
    content_type = _header(request, b"content-type")
    if content_type.split(";", 1)[0].strip().lower() != "application/json":
        raise ApiError(
            error_response(
                415,
                "Unsupported media type: send Content-Type: application/json.",
                {"content-type": content_type[:100] or "(missing)"},
            )
        )
    declared = _header(request, b"content-length")
    # (length first: int() refuses more than 4,300 digits)
    if _DIGITS.fullmatch(declared) and (len(declared) > 12 or int(declared) > _DRAIN_LIMIT):
        raise _too_large(max_bytes)
    chunks: list[bytes] = []
    size = 0
    receive = request.receive
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise ClientDisconnect()
        chunk: bytes = message.get("body", b"")
        size += len(chunk)
        if size <= max_bytes:
            chunks.append(chunk)
        if size > _DRAIN_LIMIT or not message.get("more_body", False):
            break
    if size > max_bytes:
        raise _too_large(max_bytes)
    return b"".join(chunks)


def parse_json(body: bytes) -> Any:
    try:
        return loads(body)
    except MalformedJSONError as error:
        raise _bad_request(str(error)) from None


def _integers(values: list[str], name: str) -> frozenset[int] | None:
    """The ids of a list filter; None (no filter) when it is given empty, an empty array."""
    found: set[int] = set()
    values = [value for value in values if value]
    if not values:
        return None
    for value in values:
        for part in value.split(","):
            if not _ANY_INTEGER.fullmatch(part):
                raise _bad_request(
                    f"Invalid value for {name}.",
                    {name: "must be a comma-separated list of integers"},
                )
            found.add(_clamped_int(part))
    return frozenset(found)


def _date(value: str, name: str) -> datetime:
    """An RFC 3339 date-time filter (:mod:`rfc3339`: an offset is required), or a 400.

    One forgiveness: an unencoded "+01:00" arrives as " 01:00" after form decoding, so a space
    exactly where an offset's sign belongs is read as "+". Nothing else is repaired.
    """
    text = value
    if len(text) > 6 and text[-6] == " ":
        text = f"{text[:-6]}+{text[-5:]}"
    try:
        return parse_datetime(text)
    except ValueError:
        raise _bad_request(
            f"Invalid value for {name}.",
            {name: "must be an RFC 3339 date-time with an offset, e.g. 2026-11-28T10:00:00Z"},
        ) from None


def _page_number(request: Request, name: str, default: int, maximum: int) -> int:
    value = request.query_params.get(name)
    if value is None:
        return default
    if not _ANY_INTEGER.fullmatch(value):
        raise _bad_request(f"Invalid value for {name}.", {name: "must be an integer"})
    number = _clamped_int(value)
    if number < 1:
        return default
    return min(number, maximum)


def refund_filter(request: Request, *, order_id: int | None = None) -> RefundFilter:
    """The filters of a refund list request (order_id:in values may also be repeated)."""
    params = request.query_params
    order_ids = (
        frozenset({order_id})
        if order_id is not None
        else (
            _integers(params.getlist("order_id:in"), "order_id:in")
            if "order_id:in" in params
            else None
        )
    )
    refund_ids = _integers(params.getlist("id:in"), "id:in") if "id:in" in params else None
    created_min = _date(params["created:min"], "created:min") if "created:min" in params else None
    created_max = _date(params["created:max"], "created:max") if "created:max" in params else None
    return RefundFilter(
        order_ids=order_ids,
        refund_ids=refund_ids,
        created_min=created_min,
        created_max=created_max,
        transaction_id=params.get("transaction_id"),
    )


def pagination(request: Request) -> tuple[int, int]:
    """(page, limit) of a paginated list request."""
    return (
        _page_number(request, "page", 1, 10**9),
        _page_number(request, "limit", DEFAULT_LIMIT, MAX_LIMIT),
    )


__all__ = ["pagination", "parse_json", "positive_id", "read_body", "refund_filter"]
