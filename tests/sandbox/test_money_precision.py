"""Money is never rounded silently (issue 15, item 3).

An amount with more decimal places than money has (2) is a 422 ``too_many_decimals`` that quotes
the amount as sent: ``0.005`` of shipping used to be refunded as 0.01 (more than was asked) and
``0.001`` refused with "0.00 is not greater than 0" (which misstates what was sent). Trailing
zeros are not extra decimals (``5.7500`` is 5.75).
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.sandbox.helpers import BASE, Api


@pytest.mark.parametrize("amount", ["0.005", "0.001", "1.005", "-0.005", "5e-3", "1E-400"])
def test_sub_cent_item_amounts_are_422_quoting_the_amount(api: Api, amount: str) -> None:
    before = api.state()
    item = f'{{"item_type":"SHIPPING","item_id":301,"amount":{amount}}}'

    quote = api.call(
        "POST",
        f"{BASE}/orders/100/payment_actions/refund_quotes",
        content=f'{{"items":[{item}]}}'.encode(),
        headers={"Content-Type": "application/json"},
    )
    refund = api.call(
        "POST",
        f"{BASE}/orders/100/payment_actions/refunds",
        content=f'{{"items":[{item}],"payments":[{{"provider_id":"braintree","amount":0.01}}]}}'.encode(),
        headers={"Content-Type": "application/json"},
    )

    quoted = str(Decimal(amount))
    assert quote.status == 422
    assert quote.body["errors"] == {
        "code": "too_many_decimals",
        "items[0].amount": f"{quoted} has more than 2 decimal places",
    }
    assert refund.status == 422
    assert refund.data[0]["title"] == "Amounts cannot have more than 2 decimal places."
    assert refund.data[0]["errors"]["items[0].amount"] == f"{quoted} has more than 2 decimal places"
    assert api.state() == before


@pytest.mark.parametrize(
    ("body", "path"),
    [
        (
            '{"items":[{"item_type":"FEE","item_id":401,"amount":1}],'
            '"payments":[{"provider_id":"braintree","amount":1.005}]}',
            "payments[0].amount",
        ),
        (
            '{"items":[{"item_type":"PRODUCT","item_id":201,"quantity":1,'
            '"adjustments":[{"amount":-0.005}]}],"payments":[]}',
            "items[0].adjustments[0].amount",
        ),
        (
            '{"items":[{"item_type":"ORDER","item_id":100,"amount":0.999}],"payments":[]}',
            "items[0].amount",
        ),
        ('{"tax_adjustment_amount": 5.745}', "tax_adjustment_amount"),
        (
            '{"tax_adjustment_amount": 1,'
            ' "merchant_calculated_override": {"total_amount": 1.001, "total_tax": 0}}',
            "merchant_calculated_override.total_amount",
        ),
        (
            '{"tax_adjustment_amount": 1,'
            ' "merchant_calculated_override": {"total_amount": 1, "total_tax": 0.001}}',
            "merchant_calculated_override.total_tax",
        ),
    ],
)
def test_every_amount_field_refuses_sub_cent_values(api: Api, body: str, path: str) -> None:
    before = api.state()

    reply = api.call(
        "POST",
        f"{BASE}/orders/100/payment_actions/refunds",
        content=body.encode(),
        headers={"Content-Type": "application/json"},
    )

    assert reply.status == 422
    codes = [entry["errors"]["code"] for entry in reply.data]
    assert "too_many_decimals" in codes
    assert any(path in entry["errors"] for entry in reply.data)
    assert api.state() == before


def test_trailing_zeros_are_not_extra_decimals(api: Api) -> None:
    reply = api.call(
        "POST",
        f"{BASE}/orders/106/payment_actions/refunds",
        content=b'{"tax_adjustment_amount": 5.7500}',
        headers={"Content-Type": "application/json"},
    )

    assert reply.status == 201
    assert reply.data["total_amount"] == Decimal("5.75")
