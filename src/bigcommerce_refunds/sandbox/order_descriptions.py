"""Orders from their JSON descriptions (``fixtures.json``, ``POST /__sandbox/orders``).

:func:`parse_order` validates a description field by field (every problem with its JSON path, so
the control API can answer one clear 422), then allocates the ids the description left out and
builds the :class:`~bigcommerce_refunds.sandbox.orders.Order`. The money checks (payments add up
to the total, the overcharged tax fits in the tax) run on the built order, since they need its
totals. Nothing is built, and no id taken, unless the whole description is valid.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from typing import Any

from bigcommerce_refunds.sandbox.description_reader import (
    DescriptionReader,
    OrderDescriptionError,
    created,
    tax,
)
from bigcommerce_refunds.sandbox.money import ZERO, total
from bigcommerce_refunds.sandbox.orders import (
    OFFLINE_PROVIDERS,
    PROVIDER_DESCRIPTIONS,
    Address,
    AmountLine,
    Fee,
    Order,
    Payment,
    Product,
    QuantityLine,
)

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

#: (JSON path, the id given there or None): the order's, then its products', addresses', fees'.
NewIds = list[tuple[str, int | None]]
ProductParts = tuple[str, str, QuantityLine, QuantityLine | None]


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
    read = DescriptionReader()
    data = read.obj(description, path, _ORDER_FIELDS)
    new_ids: NewIds = [(path, read.optional_id(data, path))]
    tax_inclusive = read.boolean(data, "tax_inclusive", path, False)
    customer_id = read.integer(data, "customer_id", path, minimum=0, default=None)
    paid = read.boolean(data, "paid", path, True)
    currency = read.string(data, "currency_code", path, "USD")
    when = created(read, data, path, default_created)
    overcharged = read.amount(data, "overcharged_tax", path)

    products = _products(read, data, path, tax_inclusive, new_ids)
    addresses = _addresses(read, data, path, tax_inclusive, new_ids)
    fees = _fees(read, data, path, tax_inclusive, new_ids)
    if not products and not addresses and not fees:
        read.fail(f"{path}.products", "an order needs at least one product, address or fee")
    payments, fill_with_total = _payments(read, data, path)
    seen = _given_ids(read, new_ids, taken_ids)
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
    order = Order(
        id=take(next(ids)),
        customer_id=customer_id,
        tax_inclusive=tax_inclusive,
        paid=paid,
        currency_code=currency,
        created=when,
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

    if fill_with_total is not None:
        fill_with_total.amount = order.total
    _check_money(read, order, path, overcharged)
    if read.errors:
        raise OrderDescriptionError(read.errors)
    taken_ids.update(seen)
    return order


def _products(
    read: DescriptionReader, data: dict[str, Any], path: str, inclusive: bool, new_ids: NewIds
) -> list[ProductParts]:
    products: list[ProductParts] = []
    for index, raw in enumerate(read.list_(data, "products", path)):
        where = f"{path}.products[{index}]"
        item = read.obj(
            raw, where, {"id", "name", "sku", "quantity", "unit_price", "unit_tax", "gift_wrapping"}
        )
        new_ids.append((where, read.optional_id(item, where)))
        quantity = read.integer(item, "quantity", where, minimum=1, default=None)
        unit_price = read.amount(item, "unit_price", where, default=None)
        unit_tax = tax(read, item, "unit_tax", unit_price, inclusive, where)
        wrapping = None
        if item.get("gift_wrapping") is not None:
            wrap_where = f"{where}.gift_wrapping"
            wrap = read.obj(item["gift_wrapping"], wrap_where, {"unit_price", "unit_tax"})
            wrap_price = read.amount(wrap, "unit_price", wrap_where, default=None)
            wrap_tax = tax(read, wrap, "unit_tax", wrap_price, inclusive, wrap_where)
            wrapping = QuantityLine(quantity, wrap_price, wrap_tax, inclusive)
        products.append(
            (
                read.string(item, "name", where, "Product"),
                read.string(item, "sku", where, ""),
                QuantityLine(quantity, unit_price, unit_tax, inclusive),
                wrapping,
            )
        )
    return products


def _addresses(
    read: DescriptionReader, data: dict[str, Any], path: str, inclusive: bool, new_ids: NewIds
) -> list[tuple[AmountLine, AmountLine]]:
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
                    shipping, tax(read, item, "shipping_tax", shipping, inclusive, where), inclusive
                ),
                AmountLine(
                    handling, tax(read, item, "handling_tax", handling, inclusive, where), inclusive
                ),
            )
        )
    return addresses


def _fees(
    read: DescriptionReader, data: dict[str, Any], path: str, inclusive: bool, new_ids: NewIds
) -> list[tuple[str, AmountLine]]:
    fees: list[tuple[str, AmountLine]] = []
    for index, raw in enumerate(read.list_(data, "fees", path)):
        where = f"{path}.fees[{index}]"
        item = read.obj(raw, where, {"id", "name", "amount", "tax"})
        new_ids.append((where, read.optional_id(item, where)))
        amount: Decimal = read.amount(item, "amount", where, default=None)
        fees.append(
            (
                read.string(item, "name", where, "Fee"),
                AmountLine(amount, tax(read, item, "tax", amount, inclusive, where), inclusive),
            )
        )
    return fees


def _payments(
    read: DescriptionReader, data: dict[str, Any], path: str
) -> tuple[list[Payment], Payment | None]:
    """The payments, and the one whose amount is the order's total (filled in once it is built)."""
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
    return payments, fill_with_total


def _given_ids(read: DescriptionReader, new_ids: NewIds, taken_ids: set[int]) -> set[int]:
    """The ids the description gives, each checked to be free and distinct."""
    seen: set[int] = set()
    for where, given in new_ids:
        if given is not None and (given in taken_ids or given in seen):
            read.fail(f"{where}.id", f"id {given} is already used by another order, item or fee")
        if given is not None:
            seen.add(given)
    return seen


def _check_money(read: DescriptionReader, order: Order, path: str, overcharged: Decimal) -> None:
    """The checks that need the built order's totals."""
    payments = order.payments
    if order.paid and not payments:
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


__all__ = ["OrderDescriptionError", "parse_order"]
