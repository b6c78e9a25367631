"""Explaining from jsonschema-rs's errors reports exactly what jsonschema reports (issue 15, 5).

:mod:`bigcommerce_refunds.sandbox.compiled_explain` takes the errors from the compiled validator
and words them with jsonschema's keyword functions. The 422 bodies must not change: the same
paths, messages and *order* (the 422's ``errors`` object lists them in order, and the first message
per path and the 20-path cap depend on it), the same oneOf branch. Where it cannot be sure it
answers None and the caller falls back to jsonschema; that must happen rarely enough to matter
(the point is speed), and never on the bodies negative-mode fuzzing sends most.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from jsonschema import Draft4Validator

from bigcommerce_refunds.sandbox import payloads
from bigcommerce_refunds.sandbox.compiled_explain import AVAILABLE, MAX_PATHS
from bigcommerce_refunds.sandbox.jsonbody import loads
from bigcommerce_refunds.sandbox.payloads import QUOTE_OPERATION, REFUND_OPERATION
from bigcommerce_refunds.spec.fragment import default_fragment
from tests.sandbox.garbage import value_paths
from tests.sandbox.test_explain import _replace
from tests.sandbox.test_hot_path import _BODIES, _VALUES
from tests.strategies import request_bodies

OPERATIONS = (REFUND_OPERATION, QUOTE_OPERATION)

if not AVAILABLE:  # pragma: no cover - jsonschema-rs comes with the dev environment
    pytest.skip("jsonschema-rs is not installed: nothing to compare", allow_module_level=True)


def _branches(operation_id: str) -> list[dict[str, Any]]:
    branches: list[dict[str, Any]] = default_fragment().request_schema(operation_id)["anyOf"]
    return branches


def _compiled(operation_id: str, index: int, body: Any) -> list[tuple[str, str]] | None:
    found = payloads._compiled_explainers(operation_id)[index].explain(body, payloads._shorten)
    return None if found is None else list(found.items())


def _jsonschema(operation_id: str, index: int, body: Any) -> list[tuple[str, str]]:
    return list(payloads._errors(Draft4Validator(_branches(operation_id)[index]), body).items())


def _compare(operation_id: str, body: Any) -> int:
    """Both branches: where the compiled explainer answers, it answers as jsonschema does.

    Returns how many of the branches it answered for (for the tests that it is really used).
    """
    answered = 0
    for index in range(2):
        compiled = _compiled(operation_id, index, body)
        if compiled is None:
            continue
        answered += 1
        assert compiled == _jsonschema(operation_id, index, body), (operation_id, index, body)
    return answered


@settings(max_examples=400, suppress_health_check=list(HealthCheck), deadline=None)
@given(body=_BODIES, operation_id=st.sampled_from(OPERATIONS))
def test_same_errors_in_the_same_order_on_arbitrary_bodies(body: Any, operation_id: str) -> None:
    assume(payloads._plain(body))  # it is only used on plain bodies
    _compare(operation_id, body)


@settings(max_examples=300, suppress_health_check=list(HealthCheck), deadline=None)
@given(data=st.data(), operation_id=st.sampled_from(OPERATIONS))
def test_same_errors_on_valid_bodies_with_values_broken(
    data: st.DataObject, operation_id: str
) -> None:
    body = loads(json.dumps(data.draw(request_bodies(default_fragment(), operation_id))).encode())
    for _ in range(data.draw(st.integers(1, 4))):  # several broken values: ordering matters
        paths = value_paths(body)[1:]
        assume(paths)
        body = _replace(body, data.draw(st.sampled_from(paths)), data.draw(_VALUES))
    assume(payloads._plain(body))
    _compare(operation_id, body)


def _item(**fields: Any) -> dict[str, Any]:
    return {"item_type": "PRODUCT", "item_id": 1, "quantity": 1, **fields}


# What negative-mode fuzzing sends most: one or a few values of the wrong type, out of an enum,
# too long, above a maximum, or a required property missing. Each must be answered here (not
# handed back to jsonschema), with jsonschema's words.
TYPICAL = [
    {"items": [_item(quantity="one")], "payments": [{"provider_id": "braintree", "amount": 1}]},
    {"items": [_item(item_id=None)], "payments": []},
    {"items": [_item(reason="r" * 1001)], "payments": []},
    {"items": [_item(adjustments=[{"amount": Decimal("5.50"), "description": 7}])], "payments": []},
    {"items": [{"item_type": "SHIPPING", "item_id": 1}], "payments": []},
    {"items": [{"item_type": "ORDER", "amount": "x"}], "payments": [{"amount": True}]},
    {"items": [_item(), _item(quantity=[])], "payments": [{"offline": "no"}, {"provider_id": 1}]},
    {"items": "all", "payments": {}},
    {"items": [_item()]},
    {"items": [_item()], "payments": [], "merchant_calculated_override": {"total_tax": "1"}},
    {"tax_adjustment_amount": "5.75"},
    {"tax_adjustment_amount": Decimal("5.75"), "merchant_calculated_override": []},
]


@pytest.mark.parametrize("operation_id", OPERATIONS)
@pytest.mark.parametrize("body", TYPICAL, ids=range(len(TYPICAL)))
def test_typical_invalid_bodies_are_explained_here(operation_id: str, body: Any) -> None:
    index = 0 if "items" in body else 1
    expected = _jsonschema(operation_id, index, body)
    compiled = _compiled(operation_id, index, body)
    if not expected:  # valid for this operation (a quote needs no payments): nothing to explain
        assert compiled is None
        assert operation_id == QUOTE_OPERATION
        return
    assert compiled == expected, body


def test_many_errors_keep_jsonschemas_order_and_its_cap() -> None:
    body = {
        "merchant_calculated_override": {"total_amount": "a", "total_tax": "b"},
        "payments": [{"provider_id": index, "amount": "x"} for index in range(8)],
        "items": [_item(quantity=str(index), item_id="i") for index in range(8)],
    }
    compiled = _compiled(REFUND_OPERATION, 0, body)
    expected = _jsonschema(REFUND_OPERATION, 0, body)
    assert compiled == expected
    assert len(expected) >= MAX_PATHS  # the cap was reached, and cut at the same error
    assert expected[0][0] == "items[0].item_id"  # the schema's order, not the body's


@pytest.mark.parametrize(
    "item",
    [
        {"item_type": "BOGUS", "item_id": 1},  # no branch's enum accepts it: best_match decides
        {"item_id": 1, "quantity": 1},  # no item_type at all
    ],
)
def test_no_single_meant_branch_is_left_to_jsonschema(item: dict[str, Any]) -> None:
    body = {"items": [item], "payments": []}
    assert _compiled(REFUND_OPERATION, 0, body) is None
    with pytest.raises(payloads.SchemaViolationError) as raised:
        payloads.parse_payload(REFUND_OPERATION, body)
    assert list(raised.value.errors.items()) == _jsonschema(REFUND_OPERATION, 0, body)


@pytest.mark.parametrize(
    "item",
    [_item(reason="\ud800", quantity="x"), _item(quantity="\ud800"), _item(item_type="\ud800")],
)
def test_values_jsonschema_rs_cannot_read_are_explained_as_jsonschema_does(
    item: dict[str, Any],
) -> None:
    """A lone surrogate (valid in a Python str, not in UTF-8): never a crash, never other words."""
    body = {"items": [item], "payments": []}
    expected = _jsonschema(REFUND_OPERATION, 0, body)
    assert _compiled(REFUND_OPERATION, 0, body) in (None, expected)
    with pytest.raises(payloads.SchemaViolationError) as raised:
        payloads.parse_payload(REFUND_OPERATION, body)
    assert list(raised.value.errors.items()) == expected


def test_parse_payload_uses_it_and_reports_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    body = loads(
        b'{"items":[{"item_type":"PRODUCT","item_id":201,"quantity":"one"}],'
        b'"payments":[{"provider_id":"braintree","amount":96.34}]}'
    )
    calls: list[Any] = []
    explainer = payloads._compiled_explainers(REFUND_OPERATION)[0]
    original = explainer.explain

    def spy(*args: Any) -> Any:
        calls.append(args)
        return original(*args)

    monkeypatch.setattr(explainer, "explain", spy)
    with pytest.raises(payloads.SchemaViolationError) as fast:
        payloads.parse_payload(REFUND_OPERATION, body)
    assert calls  # the 422 was explained from jsonschema-rs's errors
    monkeypatch.setattr(payloads, "COMPILED_EXPLAINING", False)
    with pytest.raises(payloads.SchemaViolationError) as pruned:
        payloads.parse_payload(REFUND_OPERATION, body)
    assert len(calls) == 1
    assert list(fast.value.errors.items()) == list(pruned.value.errors.items())
    assert fast.value.errors == {"items[0].quantity": "'one' is not of type 'integer'"}
