"""Small constructors for what goes into a quote or a refund.

One function per item kind, so that a caller never has to know that PRODUCT is refunded by
quantity but SHIPPING by amount and address id, or that an ORDER item's id is the order id.
Each returns a frozen value that serializes itself with Decimal amounts (see ``money``).

The item kinds are the generated ``RefundItemItemType`` enum (the kinds a recorded refund can
have), so a regenerated client that drops or renames a kind breaks type checking here.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from bigcommerce_refunds_client.models import PaymentOption, RefundItemItemType

from .money import JSONValue, as_amount, to_decimal

__all__ = [
    "QUANTITY_KINDS",
    "Adjustment",
    "Item",
    "MerchantOverride",
    "Payment",
    "adjustment",
    "fee",
    "gift_wrapping",
    "handling",
    "merchant_override",
    "order_level",
    "payment",
    "payments_for",
    "product",
    "shipping",
]

QUANTITY_KINDS = frozenset({RefundItemItemType.PRODUCT, RefundItemItemType.GIFT_WRAPPING})
"""Kinds refunded by quantity; every other kind is refunded by amount."""


def _require_int(value: int, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{what} must be an int, not {type(value).__name__}")
    return value


def _optional_text(value: str | None, what: str) -> str | None:
    if value is not None and not isinstance(value, str):
        raise TypeError(f"{what} must be a str or None, not {type(value).__name__}")
    return value


@dataclass(frozen=True, slots=True)
class Adjustment:
    """A deduction from a PRODUCT item's refund (the API expects a negative amount)."""

    amount: Decimal
    description: str | None = None

    def to_json(self) -> dict[str, JSONValue]:
        body: dict[str, JSONValue] = {"amount": self.amount}
        if self.description is not None:
            body["description"] = self.description
        return body


@dataclass(frozen=True, slots=True)
class Item:
    """One line of a quote or refund request. Build it with the constructors below."""

    item_type: RefundItemItemType
    item_id: int
    quantity: int | None = None
    amount: Decimal | None = None
    reason: str | None = None
    adjustments: tuple[Adjustment, ...] = ()

    def to_json(self) -> dict[str, JSONValue]:
        body: dict[str, JSONValue] = {"item_type": self.item_type.value, "item_id": self.item_id}
        if self.quantity is not None:
            body["quantity"] = self.quantity
        if self.amount is not None:
            body["amount"] = self.amount
        if self.reason is not None:
            body["reason"] = self.reason
        if self.adjustments:
            body["adjustments"] = [entry.to_json() for entry in self.adjustments]
        return body


@dataclass(frozen=True, slots=True)
class Payment:
    """How much goes back through one payment provider."""

    provider_id: str
    amount: Decimal
    offline: bool = False

    def to_json(self) -> dict[str, JSONValue]:
        return {"provider_id": self.provider_id, "amount": self.amount, "offline": self.offline}


@dataclass(frozen=True, slots=True)
class MerchantOverride:
    """Merchant-calculated totals that replace BigCommerce's own refund calculation."""

    total_amount: Decimal
    total_tax: Decimal

    def to_json(self) -> dict[str, JSONValue]:
        return {"total_amount": self.total_amount, "total_tax": self.total_tax}


def adjustment(amount: Decimal | int | str, description: str | None = None) -> Adjustment:
    """A PRODUCT-item deduction, e.g. ``adjustment(Decimal("-2.50"), "restocking fee")``."""
    return Adjustment(
        as_amount(amount, what="adjustment amount"), _optional_text(description, "description")
    )


def _quantity_item(
    kind: RefundItemItemType,
    item_id: int,
    quantity: int,
    reason: str | None,
    adjustments: Iterable[Adjustment] = (),
) -> Item:
    entries = tuple(adjustments)
    for entry in entries:
        if not isinstance(entry, Adjustment):
            raise TypeError("adjustments must be built with adjustment(...)")
    return Item(
        item_type=kind,
        item_id=_require_int(item_id, "item_id"),
        quantity=_require_int(quantity, "quantity"),
        reason=_optional_text(reason, "reason"),
        adjustments=entries,
    )


def _amount_item(
    kind: RefundItemItemType, item_id: int, amount: Decimal | int | str, reason: str | None
) -> Item:
    return Item(
        item_type=kind,
        item_id=_require_int(item_id, "item_id"),
        amount=as_amount(amount),
        reason=_optional_text(reason, "reason"),
    )


def product(
    item_id: int,
    quantity: int,
    reason: str | None = None,
    adjustments: Iterable[Adjustment] = (),
) -> Item:
    """Refund ``quantity`` units of order product ``item_id`` (the order fixes the amount)."""
    return _quantity_item(RefundItemItemType.PRODUCT, item_id, quantity, reason, adjustments)


def gift_wrapping(item_id: int, quantity: int, reason: str | None = None) -> Item:
    """Refund the gift wrapping of ``quantity`` units of order product ``item_id``."""
    return _quantity_item(RefundItemItemType.GIFT_WRAPPING, item_id, quantity, reason)


def shipping(address_id: int, amount: Decimal | int | str, reason: str | None = None) -> Item:
    """Refund ``amount`` of the shipping cost of order address ``address_id``."""
    return _amount_item(RefundItemItemType.SHIPPING, address_id, amount, reason)


def handling(address_id: int, amount: Decimal | int | str, reason: str | None = None) -> Item:
    """Refund ``amount`` of the handling cost of order address ``address_id``."""
    return _amount_item(RefundItemItemType.HANDLING, address_id, amount, reason)


def order_level(order_id: int, amount: Decimal | int | str, reason: str | None = None) -> Item:
    """Refund a tax-exempt ``amount`` at order level (item_type ORDER; tax is not recalculated)."""
    return _amount_item(RefundItemItemType.ORDER, order_id, amount, reason)


def fee(fee_id: int, amount: Decimal | int | str, reason: str | None = None) -> Item:
    """Refund ``amount`` of the order's custom fee ``fee_id``."""
    return _amount_item(RefundItemItemType.FEE, fee_id, amount, reason)


def payment(provider_id: str, amount: Decimal | int | str, offline: bool = False) -> Payment:
    """Send ``amount`` back through ``provider_id`` (e.g. ``"storecredit"``, ``"braintree"``)."""
    if not isinstance(provider_id, str) or not provider_id:
        raise TypeError("provider_id must be a non-empty str")
    if not isinstance(offline, bool):
        raise TypeError("offline must be a bool")
    return Payment(provider_id, as_amount(amount), offline)


def merchant_override(
    total_amount: Decimal | int | str, total_tax: Decimal | int | str
) -> MerchantOverride:
    """Totals the merchant calculated; the refund's payments must add up to ``total_amount``."""
    return MerchantOverride(
        as_amount(total_amount, what="total_amount"), as_amount(total_tax, what="total_tax")
    )


def payments_for(method: Sequence[PaymentOption]) -> list[Payment]:
    """The payments that take one alternative of a quote's ``refund_methods`` as offered.

    The API accepts a refund whose payments equal one refund method (providers and amounts);
    this builds exactly that, with the amounts as the exact Decimals the quote carried.
    """
    return [
        Payment(option.provider_id, to_decimal(option.amount), bool(option.offline))
        for option in method
    ]
