"""Domain checks: small named functions, each returning the problems it found.

They take parsed JSON (numbers as Decimal, so money compares exactly) and know nothing of HTTP
clients, so the same checks run inside Schemathesis (``schemathesis_checks.py``) and in the
suite's own property tests. A check that cannot apply (an unexpected shape) returns nothing: the
schema checks already report shapes.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from conformance.oracle import field_differences, payment_state_problems

CENT = Decimal("0.01")
RATE_LIMIT_HEADERS = (
    "X-Rate-Limit-Time-Window-Ms",
    "X-Rate-Limit-Time-Reset-Ms",
    "X-Rate-Limit-Requests-Quota",
    "X-Rate-Limit-Requests-Left",
)


def parse_json(content: bytes) -> Any:
    """JSON with every non-integer number as Decimal (money is never a float here)."""
    return json.loads(content, parse_float=Decimal)


def _money(value: Any) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        return None
    return Decimal(value)


def is_tax_adjustment_request(body: Any) -> bool:
    """A Tax Adjustment Refund request: a tax adjustment and no items."""
    return isinstance(body, Mapping) and "tax_adjustment_amount" in body and not body.get("items")


def refund_problems(refund: Any, *, order_id: int | None = None, request: Any = None) -> list[str]:
    """What is wrong with one refund object (from a 201 or any of the reads)."""
    if not isinstance(refund, Mapping):
        return []
    problems: list[str] = []
    label = f"refund {refund.get('id')!r}"
    payments = refund.get("payments")
    total = _money(refund.get("total_amount"))
    if isinstance(payments, list) and total is not None:
        amounts = [_money(p.get("amount")) if isinstance(p, Mapping) else None for p in payments]
        if all(a is not None for a in amounts):
            paid = sum((a for a in amounts if a is not None), Decimal(0))
            if paid != total:
                problems.append(
                    f"{label}: total_amount {total} is not the sum of its payments ({paid})"
                )
        for amount in amounts:
            if amount is not None and (amount < 0 or amount != amount.quantize(CENT)):
                problems.append(
                    f"{label}: payment amount {amount} is not a non-negative 2-decimal amount"
                )
    if total is not None and (total < 0 or total != total.quantize(CENT)):
        problems.append(f"{label}: total_amount {total} is not a non-negative 2-decimal amount")
    if order_id is not None and refund.get("order_id") != order_id:
        problems.append(f"{label}: order_id {refund.get('order_id')!r} is not the order {order_id}")
    for index, payment in enumerate(payments if isinstance(payments, list) else []):
        if isinstance(payment, Mapping):
            problems += payment_state_problems(f"{label}: payments[{index}]", payment)
    if request is not None and is_tax_adjustment_request(request) and refund.get("items"):
        problems.append(f"{label}: a Tax Adjustment Refund must have empty items")
    elif request is not None:
        problems += _echo_problems(label, refund.get("items"), request)
    return problems


_BY_QUANTITY = ("PRODUCT", "GIFT_WRAPPING")


def _echo_problems(label: str, echoed: Any, request: Any) -> list[str]:
    """An Items Refund lists exactly the items it was asked for, with their quantities."""
    requested = request.get("items") if isinstance(request, Mapping) else None
    if not isinstance(requested, list) or not isinstance(echoed, list):
        return []
    if not all(isinstance(item, Mapping) for item in [*requested, *echoed]):
        return []
    wanted = {(i.get("item_type"), i.get("item_id")): i.get("quantity") for i in requested}
    got = {(i.get("item_type"), i.get("item_id")): i.get("quantity") for i in echoed}
    if set(wanted) != set(got):
        return [
            f"{label}: its items {sorted(map(str, got))} are not the requested "
            f"{sorted(map(str, wanted))}"
        ]
    return [
        f"{label}: {kind} {item_id} was refunded with quantity {quantity}, but the refund says "
        f"{got[kind, item_id]}"
        for (kind, item_id), quantity in wanted.items()
        if kind in _BY_QUANTITY and quantity != got[kind, item_id]
    ]


def quote_problems(quote: Any) -> list[str]:
    """Every refund method of a quote adds up to the quote's total refund amount."""
    if not isinstance(quote, Mapping):
        return []
    total = _money(quote.get("total_refund_amount"))
    methods = quote.get("refund_methods")
    if total is None or not isinstance(methods, list):
        return []
    problems = []
    for index, method in enumerate(methods):
        if not isinstance(method, list):
            continue
        amounts = [_money(option.get("amount")) for option in method if isinstance(option, Mapping)]
        if not method:
            problems.append(f"refund_methods[{index}] is an empty alternative (no payment option)")
        elif amounts and all(a is not None for a in amounts):
            summed = sum((a for a in amounts if a is not None), Decimal(0))
            if summed != total:
                problems.append(
                    f"refund_methods[{index}]: its refund_methods[{index}][].amount add up to "
                    f"{summed}, not total_refund_amount {total}"
                )
    return problems


