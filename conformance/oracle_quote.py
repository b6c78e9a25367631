"""The field oracle for a quote: totals, refund methods and their options against the order
(see conformance/oracle.py and ORACLE.md).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from conformance.oracle_basics import (
    BY_QUANTITY,
    CENT,
    DOCUMENTED_PROVIDERS,
    ZERO,
    dec,
    dec0,
    deductions,
    order_line,
    order_payments,
    requested_amount,
)


def quote_field_problems(
    quote: Any, *, order_id: int, request: Mapping[str, Any], order: Mapping[str, Any]
) -> list[str]:
    """Every field of a 201 quote against the request and the order it quotes (read before)."""
    if not isinstance(quote, Mapping):
        return []
    label = f"quote for order {order_id}"
    problems: list[str] = []
    if quote.get("order_id") != order_id:
        problems.append(f"{label}: order_id {quote.get('order_id')!r} is not the order {order_id}")
    if "tax_inclusive" in order and quote.get("tax_inclusive") is not order.get("tax_inclusive"):
        problems.append(
            f"{label}: tax_inclusive {quote.get('tax_inclusive')!r} is not the order's "
            f"{order.get('tax_inclusive')!r}"
        )
    total = dec(quote.get("total_refund_amount"))
    tax = dec(quote.get("total_refund_tax_amount"))
    level = dec(quote.get("order_level_refund_amount"))
    rounding = dec(quote.get("rounding"))
    items = request.get("items") or []
    asked_level = sum((dec0(i.get("amount")) for i in items if i.get("item_type") == "ORDER"), ZERO)
    if level is not None and level != asked_level:
        problems.append(
            f"{label}: order_level_refund_amount {level} is not the ORDER items' amount "
            f"{asked_level}"
        )
    if rounding is not None and abs(rounding) >= CENT:
        problems.append(f"{label}: rounding {rounding} is not below one cent")
    if "tax_adjustment_amount" in request and not items:
        asked = dec0(request.get("tax_adjustment_amount"))
        for name, value in (("total_refund_amount", total), ("total_refund_tax_amount", tax)):
            if value is not None and value != asked:
                problems.append(
                    f"{label}: {name} {value} is not the tax_adjustment_amount {asked} requested"
                )
    elif total is not None and tax is not None:  # adjustment and rounding default to 0
        problems += _quote_sum_problems(label, quote, order, items)
    problems += _refund_method_problems(label, quote, order)
    return problems


def _quote_sum_problems(
    label: str, quote: Mapping[str, Any], order: Mapping[str, Any], items: Sequence[Any]
) -> list[str]:
    """total_refund_amount = items before tax + adjustments sent + tax (when tax-exclusive)
    + adjustment + rounding, to the cent; and the tax is what the order's lines carry."""
    before_tax = ZERO
    expected_tax = ZERO
    tolerance = ZERO
    for item in items:
        asked = requested_amount(order, item)
        if asked is None:
            return []  # an item the oracle cannot price (unknown line): the rules tests' business
        before_tax += asked + deductions(item)
        line = order_line(order, str(item.get("item_type")), item.get("item_id"))
        if isinstance(line, Mapping) and item.get("item_type") in BY_QUANTITY:
            expected_tax += dec0(line.get("unit_tax")) * int(item.get("quantity") or 0)
        elif isinstance(line, Mapping):
            price, line_tax = dec0(line.get("price")), dec0(line.get("tax"))
            if asked == dec0(line.get("remaining_amount")):
                # The last of a line takes the tax that is left, whatever earlier rounding did.
                expected_tax += line_tax - dec0(line.get("refunded_tax"))
            else:
                expected_tax += asked * line_tax / price if price else ZERO
            tolerance += CENT  # a share of a line's tax is rounded one way or the other
    tax = dec0(quote.get("total_refund_tax_amount"))
    total = dec0(quote.get("total_refund_amount"))
    inclusive = quote.get("tax_inclusive") is True
    parts = before_tax + (ZERO if inclusive else tax)
    parts += dec0(quote.get("adjustment")) + dec0(quote.get("rounding"))
    problems = []
    if total != parts:
        problems.append(
            f"{label}: total_refund_amount {total} is not the items' {before_tax} before tax"
            f"{'' if inclusive else f' + total_refund_tax_amount {tax}'} + adjustment "
            f"{quote.get('adjustment')} + rounding {quote.get('rounding')} = {parts}"
        )
    if abs(tax - expected_tax) > tolerance + CENT / 2:
        problems.append(
            f"{label}: total_refund_tax_amount {tax} is not the tax of the items on the order "
            f"({expected_tax.quantize(CENT)})"
        )
    return problems


