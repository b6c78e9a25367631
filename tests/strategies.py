"""Hypothesis strategies for JSON values valid against a fragment schema.

hypothesis-jsonschema no longer works with current Hypothesis, so values come from Schemathesis'
own generator (the one the conformance suite uses): the schema is wrapped as the request body of a
one-operation document and Schemathesis draws positive cases for it.
"""

from __future__ import annotations

import functools
import json
from typing import Any

import schemathesis
from hypothesis import strategies as st

from bigcommerce_refunds.spec.fragment import Fragment


@functools.cache
def _strategy_for(schema_json: str) -> st.SearchStrategy[Any]:
    document = {
        "openapi": "3.0.3",
        "info": {"title": "one schema", "version": "1"},
        "paths": {
            "/value": {
                "post": {
                    "requestBody": {
                        "required": True,
                        "content": {"application/json": {"schema": json.loads(schema_json)}},
                    },
                    "responses": {"200": {"description": "ok"}},
                }
            }
        },
    }
    operation = schemathesis.openapi.from_dict(document)["/value"]["POST"]
    return operation.as_strategy().map(lambda case: case.body)


def valid_json(schema: dict[str, Any]) -> st.SearchStrategy[Any]:
    """Values valid against a dereferenced OpenAPI 3.0 schema."""
    return _strategy_for(json.dumps(schema, sort_keys=True))


def request_bodies(fragment: Fragment, operation_id: str) -> st.SearchStrategy[Any]:
    """Request bodies valid against an operation's JSON body schema."""
    body = fragment.deref(fragment.operation(operation_id).spec["requestBody"])
    return valid_json(body["content"]["application/json"]["schema"])


def _without_read_only(node: Any) -> Any:
    if isinstance(node, dict):
        return {k: _without_read_only(v) for k, v in node.items() if k != "readOnly"}
    if isinstance(node, list):
        return [_without_read_only(item) for item in node]
    return node


def response_bodies(fragment: Fragment, operation_id: str, status: int) -> st.SearchStrategy[Any]:
    """Response bodies valid against the schema declared for ``status``.

    ``readOnly`` marks are dropped: the values are drawn as if they were a request body, where
    Schemathesis leaves read-only properties out, but a response must carry them.
    """
    schema = fragment.response(operation_id, status)["content"]["application/json"]["schema"]
    return valid_json(_without_read_only(schema))
