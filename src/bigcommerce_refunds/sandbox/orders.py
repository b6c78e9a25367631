"""Orders as the sandbox models them: what was charged, what was paid, and what is refunded so far.

An order is a set of refundable *lines*, each with its own small ledger:

* quantity lines (``PRODUCT`` and ``GIFT_WRAPPING``, keyed by order product id): units charged at a
  unit price plus a unit tax; refunded by quantity;
* amount lines (``SHIPPING`` and ``HANDLING`` per order address id, ``FEE`` per fee id): refunded by
  amount, with the tax share refunded in proportion.

Prices are in the store's basis: tax-exclusive stores quote prices before tax (the customer paid
price + tax), tax-inclusive stores quote prices that contain the tax (the customer paid the price).
Refund request amounts (``SHIPPING``, ``HANDLING``, ``FEE``) are in the same basis, so a
tax-exclusive store refunding 10.00 of shipping taxed at 8.25% refunds 10.83.

Orders are built from JSON descriptions (``fixtures.json``, ``POST /__sandbox/orders``) by
:mod:`order_descriptions`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from bigcommerce_refunds.sandbox.money import ZERO, quantize, total

# Providers that never move money themselves: refunds to them are recorded, not sent anywhere.
OFFLINE_PROVIDERS = frozenset({"bankdeposit", "cod", "cheque", "moneyorder", "custom", "instore"})
PROVIDER_DESCRIPTIONS = {
    "storecredit": "Store Credit",
    "custom": "Custom",
    "bankdeposit": "Bank Deposit",
    "cod": "Cash on Delivery",
    "cheque": "Check",
    "moneyorder": "Money Order",
    "instore": "Pay in Store",
}


@dataclass
class QuantityLine:
    """Units of a product (or of its gift wrapping) and how many were refunded, for what."""

    quantity: int
    unit_price: Decimal
    unit_tax: Decimal
    tax_inclusive: bool
    refunded_quantity: int = 0
    refunded_gross: Decimal = ZERO
    refunded_tax: Decimal = ZERO

    @property
    def unit_gross(self) -> Decimal:
        return self.unit_price if self.tax_inclusive else self.unit_price + self.unit_tax

    @property
    def gross(self) -> Decimal:
        return quantize(self.unit_gross * self.quantity)

    @property
    def tax(self) -> Decimal:
        return quantize(self.unit_tax * self.quantity)

    @property
    def remaining_quantity(self) -> int:
        return self.quantity - self.refunded_quantity

    def view(self) -> dict[str, Any]:
        return {
            "quantity": self.quantity,
            "unit_price": self.unit_price,
            "unit_tax": self.unit_tax,
            "total": self.gross,
            "total_tax": self.tax,
            "refunded_quantity": self.refunded_quantity,
            "refunded_amount": self.refunded_gross,
            "refunded_tax": self.refunded_tax,
            "remaining_quantity": self.remaining_quantity,
        }


@dataclass
class AmountLine:
    """A charge refunded by amount (shipping, handling or a fee) and what was refunded of it."""

    price: Decimal
    tax: Decimal
    tax_inclusive: bool
    refunded_basis: Decimal = ZERO
    refunded_gross: Decimal = ZERO
    refunded_tax: Decimal = ZERO

    @property
    def gross(self) -> Decimal:
        return self.price if self.tax_inclusive else self.price + self.tax

    @property
    def remaining(self) -> Decimal:
        """What is left to refund, in the store's price basis (the unit of request amounts)."""
        return self.price - self.refunded_basis

    def view(self) -> dict[str, Any]:
        return {
            "price": self.price,
            "tax": self.tax,
            "total": self.gross,
            "refunded_amount": self.refunded_gross,
            "refunded_tax": self.refunded_tax,
            "remaining_amount": self.remaining,
        }


@dataclass
class Product:
    id: int
    name: str
    sku: str
    line: QuantityLine
    wrapping: QuantityLine | None


@dataclass
class Address:
    id: int
    shipping: AmountLine
    handling: AmountLine


@dataclass
class Fee:
    id: int
    name: str
    line: AmountLine


