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

Orders are built from JSON descriptions (``fixtures.json``, ``POST /__sandbox/orders``), validated
field by field with the JSON path of every problem, so the control API can answer a clear 422.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from bigcommerce_refunds.sandbox.money import ZERO, quantize, total
from bigcommerce_refunds.sandbox.rfc3339 import parse_datetime

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


# ---------------------------------------------------------------------------------- descriptions


class OrderDescriptionError(ValueError):
    """An order description is invalid; ``errors`` maps JSON paths to what is wrong there."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{path}: {message}" for path, message in errors.items()))
        self.errors = errors


class _Reader:
    """Reads a JSON description field by field, collecting errors instead of stopping at one."""

    def __init__(self) -> None:
        self.errors: dict[str, str] = {}

    def fail(self, path: str, message: str) -> None:
        self.errors.setdefault(path, message)

    def obj(self, value: Any, path: str, allowed: set[str]) -> dict[str, Any]:
        if not isinstance(value, dict):
            self.fail(path, "must be an object")
            return {}
        for key in sorted(set(value) - allowed):
            self.fail(f"{path}.{key}", f"unknown field (allowed: {', '.join(sorted(allowed))})")
        return value

    def list_(self, parent: dict[str, Any], key: str, path: str) -> list[Any]:
        value = parent.get(key, [])
        if not isinstance(value, list):
            self.fail(f"{path}.{key}", "must be an array")
            return []
        return value

    def integer(
        self, parent: dict[str, Any], key: str, path: str, *, minimum: int, default: int | None
    ) -> int:
        value = parent.get(key, default)
        if value is None:
            self.fail(f"{path}.{key}", "is required")
            return minimum
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            self.fail(f"{path}.{key}", f"must be an integer >= {minimum}")
            return minimum
        if value > 2**53:
            self.fail(f"{path}.{key}", "is too large")
            return minimum
        return value

    def optional_id(self, parent: dict[str, Any], path: str) -> int | None:
        if parent.get("id") is None:
            return None
        return self.integer(parent, "id", path, minimum=1, default=None)

    def amount(
        self, parent: dict[str, Any], key: str, path: str, *, default: Decimal | None = ZERO
    ) -> Decimal:
        value = parent.get(key, default)
        if value is None:
            self.fail(f"{path}.{key}", "is required")
            return ZERO
        if isinstance(value, bool) or not isinstance(value, int | Decimal):
            self.fail(f"{path}.{key}", "must be a number")
            return ZERO
        decimal = Decimal(value)
        if not decimal.is_finite() or decimal < 0 or decimal >= Decimal("1e9"):
            self.fail(f"{path}.{key}", "must be a number from 0 to 999999999.99")
            return ZERO
        if quantize(decimal) != decimal:
            self.fail(f"{path}.{key}", "must have at most 2 decimal places")
            return ZERO
        return quantize(decimal)

    def string(self, parent: dict[str, Any], key: str, path: str, default: str) -> str:
        value = parent.get(key, default)
        if not isinstance(value, str) or len(value) > 255:
            self.fail(f"{path}.{key}", "must be a string of at most 255 characters")
            return default
        return value

    def boolean(self, parent: dict[str, Any], key: str, path: str, default: bool) -> bool:
        value = parent.get(key, default)
        if not isinstance(value, bool):
            self.fail(f"{path}.{key}", "must be true or false")
            return default
        return value


_ORDER_FIELDS = {
    "id",
    "customer_id",
    "tax_inclusive",
    "paid",
    "currency_code",
    "created",
    "overcharged_tax",
    "products",
    "addresses",
    "fees",
    "payments",
}


def parse_order(
    description: Any,
    *,
    allocate_id: Callable[[], int],
    taken_ids: set[int],
    default_created: datetime,
    path: str = "$",
) -> Order:
    """Build an order from its JSON description, or raise OrderDescriptionError.

    Ids that are given must be unused (order, product, address and fee ids share one id space, so
    a PRODUCT item id can never be mistaken for a SHIPPING one); missing ids are allocated.
    ``taken_ids`` is updated only when the whole description is valid.
    """
    read = _Reader()
    data = read.obj(description, path, _ORDER_FIELDS)
    new_ids: list[tuple[str, int | None]] = [(path, read.optional_id(data, path))]
    tax_inclusive = read.boolean(data, "tax_inclusive", path, False)
    customer_id = read.integer(data, "customer_id", path, minimum=0, default=None)
    paid = read.boolean(data, "paid", path, True)
    currency = read.string(data, "currency_code", path, "USD")
    created = _created(read, data, path, default_created)
    overcharged = read.amount(data, "overcharged_tax", path)

    products: list[tuple[str, str, QuantityLine, QuantityLine | None]] = []
    for index, raw in enumerate(read.list_(data, "products", path)):
        where = f"{path}.products[{index}]"
        item = read.obj(
            raw, where, {"id", "name", "sku", "quantity", "unit_price", "unit_tax", "gift_wrapping"}
        )
        new_ids.append((where, read.optional_id(item, where)))
        quantity = read.integer(item, "quantity", where, minimum=1, default=None)
        unit_price = read.amount(item, "unit_price", where, default=None)
        unit_tax = _tax(read, item, "unit_tax", unit_price, tax_inclusive, where)
        wrapping = None
        if item.get("gift_wrapping") is not None:
            wrap_where = f"{where}.gift_wrapping"
            wrap = read.obj(item["gift_wrapping"], wrap_where, {"unit_price", "unit_tax"})
            wrap_price = read.amount(wrap, "unit_price", wrap_where, default=None)
            wrap_tax = _tax(read, wrap, "unit_tax", wrap_price, tax_inclusive, wrap_where)
            wrapping = QuantityLine(quantity, wrap_price, wrap_tax, tax_inclusive)
        products.append(
            (
                read.string(item, "name", where, "Product"),
                read.string(item, "sku", where, ""),
                QuantityLine(quantity, unit_price, unit_tax, tax_inclusive),
                wrapping,
            )
        )

    addresses: list[tuple[AmountLine, AmountLine]] = []
    for index, raw in enumerate(read.list_(data, "addresses", path)):
        where = f"{path}.addresses[{index}]"
        item = read.obj(raw, where, {"id", "shipping", "shipping_tax", "handling", "handling_tax"})
        new_ids.append((where, read.optional_id(item, where)))
        shipping = read.amount(item, "shipping", where)
        handling = read.amount(item, "handling", where)
        addresses.append(
            (
                AmountLine(
                    shipping,
                    _tax(read, item, "shipping_tax", shipping, tax_inclusive, where),
                    tax_inclusive,
                ),
                AmountLine(
                    handling,
                    _tax(read, item, "handling_tax", handling, tax_inclusive, where),
                    tax_inclusive,
                ),
            )
        )

    fees: list[tuple[str, AmountLine]] = []
    for index, raw in enumerate(read.list_(data, "fees", path)):
        where = f"{path}.fees[{index}]"
        item = read.obj(raw, where, {"id", "name", "amount", "tax"})
        new_ids.append((where, read.optional_id(item, where)))
        amount = read.amount(item, "amount", where, default=None)
        fees.append(
            (
                read.string(item, "name", where, "Fee"),
                AmountLine(
                    amount, _tax(read, item, "tax", amount, tax_inclusive, where), tax_inclusive
                ),
            )
        )

    if not products and not addresses and not fees:
        read.fail(f"{path}.products", "an order needs at least one product, address or fee")

    payments: list[Payment] = []
    raw_payments = read.list_(data, "payments", path)
    fill_with_total: Payment | None = None
    for index, raw in enumerate(raw_payments):
        where = f"{path}.payments[{index}]"
        item = read.obj(
            raw, where, {"provider_id", "provider_description", "amount", "offline_provider"}
        )
        provider = read.string(item, "provider_id", where, "")
        if not provider:
            read.fail(f"{where}.provider_id", "is required (e.g. braintree, storecredit)")
        if provider == "custom":
            read.fail(f"{where}.provider_id", "custom is a refund method, not a way to pay")
        # A single payment may leave its amount out: it paid the whole order.
        omitted = item.get("amount") is None and len(raw_payments) == 1
        payment = Payment(
            provider_id=provider,
            provider_description=read.string(
                item, "provider_description", where, PROVIDER_DESCRIPTIONS.get(provider, provider)
            ),
            amount=ZERO if omitted else read.amount(item, "amount", where, default=None),
            offline_provider=read.boolean(
                item, "offline_provider", where, provider in OFFLINE_PROVIDERS
            ),
        )
        if omitted:
            fill_with_total = payment
        payments.append(payment)
    if len({payment.provider_id for payment in payments}) != len(payments):
        read.fail(f"{path}.payments", "each provider may appear once")

    # Ids: given ones must be free and distinct; the rest are allocated below.
    seen: set[int] = set()
    for where, given in new_ids:
        if given is not None and (given in taken_ids or given in seen):
            read.fail(f"{where}.id", f"id {given} is already used by another order, item or fee")
        if given is not None:
            seen.add(given)

    if read.errors:
        raise OrderDescriptionError(read.errors)

    def take(given: int | None) -> int:
        if given is not None:
            return given
        candidate = allocate_id()
        while candidate in seen or candidate in taken_ids:
            candidate = allocate_id()
        seen.add(candidate)
        return candidate

    ids = iter([given for _, given in new_ids])
    order_id = take(next(ids))
    order = Order(
        id=order_id,
        customer_id=customer_id,
        tax_inclusive=tax_inclusive,
        paid=paid,
        currency_code=currency,
        created=created,
        overcharged_tax=overcharged,
        products={},
        addresses={},
        fees={},
        payments=payments,
    )
    for name, sku, line, wrapping in products:
        product_id = take(next(ids))
        order.products[product_id] = Product(product_id, name, sku, line, wrapping)
    for shipping_line, handling_line in addresses:
        address_id = take(next(ids))
        order.addresses[address_id] = Address(address_id, shipping_line, handling_line)
    for fee_name, fee_line in fees:
        fee_id = take(next(ids))
        order.fees[fee_id] = Fee(fee_id, fee_name, fee_line)

    # Money checks need the built order (its total).
    if fill_with_total is not None:
        fill_with_total.amount = order.total
    if paid and not payments:
        read.fail(f"{path}.payments", "a paid order needs at least one payment")
    if payments and total([payment.amount for payment in payments]) != order.total:
        read.fail(
            f"{path}.payments",
            f"payments add up to {total([p.amount for p in payments])}, "
            f"the order total is {order.total}",
        )
    if any(payment.amount <= 0 for payment in payments):
        read.fail(f"{path}.payments", "each payment amount must be greater than 0")
    if overcharged > order.total_tax:
        read.fail(f"{path}.overcharged_tax", f"cannot exceed the order's tax ({order.total_tax})")
    if read.errors:
        raise OrderDescriptionError(read.errors)
    taken_ids.update(seen)
    return order


def _tax(
    read: _Reader, item: dict[str, Any], key: str, price: Decimal, inclusive: bool, where: str
) -> Decimal:
    tax = read.amount(item, key, where)
    if price == 0 and tax != 0:
        read.fail(f"{where}.{key}", "must be 0 when the price is 0")
    if inclusive and tax > price:
        read.fail(f"{where}.{key}", "cannot exceed the tax-inclusive price")
    return tax


def _created(read: _Reader, data: dict[str, Any], path: str, default: datetime) -> str:
    value = data.get("created")
    if value is None:
        return default.astimezone(UTC).isoformat()
    if not isinstance(value, str):
        read.fail(f"{path}.created", "must be an RFC 3339 date-time string")
        return default.isoformat()
    try:
        parsed = parse_datetime(value)
    except ValueError:
        read.fail(
            f"{path}.created",
            "must be an RFC 3339 date-time with a UTC offset, e.g. 2026-11-28T10:00:00Z",
        )
        return default.isoformat()
    return parsed.astimezone(UTC).isoformat()


__all__ = [
    "OFFLINE_PROVIDERS",
    "PROVIDER_DESCRIPTIONS",
    "Address",
    "AmountLine",
    "Fee",
    "Order",
    "OrderDescriptionError",
    "Payment",
    "Product",
    "QuantityLine",
    "parse_order",
]
