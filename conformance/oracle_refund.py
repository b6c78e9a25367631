"""The field oracle for a created refund: every field against the request, the quote, the order
and the request's time window (see conformance/oracle.py and ORACLE.md).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from conformance.oracle_basics import BY_QUANTITY, CLOCK_SKEW, Window, dec, requested_amount


@dataclass(frozen=True)
class RefundContext:
    """What the suite knows of a refund it created, independently of the server's answer."""

    order_id: int
    request: Mapping[str, Any]
    #: The server's quote for the same items (the request without payments and override).
    quote: Mapping[str, Any]
    #: The order as read before the refund.
    order: Mapping[str, Any]
    window: Window
    #: Refund ids that existed before the request.
    earlier_ids: frozenset[int] = frozenset()


def refund_field_problems(refund: Any, context: RefundContext) -> list[str]:
    """Every field of a created refund (the 201's data) against what was asked and quoted."""
    if not isinstance(refund, Mapping):
        return []
    label = f"refund {refund.get('id')!r}"
    request = context.request
    problems: list[str] = []
    refund_id = refund.get("id")
    if isinstance(refund_id, int) and (refund_id <= 0 or refund_id in context.earlier_ids):
        problems.append(f"{label}: id {refund_id} is not a new refund id")
    if refund.get("order_id") != context.order_id:
        problems.append(
            f"{label}: order_id {refund.get('order_id')!r} is not the order {context.order_id}"
        )
    problems += _created_problems(label, refund.get("created"), context.window)
    override = request.get("merchant_calculated_override")
    if refund.get("uses_merchant_override_values") is not isinstance(override, Mapping):
        problems.append(
            f"{label}: uses_merchant_override_values "
            f"{refund.get('uses_merchant_override_values')!r} but the request "
            f"{'had' if isinstance(override, Mapping) else 'had no'} merchant_calculated_override"
        )
    problems += _total_problems(label, refund, context)
    items = request.get("items") or []
    tax_adjustment = "tax_adjustment_amount" in request and not items
    reasons = {str(i.get("reason", "")) for i in items if isinstance(i, Mapping)}
    if tax_adjustment:
        reasons = {""}
    if isinstance(refund.get("reason"), str) and refund.get("reason") not in reasons:
        problems.append(
            f"{label}: reason {refund.get('reason')!r} is none of the reasons sent "
            f"{sorted(reasons)!r}"
        )
    echoed = refund.get("items")
    if isinstance(echoed, list):
        if tax_adjustment and echoed:
            problems.append(f"{label}: items of a Tax Adjustment Refund must be [] (has {echoed})")
        elif not tax_adjustment:
            problems += _item_problems(label, echoed, items, context.order)
    payments = refund.get("payments")
    if isinstance(payments, list):
        problems += _payment_problems(label, payments, context, tax_adjustment)
    return problems


def _created_problems(label: str, created: Any, window: Window) -> list[str]:
    if not isinstance(created, str):
        return []
    try:
        when = datetime.fromisoformat(created.replace("Z", "+00:00"))
    except ValueError:
        return [f"{label}: created {created!r} is not an RFC 3339 date-time"]
    if when.tzinfo is None:
        return [f"{label}: created {created!r} has no UTC offset"]
    if not window.start - CLOCK_SKEW <= when <= window.end + CLOCK_SKEW:
        return [
            f"{label}: created {created} is outside the request's time window "
            f"{window.start.isoformat()} .. {window.end.isoformat()} (± {CLOCK_SKEW})"
        ]
    return []


def _total_problems(label: str, refund: Mapping[str, Any], context: RefundContext) -> list[str]:
    request, quote = context.request, context.quote
    override = request.get("merchant_calculated_override")
    problems = []
    total, tax = dec(refund.get("total_amount")), dec(refund.get("total_tax"))
    if isinstance(override, Mapping):
        source = "merchant_calculated_override"
        expected_total, expected_tax = (
            dec(override.get("total_amount")),
            dec(override.get("total_tax")),
        )
    elif "tax_adjustment_amount" in request and not request.get("items"):
        source = "tax_adjustment_amount"
        expected_total = expected_tax = dec(request.get("tax_adjustment_amount"))
    else:
        source = "quote"
        expected_total = dec(quote.get("total_refund_amount"))
        expected_tax = dec(quote.get("total_refund_tax_amount"))
    if total is not None and expected_total is not None and total != expected_total:
        problems.append(f"{label}: total_amount {total} is not the {source}'s {expected_total}")
    if tax is not None and expected_tax is not None and tax != expected_tax:
        problems.append(f"{label}: total_tax {tax} is not the {source}'s {expected_tax}")
    return problems


def _item_problems(
    label: str, echoed: list[Any], requested: Sequence[Any], order: Mapping[str, Any]
) -> list[str]:
    if not all(isinstance(i, Mapping) for i in [*echoed, *requested]):
        return []
    if len(echoed) != len(requested):
        return [f"{label}: items has {len(echoed)} items, {len(requested)} were requested"]
    wanted = {(i.get("item_type"), i.get("item_id")): i for i in requested}
    problems = []
    for index, item in enumerate(echoed):
        where = f"{label}: items[{index}]"
        asked = wanted.get((item.get("item_type"), item.get("item_id")))
        if asked is None:
            # Pair it with the request's item at the same position to name the field that lies.
            asked = requested[index]
            for name in ("item_type", "item_id"):
                if item.get(name) != asked.get(name):
                    problems.append(
                        f"{where}.{name} {item.get(name)!r} was not requested "
                        f"(requested {asked.get(name)!r})"
                    )
            continue
        problems += _one_item_problems(where, item, asked, order)
    keys = Counter((i.get("item_type"), i.get("item_id")) for i in echoed)
    problems += [
        f"{label}: items lists {kind} {item_id} {count} times"
        for (kind, item_id), count in keys.items()
        if count > 1
    ]
    return problems