@dataclass
class Payment:
    """How the customer paid (part of) the order, and how much of it was refunded to it."""

    provider_id: str
    provider_description: str
    amount: Decimal
    offline_provider: bool
    refunded: Decimal = ZERO

    @property
    def remaining(self) -> Decimal:
        return self.amount - self.refunded


@dataclass
class Order:
    id: int
    customer_id: int
    tax_inclusive: bool
    paid: bool
    currency_code: str
    created: str
    overcharged_tax: Decimal
    products: dict[int, Product]
    addresses: dict[int, Address]
    fees: dict[int, Fee]
    payments: list[Payment]
    refunded_total: Decimal = ZERO
    order_level_refunded: Decimal = ZERO
    tax_adjusted: Decimal = ZERO
    # Refunds to providers the customer did not pay with (store credit, custom/offline).
    refunded_elsewhere: dict[str, Decimal] = field(default_factory=dict)

    @property
    def is_guest(self) -> bool:
        return self.customer_id == 0

    def quantity_lines(self) -> Iterator[QuantityLine]:
        for product in self.products.values():
            yield product.line
            if product.wrapping is not None:
                yield product.wrapping

    def amount_lines(self) -> Iterator[AmountLine]:
        for address in self.addresses.values():
            yield address.shipping
            yield address.handling
        for fee in self.fees.values():
            yield fee.line

    @property
    def total(self) -> Decimal:
        """What the order charged, tax included."""
        return total(
            [line.gross for line in self.quantity_lines()]
            + [line.gross for line in self.amount_lines()]
        )

    @property
    def total_tax(self) -> Decimal:
        return total(
            [line.tax for line in self.quantity_lines()]
            + [line.tax for line in self.amount_lines()]
        )

    @property
    def paid_total(self) -> Decimal:
        return total([payment.amount for payment in self.payments]) if self.paid else ZERO

    @property
    def remaining(self) -> Decimal:
        """What can still be refunded, all lines and order-level amounts together."""
        return self.paid_total - self.refunded_total

    @property
    def remaining_overcharged_tax(self) -> Decimal:
        return self.overcharged_tax - self.tax_adjusted

    @property
    def status(self) -> str:
        if not self.paid:
            return "Awaiting Payment"
        if self.refunded_total == 0:
            return "Awaiting Fulfillment"
        return "Refunded" if self.remaining == 0 else "Partially Refunded"

    def view(self) -> dict[str, Any]:
        """The control API's view: the order, its ledgers, and what remains refundable."""
        return {
            "id": self.id,
            "customer_id": self.customer_id,
            "is_guest": self.is_guest,
            "status": self.status,
            "created": self.created,
            "currency_code": self.currency_code,
            "tax_inclusive": self.tax_inclusive,
            "paid": self.paid,
            "products": [
                {
                    "id": product.id,
                    "name": product.name,
                    "sku": product.sku,
                    **product.line.view(),
                    "gift_wrapping": None if product.wrapping is None else product.wrapping.view(),
                }
                for product in self.products.values()
            ],
            "addresses": [
                {
                    "id": address.id,
                    "shipping": address.shipping.view(),
                    "handling": address.handling.view(),
                }
                for address in self.addresses.values()
            ],
            "fees": [
                {"id": fee.id, "name": fee.name, **fee.line.view()} for fee in self.fees.values()
            ],
            "payments": [
                {
                    "provider_id": payment.provider_id,
                    "provider_description": payment.provider_description,
                    "amount": payment.amount,
                    "offline_provider": payment.offline_provider,
                    "refunded_amount": payment.refunded,
                }
                for payment in self.payments
            ],
            "refunded_to_other_providers": dict(sorted(self.refunded_elsewhere.items())),
            "overcharged_tax": self.overcharged_tax,
            "tax_adjusted": self.tax_adjusted,
            "totals": {
                "total": self.total,
                "total_tax": self.total_tax,
                "paid": self.paid_total,
                "refunded": self.refunded_total,
                "order_level_refunded": self.order_level_refunded,
                "remaining": self.remaining,
            },
        }


__all__ = [
    "OFFLINE_PROVIDERS",
    "PROVIDER_DESCRIPTIONS",
    "Address",
    "AmountLine",
    "Fee",
    "Order",
    "Payment",
    "Product",
    "QuantityLine",
]
