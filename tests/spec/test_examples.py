"""Requests are never stricter than upstream: every documented valid example validates, by name."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import assume, given
from hypothesis import strategies as st

from bigcommerce_refunds.spec.cut import cut_fragment
from bigcommerce_refunds.spec.fragment import Fragment, FragmentValidator, default_fragment

from ..strategies import request_bodies
from .examples import DEFECTIVE_UPSTREAM_EXAMPLES, UPSTREAM, guide_examples, upstream_examples

ALL_EXAMPLES = {**upstream_examples(), **guide_examples()}
VALID_EXAMPLES = {k: v for k, v in ALL_EXAMPLES.items() if k not in DEFECTIVE_UPSTREAM_EXAMPLES}
UPSTREAM_AS_IS = Fragment(cut_fragment(yaml.safe_load(UPSTREAM.read_text(encoding="utf-8"))))


def _errors(fragment: Fragment, operation_id: str, body: Any) -> list[str]:
    validator = FragmentValidator(fragment.request_schema(operation_id))
    return [error.message for error in validator.iter_errors(body)]


def test_all_documented_examples_are_found() -> None:
    # 4 quote + 4 refund examples upstream, 5 example requests in the guide.
    assert len(upstream_examples()) == 8
    assert len(guide_examples()) == 5
    assert set(DEFECTIVE_UPSTREAM_EXAMPLES) <= set(ALL_EXAMPLES)


@pytest.mark.parametrize("name", sorted(VALID_EXAMPLES))
def test_documented_example_request_validates_against_the_fragment(name: str) -> None:
    operation_id, body = VALID_EXAMPLES[name]
    assert _errors(default_fragment(), operation_id, body) == []


@pytest.mark.parametrize("name", sorted(DEFECTIVE_UPSTREAM_EXAMPLES))
def test_defective_upstream_example_is_rejected_by_upstream_itself(name: str) -> None:
    """Rejecting these is not stricter than upstream: upstream's own schema rejects them."""
    operation_id, body = ALL_EXAMPLES[name]
    assert _errors(UPSTREAM_AS_IS, operation_id, body) != []


@pytest.mark.parametrize(
    "name",
    [
        "createOrderRefund: Tax Exempt (Order Level)",
        "createOrderRefundQuotes: Tax Exempt (Order Level)",
        "guide: Creating refund quotes / Example request: Create a refund quote",
        "guide: Creating a refund / Example request: Create a refund",
    ],
)
def test_documented_order_and_fee_items_fail_upstream_but_pass_the_fragment(name: str) -> None:
    """The upstream oneOf overlap (ORDER and FEE match two branches) is what the overlay fixes."""
    operation_id, body = ALL_EXAMPLES[name]
    assert any(item["item_type"] in {"ORDER", "FEE"} for item in body["items"])
    assert _errors(UPSTREAM_AS_IS, operation_id, body) != []
    assert _errors(default_fragment(), operation_id, body) == []


def _has_fractional_item_id(body: Any) -> bool:
    items = body.get("items") if isinstance(body, dict) else None
    return isinstance(items, list) and any(
        isinstance(item, dict)
        and isinstance(item.get("item_id"), float)
        and not item["item_id"].is_integer()
        for item in items
    )


@pytest.mark.parametrize("operation_id", ["createOrderRefund", "createOrderRefundQuotes"])
@given(data=st.data())
def test_any_body_upstream_accepts_the_fragment_accepts(
    operation_id: str, data: st.DataObject
) -> None:
    """Never stricter than upstream, with one documented exception: item_id is an integer.

    Upstream types FeeItem/TaxExemptItem item_id as `number`; the overlay makes ids integers
    everywhere (the issue requires one type; a fractional id names nothing).
    """
    body = data.draw(request_bodies(UPSTREAM_AS_IS, operation_id))
    assume(not _has_fractional_item_id(body))
    assert _errors(default_fragment(), operation_id, body) == []


def _body_media_types(fragment: Fragment) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for operation in fragment.operations():
        body = fragment.deref(operation.spec.get("requestBody", {}))
        found[operation.operation_id] = set(body.get("content", {}))
    return found


def test_every_request_side_narrowing_is_documented_in_architecture() -> None:
    """Request media types upstream declares and the fragment drops are named in ARCHITECTURE.md.

    ARCHITECTURE.md once called integer item_id "the only request-side tightening", though the
    fragment also drops the quote's XML and multipart bodies (the sandbox answers them 415).
    """
    architecture = (Path(__file__).parents[2] / "ARCHITECTURE.md").read_text(encoding="utf-8")
    upstream = _body_media_types(UPSTREAM_AS_IS)
    ours = _body_media_types(default_fragment())
    dropped = {
        media_type
        for operation_id, media_types in upstream.items()
        for media_type in media_types - ours[operation_id]
    }

    assert dropped == {"application/xml", "multipart/form-data"}
    for media_type in sorted(dropped):
        assert f"`{media_type}`" in architecture, media_type
    assert "the only request-side tightening" not in architecture
    assert "`item_id` is an integer everywhere" in architecture
