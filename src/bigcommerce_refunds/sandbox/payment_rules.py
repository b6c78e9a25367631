"""Payment rules: how a refund is paid back, checked against the quote's refund methods.

A refund's ``payments`` must equal one alternative of the refund methods a quote offers for the
same items (providers and amounts to the cent), or add up to a ``merchant_calculated_override``'s
total; a tax adjustment refund carries no payments and is paid to the first method.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from bigcommerce_refunds.sandbox.computation import ChosenPayment, Computation
from bigcommerce_refunds.sandbox.money import ZERO, in_range, parse_amount, total
from bigcommerce_refunds.sandbox.orders import Order
from bigcommerce_refunds.sandbox.quotes import PaymentOption, options_by_provider, refund_methods
from bigcommerce_refunds.sandbox.ruleset import RuleSet
from bigcommerce_refunds.sandbox.violations import (
    RuleViolations,
    Violation,
    fail,
    sub_cent_violation,
)


def methods_for(order: Order, amount: Decimal, rules: RuleSet) -> list[list[PaymentOption]]:
    """The refund methods a quote offers for ``amount`` under ``rules``."""
    return refund_methods(order, amount, store_credit_for_guests=rules.store_credit_for_guests)


def choose_payments(
    order: Order, computation: Computation, raw_payments: list[Any], rules: RuleSet
) -> list[ChosenPayment]:
    """Check the requested payments against the refund methods; the chosen payments on success.

    Tax adjustment refunds carry no payments: they are paid to the first refund method.
    """
    amount = computation.refund_total
    methods = methods_for(order, amount, rules)
    if computation.tax_adjustment is not None:
        return [ChosenPayment(o.provider_id, o.amount, o.offline) for o in methods[0]]
    requested = _requested_payments(order, raw_payments, rules)
    if computation.override_total is not None:
        return _override_payments(order, requested, options_by_provider(methods), amount)
    if not rules.payments_match_methods:
        offered = options_by_provider(methods)
        return [
            ChosenPayment(provider, value, offline or _is_offline(offered, provider))
            for provider, value, offline in requested
        ]
    # Multiset equality of (provider, amount) pairs; sorted lists compare like Counters here
    # (amounts are finite Decimals, so every pair is orderable) at a fraction of the cost.
    wanted = sorted((provider, value) for provider, value, _ in requested)
    for method in methods:
        if (
            len(method) == len(wanted)
            and sorted((option.provider_id, option.amount) for option in method) == wanted
        ):
            by_provider = {option.provider_id: option for option in method}
            return [
                ChosenPayment(provider, value, offline or by_provider[provider].offline)
                for provider, value, offline in requested
            ]
    expected = " | ".join(
        "[" + ", ".join(f"{o.provider_id} {o.amount}" for o in method) + "]" for method in methods
    )
    raise fail(
        "payments_mismatch",
        {"payments": f"refund total {amount}; expected one of: {expected}"},
    )


def _is_offline(offered: dict[str, PaymentOption], provider: str) -> bool:
    option = offered.get(provider)
    return option.offline if option is not None else False


def _requested_payments(
    order: Order, raw_payments: list[Any], rules: RuleSet
) -> list[tuple[str, Decimal, bool]]:
    violations: list[Violation] = []
    requested: list[tuple[str, Decimal, bool]] = []
    for index, payment in enumerate(raw_payments):
        path = f"payments[{index}]"
        if not isinstance(payment, dict):
            violations.append(
                Violation("missing_field", {"code": "missing_field", path: "must be an object"})
            )
            continue
        provider = payment.get("provider_id")
        sub_cent_amount = sub_cent_violation(f"{path}.amount", payment.get("amount"))
        if sub_cent_amount is not None:
            violations.append(sub_cent_amount)
            continue
        amount = parse_amount(payment.get("amount"))
        if not isinstance(provider, str) or not provider:
            violations.append(
                Violation(
                    "missing_field", {"code": "missing_field", f"{path}.provider_id": "is required"}
                )
            )
            continue
        if amount is None:
            violations.append(
                Violation(
                    "missing_field", {"code": "missing_field", f"{path}.amount": "is required"}
                )
            )
            continue
        if amount <= 0 and rules.amounts_positive:
            violations.append(
                Violation(
                    "non_positive_amount",
                    {
                        "code": "non_positive_amount",
                        f"{path}.amount": f"{amount} is not greater than 0",
                    },
                )
            )
            continue
        if not in_range(amount):
            violations.append(
                Violation(
                    "payments_mismatch",
                    {"code": "payments_mismatch", f"{path}.amount": "the amount is too large"},
                )
            )
            continue
        if provider == "storecredit" and order.is_guest and not rules.store_credit_for_guests:
            violations.append(
                Violation(
                    "guest_store_credit",
                    {
                        "code": "guest_store_credit",
                        f"{path}.provider_id": "the customer is a guest",
                    },
                )
            )
            continue
        requested.append((provider, amount, payment.get("offline") is True))
    if violations:
        raise RuleViolations(violations)
    if not requested:
        raise fail("payments_mismatch", {"payments": "at least one payment is required"})
    return requested


def _override_payments(
    order: Order,
    requested: list[tuple[str, Decimal, bool]],
    offered: dict[str, PaymentOption],
    amount: Decimal,
) -> list[ChosenPayment]:
    paid_by = {payment.provider_id: payment for payment in order.payments}
    per_provider: dict[str, Decimal] = {}
    for index, (provider, value, _) in enumerate(requested):
        if provider not in offered and provider not in paid_by:
            raise fail(
                "payments_mismatch",
                {f"payments[{index}].provider_id": f"{provider} is not a refund method here"},
            )
        per_provider[provider] = per_provider.get(provider, ZERO) + value
    for provider, value in per_provider.items():
        # Store credit can take up to the whole order; a gateway only what it took.
        if (
            provider in paid_by
            and provider != "storecredit"
            and value > paid_by[provider].remaining
        ):
            raise fail(
                "payments_mismatch",
                {"payments": f"at most {paid_by[provider].remaining} remains on {provider}"},
            )
    paid = total([value for _, value, _ in requested])
    if paid != amount:
        raise fail(
            "override_mismatch",
            {"payments": f"the payments add up to {paid}, the override total is {amount}"},
        )
    return [
        ChosenPayment(provider, value, offline or _is_offline(offered, provider))
        for provider, value, offline in requested
    ]


__all__ = ["choose_payments", "methods_for"]
