"""The one Decimal-exact JSON writer: its two forms write the same JSON, escaped two ways."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bigcommerce_refunds.client.money import dumps_json
from bigcommerce_refunds.decimal_json import RawJson, writer
from bigcommerce_refunds.sandbox.jsonbody import dumps as sandbox_dumps

ascii_dumps = writer(ascii_only=True)
utf8_dumps = writer(ascii_only=False)

text = st.text(st.characters(exclude_categories=["Cs"]))  # UTF-8 needs no lone surrogates
scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.decimals(allow_nan=False, allow_infinity=False)
    | text
)
values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.tuples(inner, inner)
        | st.dictionaries(text, inner, max_size=4)
    ),
    max_leaves=20,
)


def _reference(value: Any, *, ensure_ascii: bool) -> str:
    """json.dumps for every scalar and key, with Decimals written as their fixed-point digits."""
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, dict):
        members = [
            json.dumps(key, ensure_ascii=ensure_ascii)
            + ":"
            + _reference(item, ensure_ascii=ensure_ascii)
            for key, item in value.items()
        ]
        return "{" + ",".join(members) + "}"
    if isinstance(value, list | tuple):
        return "[" + ",".join(_reference(item, ensure_ascii=ensure_ascii) for item in value) + "]"
    return json.dumps(value, ensure_ascii=ensure_ascii)


@given(values)
def test_both_forms_write_what_json_dumps_writes_with_exact_decimals(value: Any) -> None:
    assert ascii_dumps(value) == _reference(value, ensure_ascii=True)
    assert utf8_dumps(value) == _reference(value, ensure_ascii=False)
    assert ascii_dumps(value).isascii()


@given(values)
def test_the_client_and_the_sandbox_use_the_same_writer(value: Any) -> None:
    assert sandbox_dumps(value) == ascii_dumps(value)
    assert dumps_json(value) == utf8_dumps(value).encode("utf-8")


def test_decimals_keep_their_digits_and_raw_json_is_verbatim() -> None:
    body = {"a": Decimal("0.10"), "b": Decimal("1E+2"), "c": RawJson('{"x":1}'), "d": "\u00e9"}
    assert ascii_dumps(body) == '{"a":0.10,"b":100,"c":{"x":1},"d":"\\u00e9"}'
    assert utf8_dumps(body) == '{"a":0.10,"b":100,"c":{"x":1},"d":"\u00e9"}'


@pytest.mark.parametrize("bad", [0.5, Decimal("NaN"), b"raw", bytearray(b"x"), object()])
def test_both_forms_refuse_what_cannot_be_written_exactly(bad: object) -> None:
    for dumps in (ascii_dumps, utf8_dumps):
        with pytest.raises((TypeError, ValueError)):
            dumps({"amount": bad})
