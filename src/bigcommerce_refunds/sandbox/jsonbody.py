"""JSON in and out: bounded, Decimal-exact, and never a crash on hostile input.

Parsing rejects what JSON does not allow (NaN, Infinity), refuses documents nested deeper than
:data:`MAX_DEPTH` before the recursive parser sees them (10,000 nested arrays would otherwise hit
the interpreter's recursion limit), keeps every non-integer number a Decimal and turns integers
too long for ``int()`` into Decimals (so ``item_id: 1e4000``-like integers fail schema validation
as "not an integer" instead of raising). Serialising is the project's one Decimal-exact writer
(:mod:`bigcommerce_refunds.decimal_json`), in its ASCII form, re-exported here.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from bigcommerce_refunds.decimal_json import RawJson, ascii_string_text, decimal_text, writer

MAX_DEPTH = 64
_MAX_INT_DIGITS = 1000
#: What ``json.dumps`` does with a str (ensure_ascii): json's C escaper, called directly (public
#: for writers of :class:`RawJson`).
string_text: Callable[[str], str] = ascii_string_text


class MalformedJSONError(ValueError):
    """The body is not a JSON document the sandbox will read (the message says why)."""


def _reject_constant(name: str) -> Any:
    raise MalformedJSONError(f"{name} is not valid JSON")


def _parse_int(text: str) -> int | Decimal:
    # int() refuses more than 4,300 digits (CVE-2020-10735); such numbers are no valid id anyway.
    return int(text) if len(text) <= _MAX_INT_DIGITS else Decimal(text)


# Numbers of more digits than that take the slow decoder, whose parse_int hook makes Decimals of
# them; everything else goes through one prebuilt decoder with no per-integer Python call.
_LONG_DIGITS = re.compile(f"[0-9]{{{_MAX_INT_DIGITS + 1}}}")
_DECODER = json.JSONDecoder(parse_float=Decimal, parse_constant=_reject_constant)
_LONG_INT_DECODER = json.JSONDecoder(
    parse_float=Decimal, parse_int=_parse_int, parse_constant=_reject_constant
)


def _too_deep(raw: str) -> bool:
    """Whether brackets outside strings nest deeper than MAX_DEPTH (a linear scan, no recursion)."""
    depth = 0
    in_string = False
    escaped = False
    for char in raw:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return True
        elif char in "]}":
            depth -= 1
    return False


def loads(body: bytes) -> Any:
    """Parse a request body, or raise MalformedJSONError with a reason fit for a 400 title."""
    if not body.strip():
        raise MalformedJSONError("The request body is empty; a JSON object is required.")
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise MalformedJSONError("The request body is not valid UTF-8.") from None
    # Cheap pre-check first: only documents with many brackets need the precise scan.
    if text.count("[") + text.count("{") > MAX_DEPTH and _too_deep(text):
        raise MalformedJSONError(f"The JSON document is nested deeper than {MAX_DEPTH} levels.")
    long_ints = len(text) > _MAX_INT_DIGITS and _LONG_DIGITS.search(text) is not None
    decoder = _LONG_INT_DECODER if long_ints else _DECODER
    try:
        return decoder.decode(text)
    except MalformedJSONError:
        raise
    except RecursionError:  # belt and braces: the depth scan should have caught it
        raise MalformedJSONError("The JSON document is nested too deeply.") from None
    except ValueError as error:
        raise MalformedJSONError(f"The request body is not valid JSON: {error}") from None


#: Compact, Decimal-exact JSON text, ASCII only (the project's one writer, see
#: :mod:`bigcommerce_refunds.decimal_json`; the client's differs only in writing UTF-8).
dumps: Callable[[Any], str] = writer(ascii_only=True)


__all__ = [
    "MAX_DEPTH",
    "MalformedJSONError",
    "RawJson",
    "decimal_text",
    "dumps",
    "loads",
    "string_text",
]
