"""Decimal on the wire (exact digits out) and back (exact Decimal from the generated floats)."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from bigcommerce_refunds_client.models import Refund
from hypothesis import given
from hypothesis import strategies as st

from bigcommerce_refunds.client import method_total, quote_total, refund_tax, refund_total
from bigcommerce_refunds.client.money import JSONValue, as_amount, dumps_json, to_decimal
from bigcommerce_refunds.client.responses import parse_quote

from ._support import QUOTE, envelope, product_refund


def test_dumps_json_writes_exactly_the_decimal_digits() -> None:
    body: dict[str, JSONValue] = {
        "a": Decimal("37.89"),
        "b": Decimal("0.10"),
        "c": Decimal("1E+2"),
        "d": Decimal("-2.50"),
        "e": [Decimal("0.000001"), 3, True, None, 'x"y'],
    }
    assert dumps_json(body) == (
        b'{"a":37.89,"b":0.10,"c":100,"d":-2.50,"e":[0.000001,3,true,null,"x\\"y"]}'
    )
    assert json.loads(dumps_json(body), parse_float=Decimal)["a"] == Decimal("37.89")


@given(st.text(st.characters(exclude_categories=["Cs"])))  # no lone surrogates: not UTF-8
def test_dumps_json_writes_strings_as_the_json_module_does(text: str) -> None:
    expected = json.dumps({text: [text]}, ensure_ascii=False, separators=(",", ":"))
    assert dumps_json({text: [text]}) == expected.encode("utf-8")


def test_float_rounding_is_what_dumps_json_avoids() -> None:
    # Why the body is not sent with json=: a float sum is already off by the time it is sent.
    assert json.dumps(0.1 + 0.2) == "0.30000000000000004"
    assert dumps_json(Decimal("0.1") + Decimal("0.2")) == b"0.3"


@pytest.mark.parametrize("bad", [0.5, Decimal("NaN"), Decimal("Infinity"), b"raw", object()])
def test_dumps_json_refuses_what_cannot_be_sent_exactly(bad: object) -> None:
    with pytest.raises((TypeError, ValueError)):
        dumps_json({"amount": bad})  # type: ignore[dict-item]


def test_as_amount_accepts_decimal_int_and_numeric_strings_only() -> None:
    assert as_amount(Decimal("1.50")) == Decimal("1.50")
    assert as_amount(7) == Decimal(7)
    assert str(as_amount("9.99")) == "9.99"
    with pytest.raises(TypeError, match="float"):
        as_amount(9.99)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        as_amount(True)
    with pytest.raises(ValueError, match="not a number"):
        as_amount("ten")
    with pytest.raises(ValueError, match="finite"):
        as_amount("NaN")


def test_to_decimal_recovers_every_cent_value_exactly() -> None:
    cents = [*range(0, 200_000), 123_456_789_012, 999_999_999_999_999]
    for value in cents:
        text = f"{value // 100}.{value % 100:02d}"
        assert to_decimal(json.loads(text)) == Decimal(text), text


def test_to_decimal_keeps_ints_and_decimals_and_refuses_bool() -> None:
    assert to_decimal(50) == Decimal(50)
    assert to_decimal(Decimal("1.10")) == Decimal("1.10")
    with pytest.raises(TypeError):
        to_decimal(True)


def test_amount_helpers_read_the_generated_models_exactly() -> None:
    refund = Refund.from_dict({**product_refund(1, amount="0.30"), "total_tax": 0.07})
    assert refund_total(refund) == Decimal("0.30")
    assert refund_tax(refund) == Decimal("0.07")
    quote = parse_quote(envelope(QUOTE))
    assert quote_total(quote) == Decimal("37.89")
    assert method_total(quote.refund_methods[0]) == Decimal("37.89")


def test_why_responses_are_not_parsed_with_parse_float_decimal() -> None:
    # The generated from_dict copies values as they come: with parse_float=Decimal the model
    # would hold a Decimal in a field annotated float, and its to_dict would no longer dump.
    body = json.dumps(product_refund(1))
    refund = Refund.from_dict(json.loads(body, parse_float=Decimal))
    assert isinstance(refund.total_amount, Decimal)
    with pytest.raises(TypeError):
        json.dumps(refund.to_dict())
    # Parsed the way the client does it, the model is type-honest and the amount still exact.
    honest = Refund.from_dict(json.loads(body))
    assert isinstance(honest.total_amount, float)
    assert json.loads(json.dumps(honest.to_dict()))["total_amount"] == 37.89
    assert refund_total(honest) == Decimal("37.89")