def _option_problems(
    where: str, option: Mapping[str, Any], order: Mapping[str, Any], paid: Mapping[str, Any]
) -> list[str]:
    provider = str(option.get("provider_id"))
    who = f"({where.rsplit(': ', 1)[-1]}.provider_id {provider!r})"
    problems = []
    if provider in paid:
        description = paid[provider].get("provider_description")
        offline = paid[provider].get("offline_provider")
    elif provider in DOCUMENTED_PROVIDERS:
        description, offline = DOCUMENTED_PROVIDERS[provider]
    else:
        return [f"{where}.provider_id {provider!r} did not take this order's payment"]
    if provider == "storecredit" and order.get("is_guest"):
        problems.append(
            f"{where}.provider_id 'storecredit': store credit offered to a guest customer"
        )
    if description is not None and option.get("provider_description") != description:
        problems.append(
            f"{where}.provider_description {option.get('provider_description')!r} is not "
            f"{description!r} {who}"
        )
    if isinstance(offline, bool):
        for name in ("offline", "offline_provider"):
            if name in option and option.get(name) is not offline:
                problems.append(
                    f"{where}.{name} {option.get(name)!r}, but {provider} is offline: "
                    f"{offline!r} {who}"
                )
    if option.get("offline_provider") is True and not option.get("offline_reason"):
        problems.append(f"{where}.offline_reason is empty for an offline provider")
    if option.get("offline_provider") is False and option.get("offline_reason"):
        problems.append(
            f"{where}.offline_reason {option.get('offline_reason')!r} for an online provider"
        )
    amount = dec(option.get("amount"))
    if provider in paid and provider != "storecredit" and amount is not None:
        left = dec0(paid[provider].get("amount")) - dec0(paid[provider].get("refunded_amount"))
        if amount > left:
            problems.append(f"{where}.amount {amount} is more than the {left} left on {provider}")
    return problems


def _refund_method_problems(
    label: str, quote: Mapping[str, Any], order: Mapping[str, Any]
) -> list[str]:
    methods = quote.get("refund_methods")
    if not isinstance(methods, list):
        return []
    paid = order_payments(order)
    problems = []
    seen: list[Any] = []
    for index, method in enumerate(methods):
        if not isinstance(method, list):
            continue
        key = sorted((str(o.get("provider_id")), str(dec(o.get("amount")))) for o in method)
        if key in seen:
            problems.append(
                f"{label}: refund_methods lists an alternative twice (at index {index})"
            )
        seen.append(key)
        providers = [o.get("provider_id") for o in method]
        if len(set(providers)) != len(providers):
            problems.append(
                f"{label}: refund_methods[{index}] lists a provider twice: "
                f"refund_methods[{index}][].provider_id {providers}"
            )
        for position, option in enumerate(method):
            where = f"{label}: refund_methods[{index}][{position}]"
            problems += _option_problems(where, option, order, paid)
    total = dec(quote.get("total_refund_amount"))
    singles = {str(m[0].get("provider_id")) for m in methods if isinstance(m, list) and len(m) == 1}
    required = {"custom"} | (set() if order.get("is_guest") else {"storecredit"})
    if len(paid) == 1 and total is not None:
        ((provider, payment),) = paid.items()
        left = dec0(payment.get("amount")) - dec0(payment.get("refunded_amount"))
        if total <= left:
            required.add(provider)
    missing = sorted(required - singles)
    if missing:
        problems.append(
            f"{label}: refund_methods has no alternative whose only "
            f"refund_methods[][].provider_id is {', '.join(missing)}"
        )
    return problems


__all__ = [
    "quote_field_problems",
]
