"""Schema-guided parsing of request bodies into the generated models.

openapi-python-client parses a union by trying each class's ``from_dict`` in turn, and
``from_dict`` checks enums and required keys but not value types, so a body that only the second
anyOf branch describes can still come back as the first branch's class. Here the branch is chosen
by validating against the fragment's own schema for each branch, so the class always says which
variant the body is. (Item kinds need no help: the overlay gives each ``item_type`` exactly one
branch, and ``from_dict`` rejects foreign item types through the enum.)
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bigcommerce_refunds_client.models import (
    ItemsRefundQuoteRequest,
    ItemsRefundRequest,
    TaxAdjustmentRefundQuoteRequest,
    TaxAdjustmentRefundRequest,
)

from bigcommerce_refunds.spec.fragment import default_fragment

RefundRequest = ItemsRefundRequest | TaxAdjustmentRefundRequest
RefundQuoteRequest = ItemsRefundQuoteRequest | TaxAdjustmentRefundQuoteRequest

__all__ = [
    "InvalidRequestBodyError",
    "RefundQuoteRequest",
    "RefundRequest",
    "parse_refund_quote_request",
    "parse_refund_request",
]


class InvalidRequestBodyError(ValueError):
    """The body matches none of the operation's request variants."""


def _first_valid(body: Mapping[str, Any], variants: list[tuple[str, type[Any]]]) -> Any:
    fragment = default_fragment()
    for component, model in variants:
        if fragment.component_validator(component).is_valid(body):
            return model.from_dict(body)
    names = " or ".join(model.__name__ for _, model in variants)
    raise InvalidRequestBodyError(f"body is neither {names}")


def parse_refund_request(body: Mapping[str, Any]) -> RefundRequest:
    """Parse a Create Refund body into the class of the first variant whose schema it meets."""
    result: RefundRequest = _first_valid(
        body,
        [
            ("RefundRequest_Post_Items", ItemsRefundRequest),
            ("RefundRequest_Post_TaxAdjustmentAmount", TaxAdjustmentRefundRequest),
        ],
    )
    return result


def parse_refund_quote_request(body: Mapping[str, Any]) -> RefundQuoteRequest:
    """Parse a Create Refund Quote body the same way."""
    result: RefundQuoteRequest = _first_valid(
        body,
        [
            ("RefundQuote_ItemsRefund", ItemsRefundQuoteRequest),
            ("RefundQuote_TaxAdjustmentAmount", TaxAdjustmentRefundQuoteRequest),
        ],
    )
    return result
