"""A fixed tour of the API that puts every response field in front of its oracle.

The tour (run by ``test_field_oracle.py``, and by the perturbation self-test against a server
that lies about one field at a time) quotes and creates refunds of every kind — items of every
item type with reasons and adjustments, an offline provider, split tender, a Tax Adjustment
Refund, a merchant override, a payment the gateway declines — reads them back through the three
reads and their filters and pages, and provokes every declared error. Each answer goes through
``conformance.oracle`` with what the suite knows independently: the request, the quote, the order
before and after (the sandbox control API's order reads), the request's time window and the
earlier answers. The field → oracle table is ``conformance/ORACLE.md``.

It needs a target with the sandbox control API (order reads, reset, faults); other targets skip.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import httpx
import pytest

from conformance import checks, oracle
from conformance.api import ControlApi, RefundApi
from conformance.domain import Domain
from conformance.expect import conforming, no_problems

Body = dict[str, Any]
LIST_LIMIT = "250"
NO_SUCH_ID = 2_000_000_000


@dataclass
class Tour:
    """The refunds created so far, and what was known before the first one."""

    domain: Domain
    control: ControlApi
    initial_ids: list[int]
    created: dict[int, dict[str, Any]] = field(default_factory=dict)

    @classmethod
    def start(cls, domain: Domain) -> Tour:
        domain.require_mutations()
        control = domain.target.control
        if control is None:
            pytest.skip("the field oracle reads orders through the sandbox control API")
        domain.reset()
        listed = conforming(
            domain.api.all_refunds(limit=LIST_LIMIT), "getOrdersRefunds", status=200
        )
        return cls(domain, control, [r["id"] for r in listed["data"]])

    def order(self, order_id: int) -> dict[str, Any]:
        return self.control.order(order_id)

    def find_order(self, predicate: Callable[[Mapping[str, Any]], bool], what: str) -> Body:
        for view in self.control.orders():
            if predicate(view):
                return view
        pytest.skip(f"the target's orders include no {what}")

    # ------------------------------------------------------------------ quote and refund
    def quote(self, order_id: int, body: Body) -> dict[str, Any]:
        return quote_checked(self.domain, order_id, body)

    def refund(self, order_id: int, body: Body, quote: Mapping[str, Any]) -> dict[str, Any]:
        known = frozenset([*self.initial_ids, *self.created])
        refund = refund_checked(self.domain, order_id, body, quote, earlier_ids=known)
        self.domain.read_back(refund)
        self._transactions_find(refund)
        self.created[refund["id"]] = refund
        return refund

    def _transactions_find(self, refund: Mapping[str, Any]) -> None:
        """Each payment's transaction_id finds its refund through the transaction_id filter."""
        problems = []
        for index, payment in enumerate(refund["payments"]):
            transaction = payment.get("transaction_id")
            if not transaction:
                continue
            found = conforming(
                self.domain.api.all_refunds(transaction_id=transaction),
                "getOrdersRefunds",
                status=200,
            )["data"]
            if refund["id"] not in [r["id"] for r in found]:
                problems.append(
                    f"refund {refund['id']}: payments[{index}].transaction_id {transaction!r} "
                    f"does not find the refund (transaction_id filter gave {found!r})"
                )
        no_problems(problems, "transaction ids")


def _order_view(domain: Domain, order_id: int) -> dict[str, Any]:
    """The order as the control API reads it ({} without one: order-based oracles then skip)."""
    control = domain.target.control
    return control.order(order_id) if control is not None else {}


def quote_checked(domain: Domain, order_id: int, body: Body) -> dict[str, Any]:
    """POST a quote that must succeed; every field checked against the request and the order."""
    before = _order_view(domain, order_id)
    answer = conforming(domain.api.quote(order_id, body), "createOrderRefundQuotes", status=201)
    problems = checks.quote_problems(answer["data"])
    if before:
        problems += oracle.quote_field_problems(
            answer["data"], order_id=order_id, request=body, order=before
        )
    no_problems(problems, f"quote for order {order_id} ({body!r})")
    return dict(answer["data"])


