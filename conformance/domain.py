"""The suite's view of a target for domain tests: orders, resets, snapshots and read-backs."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest

from conformance import checks
from conformance.api import RefundApi
from conformance.expect import ConformanceError, conforming, no_problems
from conformance.orders import Order, parse_order
from conformance.target import Target


@dataclass
class Domain:
    target: Target
    api: RefundApi

    @property
    def can_mutate(self) -> bool:
        """Refund-creating tests need a target that can be reset (or explicit live permission)."""
        return self.target.resettable

    def require_mutations(self) -> None:
        if not self.can_mutate:
            pytest.skip(
                f"{self.target.kind} target without the sandbox control API: refund-creating "
                "tests need a resettable target"
            )

    def reset(self) -> None:
        if self.target.control is not None:
            self.target.control.reset()

    def orders(self) -> list[Order]:
        views = self.target.refresh_orders()
        if not views:
            pytest.skip(
                "the target has no order data (no control API, no CONFORMANCE_ORDERS, and no "
                "orders through its own Orders V2 reads)"
            )
        return [parse_order(view) for view in views]

    def order(self, order_id: int) -> Order:
        return next(order for order in self.orders() if order.id == order_id)

    def pick(self, predicate: Callable[[Order], bool], what: str) -> list[Order]:
        found = [order for order in self.orders() if predicate(order)]
        if not found:
            pytest.skip(f"the target's orders include no {what}")
        return found

    def snapshot(self, order_id: int) -> tuple[Any, ...]:
        """Everything a refused request must leave unchanged."""
        view = self.target.control.order(order_id) if self.target.control is not None else None
        own = conforming(self.api.order_refunds(order_id), "getOrderRefunds", status=200)
        everything = conforming(self.api.all_refunds(), "getOrdersRefunds", status=200)
        return (view, own["data"], everything["data"])

    def read_back(self, created: dict[str, Any]) -> None:
        """The created refund reads back identically through all three reads."""
        refund_id, order_id = created["id"], created["order_id"]
        response = self.api.refund_by_id(refund_id)
        if response.status_code == 404:
            problems = [f"GET by id: the created refund {refund_id} is missing (404)"]
        else:
            by_id = conforming(response, "getOrderRefund", status=200)
            problems = checks.refund_problems(by_id["data"], order_id=order_id)
            problems += checks.same_refund_problems("GET by id", created, by_id["data"])
        listed = conforming(self.api.order_refunds(order_id), "getOrderRefunds", status=200)
        problems += checks.list_problems(listed["data"], order_id=order_id)
        problems += checks.same_refund_problems(
            "GET for the order", created, checks.find_refund(listed["data"], refund_id)
        )
        everything = conforming(
            self.api.all_refunds(**{"id:in": str(refund_id)}), "getOrdersRefunds", status=200
        )
        problems += checks.list_problems(everything["data"])
        problems += checks.same_refund_problems(
            "GET all (id:in)", created, checks.find_refund(everything["data"], refund_id)
        )
        no_problems(problems, f"refund {refund_id} read back")

    def refused(self, order_id: int, body: dict[str, Any], why: str) -> dict[str, Any]:
        """POST the refund; it must get a conforming 422 with messages and change nothing."""
        before = self.snapshot(order_id)
        response = self.api.refund(order_id, body)
        if response.status_code != 422:
            raise ConformanceError(
                f"order {order_id}: expected 422 ({why}) for {body!r}, "
                f"got {response.status_code}: {response.text[:500]}"
            )
        error: dict[str, Any] = conforming(response, "createOrderRefund", status=422)
        titles = [entry.get("title", "") for entry in error["data"]]
        if not all(titles):
            raise ConformanceError(f"order {order_id}: a 422 without a message: {error!r}")
        if self.snapshot(order_id) != before:
            raise ConformanceError(f"order {order_id}: a refused refund ({why}) changed the store")
        return error

    def refunded_total(self, order_id: int) -> Decimal:
        listed = conforming(self.api.order_refunds(order_id), "getOrderRefunds", status=200)
        return sum((Decimal(r["total_amount"]) for r in listed["data"]), Decimal(0))