def list_problems(refunds: Any, *, order_id: int | None = None) -> list[str]:
    """A refund list is in ascending id order (documented) and each refund is sound."""
    if not isinstance(refunds, list):
        return []
    ids = [r.get("id") for r in refunds if isinstance(r, Mapping)]
    int_ids = [i for i in ids if isinstance(i, int)]
    problems = []
    if len(int_ids) == len(ids) and int_ids != sorted(int_ids):
        problems.append(f"refunds are not in ascending id order: {ids}")
    if len(set(int_ids)) != len(int_ids):
        problems.append(f"data lists a refund twice: {ids}")
    for refund in refunds:
        problems += refund_problems(refund, order_id=order_id)
    return problems


def rate_limit_problems(headers: Mapping[str, str]) -> list[str]:
    """Rate-limit headers are consistent: what is left never exceeds the quota, and so on."""
    lowered = {k.lower(): v for k, v in headers.items()}
    values: dict[str, int] = {}
    for name in RATE_LIMIT_HEADERS:
        raw = lowered.get(name.lower())
        if raw is None:
            continue  # absence is response_headers_conformance's business
        try:
            values[name] = int(raw)
        except ValueError:
            return [f"{name} is not an integer: {raw!r}"]
    problems = []
    quota = values.get("X-Rate-Limit-Requests-Quota")
    left = values.get("X-Rate-Limit-Requests-Left")
    window = values.get("X-Rate-Limit-Time-Window-Ms")
    reset = values.get("X-Rate-Limit-Time-Reset-Ms")
    if quota is not None and left is not None and not 0 <= left <= quota:
        problems.append(f"X-Rate-Limit-Requests-Left {left} is outside 0..quota {quota}")
    if window is not None and reset is not None and not 0 <= reset <= window:
        problems.append(f"X-Rate-Limit-Time-Reset-Ms {reset} is outside 0..window {window}")
    return problems


def same_refund_problems(label: str, created: Any, read: Any) -> list[str]:
    """A read returns the refund exactly as it was created (payments' is_declined may change)."""
    if read is None:
        refund_id = created.get("id")
        return [
            f"{label}: the created refund {refund_id!r} is missing from data "
            f"(no refund there has the id {refund_id!r})"
        ]
    if _comparable(created) != _comparable(read):
        fields = "; ".join(field_differences(_comparable(created), _comparable(read)))
        return [
            f"{label}: refund {created.get('id')!r} differs from the created one in {fields}: "
            f"{read!r}"
        ]
    return []


def _comparable(refund: Mapping[str, Any]) -> Any:
    """Refund without the fields that legitimately change after creation (async declines)."""
    payments = [
        {k: v for k, v in p.items() if k not in {"is_declined", "declined_message"}}
        for p in refund.get("payments", [])
        if isinstance(p, Mapping)
    ]
    return {**refund, "payments": payments}


def find_refund(refunds: Iterable[Any], refund_id: Any) -> Any:
    return next((r for r in refunds if isinstance(r, Mapping) and r.get("id") == refund_id), None)
