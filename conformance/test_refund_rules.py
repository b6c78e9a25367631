"""Hypothesis properties on domain strategies, for both request variants of Create Refund.

Valid refunds (derived from the order's state and the target's own quote) are accepted and read
back identically; every invalid category gets a 422 with a schema-valid error body and changes
nothing.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from conformance import checks
from conformance.domain import Domain
from conformance.expect import conforming, no_problems
from conformance.oracle_scenario import quote_checked, refund_checked
from conformance.orders import Order
from conformance.strategies import estimated_gross, fits, margin, payments_for, refund_items

GUEST_STORE_CREDIT = "Unable to provide store credit for a guest customer."


def _quote(domain: Domain, order: Order, body: dict[str, Any]) -> dict[str, Any]:
    return quote_checked(domain, order.id, body)


def _refund(
    domain: Domain, order: Order, body: dict[str, Any], quote: dict[str, Any]
) -> dict[str, Any]:
    """Create the refund; every field is checked against the request, the quote and the order."""
    return refund_checked(domain, order.id, body, quote)


# --------------------------------------------------------------------------- valid requests


@given(data=st.data())
def test_valid_items_refund_following_the_quote_is_accepted(
    domain: Domain, data: st.DataObject
) -> None:
    domain.require_mutations()
    domain.reset()
    order = data.draw(st.sampled_from(domain.pick(lambda o: o.refundable, "refundable order")))
    items = data.draw(refund_items(order))
    assume(fits(order, items))
    quote = _quote(domain, order, {"items": items})
    # What the items cost, tax included, from the order's own line totals: a server that
    # prices refunds wrongly (tax left out, quantity ignored) stays self-consistent otherwise.
    expected = estimated_gross(order, items)
    assert abs(Decimal(quote["total_refund_amount"]) - expected) <= margin(items), (
        f"quote for order {order.id}: total_refund_amount {quote['total_refund_amount']} is not "
        f"what the items cost (about {expected}, tax included, from the order's line totals)"
    )
    methods = quote["refund_methods"]
    assert methods, f"quote for order {order.id} offers no refund method"
    if order.guest:
        offered = [opt["provider_id"] for method in methods for opt in method]
        assert "storecredit" not in offered, f"guest order {order.id} was offered store credit"
    method = data.draw(st.sampled_from(methods))
    before = domain.refunded_total(order.id)
    refund = _refund(domain, order, {"items": items, "payments": payments_for(method)}, quote)
    assert Decimal(refund["total_amount"]) == Decimal(quote["total_refund_amount"]), (
        f"refund total {refund['total_amount']} differs from "
        f"the quote's {quote['total_refund_amount']}"
    )
    domain.read_back(refund)
    after = domain.refunded_total(order.id)
    assert after - before == Decimal(refund["total_amount"]), (
        f"order {order.id}: refunded total moved by {after - before}, not {refund['total_amount']}"
    )


def test_tax_adjustment_refund_has_no_items(domain: Domain) -> None:
    domain.require_mutations()
    domain.reset()
    for order in domain.pick(
        lambda o: o.paid and o.overcharged_tax > 0, "order with overcharged tax"
    ):
        body = {"tax_adjustment_amount": order.overcharged_tax}
        quote = _quote(domain, order, body)
        assert Decimal(quote["total_refund_amount"]) == order.overcharged_tax
        refund = _refund(domain, order, body, quote)
        assert refund["items"] == [], f"tax adjustment refund {refund['id']} has items"
        assert Decimal(refund["total_amount"]) == order.overcharged_tax
        domain.read_back(refund)


def test_merchant_override_sets_the_refund_total(domain: Domain) -> None:
    domain.require_mutations()
    domain.reset()
    order = domain.pick(lambda o: o.refundable and not o.guest, "refundable customer order")[0]
    line = order.refundable_lines[0]
    item: dict[str, Any] = {"item_type": line.item_type, "item_id": line.item_id}
    item.update({"quantity": 1} if line.by_quantity else {"amount": Decimal("0.01")})
    quote = _quote(domain, order, {"items": [item]})
    provider = quote["refund_methods"][0][0]
    override = {"total_amount": Decimal("1.00"), "total_tax": Decimal("0")}
    payments = [
        {
            "provider_id": provider["provider_id"],
            "amount": Decimal("1.00"),
            "offline": bool(provider["offline"]),
        }
    ]
    refund = _refund(
        domain,
        order,
        {"items": [item], "payments": payments, "merchant_calculated_override": override},
        quote,
    )
    assert refund["uses_merchant_override_values"] is True
    assert Decimal(refund["total_amount"]) == Decimal("1.00")
    domain.read_back(refund)


# --------------------------------------------------------------------------- invalid requests


def _refused(
    domain: Domain, order: Order, body: dict[str, Any], *, why: str, title: str | None = None
) -> None:
    """The request gets a conforming 422 with a message, and nothing changes.

    ``why`` names the rule in the failure message, so a report says which rule a server broke.
    """
    error = domain.refused(order.id, body, why)
    titles = [entry.get("title", "") for entry in error["data"]]
    if title is not None:
        assert title in titles, f"data[].title: expected the message {title!r}, got {titles!r}"


def _payments(domain: Domain, order: Order, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return payments_for(_quote(domain, order, {"items": items})["refund_methods"][0])


def _with_override(order: Order, items: list[dict[str, Any]]) -> dict[str, Any]:
    """A refund whose only possible defect is in ``items``.

    A merchant override fixes the totals, and the payments pay exactly the override, so a
    server that skipped the item rules has no other reason to refuse it.
    """
    providers = order.providers or ("custom",)
    provider = next((p for p in providers if p != "storecredit"), providers[0])
    amount = Decimal("1.00")
    return {
        "items": items,
        "payments": [{"provider_id": provider, "amount": amount, "offline": False}],
        "merchant_calculated_override": {"total_amount": amount, "total_tax": Decimal("0")},
    }


def _quantity_line_order(domain: Domain) -> tuple[Order, Any]:
    order = domain.pick(
        lambda o: (
            o.refundable
            and o.remaining_total > 1
            and any(line.by_quantity for line in o.refundable_lines)
        ),
        "refundable order with products",
    )[0]
    return order, next(line for line in order.refundable_lines if line.by_quantity)


def _amount_line_order(domain: Domain) -> tuple[Order, Any]:
    order = domain.pick(
        lambda o: (
            o.refundable
            and o.remaining_total > 1
            and any(not line.by_quantity for line in o.refundable_lines)
        ),
        "refundable order with shipping, handling or fees",
    )[0]
    return order, next(line for line in order.refundable_lines if not line.by_quantity)


def test_the_override_control_request_is_accepted(domain: Domain) -> None:
    """The requests below differ from this accepted one in their items only."""
    domain.require_mutations()
    domain.reset()
    order, line = _quantity_line_order(domain)
    item = {"item_type": line.item_type, "item_id": line.item_id, "quantity": 1}
    refund = _refund(
        domain, order, _with_override(order, [item]), _quote(domain, order, {"items": [item]})
    )
    assert refund["uses_merchant_override_values"] is True
    domain.reset()


def test_quantity_above_what_remains_is_refused(domain: Domain) -> None:
    domain.reset()
    order, line = _quantity_line_order(domain)
    item = {"item_type": line.item_type, "item_id": line.item_id}
    _refused(
        domain,
        order,
        _with_override(order, [{**item, "quantity": line.remaining_quantity + 1}]),
        why="a quantity above what remains",
    )


def test_zero_quantity_is_refused(domain: Domain) -> None:
    domain.reset()
    order, line = _quantity_line_order(domain)
    item = {"item_type": line.item_type, "item_id": line.item_id, "quantity": 0}
    _refused(domain, order, _with_override(order, [item]), why="a zero quantity")


@pytest.mark.parametrize("amount", [Decimal("0"), Decimal("-1.00")])
def test_non_positive_amount_is_refused(domain: Domain, amount: Decimal) -> None:
    domain.reset()
    order, line = _amount_line_order(domain)
    item = {"item_type": line.item_type, "item_id": line.item_id, "amount": amount}
    _refused(domain, order, _with_override(order, [item]), why="a non-positive amount")


def test_amount_above_what_remains_is_refused(domain: Domain) -> None:
    domain.reset()
    order, line = _amount_line_order(domain)
    amount = line.remaining_amount + Decimal("0.01")
    item = {"item_type": line.item_type, "item_id": line.item_id, "amount": amount}
    _refused(domain, order, _with_override(order, [item]), why="an amount above what remains")


def test_unknown_item_is_refused(domain: Domain) -> None:
    domain.reset()
    order, line = _quantity_line_order(domain)
    item = {"item_type": line.item_type, "item_id": order.max_item_id + 100_000, "quantity": 1}
    _refused(domain, order, _with_override(order, [item]), why="an unknown item")


@pytest.mark.parametrize("offset", [Decimal("0.01"), Decimal("-0.01")])
def test_payments_that_match_no_refund_method_are_refused(domain: Domain, offset: Decimal) -> None:
    domain.reset()
    order, line = _quantity_line_order(domain)
    items = [{"item_type": line.item_type, "item_id": line.item_id, "quantity": 1}]
    payments = _payments(domain, order, items)
    payments[0]["amount"] += offset
    _refused(
        domain,
        order,
        {"items": items, "payments": payments},
        why="payments that match no refund method",
    )


def test_unknown_payment_provider_is_refused(domain: Domain) -> None:
    domain.reset()
    order, line = _quantity_line_order(domain)
    items = [{"item_type": line.item_type, "item_id": line.item_id, "quantity": 1}]
    payments = _payments(domain, order, items)
    payments = [
        {
            **payments[0],
            "provider_id": "no_such_gateway",
            "amount": sum(p["amount"] for p in payments),
        }
    ]
    _refused(
        domain, order, {"items": items, "payments": payments}, why="an unknown payment provider"
    )


def test_store_credit_for_a_guest_is_refused(domain: Domain) -> None:
    domain.reset()
    order = domain.pick(lambda o: o.guest and o.refundable, "refundable guest order")[0]
    line = order.refundable_lines[0]
    item: dict[str, Any] = {"item_type": line.item_type, "item_id": line.item_id}
    item.update({"quantity": 1} if line.by_quantity else {"amount": Decimal("0.01")})
    total = sum(p["amount"] for p in _payments(domain, order, [item]))
    payments = [{"provider_id": "storecredit", "amount": total, "offline": False}]
    _refused(
        domain,
        order,
        {"items": [item], "payments": payments},
        title=GUEST_STORE_CREDIT,
        why="store credit for a guest customer",
    )


def test_unpaid_order_is_refused(domain: Domain) -> None:
    domain.reset()
    order = domain.pick(lambda o: not o.paid and bool(o.lines), "unpaid order")[0]
    line = order.lines[0]
    item: dict[str, Any] = {"item_type": line.item_type, "item_id": line.item_id}
    item.update({"quantity": 1} if line.by_quantity else {"amount": Decimal("0.01")})
    _refused(domain, order, _with_override(order, [item]), why="an unpaid order")


def test_fully_refunded_order_is_refused(domain: Domain) -> None:
    domain.reset()
    order = domain.pick(
        lambda o: o.paid and o.remaining_total == 0 and bool(o.lines), "fully refunded order"
    )[0]
    line = order.lines[0]
    item: dict[str, Any] = {"item_type": line.item_type, "item_id": line.item_id}
    item.update({"quantity": 1} if line.by_quantity else {"amount": Decimal("0.01")})
    _refused(domain, order, _with_override(order, [item]), why="a fully refunded order")


def test_tax_adjustment_that_is_not_the_overcharge_is_refused(domain: Domain) -> None:
    domain.reset()
    order = domain.pick(lambda o: o.refundable, "refundable order")[0]
    _refused(
        domain,
        order,
        {"tax_adjustment_amount": order.overcharged_tax + Decimal("1.00")},
        why="a tax adjustment that is not the overcharged tax",
    )


def test_every_created_refund_is_consistent(domain: Domain) -> None:
    """Whatever the target already holds: totals are sums of payments; reads agree."""
    listed = conforming(domain.api.all_refunds(), "getOrdersRefunds", status=200)
    no_problems(checks.list_problems(listed["data"]), "GET all refunds")
    for refund in listed["data"][:20]:
        domain.read_back(refund)
