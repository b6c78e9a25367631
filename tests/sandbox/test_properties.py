"""Property tests: any sequence of quote-then-refund steps keeps the ledger sound.

Runs under whatever Hypothesis profile tests/conftest.py loads ("ci": derandomized, 50 examples);
only the deadline is relaxed here, since each example makes several in-process HTTP calls.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bigcommerce_refunds.sandbox.jsonbody import dumps, loads
from bigcommerce_refunds.sandbox.money import quantize
from tests.sandbox.garbage import ORDER_LINES
from tests.sandbox.helpers import Api, assert_ledger_invariants

amounts = st.decimals(min_value=Decimal("-1"), max_value=Decimal("400"), places=2)


@st.composite
def steps(draw: st.DrawFn) -> tuple[int, list[dict[str, Any]], int]:
    order_id = draw(st.sampled_from([100, 101, 102, 103, 106, 107]))
    lines = draw(
        st.lists(st.sampled_from(ORDER_LINES[order_id]), min_size=1, max_size=3, unique=True)
    )
    items = []
    for item_type, item_id in lines:
        item: dict[str, Any] = {"item_type": item_type, "item_id": item_id}
        if item_type in ("PRODUCT", "GIFT_WRAPPING"):
            item["quantity"] = draw(st.integers(min_value=-1, max_value=5))
        else:
            item["amount"] = draw(amounts)
        items.append(item)
    return order_id, items, draw(st.integers(min_value=0, max_value=3))


@settings(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(sequence=st.lists(steps(), min_size=1, max_size=6))
def test_refund_sequences_never_break_the_ledger(
    api: Api, sequence: list[tuple[int, list[dict[str, Any]], int]]
) -> None:
    api.control("POST", "/reset")
    for order_id, items, method in sequence:
        before = api.order(order_id)
        quote = api.quote(order_id, {"items": items})
        if quote.status != 201:
            assert quote.status == 422
            continue
        methods = quote.data["refund_methods"]
        chosen = methods[method % len(methods)]
        payments = [{"provider_id": o["provider_id"], "amount": o["amount"]} for o in chosen]
        refund = api.refund(order_id, {"items": items, "payments": payments})
        assert refund.status == 201, refund.body  # a refund that matches its quote is accepted
        assert refund.data["total_amount"] == quote.data["total_refund_amount"]
        after = api.order(order_id)
        assert (
            after["totals"]["refunded"] - before["totals"]["refunded"]
            == refund.data["total_amount"]
        )
    assert_ledger_invariants(api)


@given(
    st.decimals(
        allow_nan=False, allow_infinity=False, min_value=-(10**9), max_value=10**9, places=2
    )
)
def test_decimal_amounts_survive_a_json_round_trip(value: Decimal) -> None:
    assert loads(dumps({"amount": quantize(value)}).encode()) == {"amount": quantize(value)}
