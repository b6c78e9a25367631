"""Random sequences of refunds (a RuleBasedStateMachine): whatever the order of operations,
cumulative refunds never exceed what was paid, total_amount is the sum of the payments, every
created refund reads back identically through all three reads, and tax-adjustment refunds have
no items."""

from __future__ import annotations

from typing import Any, ClassVar

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


class RefundLedger(RuleBasedStateMachine):
    """The ledger machine; ``domain`` is set per run by :func:`_machine`.

    Module level, so a printed ``@reproduce_failure(...)`` works placed above this class (the
    test function is not a @given test: Hypothesis refuses the decorator there).
    """

    domain: ClassVar[Domain]

    def __init__(self) -> None:
        super().__init__()
        self.domain.reset()
        self.paid = {order.id: order.paid_total for order in self.domain.orders()}
        self.created: dict[int, dict[str, Any]] = {}
        self.touched: set[int] = set()

    def _refundable(self) -> list[Order]:
        return [order for order in self.domain.orders() if order.refundable]

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
            self.domain.api.quote(order.id, {"items": items}), "createOrderRefundQuotes", status=201
        )
        method = data.draw(st.sampled_from(quote["data"]["refund_methods"]), label="method")
        body = {"items": items, "payments": payments_for(method)}
        self._create(order, body, quote["data"])

    @rule(data=st.data())
    def refund_overcharged_tax(self, data: st.DataObject) -> None:
        orders = [o for o in self.domain.orders() if o.paid and o.overcharged_tax > 0]
        if not orders:
            return
        order = data.draw(st.sampled_from(orders), label="order")
        body = {"tax_adjustment_amount": order.overcharged_tax}
        if order.remaining_total >= order.overcharged_tax:
            self._create(order, body, quote_checked(self.domain, order.id, body))
            return
        # Less remains of the order than the overcharged tax: refunding it would over-refund.
        why = f"a {order.overcharged_tax} tax adjustment with {order.remaining_total} left"
        self.domain.refused(order.id, body, why)

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
        self.domain.refused(order.id, {"items": [item], "payments": payments}, why)

    def _refused_as_over_refund(self, order: Order, items: list[dict[str, Any]]) -> None:
        """More than remains of the order: the quote must refuse it, and so must a refund."""
        response = self.domain.api.quote(order.id, {"items": items})
        if response.status_code != 422:
            raise ConformanceError(
                f"order {order.id}: quoting {items!r} (more than the {order.remaining_total} "
                f"that remains) got {response.status_code}, not 422: {response.text[:300]}"
            )
        conforming(response, "createOrderRefundQuotes", status=422)
        payments = [{"provider_id": order.providers[0], "amount": order.remaining_total}]
        why = f"more than the {order.remaining_total} that remains"
        self.domain.refused(order.id, {"items": items, "payments": payments}, why)

    def _create(self, order: Order, body: dict[str, Any], quote: dict[str, Any]) -> None:
        # The field oracle: every field of the created refund against the request, the quote
        # and the order before and after (conformance/oracle.py).
        refund = refund_checked(self.domain, order.id, body, quote)
        self.domain.read_back(refund)
        self.created[refund["id"]] = refund
        self.touched.add(order.id)

    @invariant()
    def never_refunded_more_than_paid(self) -> None:
        for order_id in self.touched:
            refunded = self.domain.refunded_total(order_id)
            assert refunded <= self.paid[order_id], (
                f"order {order_id}: refunds total {refunded}, "
                f"more than the {self.paid[order_id]} paid"
            )

    @invariant()
    def created_refunds_are_all_still_there(self) -> None:
        if not self.created:
            return
        listed = conforming(self.domain.api.all_refunds(), "getOrdersRefunds", status=200)
        no_problems(checks.list_problems(listed["data"]), "GET all refunds")
        for refund_id, refund in self.created.items():
            no_problems(
                checks.same_refund_problems(
                    "GET all", refund, checks.find_refund(listed["data"], refund_id)
                ),
                "ledger",
            )


REPRODUCE_HERE = (
    "To replay this failure, put the @reproduce_failure(...) line Hypothesis printed right above "
    "`class RefundLedger` in conformance/test_stateful_ledger.py (not on the test function)."
)


def _machine(domain: Domain) -> type[RefundLedger]:
    # A subclass per run: attributes a @reproduce_failure sets on RefundLedger are inherited.
    return type("RefundLedgerRun", (RefundLedger,), {"domain": domain})


def test_refund_sequences_keep_the_ledger_sound(domain: Domain, profile: Profile) -> None:
    domain.require_mutations()
    machine = _machine(domain)
    try:
        run_state_machine_as_test(
            machine,
            settings=settings(
                max_examples=profile.state_machine_examples,
                stateful_step_count=profile.state_machine_steps,
            ),
        )
    except Exception as error:
        error.add_note(REPRODUCE_HERE)
        raise
    domain.reset()
