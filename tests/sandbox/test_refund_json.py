"""The pre-written refund JSON is exactly what the generic writer makes of the refund's view."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from bigcommerce_refunds.sandbox.bugs import seams_for
from bigcommerce_refunds.sandbox.jsonbody import RawJson, dumps
from bigcommerce_refunds.sandbox.store import RefundPaymentRecord, RefundRecord
from bigcommerce_refunds.sandbox.views import refund_data, refund_json
from tests.sandbox.helpers import Api

ids = st.integers(min_value=0, max_value=2**63)
texts = st.text()  # any code point, lone surrogates included
amounts = st.decimals(allow_nan=False, allow_infinity=False, places=None)


@st.composite
def items(draw: st.DrawFn) -> dict[str, Any]:
    item: dict[str, Any] = {
        "item_type": draw(st.sampled_from(["PRODUCT", "GIFT_WRAPPING", "SHIPPING", "ORDER"])),
        "item_id": draw(ids),
        "reason": draw(texts),
    }
    if draw(st.booleans()):
        item["quantity"] = draw(st.integers(min_value=1, max_value=10**6))
    if draw(st.booleans()):
        item["adjustments"] = [{"amount": draw(amounts), "description": draw(texts)}]
    item["requested_amount"] = draw(amounts)
    return item


payments = st.builds(
    RefundPaymentRecord,
    id=ids,
    provider_id=texts,
    amount=amounts,
    offline=st.booleans(),
    transaction_id=texts,
    is_declined=st.booleans(),
    declined_message=texts,
)
refunds = st.builds(
    RefundRecord,
    id=ids,
    order_id=ids,
    created_at=st.datetimes(timezones=st.just(UTC)),
    reason=texts,
    total_amount=amounts,
    total_tax=amounts,
    uses_merchant_override_values=st.booleans(),
    items=st.lists(items(), max_size=4),
    payments=st.lists(payments, max_size=3),
    is_tax_adjustment=st.booleans(),
    user_id=ids,
)


@given(refunds)
def test_refund_json_is_the_generic_encoding_of_the_view(refund: RefundRecord) -> None:
    assert refund_json(refund) == dumps(refund.view())


@given(st.lists(refunds, max_size=3))
def test_raw_json_is_emitted_verbatim_inside_any_document(found: list[RefundRecord]) -> None:
    document = {"data": [RawJson(refund_json(refund)) for refund in found], "meta": {}}

    assert dumps(document) == dumps({"data": [refund.view() for refund in found], "meta": {}})


def test_every_refund_the_sandbox_serves_reads_back_as_its_view(api: Api, app: Any) -> None:
    store = app.state.sandbox.store
    item = {
        "item_type": "PRODUCT",
        "item_id": 201,
        "quantity": 1,
        "reason": "caf\u00e9 \u2603",
        "adjustments": [{"amount": -1.5, "description": "restocking"}],
    }
    _, refund = api.quote_then_refund(100, [item])
    assert refund.status == 201, refund.body

    for refund in store.refunds.values():
        served = json.loads(dumps(refund_data(refund)), parse_float=Decimal)
        assert served == json.loads(dumps(refund.view()), parse_float=Decimal)
    assert len(store.refunds) >= 2


def test_a_refund_view_hook_takes_the_view_not_the_prewritten_text() -> None:
    refund = RefundRecord(
        id=1,
        order_id=2,
        created_at=datetime(2026, 11, 28, tzinfo=UTC),
        reason="",
        total_amount=Decimal("1.00"),
        total_tax=Decimal("0.00"),
        uses_merchant_override_values=False,
        items=[],
        payments=[],
        is_tax_adjustment=False,
    )

    assert isinstance(refund_data(refund), RawJson)
    assert refund_data(refund, seams_for({"missing_field"}).refund_views) == {
        key: value for key, value in refund.view().items() if key != "total_tax"
    }