def refund_checked(
    domain: Domain,
    order_id: int,
    body: Body,
    quote: Mapping[str, Any],
    *,
    earlier_ids: frozenset[int] = frozenset(),
) -> dict[str, Any]:
    """POST a refund that must succeed; every field checked against the request, the quote for
    the same items, the order before and after, and the request's time window."""
    before = _order_view(domain, order_id)
    start = oracle.now_utc()
    response = domain.api.refund(order_id, body)
    window = oracle.Window(start, oracle.now_utc())
    refund = dict(conforming(response, "createOrderRefund", status=201)["data"])
    context = oracle.RefundContext(order_id, body, quote, before, window, earlier_ids)
    problems = checks.refund_problems(refund, order_id=order_id, request=body)
    problems += oracle.refund_field_problems(refund, context)
    if before:
        problems += oracle.order_moved_problems(before, _order_view(domain, order_id), refund)
    no_problems(problems, f"refund on order {order_id} ({body!r})")
    return refund


def _items_of_every_kind(view: Mapping[str, Any]) -> list[Body]:
    """One item per line kind the order has, with reasons and a product adjustment."""
    items: list[Body] = []
    for product in view.get("products", []):
        if product.get("remaining_quantity", 0) > 0 and not any(
            i["item_type"] == "PRODUCT" for i in items
        ):
            items.append(
                {
                    "item_type": "PRODUCT",
                    "item_id": product["id"],
                    "quantity": 1,
                    "reason": "Damaged in transit",
                    "adjustments": [{"amount": Decimal("-0.50"), "description": "Scuffed box"}],
                }
            )
        wrapping = product.get("gift_wrapping")
        if (
            isinstance(wrapping, Mapping)
            and wrapping.get("remaining_quantity", 0) > 0
            and not any(i["item_type"] == "GIFT_WRAPPING" for i in items)
        ):
            items.append({"item_type": "GIFT_WRAPPING", "item_id": product["id"], "quantity": 1})
    for address in view.get("addresses", [])[:1]:
        for kind, reason in (("shipping", "Late delivery"), ("handling", "")):
            charge = address.get(kind)
            if isinstance(charge, Mapping) and oracle.dec(charge.get("remaining_amount")):
                item: Body = {
                    "item_type": kind.upper(),
                    "item_id": address["id"],
                    "amount": Decimal("1.00"),
                }
                if reason:
                    item["reason"] = reason
                items.append(item)
    for fee in view.get("fees", [])[:1]:
        if oracle.dec(fee.get("remaining_amount")):
            items.append({"item_type": "FEE", "item_id": fee["id"], "amount": Decimal("0.50")})
    items.append(
        {"item_type": "ORDER", "item_id": view["id"], "amount": Decimal("0.25"), "reason": "Sorry"}
    )
    return items


def _payments(method: list[Mapping[str, Any]], *, offline: bool | None = None) -> list[Body]:
    return [
        {
            "provider_id": option["provider_id"],
            "amount": Decimal(str(option["amount"])),
            "offline": bool(option.get("offline")) if offline is None else offline,
        }
        for option in method
    ]


def _single(quote: Mapping[str, Any], provider: str) -> list[Mapping[str, Any]]:
    return next(
        m for m in quote["refund_methods"] if len(m) == 1 and m[0]["provider_id"] == provider
    )


def _paid_customer(view: Mapping[str, Any]) -> bool:
    return bool(view.get("paid")) and not view.get("is_guest")


def _providers(view: Mapping[str, Any]) -> list[str]:
    return [str(p["provider_id"]) for p in view.get("payments", [])]


# ---------------------------------------------------------------------------- refunds


