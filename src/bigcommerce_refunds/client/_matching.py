"""Recognising, in an order's refunds, the one a failed POST may have recorded.

BigCommerce has no idempotency key, so after a refund POST fails ambiguously (timeout, dropped
connection, 5xx) the only way to know whether it was recorded is to read the order's refunds
and look for it. The rule, precisely:

1. Before sending, the client snapshots the ids of the order's existing refunds (while holding
   the per-order lock, so no other create through this client can interleave).
2. After the failure it reads the order's refunds again. *New* refunds are those whose id was
   not in the snapshot.
3. A new refund *matches* the request when all of these hold:
   - its ``order_id`` is the request's order;
   - items refund: its items and the request's items are equal as multisets of keys, where the
     key is ``(item_type, item_id, quantity)`` for PRODUCT and GIFT_WRAPPING and
     ``(item_type, item_id, amount)`` for every other kind (``requested_amount`` on the record),
     and its payments and the request's payments are equal as multisets of
     ``(provider_id, amount)`` (``offline`` is not compared: the server may decide it);
   - tax adjustment refund: it has no items;
   - with a merchant override: ``uses_merchant_override_values`` is true and ``total_amount``
     equals the override's total; a tax adjustment without override: ``total_amount`` equals
     the tax adjustment amount.
   Amounts are compared as exact Decimals (see ``money.to_decimal``); reasons are not compared.
4. Verdict: exactly one new matching refund -> it was recorded (return it). More than one
   -> unknown at once (which one is ours cannot be told). None yet -> look again until the
   settle window is over, then unknown.

A read-back can prove that a refund *was* recorded, never that it will not be: the POST may
still be in progress on the server (a slow payment gateway). So no verdict ever leads to a
second POST; a matcher that is too strict can only turn "recorded" into "unknown" (an
exception), never into a second payment.
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from bigcommerce_refunds_client.models import Refund, RefundItem

from .items import QUANTITY_KINDS, Item, MerchantOverride, Payment
from .money import JSONValue, to_decimal

__all__ = ["RefundSpec", "Verdict", "judge", "matches", "matching_since"]

_Key = tuple[str, int, int | Decimal | None]


@dataclass(frozen=True)
class RefundSpec:
    """A refund request in a form that can be both sent and recognised afterwards."""

    order_id: int
    items: tuple[Item, ...] = ()
    payments: tuple[Payment, ...] = ()
    merchant_override: MerchantOverride | None = None
    tax_adjustment_amount: Decimal | None = None

    def body(self) -> dict[str, JSONValue]:
        """The createOrderRefund body: Items Refund or Tax Adjustment Refund."""
        body: dict[str, JSONValue]
        if self.tax_adjustment_amount is not None:
            body = {"tax_adjustment_amount": self.tax_adjustment_amount}
        else:
            body = {
                "items": [item.to_json() for item in self.items],
                "payments": [entry.to_json() for entry in self.payments],
            }
        if self.merchant_override is not None:
            body["merchant_calculated_override"] = self.merchant_override.to_json()
        return body

    def describe(self) -> str:
        """What was asked, for error messages: ``items PRODUCT 202 x1; payments braintree 9.99``."""
        if self.tax_adjustment_amount is not None:
            text = f"tax adjustment {self.tax_adjustment_amount}"
        else:
            items = ", ".join(_describe_item(item) for item in self.items) or "none"
            payments = ", ".join(
                f"{entry.provider_id} {entry.amount}" + (" (offline)" if entry.offline else "")
                for entry in self.payments
            )
            text = f"items {items}; payments {payments or 'none'}"
        if self.merchant_override is not None:
            text += (
                f"; merchant override total {self.merchant_override.total_amount}"
                f" (tax {self.merchant_override.total_tax})"
            )
        return text


def _describe_item(item: Item) -> str:
    if item.item_type in QUANTITY_KINDS:
        return f"{item.item_type.value} {item.item_id} x{item.quantity}"
    return f"{item.item_type.value} {item.item_id} {item.amount}"


def _request_key(item: Item) -> _Key:
    if item.item_type in QUANTITY_KINDS:
        return (item.item_type.value, item.item_id, item.quantity)
    return (item.item_type.value, item.item_id, item.amount)


def _record_key(item: RefundItem) -> _Key:
    kind = item.item_type
    if kind in QUANTITY_KINDS:
        quantity = item.quantity if isinstance(item.quantity, int) else None
        return (kind.value, item.item_id, quantity)
    # Typed ``float | Unset`` by the generator, but the overlay makes it nullable: None too.
    raw: object = item.requested_amount
    amount = to_decimal(raw) if isinstance(raw, float | int) and not isinstance(raw, bool) else None
    return (kind.value, item.item_id, amount)


def _same(left: Iterable[object], right: Iterable[object]) -> bool:
    return Counter(left) == Counter(right)


def matches(spec: RefundSpec, refund: Refund) -> bool:
    """Whether ``refund`` is what ``spec`` would have recorded (rule 3 above)."""
    if refund.order_id != spec.order_id:
        return False
    total = to_decimal(refund.total_amount)
    if spec.merchant_override is not None and (
        refund.uses_merchant_override_values is not True
        or total != spec.merchant_override.total_amount
    ):
        return False
    if spec.tax_adjustment_amount is not None:
        if refund.items:
            return False
        return spec.merchant_override is not None or total == spec.tax_adjustment_amount
    if not _same((_request_key(item) for item in spec.items), map(_record_key, refund.items)):
        return False
    return _same(
        ((entry.provider_id, entry.amount) for entry in spec.payments),
        ((entry.provider_id, to_decimal(entry.amount)) for entry in refund.payments),
    )


@dataclass(frozen=True)
class Verdict:
    """What one read-back showed. ``recorded`` is set only for exactly one match.

    There is deliberately no "not recorded" verdict: no new refund *yet* proves nothing while
    the POST may still be in progress on the server.
    """

    recorded: Refund | None
    new_refund_ids: tuple[int, ...]
    matching_ids: tuple[int, ...]


def judge(spec: RefundSpec, known_ids: frozenset[int], refunds_now: Iterable[Refund]) -> Verdict:
    """Apply rule 4 to the order's refunds as read after the failure."""
    new = [refund for refund in refunds_now if refund.id not in known_ids]
    matching = [refund for refund in new if matches(spec, refund)]
    return Verdict(
        recorded=matching[0] if len(matching) == 1 else None,
        new_refund_ids=tuple(refund.id for refund in new),
        matching_ids=tuple(refund.id for refund in matching),
    )


def _utc(moment: datetime.datetime) -> datetime.datetime:
    """An aware time; a naive one (a server that omits the offset) is taken as UTC."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=datetime.UTC)


def matching_since(
    spec: RefundSpec, refunds: Iterable[Refund], since: datetime.datetime | None
) -> list[Refund]:
    """The refunds that match ``spec`` (rule 3) and were created at or after ``since``."""
    return [
        refund
        for refund in refunds
        if matches(spec, refund) and (since is None or _utc(refund.created) >= since)
    ]
