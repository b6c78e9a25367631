"""The one Decimal-exact JSON writer: the client's request bodies and the sandbox's responses.

Money is :class:`~decimal.Decimal` end to end, and ``json.dumps`` cannot write a Decimal (nor
would ``float`` keep its digits), so the project writes JSON itself: a Decimal becomes a JSON
number with exactly its digits in fixed-point notation (``Decimal("5.75")`` -> ``5.75``,
``Decimal("1E+2")`` -> ``100``, never an exponent), and a float is refused (TypeError): by the
time a float arrives, ``0.1 + 0.2`` is already not ``0.3``. Non-finite Decimals are refused
(ValueError): JSON has no NaN.

The two users differ in one thing only, how strings are escaped, so :func:`writer` takes that as
its parameter: the client writes UTF-8 as ``json.dumps(..., ensure_ascii=False)`` does; the sandbox
writes ASCII as ``json.dumps`` does by default (lone surrogates from hostile input are escaped, so
its text always encodes). Everything else (compact separators, :class:`RawJson` emitted verbatim,
keys that are not strings written as ``str(key)``) is the same. Standard library only: the
client's core install imports this module.

The encoder is the hot path of every sandbox response: the exact types the project builds (dict,
list, str, int, bool, None, Decimal) are dispatched on by ``type()`` directly, strings go straight
to json's C escaper, and anything else takes the slower ``isinstance`` path; the text is the same
either way (tests compare both with ``json.dumps`` on generated values).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from json.encoder import encode_basestring, encode_basestring_ascii
from typing import Any

#: A str as ``json.dumps`` writes it (ensure_ascii, the default): json's C escaper.
ascii_string_text: Callable[[str], str] = encode_basestring_ascii
#: A str as ``json.dumps(..., ensure_ascii=False)`` writes it.
utf8_string_text: Callable[[str], str] = encode_basestring


class RawJson:
    """JSON text written elsewhere (e.g. a pre-written refund object), emitted verbatim."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return f"RawJson({self.text!r})"


def decimal_text(value: Decimal) -> str:
    """A Decimal as an exact JSON number (``Decimal("5.75")`` -> ``5.75``; never exponents)."""
    if not value.is_finite():
        raise ValueError(f"cannot write the non-finite Decimal {value} as JSON")
    return format(value, "f")


def writer(*, ascii_only: bool) -> Callable[[Any], str]:
    """A ``dumps(value) -> str`` writing compact, Decimal-exact JSON (see the module docstring).

    ``ascii_only`` escapes every non-ASCII character (``\\u00e9``), as ``json.dumps`` does by
    default; without it the text keeps them, as ``ensure_ascii=False`` does.
    """
    string_text = ascii_string_text if ascii_only else utf8_string_text

    def encode_other(value: Any, out: list[str]) -> None:
        """Any Mapping, Sequence or JSON scalar, by ``isinstance`` (subclasses included)."""
        if isinstance(value, bool):
            out.append("true" if value else "false")
        elif isinstance(value, str):
            out.append(string_text(value))
        elif isinstance(value, int):
            out.append(int.__repr__(value))
        elif isinstance(value, Decimal):
            out.append(decimal_text(value))
        elif isinstance(value, float):
            raise TypeError(
                "a float is not written as JSON: money is Decimal (a float cannot hold most cent "
                "values exactly)"
            )
        elif isinstance(value, Mapping):
            out.append("{")
            for index, (key, item) in enumerate(value.items()):
                if index:
                    out.append(",")
                out.append(string_text(key if isinstance(key, str) else str(key)))
                out.append(":")
                encode(item, out)
            out.append("}")
        elif isinstance(value, Sequence) and not isinstance(value, bytes | bytearray):
            out.append("[")
            for index, item in enumerate(value):
                if index:
                    out.append(",")
                encode(item, out)
            out.append("]")
        else:
            raise TypeError(f"cannot write {type(value).__name__} as JSON")

    def encode(value: Any, out: list[str]) -> None:
        kind = type(value)
        if kind is str:
            out.append(string_text(value))
        elif kind is dict:
            out.append("{")
            first = True
            for key, item in value.items():
                if first:
                    first = False
                else:
                    out.append(",")
                out.append(string_text(key if type(key) is str else str(key)))
                out.append(":")
                encode(item, out)
            out.append("}")
        elif kind is list:
            out.append("[")
            first = True
            for item in value:
                if first:
                    first = False
                else:
                    out.append(",")
                encode(item, out)
            out.append("]")
        elif kind is Decimal:
            out.append(decimal_text(value))
        elif kind is int:
            out.append(int.__repr__(value))
        elif value is True:
            out.append("true")
        elif value is False:
            out.append("false")
        elif value is None:
            out.append("null")
        elif kind is RawJson:
            out.append(value.text)
        else:
            encode_other(value, out)

    def dumps(value: Any) -> str:
        """Compact JSON text; Decimals become exact numbers (``Decimal("5.75")`` -> ``5.75``)."""
        out: list[str] = []
        encode(value, out)
        return "".join(out)

    return dumps


__all__ = [
    "RawJson",
    "ascii_string_text",
    "decimal_text",
    "utf8_string_text",
    "writer",
]
