"""Orders as a real store describes them: Orders V2, V3 transactions and the order's refunds.

A live store has no control API. What the suite needs to know of an order (its refundable
lines, what remains of each, how it was paid, whether the customer is a guest) comes from the
reads every refund integration makes:

* ``GET /v2/orders/{id}``: totals, ``refunded_amount``, ``payment_status``, ``customer_id``;
* ``GET /v2/orders/{id}/products``: product lines (``id`` is the PRODUCT and GIFT_WRAPPING
  item_id), ``quantity``, ``quantity_refunded``, line and wrapping totals;
* ``GET /v2/orders/{id}/shipping_addresses``: addresses (the SHIPPING and HANDLING item_id);
* ``GET /v2/orders/{id}/fees``: fees (the FEE item_id);
* ``GET /v3/orders/{id}/transactions``: the purchase payments (gateway and amount);
* ``GET /v3/orders/{id}/payment_actions/refunds``: what was refunded of each amount line (V2
  does not say how much shipping, handling or fee was refunded) and of each gift wrapping.

The result is the control API's order view format, so :func:`conformance.orders.parse_order`
reads both. The store's tax adjustments are not visible in these reads: ``overcharged_tax`` is 0.
Every answer is validated against BigCommerce's own schemas (``spec/store_reads.py``); a store
whose reads do not match them is reported, not guessed around.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

import httpx

from bigcommerce_refunds.spec import store_reads

__all__ = [
    "Get",
    "StoreOrderSource",
    "StoreReadError",
    "order_view",
    "recent_order_ids",
    "store_orders",
]

#: ``get(path, params)``: one GET relative to the store's root (``/stores/{hash}``).
Get = Callable[[str, Mapping[str, str]], httpx.Response]

_PAID = frozenset({"paid", "captured", "partially refunded", "refunded"})
#: Transactions that say how an order is paid: ``pending`` for an offline payment not yet made.
_PAYMENT_EVENTS = frozenset({"purchase", "capture", "pending"})
_PAGE = 250


class StoreReadError(Exception):
    """A read of the store's orders failed or answered something the schemas do not allow."""


def _dec(value: Any) -> Decimal:
    try:
        return Decimal(str(value)) if value not in (None, "") else Decimal(0)
    except InvalidOperation as error:
        raise StoreReadError(f"not an amount: {value!r}") from error


def _json(get: Get, path: str, read: str, params: Mapping[str, str] | None = None) -> Any:
    """The validated JSON of a 200 (``None`` for V2's empty-list 204)."""
    response = get(path, params or {})
    if response.status_code == 204:
        return None
    if response.status_code != 200:
        raise StoreReadError(f"GET {path}: HTTP {response.status_code} ({response.text[:200]})")
    try:
        body = response.json()
    except ValueError as error:
        raise StoreReadError(f"GET {path}: the answer is not JSON") from error
    problems = store_reads.problems(read, body)
    if problems:
        shown = "; ".join(problems[:5])
        raise StoreReadError(f"GET {path}: does not match BigCommerce's schema: {shown}")
    return body


def _pages(get: Get, path: str, read: str) -> list[Any]:
    """Every entry of a paginated V2 list (a bare array per page; 204 when empty)."""
    entries: list[Any] = []
    page = 1
    while True:
        chunk = _json(get, path, read, {"page": str(page), "limit": str(_PAGE)}) or []
        if not isinstance(chunk, list):
            raise StoreReadError(f"GET {path}: expected a JSON array")
        entries.extend(chunk)
        if len(chunk) < _PAGE:
            return entries
        page += 1


def _refunded(
    refunds: Iterable[Mapping[str, Any]],
) -> tuple[Counter[tuple[str, int]], dict[tuple[str, int], Decimal]]:
    """Quantities and amounts refunded so far, per (item_type, item_id)."""
    quantities: Counter[tuple[str, int]] = Counter()
    amounts: dict[tuple[str, int], Decimal] = {}
    for refund in refunds:
        for item in refund.get("items") or []:
            key = (str(item.get("item_type")), int(item.get("item_id", 0)))
            if item.get("quantity") is not None and key[0] in ("PRODUCT", "GIFT_WRAPPING"):
                quantities[key] += int(item["quantity"])
            elif item.get("requested_amount") is not None:
                amounts[key] = amounts.get(key, Decimal(0)) + _dec(item["requested_amount"])
    return quantities, amounts


def _charge(basis: Decimal, total: Decimal, refunded: Decimal) -> dict[str, Decimal]:
    return {"price": basis, "total": total, "remaining_amount": max(basis - refunded, Decimal(0))}


def _provider(transaction: Mapping[str, Any]) -> str:
    """The refund API's provider_id: ``payment_method_id``'s prefix (``braintree.card``), as
    ``gateway`` is an enum that names some providers only as ``custom``."""
    method = transaction.get("payment_method_id")
    if isinstance(method, str) and method:
        return method.split(".", 1)[0]
    return str(transaction.get("gateway"))


