"""The sandbox's state: orders, the refund ledger, id counters; ``reset()`` restores the seed.

All reads and writes take one re-entrant lock, so a test thread may ``reset()`` a sandbox that a
uvicorn thread is serving. Refund creation is check-then-commit inside that lock and fully
synchronous: a rule violation raises before anything changes, and the invariant "refunded never
exceeds paid" is re-checked right before the commit.

Asynchronous declines: refund payments to :data:`DECLINING_PROVIDER` (order 107's gateway) are
answered ``is_declined: false`` in the 201, like any payment the provider has not processed yet;
the first read of refunds afterwards (any of the three GET operations) finds them declined, with
:data:`DECLINED_MESSAGE`. The flip is deterministic: no timers. A declined payment keeps its
amount in the ledger (the sandbox stays conservative: the money may still move later).
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from bigcommerce_refunds.sandbox.computation import Computation
from bigcommerce_refunds.sandbox.fixtures import FixtureError, Fixtures
from bigcommerce_refunds.sandbox.gcpolicy import LedgerGc
from bigcommerce_refunds.sandbox.money import ZERO
from bigcommerce_refunds.sandbox.order_descriptions import OrderDescriptionError, parse_order
from bigcommerce_refunds.sandbox.orders import Order
from bigcommerce_refunds.sandbox.payloads import (
    REFUND_OPERATION,
    RefundPayload,
    SchemaViolationError,
    parse_payload,
)
from bigcommerce_refunds.sandbox.payment_rules import choose_payments, methods_for
from bigcommerce_refunds.sandbox.rfc3339 import parse_datetime
from bigcommerce_refunds.sandbox.rules import compute
from bigcommerce_refunds.sandbox.ruleset import STRICT, RuleSet
from bigcommerce_refunds.sandbox.violations import RuleViolations, Violation

DECLINING_PROVIDER = "testgateway_declines"
DECLINED_MESSAGE = "The payment provider declined the refund (sandbox test gateway)."
FIRST_REFUND_ID = 1000
FIRST_REFUND_PAYMENT_ID = 5000


@dataclass
class RefundPaymentRecord:
    id: int
    provider_id: str
    amount: Decimal
    offline: bool
    transaction_id: str
    is_declined: bool = False
    declined_message: str = ""
    decline_pending: bool = False

    def view(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "provider_id": self.provider_id,
            "amount": self.amount,
            "offline": self.offline,
            "is_declined": self.is_declined,
            "declined_message": self.declined_message,
            "transaction_id": self.transaction_id,
        }


_last_created: tuple[datetime | None, str] = (None, "")


@dataclass
class RefundRecord:
    id: int
    order_id: int
    created_at: datetime
    reason: str
    total_amount: Decimal
    total_tax: Decimal
    uses_merchant_override_values: bool
    items: list[dict[str, Any]]
    payments: list[RefundPaymentRecord]
    is_tax_adjustment: bool
    user_id: int = 0
    #: ``created_at`` as RFC 3339 in UTC, e.g. ``2026-11-28T10:00:00+00:00``: formatted once,
    #: since every read serves it.
    created: str = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        global _last_created
        when, text = _last_created
        if self.created_at is not when:  # refunds in the same second share one datetime
            text = self.created_at.isoformat()
            _last_created = (self.created_at, text)
        self.created = text

    def view(self) -> dict[str, Any]:
        """The Refund object, exactly as the API serves it (before any planted bug)."""
        return {
            "id": self.id,
            "order_id": self.order_id,
            "user_id": self.user_id,
            "created": self.created,
            "reason": self.reason,
            "total_amount": self.total_amount,
            "total_tax": self.total_tax,
            "uses_merchant_override_values": self.uses_merchant_override_values,
            "items": [dict(item) for item in self.items],
            "payments": [payment.view() for payment in self.payments],
        }


@dataclass(frozen=True)
class RefundFilter:
    """The filters of the refund list operations (None = no filter)."""

    order_ids: frozenset[int] | None = None
    refund_ids: frozenset[int] | None = None
    created_min: datetime | None = None
    created_max: datetime | None = None
    transaction_id: str | None = None

    def matches(self, refund: RefundRecord) -> bool:
        if self.order_ids is not None and refund.order_id not in self.order_ids:
            return False
        if self.refund_ids is not None and refund.id not in self.refund_ids:
            return False
        if self.created_min is not None and refund.created_at < self.created_min:
            return False
        if self.created_max is not None and refund.created_at > self.created_max:
            return False
        return self.transaction_id is None or any(
            payment.transaction_id == self.transaction_id for payment in refund.payments
        )


class Store:
    """Orders and refunds of the one sandbox store."""

    def __init__(self, fixtures: Fixtures, now: Callable[[], datetime]) -> None:
        self._fixtures = fixtures
        self._now = now
        self.lock = threading.RLock()
        self.orders: dict[int, Order] = {}
        self.refunds: dict[int, RefundRecord] = {}
        # Read indexes, kept with ``refunds``: each order's refunds (ascending id), and the
        # payments whose decline is still to be settled.
        self._by_order: dict[int, list[RefundRecord]] = {}
        self._pending_declines: list[RefundPaymentRecord] = []
        self._taken_ids: set[int] = set()
        self._ids: Iterator[int] = iter(())
        self._refund_ids: Iterator[int] = iter(())
        self._payment_ids: Iterator[int] = iter(())
        self.ledger_gc = LedgerGc()
        self.reset()

    # ------------------------------------------------------------------ lifecycle
    def reset(self) -> None:
        """Forget every change: the seeded orders and refunds, and fresh id counters."""
        with self.lock:
            self.orders = {}
            self.refunds = {}
            self.ledger_gc.reset()
            self._by_order = {}
            self._pending_declines = []
            self._taken_ids = set()
            self._ids = itertools.count(1)
            self._refund_ids = itertools.count(FIRST_REFUND_ID)
            self._payment_ids = itertools.count(FIRST_REFUND_PAYMENT_ID)
            try:
                self._seed()
            except (
                OrderDescriptionError,
                RuleViolations,
                SchemaViolationError,
                ValueError,
            ) as error:
                raise FixtureError(f"the fixtures do not describe a valid store: {error}") from None

    def _seed(self) -> None:
        for index, description in enumerate(self._fixtures.orders):
            # Seeded ids are explicit; allocation only starts after the largest one.
            order = parse_order(
                description,
                allocate_id=lambda: next(self._ids),
                taken_ids=self._taken_ids,
                default_created=self._now(),
                path=f"orders[{index}]",
            )
            self.orders[order.id] = order
        self._ids = itertools.count(max(self._taken_ids, default=0) + 1)
        for index, seed in enumerate(self._fixtures.refunds):
            if seed.order_id not in self.orders:
                raise ValueError(f"refunds[{index}]: order {seed.order_id} is not in the fixtures")
            try:
                created = parse_datetime(seed.created)
            except ValueError:
                raise ValueError(
                    f"refunds[{index}].created must be an RFC 3339 date-time with a UTC offset"
                ) from None
            payload = parse_payload(REFUND_OPERATION, seed.body)
            self.create_refund(seed.order_id, payload, STRICT, created)

    def add_order(self, description: Any) -> Order:
        """Create an order from a JSON description (raises OrderDescriptionError)."""
        with self.lock:
            order = parse_order(
                description,
                allocate_id=lambda: next(self._ids),
                taken_ids=self._taken_ids,
                default_created=self._now(),
            )
            self.orders[order.id] = order
            return order

    # ------------------------------------------------------------------ operations
    def quote(self, order_id: int, payload: RefundPayload, rules: RuleSet) -> dict[str, Any]:
        """A refund quote under ``rules`` (raises RuleViolations); quotes change nothing."""
        with self.lock:
            order = self.orders[order_id]
            computation = compute(order, payload, rules)
            amount = computation.refund_total
            return {
                "order_id": order.id,
                "total_refund_amount": amount,
                "total_refund_tax_amount": computation.refund_tax,
                "order_level_refund_amount": computation.order_level,
                "rounding": ZERO,
                "adjustment": ZERO,
                "tax_inclusive": order.tax_inclusive,
                "refund_methods": [
                    [option.view() for option in method]
                    for method in methods_for(order, amount, rules)
                ],
            }

    def create_refund(
        self,
        order_id: int,
        payload: RefundPayload,
        rules: RuleSet,
        created: datetime | None = None,
        *,
        keep: bool = True,
    ) -> RefundRecord:
        """Check and record a refund (raises RuleViolations, leaving everything unchanged).

        ``keep=False`` answers with the refund it would record, and commits nothing: the seam a
        server that loses writes plugs into (the store has no other reason to offer it).
        """
        with self.lock:
            order = self.orders[order_id]
            computation = compute(order, payload, rules)
            computation.payments = choose_payments(order, computation, payload.payments, rules)
            amount = computation.refund_total
            # The invariant, once more, right before the commit.
            if amount > order.remaining and rules.caps_remaining:
                raise RuleViolations(
                    [Violation("over_refund", {"code": "over_refund", "items": "over-refund"})]
                )
            when = created or self._now()
            refund = self._record(order, computation, when)
            if keep:
                self._commit(order, computation)
                self.refunds[refund.id] = refund
                self._by_order.setdefault(refund.order_id, []).append(refund)
                self._pending_declines.extend(p for p in refund.payments if p.decline_pending)
                self.ledger_gc.recorded()
            return refund

    def _record(self, order: Order, computation: Computation, when: datetime) -> RefundRecord:
        lines = computation.lines
        payments = []
        for chosen in computation.payments:
            payment_id = next(self._payment_ids)
            payments.append(
                RefundPaymentRecord(
                    id=payment_id,
                    provider_id=chosen.provider_id,
                    amount=chosen.amount,
                    offline=chosen.offline,
                    transaction_id=f"sbx-{order.id}-{payment_id}",
                    decline_pending=chosen.provider_id == DECLINING_PROVIDER,
                )
            )
        return RefundRecord(
            id=next(self._refund_ids),
            order_id=order.id,
            created_at=when if when.tzinfo is UTC else when.astimezone(UTC),
            reason=lines[0].reason if lines else "",
            total_amount=sum((p.amount for p in payments), ZERO),
            total_tax=computation.refund_tax,
            uses_merchant_override_values=computation.override_total is not None,
            items=[line.view() for line in lines],
            payments=payments,
            is_tax_adjustment=computation.tax_adjustment is not None,
        )

    def _commit(self, order: Order, computation: Computation) -> None:
        for line in computation.lines:
            if line.quantity_line is not None and line.quantity is not None:
                line.quantity_line.refunded_quantity += line.quantity
                line.quantity_line.refunded_gross += line.gross
                line.quantity_line.refunded_tax += line.tax
            elif line.amount_line is not None:
                line.amount_line.refunded_basis += line.requested_amount
                line.amount_line.refunded_gross += line.gross
                line.amount_line.refunded_tax += line.tax
            else:
                order.order_level_refunded += line.gross
        if computation.tax_adjustment is not None and computation.override_total is None:
            order.tax_adjusted += computation.tax_adjustment
        order.refunded_total += computation.refund_total
        # A refund goes back to the payment it came from up to what that payment took; beyond
        # that (store credit for more than was paid with store credit, custom) it is recorded as
        # refunded to the provider, not to the payment.
        paid_by = {payment.provider_id: payment for payment in order.payments}
        for chosen in computation.payments:
            payment = paid_by.get(chosen.provider_id)
            to_payment = (
                ZERO if payment is None else max(ZERO, min(chosen.amount, payment.remaining))
            )
            if payment is not None:
                payment.refunded += to_payment
            if chosen.amount != to_payment:
                order.refunded_elsewhere[chosen.provider_id] = (
                    order.refunded_elsewhere.get(chosen.provider_id, ZERO)
                    + chosen.amount
                    - to_payment
                )

    # ------------------------------------------------------------------ reads
    def settle_declines(self) -> None:
        """Let the declining test gateway answer: pending payments become declined."""
        with self.lock:
            for payment in self._pending_declines:
                if payment.decline_pending:
                    payment.decline_pending = False
                    payment.is_declined = True
                    payment.declined_message = DECLINED_MESSAGE
            self._pending_declines = []

    def find_refunds(self, refund_filter: RefundFilter) -> list[RefundRecord]:
        """Matching refunds, ascending id (the API's order).

        Reads by refund id or by order look their candidates up instead of scanning the ledger,
        so a read stays as fast after 100,000 refunds as after one.
        """
        with self.lock:
            refund_ids, order_ids = refund_filter.refund_ids, refund_filter.order_ids
            candidates: list[RefundRecord]
            if refund_ids is not None and len(refund_ids) < len(self.refunds):
                candidates = [self.refunds[i] for i in refund_ids if i in self.refunds]
            elif order_ids is not None and len(order_ids) < len(self.refunds):
                candidates = [r for i in order_ids for r in self._by_order.get(i, ())]
            else:
                candidates = list(self.refunds.values())
            ordered = sorted(candidates, key=lambda refund: refund.id)
            return [refund for refund in ordered if refund_filter.matches(refund)]

    def snapshot(self) -> dict[str, Any]:
        """Orders and refunds as plain data (for the control API and state comparisons)."""
        with self.lock:
            return {
                "orders": [order.view() for order in self.orders.values()],
                "refunds": [refund.view() for refund in self.refunds.values()],
            }


__all__ = [
    "DECLINED_MESSAGE",
    "DECLINING_PROVIDER",
    "RefundFilter",
    "RefundPaymentRecord",
    "RefundRecord",
    "Store",
]