def refunds_of_every_kind(domain: Domain) -> Tour:
    """Quotes and refunds of every kind; each answer checked field by field."""
    tour = Tour.start(domain)
    rich = tour.find_order(
        lambda v: (
            _paid_customer(v)
            and len(_providers(v)) == 1
            and not v.get("tax_inclusive")
            and len(_items_of_every_kind(v)) >= 4
        ),
        "paid tax-exclusive single-provider customer order with products, shipping and fees",
    )
    items = _items_of_every_kind(rich)
    quote = tour.quote(rich["id"], {"items": items})
    provider = _providers(rich)[0]
    tour.refund(
        rich["id"], {"items": items, "payments": _payments(_single(quote, provider))}, quote
    )
    # The offline-only provider, asked for online: the refund must say offline.
    line = [{"item_type": items[0]["item_type"], "item_id": items[0]["item_id"], "quantity": 1}]
    quote = tour.quote(rich["id"], {"items": line})
    body: Body = {"items": line, "payments": _payments(_single(quote, "custom"), offline=False)}
    tour.refund(rich["id"], body, quote)
    # Store credit, asked for offline: the refund must say what was asked.
    amount_item = next(i for i in items if i["item_type"] not in {"PRODUCT", "GIFT_WRAPPING"})
    line = [{**amount_item, "amount": Decimal("0.10")}]
    quote = tour.quote(rich["id"], {"items": line})
    body = {"items": line, "payments": _payments(_single(quote, "storecredit"), offline=True)}
    tour.refund(rich["id"], body, quote)

    split = _split_tender(tour)
    if split is not None:
        quote, order_id, line = split
        method = next(m for m in quote["refund_methods"] if len(m) > 1)
        tour.refund(order_id, {"items": line, "payments": _payments(method)}, quote)

    inclusive = tour.find_order(
        lambda v: _paid_customer(v) and bool(v.get("tax_inclusive")), "tax-inclusive order"
    )
    line = _items_of_every_kind(inclusive)[:1]
    quote = tour.quote(inclusive["id"], {"items": line})
    override = {"total_amount": Decimal("1.00"), "total_tax": Decimal("0.08")}
    payments = [{"provider_id": _providers(inclusive)[0], "amount": Decimal("1.00")}]
    body = {"items": line, "payments": payments, "merchant_calculated_override": override}
    tour.refund(inclusive["id"], body, quote)

    taxed = tour.find_order(
        lambda v: (
            bool(v.get("paid"))
            and (oracle.dec(v.get("overcharged_tax")) or 0)
            > (oracle.dec(v.get("tax_adjusted")) or 0)
        ),
        "order with overcharged tax",
    )
    owed = oracle.dec(taxed["overcharged_tax"]) or Decimal(0)
    owed -= oracle.dec(taxed.get("tax_adjusted")) or Decimal(0)
    tax_body: Body = {"tax_adjustment_amount": owed}
    tour.refund(taxed["id"], tax_body, tour.quote(taxed["id"], tax_body))

    guest = tour.find_order(lambda v: bool(v.get("paid")) and bool(v.get("is_guest")), "guest")
    tour.quote(guest["id"], {"items": _items_of_every_kind(guest)[:1]})
    return tour


def _split_tender(tour: Tour) -> tuple[dict[str, Any], int, list[Body]] | None:
    views = [v for v in tour.control.orders() if _paid_customer(v) and len(_providers(v)) > 1]
    for view in views:
        line = _items_of_every_kind(view)[:1]
        quote = tour.quote(view["id"], {"items": line})
        if any(len(m) > 1 for m in quote["refund_methods"]):
            return quote, int(view["id"]), line
    return None


def declined_payment(domain: Domain, tour: Tour) -> None:
    """A refund to a gateway that declines it later: reads say why (is_declined ⇔ message)."""
    view = next(
        (
            v
            for v in tour.control.orders()
            if _paid_customer(v)
            and len(_providers(v)) == 1
            and _providers(v)[0].endswith("declines")
        ),
        None,
    )
    if view is None:
        return
    line = _items_of_every_kind(view)[:1]
    quote = tour.quote(view["id"], {"items": line})
    provider = _providers(view)[0]
    refund = tour.refund(
        view["id"], {"items": line, "payments": _payments(_single(quote, provider))}, quote
    )
    read = conforming(domain.api.refund_by_id(refund["id"]), "getOrderRefund", status=200)
    problems = []
    for index, payment in enumerate(read["data"]["payments"]):
        problems += oracle.payment_state_problems(
            f"refund {refund['id']}: payments[{index}]", payment
        )
    no_problems(problems, "declined payment")


# ---------------------------------------------------------------------------- the reads