def order_view(get: Get, order_id: int) -> dict[str, Any]:
    """One order in the control API's view format, from the store's own reads."""
    base = f"/v2/orders/{order_id}"
    order = _json(get, base, store_reads.ORDER)
    if not isinstance(order, dict):
        raise StoreReadError(f"GET {base}: expected an order object")
    products = _pages(get, f"{base}/products", store_reads.PRODUCTS)
    addresses = _pages(get, f"{base}/shipping_addresses", store_reads.SHIPPING_ADDRESSES)
    fees_body = _json(get, f"{base}/fees", store_reads.FEES) or {"fees": []}
    transactions = _json(get, f"/v3/orders/{order_id}/transactions", store_reads.TRANSACTIONS)
    refunds_response = get(f"/v3/orders/{order_id}/payment_actions/refunds", {})
    if refunds_response.status_code != 200:
        raise StoreReadError(
            f"GET /v3/orders/{order_id}/payment_actions/refunds: HTTP "
            f"{refunds_response.status_code}"
        )
    refunds = refunds_response.json().get("data") or []
    quantities, amounts = _refunded(refunds)
    inclusive = bool(order.get("is_tax_inclusive_pricing"))

    def basis(ex_tax: Any, inc_tax: Any) -> Decimal:
        return _dec(inc_tax) if inclusive else _dec(ex_tax)

    product_views = []
    for product in products:
        product_id, quantity = int(product["id"]), int(product.get("quantity", 0))
        view: dict[str, Any] = {
            "id": product_id,
            "quantity": quantity,
            "remaining_quantity": quantity - int(product.get("quantity_refunded", 0)),
            "total": _dec(product.get("total_inc_tax")),
            "gift_wrapping": None,
        }
        wrapping_total = _dec(product.get("wrapping_cost_inc_tax"))
        if wrapping_total > 0:
            view["gift_wrapping"] = {
                "quantity": quantity,
                "remaining_quantity": quantity - quantities[("GIFT_WRAPPING", product_id)],
                "total": wrapping_total,
            }
        product_views.append(view)
    address_views = [
        {
            "id": int(address["id"]),
            "shipping": _charge(
                basis(address.get("cost_ex_tax"), address.get("cost_inc_tax")),
                _dec(address.get("cost_inc_tax")),
                amounts.get(("SHIPPING", int(address["id"])), Decimal(0)),
            ),
            "handling": _charge(
                basis(address.get("handling_cost_ex_tax"), address.get("handling_cost_inc_tax")),
                _dec(address.get("handling_cost_inc_tax")),
                amounts.get(("HANDLING", int(address["id"])), Decimal(0)),
            ),
        }
        for address in addresses
    ]
    fee_views = [
        {
            "id": int(fee["id"]),
            **_charge(
                basis(fee.get("cost_ex_tax"), fee.get("cost_inc_tax")),
                _dec(fee.get("cost_inc_tax")),
                amounts.get(("FEE", int(fee["id"])), Decimal(0)),
            ),
        }
        for fee in fees_body.get("fees", [])
    ]
    paid = order.get("payment_status") in _PAID
    payments = [
        entry
        for entry in (transactions or {}).get("data", [])
        if entry.get("event") in _PAYMENT_EVENTS and entry.get("status", "ok") == "ok"
    ]
    purchases = [entry for entry in payments if entry.get("event") != "pending"]
    paid_total = (
        sum((_dec(entry["amount"]) for entry in purchases), Decimal(0)) if paid else Decimal(0)
    )
    refunded = _dec(order.get("refunded_amount"))
    customer_id = int(order.get("customer_id") or 0)
    return {
        "id": int(order["id"]),
        "customer_id": customer_id,
        "is_guest": customer_id == 0,
        "paid": paid,
        "tax_inclusive": inclusive,
        "products": product_views,
        "addresses": address_views,
        "fees": fee_views,
        "payments": [
            {"provider_id": _provider(entry), "amount": _dec(entry.get("amount"))}
            for entry in payments
        ],
        "overcharged_tax": Decimal(0),
        "tax_adjusted": Decimal(0),
        "totals": {"paid": paid_total, "refunded": refunded, "remaining": paid_total - refunded},
    }


def recent_order_ids(get: Get, limit: int) -> list[int]:
    """The ids of the store's ``limit`` most recent orders (``GET /v2/orders?sort=id:desc``)."""
    listed = _json(
        get, "/v2/orders", store_reads.ORDERS, {"sort": "id:desc", "limit": str(limit), "page": "1"}
    )
    return [int(order["id"]) for order in listed or []]


def store_orders(
    get: Get, order_ids: Sequence[int] | None, limit: int = 20
) -> tuple[dict[str, Any], ...]:
    """The orders the suite works with: those named, else the store's most recent ones."""
    ids = list(order_ids) if order_ids else recent_order_ids(get, limit)
    return tuple(order_view(get, order_id) for order_id in ids)


class StoreOrderSource:
    """The orders of a store without a control API, read through its own APIs when first needed.

    Reading an order costs six requests, and a live store's quota is shared with the merchant's
    integrations, so the views are kept; :meth:`invalidate` (called when the run creates a refund
    on an order) makes the next :meth:`views` re-read just that order. A store whose reads fail
    has no order data: the tests that need it skip, and ``problem`` says why.
    """

    def __init__(self, get: Get, order_ids: Sequence[int], recent: int) -> None:
        self._get = get
        self._ids = list(order_ids)
        self._recent = recent
        self._views: dict[int, dict[str, Any]] | None = None
        self._stale: set[int] = set()
        self.problem: str | None = None

    def invalidate(self, order_id: int) -> None:
        self._stale.add(order_id)

    def views(self) -> tuple[dict[str, Any], ...]:
        try:
            if self._views is None:
                ids = self._ids or recent_order_ids(self._get, self._recent)
                self._views = {order_id: order_view(self._get, order_id) for order_id in ids}
            for order_id in sorted(self._stale & set(self._views)):
                self._views[order_id] = order_view(self._get, order_id)
            self._stale.clear()
        except StoreReadError as error:
            self.problem = str(error)
            self._views = {}
        return tuple(self._views.values())
