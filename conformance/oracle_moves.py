"""The field oracle for the order itself: after a refund its refunded amounts, line quantities and
per-provider refunds move by exactly the refund (see conformance/oracle.py and ORACLE.md).
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from conformance.oracle_basics import (
    BY_QUANTITY,
    ZERO,
    dec0,
    order_line,
    order_payments,
)


def order_moved_problems(
    before: Mapping[str, Any], after: Mapping[str, Any], refund: Mapping[str, Any]
) -> list[str]:
    """The order's refunded amounts moved by exactly what the refund says it refunded."""
    label = f"refund {refund.get('id')!r} on order {before.get('id')!r}"
    problems: list[str] = []
    total = dec0(refund.get("total_amount"))
    totals_before, totals_after = before.get("totals", {}), after.get("totals", {})
    moved = dec0(totals_after.get("refunded")) - dec0(totals_before.get("refunded"))
    if moved != total:
        problems.append(
            f"{label}: the order's refunded total moved by {moved}, not the total_amount {total}"
        )
    level = sum(
        (
            dec0(i.get("requested_amount"))
            for i in refund.get("items") or []
            if isinstance(i, Mapping) and i.get("item_type") == "ORDER"
        ),
        ZERO,
    )
    level_moved = dec0(totals_after.get("order_level_refunded")) - dec0(
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
        if kind in BY_QUANTITY:
            step = int(new.get("refunded_quantity", 0)) - int(old.get("refunded_quantity", 0))
            if step != item.get("quantity"):
                problems.append(
                    f"{label}: {kind} {item_id}'s refunded quantity moved by {step}, "
                    f"items[{index}].quantity says {item.get('quantity')!r}"
                )
        else:
            step_amount = dec0(old.get("remaining_amount")) - dec0(new.get("remaining_amount"))
            if step_amount != dec0(item.get("requested_amount")):
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
        found = {name: dec0(p.get("refunded_amount")) for name, p in order_payments(order).items()}
        for name, amount in (order.get("refunded_to_other_providers") or {}).items():
            found[name] = found.get(name, ZERO) + dec0(amount)
        return found

    old, new = refunded(before), refunded(after)
    if not (before.get("payments") and "refunded_to_other_providers" in before):
        return []
    said: dict[str, Decimal] = {}
    for payment in refund.get("payments") or []:
        if isinstance(payment, Mapping):
            name = str(payment.get("provider_id"))
            said[name] = said.get(name, ZERO) + dec0(payment.get("amount"))
    problems = []
    for name in sorted(set(old) | set(new) | set(said)):
        step = new.get(name, ZERO) - old.get(name, ZERO)
        if step != said.get(name, ZERO):
            problems.append(
                f"{label}: {name} was refunded {step} on the order, but payments[].provider_id/"
                f"payments[].amount say {said.get(name, ZERO)}"
            )
    return problems


__all__ = [
    "order_moved_problems",
]
