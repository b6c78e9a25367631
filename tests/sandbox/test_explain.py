"""The fast 422 explainer reports exactly what jsonschema alone reports (issue 15, item 5).

:mod:`bigcommerce_refunds.sandbox.explain` skips the subtrees jsonschema-rs proves valid and reuses
evolved validators; the 422 bodies must not change: same paths, same messages, same order, the
same choice of oneOf branch. Compared here on generated invalid bodies: arbitrary JSON shaped like
refunds, and valid bodies with one value broken.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from jsonschema import Draft4Validator

from bigcommerce_refunds.sandbox import payloads
from bigcommerce_refunds.sandbox.explain import AVAILABLE, pruning_validator
from bigcommerce_refunds.sandbox.jsonbody import loads
from bigcommerce_refunds.sandbox.payloads import QUOTE_OPERATION, REFUND_OPERATION
from bigcommerce_refunds.spec.fragment import default_fragment
from tests.sandbox.garbage import value_paths
from tests.sandbox.test_hot_path import _BODIES, _VALUES
from tests.strategies import request_bodies

OPERATIONS = (REFUND_OPERATION, QUOTE_OPERATION)


def _branches(operation_id: str) -> list[dict[str, Any]]:
    branches: list[dict[str, Any]] = default_fragment().request_schema(operation_id)["anyOf"]
    return branches


def _assert_same_explanation(operation_id: str, body: Any) -> None:
    """Both branches, explained the old way and the new way, give the same 422 errors."""
    for index, branch in enumerate(_branches(operation_id)):
        old = payloads._errors(Draft4Validator(branch), body)
        new = payloads._errors(payloads._explainers(operation_id)[index], body)
        assert new == old, (operation_id, index, body)


@settings(max_examples=300, suppress_health_check=list(HealthCheck), deadline=None)
@given(body=_BODIES, operation_id=st.sampled_from(OPERATIONS))
def test_explainer_matches_jsonschema_on_arbitrary_bodies(body: Any, operation_id: str) -> None:
    assume(payloads._plain(body))  # the explainer is only used on plain bodies
    _assert_same_explanation(operation_id, body)


def _replace(value: Any, path: tuple[Any, ...], new: Any) -> Any:
    if not path:
        return new
    copy = dict(value) if isinstance(value, dict) else list(value)
    copy[path[0]] = _replace(value[path[0]], path[1:], new)
    return copy


@settings(max_examples=150, suppress_health_check=list(HealthCheck), deadline=None)
@given(data=st.data(), operation_id=st.sampled_from(OPERATIONS))
def test_explainer_matches_jsonschema_on_valid_bodies_with_one_value_broken(
    data: st.DataObject, operation_id: str
) -> None:
    valid = loads(json.dumps(data.draw(request_bodies(default_fragment(), operation_id))).encode())
    paths = value_paths(valid)[1:]
    assume(paths)
    path = data.draw(st.sampled_from(paths))
    broken = _replace(valid, path, data.draw(_VALUES))
    assume(payloads._plain(broken))

    _assert_same_explanation(operation_id, broken)


@pytest.mark.parametrize("operation_id", OPERATIONS)
def test_the_benchmarked_body_is_explained_as_before(operation_id: str) -> None:
    body = loads(
        b'{"items":[{"item_type":"PRODUCT","item_id":201,"quantity":"one"}],'
        b'"payments":[{"provider_id":"braintree","amount":96.34}]}'
    )
    _assert_same_explanation(operation_id, body)
    with pytest.raises(payloads.SchemaViolationError) as raised:
        payloads.parse_payload(operation_id, body)
    assert raised.value.errors == {"items[0].quantity": "'one' is not of type 'integer'"}


def test_valid_subtrees_are_skipped() -> None:
    """The point of it: a valid payment is never walked by jsonschema when explaining."""
    if not AVAILABLE:
        pytest.skip("jsonschema-rs is not installed: nothing can be proven valid")
    items_branch = _branches(REFUND_OPERATION)[0]
    payments_schema = items_branch["properties"]["payments"]
    visited: list[Any] = []
    validator = pruning_validator(items_branch)
    original = type(validator).descend

    def spy(self: Any, instance: Any, schema: Any, *args: Any, **kwargs: Any) -> Any:
        visited.append(schema)
        return original(self, instance, schema, *args, **kwargs)

    type(validator).descend = spy  # type: ignore[method-assign]
    try:
        errors = list(
            validator.iter_errors(
                loads(
                    b'{"items":[{"item_type":"PRODUCT","item_id":201,"quantity":"one"}],'
                    b'"payments":[{"provider_id":"braintree","amount":96.34}]}'
                )
            )
        )
    finally:
        type(validator).descend = original  # type: ignore[method-assign]
    assert errors
    assert all(schema is not payments_schema for schema in visited)
    assert all(schema is not payments_schema["items"] for schema in visited)
