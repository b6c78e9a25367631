"""Refund methods: the ways an amount can be paid back, as a quote lists them.

A quote's ``refund_methods`` is a list of *alternatives*; each alternative is a list of payment
options whose amounts add up to the refund total. The sandbox offers, in this order:

1. the provider that took the payment, when a single provider did (e.g. ``[[braintree 21.83]]``);
2. store credit for the whole amount, unless the customer is a guest (``customer_id`` 0);
3. ``custom``: mark the amount refunded outside BigCommerce (always offline);
4. for split tender, the amount spread back over the providers that took it, in the order they
   were charged, each up to what remains refundable on it
   (``[[bankdeposit 80.35, storecredit 39]]``).

A refund's ``payments`` must equal one alternative (providers and amounts to the cent), unless a
``merchant_calculated_override`` is given; see :mod:`bigcommerce_refunds.sandbox.rules`.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, NamedTuple

from bigcommerce_refunds.sandbox.money import ZERO
from bigcommerce_refunds.sandbox.orders import Order, Payment

OFFLINE_REASON = "This is an offline payment provider."


class PaymentOption(NamedTuple):
    """One way to pay (part of) a refund back. A NamedTuple: immutable, compared by value, and
    several times cheaper to build than a frozen dataclass (every refund builds a few)."""

    provider_id: str
    provider_description: str
    amount: Decimal
    offline: bool
    offline_provider: bool
    offline_reason: str

    def view(self) -> dict[str, Any]:
        return {
            "provider_id": self.provider_id,
            "provider_description": self.provider_description,
            "amount": self.amount,
            "offline": self.offline,
            "offline_provider": self.offline_provider,
            "offline_reason": self.offline_reason,
        }


def store_credit(amount: Decimal) -> PaymentOption:
    return PaymentOption("storecredit", "Store Credit", amount, False, False, "")


def custom(amount: Decimal) -> PaymentOption:
    return PaymentOption("custom", "Custom", amount, True, True, OFFLINE_REASON)


def from_payment(payment: Payment, amount: Decimal) -> PaymentOption:
    offline = payment.offline_provider
    return PaymentOption(
        payment.provider_id,
        payment.provider_description,
        amount,
        offline,
        offline,
        OFFLINE_REASON if offline else "",
    )


def refund_methods(
    order: Order, amount: Decimal, *, store_credit_for_guests: bool = False
) -> list[list[PaymentOption]]:
    """The alternatives for refunding ``amount`` on ``order`` (see the module docstring)."""
    methods: list[list[PaymentOption]] = []
    if len(order.payments) == 1 and amount <= order.payments[0].remaining:
        methods.append([from_payment(order.payments[0], amount)])
    if not order.is_guest or store_credit_for_guests:
        methods.append([store_credit(amount)])
    methods.append([custom(amount)])
    if len(order.payments) > 1:
        split: list[PaymentOption] = []
        left = amount
        for payment in order.payments:
            part = min(payment.remaining, left)
            if part > 0:
                split.append(from_payment(payment, part))
                left -= part
        if split and left == ZERO:
            methods.append(split)
    unique: list[list[PaymentOption]] = []
    for method in methods:
        if method not in unique:
            unique.append(method)
    return unique


def options_by_provider(methods: list[list[PaymentOption]]) -> dict[str, PaymentOption]:
    """Every provider offered by any alternative (the first offer of each wins)."""
    offered: dict[str, PaymentOption] = {}
    for method in methods:
        for option in method:
            offered.setdefault(option.provider_id, option)
    return offered


__all__ = [
    "OFFLINE_REASON",
    "PaymentOption",
    "custom",
    "from_payment",
    "options_by_provider",
    "refund_methods",
    "store_credit",
]
