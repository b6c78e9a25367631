"""The rule set a quote or refund is checked with: which of the sandbox's rules are enforced.

BigCommerce enforces every rule, and so does :data:`STRICT`, the rule set the sandbox uses unless
something asks for another. The fields name rules, not reasons to relax them: a planted bug (see
the ``bugs`` package) that wants a lax server hands the store a rule set with a rule turned off,
and the rule modules only ever ask "is this rule enforced?". A frozen dataclass: one attribute
read per check on the hot path, shared by every request until the active bugs change.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

#: Looks at one request item (a JSON object) before its rules run; may raise.
ItemInspector = Callable[[Mapping[str, Any]], None]


@dataclass(frozen=True)
class RuleSet:
    """Which rules a quote or refund must pass; the defaults are BigCommerce's."""

    #: Quantities and amounts are capped by what remains refundable (item, address, fee, order).
    caps_remaining: bool = True
    #: Item and payment amounts must be greater than 0.
    amounts_positive: bool = True
    #: Store credit is offered to, and accepted for, guest customers (customer_id 0).
    store_credit_for_guests: bool = False
    #: A refund's payments must equal one refund method of the quote.
    payments_match_methods: bool = True
    #: PRODUCT and GIFT_WRAPPING lines refund the items' tax with their price.
    refunds_item_tax: bool = True
    #: Called with every request item before the item's rules run.
    item_inspectors: tuple[ItemInspector, ...] = ()


STRICT = RuleSet()

__all__ = ["STRICT", "ItemInspector", "RuleSet"]
