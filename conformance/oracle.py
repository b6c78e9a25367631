"""The field-level oracle: what every field of every response must *equal*, not only its type.

A response can be schema-valid and still lie: a refund paid back to ``custom`` when the card was
asked for, a ``total_tax`` one cent off, a ``created`` a day away. Each function here compares
one response with what the suite knows independently of it — the request it sent, the quote the
server gave for the same items, the order as the order reads show it (before and after), the
time window of the request, and the earlier responses — and returns the problems it found.

Every message names the field as ``conformance/ORACLE.md`` does (``payments[0].provider_id``),
so a report says which field lied; ORACLE.md is the table of field → oracle → check.

Numbers are compared as Decimal. A field that is absent or of the wrong type is the schema
checks' business, so the oracle skips it rather than reporting it twice.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

CENT = Decimal("0.01")
ZERO = Decimal(0)
#: How far apart the suite's clock and the server's may be: ``created`` must lie within the
#: request's time window widened by this much on both sides.
CLOCK_SKEW = timedelta(minutes=5)
#: The store credit and custom refund methods as BigCommerce documents them (the quote's
#: ``refund_methods`` description): description, and whether the provider is offline.
DOCUMENTED_PROVIDERS: Mapping[str, tuple[str, bool]] = {
    "storecredit": ("Store Credit", False),
    "custom": ("Custom", True),
}
_BY_QUANTITY = ("PRODUCT", "GIFT_WRAPPING")


def dec(value: Any) -> Decimal | None:
    """A JSON number as Decimal (floats from other parsers via their shortest repr)."""
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return None
    try:
        return Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    except InvalidOperation:
        return None


def _dec0(value: Any) -> Decimal:
    found = dec(value)
    return found if found is not None else ZERO


def now_utc() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Window:
    """When a request was sent and its answer received (the suite's clock, UTC)."""

    start: datetime
    end: datetime


# ----------------------------------------------------------------------------- order reads


def order_payments(order: Mapping[str, Any]) -> dict[str, Mapping[str, Any]]:
    return {
        str(p.get("provider_id")): p for p in order.get("payments", []) if isinstance(p, Mapping)
    }


def _quantity_line(order: Mapping[str, Any], item_type: str, item_id: Any) -> Any:
    for product in order.get("products", []):
        if product.get("id") == item_id:
            return product if item_type == "PRODUCT" else product.get("gift_wrapping")
    return None


def _amount_line(order: Mapping[str, Any], item_type: str, item_id: Any) -> Any:
    if item_type == "FEE":
        return next((f for f in order.get("fees", []) if f.get("id") == item_id), None)
    for address in order.get("addresses", []):
        if address.get("id") == item_id:
            return address.get(item_type.lower())
    return None


def order_line(order: Mapping[str, Any], item_type: str, item_id: Any) -> Any:
    """The order's own line for a refund item (None for ORDER items and unknown lines)."""
    if item_type in _BY_QUANTITY:
        return _quantity_line(order, item_type, item_id)
    if item_type in {"SHIPPING", "HANDLING", "FEE"}:
        return _amount_line(order, item_type, item_id)
    return None


def requested_amount(order: Mapping[str, Any], item: Mapping[str, Any]) -> Decimal | None:
    """What an item asks for before tax: unit price times quantity, or the amount sent."""
    kind = item.get("item_type")
    if kind in _BY_QUANTITY:
        line = order_line(order, str(kind), item.get("item_id"))
        quantity = item.get("quantity")
        if not isinstance(line, Mapping) or not isinstance(quantity, int):
            return None
        return (_dec0(line.get("unit_price")) * quantity).quantize(CENT)
    return dec(item.get("amount"))


def _deductions(item: Mapping[str, Any]) -> Decimal:
    adjustments = item.get("adjustments") or []
    return sum((_dec0(a.get("amount")) for a in adjustments if isinstance(a, Mapping)), ZERO)


# ----------------------------------------------------------------------------- the quote


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
    asked_level = sum(
        (_dec0(i.get("amount")) for i in items if i.get("item_type") == "ORDER"), ZERO
    )
    if level is not None and level != asked_level:
        problems.append(
            f"{label}: order_level_refund_amount {level} is not the ORDER items' amount "
            f"{asked_level}"
        )
    if rounding is not None and abs(rounding) >= CENT:
        problems.append(f"{label}: rounding {rounding} is not below one cent")
    if "tax_adjustment_amount" in request and not items:
        asked = _dec0(request.get("tax_adjustment_amount"))
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
        before_tax += asked + _deductions(item)
        line = order_line(order, str(item.get("item_type")), item.get("item_id"))
        if isinstance(line, Mapping) and item.get("item_type") in _BY_QUANTITY:
            expected_tax += _dec0(line.get("unit_tax")) * int(item.get("quantity") or 0)
        elif isinstance(line, Mapping):
            price, line_tax = _dec0(line.get("price")), _dec0(line.get("tax"))
            if asked == _dec0(line.get("remaining_amount")):
                # The last of a line takes the tax that is left, whatever earlier rounding did.
                expected_tax += line_tax - _dec0(line.get("refunded_tax"))
            else:
                expected_tax += asked * line_tax / price if price else ZERO
            tolerance += CENT  # a share of a line's tax is rounded one way or the other
    tax = _dec0(quote.get("total_refund_tax_amount"))
    total = _dec0(quote.get("total_refund_amount"))
    inclusive = quote.get("tax_inclusive") is True
    parts = before_tax + (ZERO if inclusive else tax)
    parts += _dec0(quote.get("adjustment")) + _dec0(quote.get("rounding"))
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
        left = _dec0(paid[provider].get("amount")) - _dec0(paid[provider].get("refunded_amount"))
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
        left = _dec0(payment.get("amount")) - _dec0(payment.get("refunded_amount"))
        if total <= left:
            required.add(provider)
    missing = sorted(required - singles)
    if missing:
        problems.append(
            f"{label}: refund_methods has no alternative whose only "
            f"refund_methods[][].provider_id is {', '.join(missing)}"
        )
    return problems


# ----------------------------------------------------------------------------- a refund


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
    if asked.get("item_type") in _BY_QUANTITY:
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
        how = "unit price times quantity" if asked.get("item_type") in _BY_QUANTITY else "sent"
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


# ----------------------------------------------------------------------------- the order moves


def order_moved_problems(
    before: Mapping[str, Any], after: Mapping[str, Any], refund: Mapping[str, Any]
) -> list[str]:
    """The order's refunded amounts moved by exactly what the refund says it refunded."""
    label = f"refund {refund.get('id')!r} on order {before.get('id')!r}"
    problems: list[str] = []
    total = _dec0(refund.get("total_amount"))
    totals_before, totals_after = before.get("totals", {}), after.get("totals", {})
    moved = _dec0(totals_after.get("refunded")) - _dec0(totals_before.get("refunded"))
    if moved != total:
        problems.append(
            f"{label}: the order's refunded total moved by {moved}, not the total_amount {total}"
        )
    level = sum(
        (
            _dec0(i.get("requested_amount"))
            for i in refund.get("items") or []
            if isinstance(i, Mapping) and i.get("item_type") == "ORDER"
        ),
        ZERO,
    )
    level_moved = _dec0(totals_after.get("order_level_refunded")) - _dec0(
        totals_before.get("order_level_refunded")
    )
    if level_moved != level:
        problems.append(
            f"{label}: order-level refunds moved by {level_moved}, the ORDER items' "
            f"items[].requested_amount say {level}"
        )
    for index, item in enumerate(refund.get("items") or []):
        if not isinstance(item, Mapping):
            continue
        kind, item_id = str(item.get("item_type")), item.get("item_id")
        old, new = order_line(before, kind, item_id), order_line(after, kind, item_id)
        if not isinstance(old, Mapping) or not isinstance(new, Mapping):
            continue
        if kind in _BY_QUANTITY:
            step = int(new.get("refunded_quantity", 0)) - int(old.get("refunded_quantity", 0))
            if step != item.get("quantity"):
                problems.append(
                    f"{label}: {kind} {item_id}'s refunded quantity moved by {step}, "
                    f"items[{index}].quantity says {item.get('quantity')!r}"
                )
        else:
            step_amount = _dec0(old.get("remaining_amount")) - _dec0(new.get("remaining_amount"))
            if step_amount != _dec0(item.get("requested_amount")):
                problems.append(
                    f"{label}: {kind} {item_id}'s remaining amount moved by {step_amount}, "
                    f"items[{index}].requested_amount says {item.get('requested_amount')}"
                )
    problems += _provider_moves(label, before, after, refund)
    return problems


def _provider_moves(
    label: str, before: Mapping[str, Any], after: Mapping[str, Any], refund: Mapping[str, Any]
) -> list[str]:
    def refunded(order: Mapping[str, Any]) -> dict[str, Decimal]:
        found = {name: _dec0(p.get("refunded_amount")) for name, p in order_payments(order).items()}
        for name, amount in (order.get("refunded_to_other_providers") or {}).items():
            found[name] = found.get(name, ZERO) + _dec0(amount)
        return found

    old, new = refunded(before), refunded(after)
    if not (before.get("payments") and "refunded_to_other_providers" in before):
        return []
    said: dict[str, Decimal] = {}
    for payment in refund.get("payments") or []:
        if isinstance(payment, Mapping):
            name = str(payment.get("provider_id"))
            said[name] = said.get(name, ZERO) + _dec0(payment.get("amount"))
    problems = []
    for name in sorted(set(old) | set(new) | set(said)):
        step = new.get(name, ZERO) - old.get(name, ZERO)
        if step != said.get(name, ZERO):
            problems.append(
                f"{label}: {name} was refunded {step} on the order, but payments[].provider_id/"
                f"payments[].amount say {said.get(name, ZERO)}"
            )
    return problems


# ----------------------------------------------------------------------------- lists and reads


def listed_ids_problems(label: str, data: Any, expected: Sequence[int]) -> list[str]:
    """A list read returns exactly the refunds it should, in ascending id order."""
    if not isinstance(data, list):
        return []
    ids = [r.get("id") for r in data if isinstance(r, Mapping)]
    if ids != list(expected):
        return [f"{label}: data lists refunds {ids}, expected exactly {list(expected)}"]
    return []


def pagination_problems(
    label: str, meta: Any, *, total: int, page: int, limit: int, returned: int
) -> list[str]:
    """``meta.pagination`` (when the server sends it) describes the page it came with."""
    if not isinstance(meta, Mapping) or not isinstance(meta.get("pagination"), Mapping):
        return []
    pagination = meta["pagination"]
    expected = {
        "total": total,
        "count": returned,
        "per_page": limit,
        "current_page": page,
        "total_pages": max(1, -(-total // limit)),
    }
    return [
        f"{label}: meta.pagination.{name} {pagination.get(name)!r} is not {value}"
        for name, value in expected.items()
        if name in pagination and pagination.get(name) != value
    ]


def field_differences(created: Any, read: Any, path: str = "") -> list[str]:
    """The field paths where two JSON values differ (``payments[0].amount``), for messages."""
    if isinstance(created, Mapping) and isinstance(read, Mapping):
        found = []
        for key in sorted(set(created) | set(read), key=str):
            where = f"{path}.{key}" if path else str(key)
            if key not in read or key not in created:
                found.append(f"{where} {'missing' if key not in read else 'added'}")
            else:
                found += field_differences(created[key], read[key], where)
        return found
    if isinstance(created, list) and isinstance(read, list):
        if len(created) != len(read):
            return [f"{path or 'data'} has {len(read)} entries, not {len(created)}"]
        found = []
        for index, (a, b) in enumerate(zip(created, read, strict=True)):
            found += field_differences(a, b, f"{path}[{index}]")
        return found
    same = created == read and type(created) is type(read)
    if isinstance(created, int | Decimal) and isinstance(read, int | Decimal):
        same = not isinstance(created, bool) and not isinstance(read, bool) and created == read
    return [] if same else [f"{path} {created!r} then {read!r}"]


# ----------------------------------------------------------------------------- error bodies


def error_field_problems(
    label: str,
    body: Any,
    *,
    status: int,
    order_id: int | None = None,
    title: str | None = None,
) -> list[str]:
    """An error body says the status it was sent with, has a message (``title``: the documented
    one), names the order, and lists each error once."""
    if isinstance(body, Mapping) and isinstance(body.get("data"), list):
        entries = [(f"data[{i}].", e) for i, e in enumerate(body["data"])]
    else:
        entries = [("", body)]
    problems = []
    listed = [entry for _, entry in entries if isinstance(entry, Mapping)]
    if len(entries) > 1 and any(listed.count(entry) > 1 for entry in listed):
        problems.append(f"{label}: data lists the same error twice: {listed!r}")
    for prefix, entry in entries:
        if not isinstance(entry, Mapping):
            continue
        if "status" in entry and entry.get("status") != status:
            problems.append(
                f"{label}: {prefix}status {entry.get('status')!r} is not the HTTP status {status}"
            )
        if title is not None and entry.get("title") != title:
            problems.append(
                f"{label}: {prefix}title {entry.get('title')!r} is not the documented {title!r}"
            )
        for name in ("title", "error"):
            if name in entry and not str(entry.get(name) or "").strip():
                problems.append(f"{label}: {prefix}{name} is empty")
        if "type" in entry and not str(entry.get("type")).startswith(("https://", "http://")):
            problems.append(f"{label}: {prefix}type {entry.get('type')!r} is not a URL")
        if order_id is not None and "order_id" in entry and entry.get("order_id") != order_id:
            problems.append(
                f"{label}: {prefix}order_id {entry.get('order_id')!r} is not the order {order_id}"
            )
    return problems


def same_user_problems(refunds: Iterable[Mapping[str, Any]]) -> list[str]:
    """Refunds created with one token were created by one API user."""
    users = sorted({r.get("user_id") for r in refunds}, key=str)
    if len(users) > 1:
        return [f"refunds created with one token carry different user_id values: {users}"]
    return []


__all__ = [
    "CLOCK_SKEW",
    "DOCUMENTED_PROVIDERS",
    "RefundContext",
    "Window",
    "dec",
    "error_field_problems",
    "field_differences",
    "listed_ids_problems",
    "now_utc",
    "order_line",
    "order_moved_problems",
    "order_payments",
    "pagination_problems",
    "payment_state_problems",
    "quote_field_problems",
    "refund_field_problems",
    "requested_amount",
    "same_user_problems",
]