def reads_list_exactly_what_exists(domain: Domain, tour: Tour) -> None:
    """The list envelopes hold exactly the refunds that exist, pages partition them, and every
    listed refund is the one created (except a later decline)."""
    expected = sorted([*tour.initial_ids, *tour.created])
    everything = conforming(
        domain.api.all_refunds(limit=LIST_LIMIT), "getOrdersRefunds", status=200
    )
    problems = oracle.listed_ids_problems("GET all", everything["data"], expected)
    problems += oracle.pagination_problems(
        "GET all",
        everything["meta"],
        total=len(expected),
        page=1,
        limit=int(LIST_LIMIT),
        returned=len(everything["data"]),
    )
    for refund_id, created in tour.created.items():
        problems += checks.same_refund_problems(
            "GET all", created, checks.find_refund(everything["data"], refund_id)
        )
    for page, limit in ((1, 2), (2, 2), (2, 3)):
        body = conforming(
            domain.api.all_refunds(page=str(page), limit=str(limit)), "getOrdersRefunds", status=200
        )
        wanted = expected[(page - 1) * limit : page * limit]
        problems += oracle.listed_ids_problems(
            f"GET all page={page} limit={limit}", body["data"], wanted
        )
        problems += oracle.pagination_problems(
            f"GET all page={page} limit={limit}",
            body["meta"],
            total=len(expected),
            page=page,
            limit=limit,
            returned=len(body["data"]),
        )
    by_order: dict[int, list[int]] = {}
    for refund in everything["data"]:
        by_order.setdefault(refund["order_id"], []).append(refund["id"])
    for order_id in sorted({r["order_id"] for r in tour.created.values()}):
        listed = conforming(domain.api.order_refunds(order_id), "getOrderRefunds", status=200)
        problems += oracle.listed_ids_problems(
            f"GET for order {order_id}", listed["data"], sorted(by_order.get(order_id, []))
        )
        two = ",".join(map(str, sorted(by_order)[:2]))
        filtered = conforming(
            domain.api.all_refunds(**{"order_id:in": two, "limit": LIST_LIMIT}),
            "getOrdersRefunds",
            status=200,
        )
        problems += oracle.listed_ids_problems(
            f"GET all order_id:in={two}",
            filtered["data"],
            sorted(i for o in sorted(by_order)[:2] for i in by_order[o]),
        )
    problems += oracle.same_user_problems(tour.created.values())
    no_problems(problems, "refund reads")


# ---------------------------------------------------------------------------- errors


#: The one error message BigCommerce documents word for word (DESIGN.md, domain rules).
GUEST_STORE_CREDIT = "Unable to provide store credit for a guest customer."


def _error(
    response: httpx.Response,
    operation_id: str,
    status: int,
    order_id: int | None = None,
    title: str | None = None,
) -> list[str]:
    body = conforming(response, operation_id, status=status)
    label = f"{operation_id} {status}"
    return oracle.error_field_problems(label, body, status=status, order_id=order_id, title=title)


