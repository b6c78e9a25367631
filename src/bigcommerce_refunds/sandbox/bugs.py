"""Planted-bug profiles: small named deviations that make the sandbox a broken server on purpose.

Like Schemathesis' own test servers, the sandbox can misbehave in one precise way at a time, so the
conformance suite can prove it notices: a check that never fails against a broken server checks
nothing. Each profile is a minimal, targeted change in the response path (or in one rule), switched
on by name through ``SandboxConfig.bugs``, ``--bug NAME`` or ``POST /__sandbox/bugs``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from types import MappingProxyType

BUG_PROFILES: Mapping[str, str] = MappingProxyType(
    {
        "wrong_status": "createOrderRefund answers 200 instead of 201.",
        "missing_field": "Refund objects lack total_tax.",
        "renamed_field": "Refund objects call total_amount amount_total.",
        "mistyped_field": "Refund objects carry order_id as a string.",
        "wrong_content_type": "Refund reads answer text/plain (with the JSON text as body).",
        "server_error_on_edge": "A refund item with quantity 0 or amount 0 gives a 500.",
        "over_refund": "Remaining quantities, amounts and the order's refund limit are ignored.",
        "mismatched_payments": "Refund payments are not checked against the refund methods.",
        "lost_write": "createOrderRefund answers 201 but does not store the refund.",
        "auth_bypass": "A missing or unknown X-Auth-Token is accepted (with write scopes).",
        "wrong_error_shape": 'createOrderRefund 422 bodies are {"error": "..."}, not data[].',
        "total_not_sum": "Refund total_amount is 0.01 more than the sum of its payments.",
        "missing_rate_limit_headers": "Refund API responses carry no X-Rate-Limit-* headers.",
        "readonly_can_write": "A read-only token may POST refunds and quotes.",
        "tax_adjustment_items": "Tax adjustment refunds echo a fake PRODUCT item instead of [].",
        "stale_reads": "GET a refund by id returns a different reason than the list reads.",
        "negative_amount_accepted": "Item and payment amounts <= 0 are accepted.",
        "guest_store_credit": "Store credit to a guest customer is accepted (and quoted).",
        "tax_not_refunded": "Product and gift-wrapping refunds leave out the items' tax.",
        "wrong_item_quantity": "Refund objects report every item's quantity as 1.",
    }
)


class UnknownBugError(ValueError):
    """A bug profile name the sandbox does not know (the message lists the known ones)."""


def validate_bugs(names: Iterable[str]) -> frozenset[str]:
    """The names as a frozenset, or UnknownBugError naming the unknown ones and the known ones."""
    requested = frozenset(names)
    unknown = sorted(requested - BUG_PROFILES.keys())
    if unknown:
        known = ", ".join(sorted(BUG_PROFILES))
        raise UnknownBugError(f"unknown bug profile(s): {', '.join(unknown)}; known: {known}")
    return requested


__all__ = ["BUG_PROFILES", "UnknownBugError", "validate_bugs"]
