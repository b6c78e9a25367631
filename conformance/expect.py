"""Assertions on single responses, with messages that say what the server did wrong."""

from __future__ import annotations

from typing import Any

import httpx

from bigcommerce_refunds.spec.fragment import default_fragment
from conformance import checks


class ConformanceError(AssertionError):
    """A response broke the contract; the message names the operation and the rule."""


def conforming(response: httpx.Response, operation_id: str, *, status: int | None = None) -> Any:
    """Check status (when given), declaration, content type, headers and body; return the body.

    The body is parsed with Decimal numbers, so money can be compared exactly.
    """
    label = f"{response.request.method} {response.request.url.path} ({operation_id})"
    problems: list[str] = []
    if status is not None and response.status_code != status:
        problems.append(
            f"expected status {status}, got {response.status_code}: {response.text[:500]}"
        )
    fragment = default_fragment()
    content_type = response.headers.get("content-type", "")
    if content_type.split(";")[0].strip().lower() != "application/json":
        problems.append(f"content type {content_type!r} is not application/json")
    try:
        body = checks.parse_json(response.content)
    except ValueError:
        body = None
        problems.append(f"body is not JSON: {response.text[:200]!r}")
    if body is not None:
        problems += fragment.response_errors(
            operation_id, response.status_code, decimals_as_floats(body)
        )
    try:
        required = fragment.required_response_headers(operation_id, response.status_code)
    except KeyError:
        required = []
    problems += [f"missing header {name}" for name in required if name not in response.headers]
    problems += checks.rate_limit_problems(dict(response.headers))
    if problems:
        raise ConformanceError(f"{label}:\n  " + "\n  ".join(problems))
    return body


def decimals_as_floats(value: Any) -> Any:
    """Decimals back to numbers the JSON Schema validator knows."""
    from decimal import Decimal

    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dict):
        return {k: decimals_as_floats(v) for k, v in value.items()}
    if isinstance(value, list):
        return [decimals_as_floats(v) for v in value]
    return value


def no_problems(problems: list[str], context: str) -> None:
    if problems:
        raise ConformanceError(f"{context}:\n  " + "\n  ".join(problems))
