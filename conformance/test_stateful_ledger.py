"""Random sequences of refunds (a RuleBasedStateMachine): whatever the order of operations,
cumulative refunds never exceed what was paid, total_amount is the sum of the payments, every
created refund reads back identically through all three reads, and tax-adjustment refunds have
no items."""

from __future__ import annotations

from typing import Any

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from conformance import checks
from conformance.domain import Domain
from conformance.expect import ConformanceError, conforming, no_problems
from conformance.oracle_scenario import quote_checked, refund_checked
from conformance.orders import Order
from conformance.profiles import Profile
from conformance.strategies import fits, payments_for, refund_items


def _machine(domain: Domain) -> type[RuleBasedStateMachine]:
    class RefundLedger(RuleBasedStateMachine):
        def __init__(self) -> None:
            super().__init__()
            domain.reset()
            self.paid = {order.id: order.paid_total for order in domain.orders()}
            self.created: dict[int, dict[str, Any]] = {}
            self.touched: set[int] = set()

        def _refundable(self) -> list[Order]:
            return [order for order in domain.orders() if order.refundable]

        @rule(data=st.data())
        def refund_items_as_quoted(self, data: st.DataObject) -> None:
            orders = self._refundable()
            if not orders:
                return
            order = data.draw(st.sampled_from(orders), label="order")
            items = data.draw(refund_items(order), label="items")
            fit = fits(order, items)
            if fit is None:
                return  # too close to what remains to predict the server's rounding
            if not fit:
                self._refused_as_over_refund(order, items)
                return
            quote = conforming(
                domain.api.quote(order.id, {"items": items}), "createOrderRefundQuotes", status=201
            )
            method = data.draw(st.sampled_from(quote["data"]["refund_methods"]), label="method")
            body = {"items": items, "payments": payments_for(method)}
            self._create(order, body, quote["data"])

        @rule(data=st.data())
        def refund_overcharged_tax(self, data: st.DataObject) -> None:
            orders = [o for o in domain.orders() if o.paid and o.overcharged_tax > 0]
            if not orders:
                return
            order = data.draw(st.sampled_from(orders), label="order")
            body = {"tax_adjustment_amount": order.overcharged_tax}
            if order.remaining_total >= order.overcharged_tax:
                self._create(order, body, quote_checked(domain, order.id, body))
                return
            # Less remains of the order than the overcharged tax: refunding it would over-refund.
            why = f"a {order.overcharged_tax} tax adjustment with {order.remaining_total} left"
            domain.refused(order.id, body, why)

        @rule(data=st.data())
        def try_to_refund_more_than_remains(self, data: st.DataObject) -> None:
            orders = [o for o in self._refundable() if any(x.by_quantity for x in o.lines)]
            if not orders:
                return
            order = data.draw(st.sampled_from(orders), label="order")
            line = next(x for x in order.lines if x.by_quantity)
            item = {
                "item_type": line.item_type,
                "item_id": line.item_id,
                "quantity": line.remaining_quantity + 1,
            }
            payments = [
                {"provider_id": order.providers[0], "amount": order.paid_total, "offline": False}
            ]
            why = f"{line.item_type} {line.item_id}: only {line.remaining_quantity} remain"
            domain.refused(order.id, {"items": [item], "payments": payments}, why)

        def _refused_as_over_refund(self, order: Order, items: list[dict[str, Any]]) -> None:
            """More than remains of the order: the quote must refuse it, and so must a refund."""
            response = domain.api.quote(order.id, {"items": items})
            if response.status_code != 422:
                raise ConformanceError(
                    f"order {order.id}: quoting {items!r} (more than the {order.remaining_total} "
                    f"that remains) got {response.status_code}, not 422: {response.text[:300]}"
                )
            conforming(response, "createOrderRefundQuotes", status=422)
            payments = [{"provider_id": order.providers[0], "amount": order.remaining_total}]
            why = f"more than the {order.remaining_total} that remains"
            domain.refused(order.id, {"items": items, "payments": payments}, why)

        def _create(self, order: Order, body: dict[str, Any], quote: dict[str, Any]) -> None:
            refund = refund_checked(domain, order.id, body, quote)
            domain.read_back(refund)
            self.created[refund["id"]] = refund
            self.touched.add(order.id)

        @invariant()
        def never_refunded_more_than_paid(self) -> None:
            for order_id in self.touched:
                refunded = domain.refunded_total(order_id)
                assert refunded <= self.paid[order_id], (
                    f"order {order_id}: refunds total {refunded}, "
                    f"more than the {self.paid[order_id]} paid"
                )

        @invariant()
        def created_refunds_are_all_still_there(self) -> None:
            if not self.created:
                return
            listed = conforming(domain.api.all_refunds(), "getOrdersRefunds", status=200)
            no_problems(checks.list_problems(listed["data"]), "GET all refunds")
            for refund_id, refund in self.created.items():
                no_problems(
                    checks.same_refund_problems(
                        "GET all", refund, checks.find_refund(listed["data"], refund_id)
                    ),
                    "ledger",
                )

    return RefundLedger


def test_refund_sequences_keep_the_ledger_sound(domain: Domain, profile: Profile) -> None:
    domain.require_mutations()
    machine = _machine(domain)
    run_state_machine_as_test(
        machine,
        settings=settings(
            max_examples=profile.state_machine_examples,
            stateful_step_count=profile.state_machine_steps,
        ),
    )
    domain.reset()