def error_bodies(domain: Domain) -> None:
    """Every declared error answers with a body whose fields agree with the answer."""
    tour = Tour.start(domain)
    api = domain.api
    view = tour.find_order(_paid_customer, "paid customer order")
    order_id = int(view["id"])
    items = _items_of_every_kind(view)[:1]
    quote_body: Body = {"items": items}
    refund_body: Body = {
        "items": items,
        "payments": [{"provider_id": "custom", "amount": Decimal("1.00"), "offline": True}],
        "merchant_calculated_override": {"total_amount": Decimal("1.00"), "total_tax": 0},
    }
    unknown = [{"item_type": "PRODUCT", "item_id": NO_SUCH_ID, "quantity": 1}]
    problems: list[str] = []
    for operation_id, send, body in (
        ("createOrderRefundQuotes", api.quote, {"items": unknown}),
        ("createOrderRefund", api.refund, {"items": unknown, "payments": refund_body["payments"]}),
    ):
        problems += _error(send(order_id, body), operation_id, 422)
        problems += _error(send(NO_SUCH_ID, body), operation_id, 404)
        path = f"/orders/{order_id}/payment_actions/" + (
            "refund_quotes" if operation_id == "createOrderRefundQuotes" else "refunds"
        )
        problems += _error(
            api.send(operation_id, "POST", path, raw=b"{not json"), operation_id, 400
        )
        problems += _error(
            api.send(operation_id, "POST", path, raw=b"{}", headers={"Content-Type": "text/plain"}),
            operation_id,
            415,
        )
        oversized = b'{"items": [' + b" " * (1024 * 1024) + b"]}"
        problems += _error(api.send(operation_id, "POST", path, raw=oversized), operation_id, 413)
    no_token = domain.target.api(None)
    try:
        problems += _error(no_token.quote(order_id, quote_body), "createOrderRefundQuotes", 401)
        problems += _error(no_token.refund(order_id, refund_body), "createOrderRefund", 401)
        problems += _error(no_token.order_refunds(order_id), "getOrderRefunds", 401)
        problems += _error(no_token.refund_by_id(1), "getOrderRefund", 401)
        problems += _error(no_token.all_refunds(), "getOrdersRefunds", 401)
    finally:
        no_token.close()
    if domain.target.read_only_token:
        read_only = domain.target.api(domain.target.read_only_token)
        try:
            problems += _error(
                read_only.quote(order_id, quote_body), "createOrderRefundQuotes", 403
            )
            problems += _error(read_only.refund(order_id, refund_body), "createOrderRefund", 403)
        finally:
            read_only.close()
    guest = tour.find_order(lambda v: bool(v.get("paid")) and bool(v.get("is_guest")), "guest")
    line = _items_of_every_kind(guest)[:1]
    owed = tour.quote(int(guest["id"]), {"items": line})["total_refund_amount"]
    credit = [{"provider_id": "storecredit", "amount": Decimal(str(owed)), "offline": False}]
    problems += _error(
        api.refund(int(guest["id"]), {"items": line, "payments": credit}),
        "createOrderRefund",
        422,
        title=GUEST_STORE_CREDIT,
    )
    two_unknown = [*unknown, {"item_type": "FEE", "item_id": NO_SUCH_ID, "amount": 1}]
    problems += _error(
        api.refund(order_id, {"items": two_unknown, "payments": refund_body["payments"]}),
        "createOrderRefund",
        422,
    )
    problems += _error(api.refund_by_id(NO_SUCH_ID), "getOrderRefund", 404)
    problems += _error(api.order_refunds(NO_SUCH_ID), "getOrderRefunds", 404)
    problems += _error(api.all_refunds(limit="not-a-number"), "getOrdersRefunds", 400)
    problems += _faulted_errors(tour.control, api, order_id, quote_body, refund_body)
    no_problems(problems, "error bodies")


def _faulted_errors(
    control: ControlApi, api: RefundApi, order_id: int, quote_body: Body, refund_body: Body
) -> list[str]:
    """429 and 503, injected through the control API.

    The 429s are sent unpaced: the choke point would otherwise wait out the advertised reset
    and resend, and the tour would see the 2xx that followed instead of the 429 it provoked.
    """
    problems: list[str] = []
    raw = api.unpaced()
    calls: list[tuple[str, Callable[[], httpx.Response]]] = [
        ("createOrderRefundQuotes", lambda: raw.quote(order_id, quote_body)),
        ("createOrderRefund", lambda: raw.refund(order_id, refund_body)),
        ("getOrderRefunds", lambda: raw.order_refunds(order_id)),
        ("getOrderRefund", lambda: raw.refund_by_id(1)),
        ("getOrdersRefunds", lambda: raw.all_refunds()),
    ]
    try:
        for operation_id, send in calls[:2]:
            control.faults({"kind": "tax_service_down", "operations": [operation_id], "count": 1})
            problems += _error(send(), operation_id, 503, order_id)
        for operation_id, send in calls:
            control.faults(
                {
                    "kind": "rate_limited",
                    "operations": [operation_id],
                    "count": 1,
                    "retry_after_ms": 0,
                }
            )
            problems += _error(send(), operation_id, 429)
    finally:
        control.clear_faults()
        raw.close()
    return problems


__all__ = [
    "Tour",
    "declined_payment",
    "error_bodies",
    "quote_checked",
    "reads_list_exactly_what_exists",
    "refund_checked",
    "refunds_of_every_kind",
]