def _one_item_problems(
    where: str, item: Mapping[str, Any], asked: Mapping[str, Any], order: Mapping[str, Any]
) -> list[str]:
    problems = []
    if isinstance(item.get("reason"), str) and item.get("reason") != asked.get("reason", ""):
        problems.append(
            f"{where}.reason {item.get('reason')!r} is not the reason sent "
            f"{asked.get('reason', '')!r}"
        )
    if asked.get("item_type") in BY_QUANTITY:
        if "quantity" in item and item.get("quantity") != asked.get("quantity"):
            problems.append(
                f"{where}.quantity {item.get('quantity')!r} is not the quantity requested "
                f"{asked.get('quantity')!r}"
            )
    elif item.get("quantity") is not None:
        problems.append(f"{where}.quantity {item.get('quantity')!r} on an amount item")
    expected = requested_amount(order, asked)
    got = item.get("requested_amount")
    if got is not None and expected is not None and dec(got) != expected:
        how = "unit price times quantity" if asked.get("item_type") in BY_QUANTITY else "sent"
        problems.append(f"{where}.requested_amount {got} is not {expected} ({how})")
    sent = [a for a in asked.get("adjustments") or [] if isinstance(a, Mapping)]
    got_adjustments = item.get("adjustments") or []
    if isinstance(got_adjustments, list):
        if len(got_adjustments) != len(sent):
            problems.append(
                f"{where}.adjustments has {len(got_adjustments)} entries, {len(sent)} were sent"
            )
        else:
            for position, (mine, theirs) in enumerate(zip(sent, got_adjustments, strict=True)):
                if not isinstance(theirs, Mapping):
                    continue
                if dec(theirs.get("amount")) != dec(mine.get("amount")):
                    problems.append(
                        f"{where}.adjustments[{position}].amount {theirs.get('amount')} is not "
                        f"the {mine.get('amount')} sent"
                    )
                if theirs.get("description", "") != mine.get("description", ""):
                    problems.append(
                        f"{where}.adjustments[{position}].description "
                        f"{theirs.get('description')!r} is not {mine.get('description', '')!r}"
                    )
    return problems


def _payment_problems(
    label: str, payments: list[Any], context: RefundContext, tax_adjustment: bool
) -> list[str]:
    if not all(isinstance(p, Mapping) for p in payments):
        return []
    problems = []
    offline_providers = {
        str(option.get("provider_id")): option.get("offline_provider") is True
        for method in context.quote.get("refund_methods") or []
        for option in method
        if isinstance(option, Mapping)
    }
    if tax_adjustment:
        # No payments are sent: they must be one of the quote's refund methods.
        got = sorted((str(p.get("provider_id")), dec(p.get("amount"))) for p in payments)
        alternatives = [
            sorted((str(o.get("provider_id")), dec(o.get("amount"))) for o in method)
            for method in context.quote.get("refund_methods") or []
        ]
        if got not in alternatives:
            problems.append(
                f"{label}: payments[].provider_id/payments[].amount {got} are none of the "
                f"quote's refund methods"
            )
        # The offline flag is then the provider's own (the quote's offline_provider).
        requested: list[Mapping[str, Any]] = [
            {"provider_id": p.get("provider_id"), "amount": p.get("amount")} for p in payments
        ]
    else:
        requested = [p for p in context.request.get("payments") or [] if isinstance(p, Mapping)]
        if len(payments) != len(requested):
            return [f"{label}: payments has {len(payments)} payments, {len(requested)} were sent"]
    for index, (payment, asked) in enumerate(zip(payments, requested, strict=True)):
        where = f"{label}: payments[{index}]"
        provider = asked.get("provider_id")
        if payment.get("provider_id") != provider:
            problems.append(
                f"{where}.provider_id {payment.get('provider_id')!r} is not the provider "
                f"requested {provider!r}"
            )
        if dec(payment.get("amount")) != dec(asked.get("amount")):
            problems.append(
                f"{where}.amount {payment.get('amount')} is not the amount requested "
                f"{asked.get('amount')}"
            )
        offline = asked.get("offline") is True or offline_providers.get(str(provider), False)
        if payment.get("offline") is not offline:
            problems.append(
                f"{where}.offline {payment.get('offline')!r}: the request said "
                f"{asked.get('offline')!r} to {provider} (offline only: "
                f"{offline_providers.get(str(provider), False)!r})"
            )
    ids = [p.get("id") for p in payments]
    if len(set(ids)) != len(ids):
        problems.append(f"{label}: payments[].id repeats an id: {ids}")
    return problems


def payment_state_problems(where: str, payment: Mapping[str, Any]) -> list[str]:
    """A declined payment says why; one that is not declined carries no decline message."""
    declined, message = payment.get("is_declined"), payment.get("declined_message")
    if declined is True and not message:
        return [f"{where}.declined_message is empty, but {where}.is_declined is true"]
    if declined is False and message:
        return [f"{where}.declined_message is {message!r}, but {where}.is_declined is false"]
    return []


__all__ = [
    "RefundContext",
    "payment_state_problems",
    "refund_field_problems",
]
