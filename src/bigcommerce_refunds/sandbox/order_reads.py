"""The order reads an integration makes before refunding, in BigCommerce's own shapes.

Orders V2 (``GET /stores/{hash}/v2/orders``, ``/v2/orders/{id}``, ``/products``,
``/shipping_addresses``, ``/fees``) and V3 ``GET /v3/orders/{id}/transactions`` are how a real
store describes its orders: which product lines, addresses and fees an order has (their ids are
the refund API's ``item_id``), how much of each was refunded, and how it was paid. Served here
from the same store as the refund API, behind the same gateway (auth, rate limits, faults do not
apply), so a client or the conformance suite can treat the sandbox exactly like a store whose
control API it cannot see (``--no-control``).

Shapes follow ``openapi/upstream/orders.v2.oas2.yml`` and ``orders.v3.yml``: V2 amounts are
strings with four decimals, V2 dates RFC 2822, V2 lists bare JSON arrays (an empty list is a
204 with no body, as V2 answers), V3 transactions an enveloped list. The fees read answers
``{"fees": [...]}`` as upstream's example does (its schema describes one fee object; see
ARCHITECTURE.md). Fields the sandbox does not model (addresses, IPs, coupons...) carry fixed,
type-correct values. The refunded amounts and quantities move with every refund.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from decimal import Decimal
from email.utils import format_datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from bigcommerce_refunds.sandbox.errors import ApiError, JsonResponse, error_response
from bigcommerce_refunds.sandbox.orders import Order
from bigcommerce_refunds.sandbox.requestio import pagination, positive_id
from bigcommerce_refunds.sandbox.state import Sandbox
from bigcommerce_refunds.sandbox.store import RefundRecord

__all__ = [
    "V2",
    "V3_TRANSACTIONS",
    "order_reads",
    "v2_fees",
    "v2_order",
    "v2_products",
    "v2_shipping_addresses",
    "v3_transactions",
]

V2 = "/stores/{store_hash}/v2/orders"
V3_TRANSACTIONS = "/stores/{store_hash}/v3/orders/{order_id}/transactions"

_FOUR = Decimal("0.0001")
#: BigCommerce's order status ids for the statuses the sandbox's orders take.
_STATUS_IDS = {
    "Awaiting Payment": 7,
    "Awaiting Fulfillment": 11,
    "Refunded": 4,
    "Partially Refunded": 14,
}
#: The V3 transaction ``gateway`` enum; other providers are reported as ``custom``.
_GATEWAYS = frozenset(
    {
        "2checkout",
        "adyen",
        "amazon",
        "authorizenet",
        "bankdeposit",
        "braintree",
        "cheque",
        "cod",
        "custom",
        "firstdatagge4",
        "giftcertificate",
        "hps",
        "instore",
        "klarna",
        "migs",
        "moneyorder",
        "nmi",
        "paypalexpress",
        "paypalpaymentsprous",
        "paypalpaymentsprouk",
        "plugnpay",
        "qbmsv2",
        "securenet",
        "square",
        "storecredit",
        "stripe",
        "testgateway",
        "usaepay",
    }
)
_OFFLINE_GATEWAYS = frozenset({"bankdeposit", "cheque", "cod", "instore", "moneyorder"})
_SORT_KEYS = frozenset({"id", "date_created", "date_modified", "customer_id", "status_id"})


def _money(value: Decimal) -> str:
    """A V2 amount: a string with four decimals (``'12.3000'``)."""
    return str(value.quantize(_FOUR))


def _rfc2822(iso: str) -> str:
    return format_datetime(datetime.fromisoformat(iso))


def _store_url(request: Request, path: str) -> str:
    return f"{request.url.scheme}://{request.url.netloc}{path}"


def _resource(request: Request, store_hash: str, path: str) -> dict[str, str]:
    return {"url": _store_url(request, f"/stores/{store_hash}/v2{path}"), "resource": path}


def _address(order: Order, number: int) -> dict[str, str]:
    """A placeholder postal address: the sandbox does not model customers."""
    return {
        "first_name": "Sandbox",
        "last_name": "Customer" if order.customer_id else "Guest",
        "company": "",
        "street_1": f"{number} Loopback Way",
        "street_2": "",
        "city": "Austin",
        "state": "Texas",
        "zip": "78701",
        "country": "United States",
        "country_iso2": "US",
        "phone": "",
        "email": f"customer{order.customer_id}@sandbox.invalid",
    }


def v2_order(order: Order, request: Request, store_hash: str) -> dict[str, Any]:
    """``GET /v2/orders/{id}``: the order and its totals, tax split out, refunds included."""
    products = [product.line for product in order.products.values()]
    wrappings = [p.wrapping for p in order.products.values() if p.wrapping is not None]
    shipping = [address.shipping for address in order.addresses.values()]
    handling = [address.handling for address in order.addresses.values()]

    def gross(lines: list[Any]) -> Decimal:
        return sum((line.gross for line in lines), Decimal(0))

    def tax(lines: list[Any]) -> Decimal:
        return sum((line.tax for line in lines), Decimal(0))

    first = order.payments[0] if order.payments else None
    store_credit = sum(
        (p.amount for p in order.payments if p.provider_id == "storecredit"), Decimal(0)
    )
    created = _rfc2822(order.created)
    status = order.status
    return {
        "id": order.id,
        "customer_id": order.customer_id,
        "date_created": created,
        "date_modified": created,
        "date_shipped": "",
        "cart_id": "",
        "status_id": _STATUS_IDS.get(status, 0),
        "status": status,
        "subtotal_ex_tax": _money(gross(products) - tax(products)),
        "subtotal_inc_tax": _money(gross(products)),
        "subtotal_tax": _money(tax(products)),
        "base_shipping_cost": _money(gross(shipping) - tax(shipping)),
        "shipping_cost_ex_tax": _money(gross(shipping) - tax(shipping)),
        "shipping_cost_inc_tax": _money(gross(shipping)),
        "shipping_cost_tax": _money(tax(shipping)),
        "shipping_cost_tax_class_id": 0,
        "base_handling_cost": _money(gross(handling) - tax(handling)),
        "handling_cost_ex_tax": _money(gross(handling) - tax(handling)),
        "handling_cost_inc_tax": _money(gross(handling)),
        "handling_cost_tax": _money(tax(handling)),
        "handling_cost_tax_class_id": 0,
        "base_wrapping_cost": _money(gross(wrappings) - tax(wrappings)),
        "wrapping_cost_ex_tax": _money(gross(wrappings) - tax(wrappings)),
        "wrapping_cost_inc_tax": _money(gross(wrappings)),
        "wrapping_cost_tax": _money(tax(wrappings)),
        "wrapping_cost_tax_class_id": 0,
        "total_ex_tax": _money(order.total - order.total_tax),
        "total_inc_tax": _money(order.total),
        "total_tax": _money(order.total_tax),
        "items_total": sum(line.quantity for line in products),
        "items_shipped": 0,
        "payment_method": first.provider_description if first is not None else "",
        "payment_provider_id": "",
        "payment_status": ("partially refunded" if order.refunded_total else "paid")
        if order.paid and order.remaining > 0
        else ("refunded" if order.paid else "pending"),
        "refunded_amount": _money(order.refunded_total),
        "order_is_digital": False,
        "store_credit_amount": _money(store_credit),
        "gift_certificate_amount": _money(Decimal(0)),
        "ip_address": "127.0.0.1",
        "ip_address_v6": "",
        "geoip_country": "United States",
        "geoip_country_iso2": "US",
        "currency_id": 1,
        "currency_code": order.currency_code,
        "currency_exchange_rate": "1.0000000000",
        "default_currency_id": 1,
        "default_currency_code": order.currency_code,
        "store_default_currency_code": order.currency_code,
        "store_default_to_transactional_exchange_rate": "1.0000000000",
        "staff_notes": "",
        "customer_message": "",
        "discount_amount": _money(Decimal(0)),
        "coupon_discount": _money(Decimal(0)),
        "shipping_address_count": len(order.addresses),
        "is_deleted": False,
        "is_tax_inclusive_pricing": order.tax_inclusive,
        "is_email_opt_in": False,
        "ebay_order_id": "0",
        "order_source": "external",
        "channel_id": 1,
        "external_source": None,
        "external_id": None,
        "external_merchant_id": None,
        "tax_provider_id": "BasicTaxProvider",
        "customer_locale": "en",
        "external_order_id": "",
        "billing_address": {**_address(order, 1), "form_fields": []},
        "products": _resource(request, store_hash, f"/orders/{order.id}/products"),
        "shipping_addresses": _resource(
            request, store_hash, f"/orders/{order.id}/shipping_addresses"
        ),
        "coupons": _resource(request, store_hash, f"/orders/{order.id}/coupons"),
        "fees": _resource(request, store_hash, f"/orders/{order.id}/fees"),
    }


def v2_products(order: Order) -> list[dict[str, Any]]:
    """``GET /v2/orders/{id}/products``: ``id`` is the refund API's PRODUCT item_id."""
    first_address = next(iter(order.addresses), 0)
    entries = []
    for product in order.products.values():
        line = product.line
        unit_tax = line.unit_tax
        unit_gross = line.unit_gross
        entry: dict[str, Any] = {
            "id": product.id,
            "order_id": order.id,
            "product_id": product.id,
            "variant_id": product.id,
            "order_address_id": first_address,
            "name": product.name,
            "name_customer": product.name,
            "name_merchant": product.name,
            "sku": product.sku,
            "upc": "",
            "type": "physical",
            "base_price": _money(unit_gross - unit_tax),
            "price_ex_tax": _money(unit_gross - unit_tax),
            "price_inc_tax": _money(unit_gross),
            "price_tax": _money(unit_tax),
            "base_total": _money(line.gross - line.tax),
            "total_ex_tax": _money(line.gross - line.tax),
            "total_inc_tax": _money(line.gross),
            "total_tax": _money(line.tax),
            "discounted_total_inc_tax": _money(line.gross),
            "quantity": line.quantity,
            "quantity_shipped": 0,
            "quantity_refunded": line.refunded_quantity,
            "is_refunded": line.refunded_quantity >= line.quantity,
            "refund_amount": _money(line.refunded_gross),
            "return_id": 0,
            "base_cost_price": _money(Decimal(0)),
            "cost_price_inc_tax": _money(Decimal(0)),
            "cost_price_ex_tax": _money(Decimal(0)),
            "cost_price_tax": _money(Decimal(0)),
            "weight": "1.0000",
            "width": "0.0000",
            "height": "0.0000",
            "depth": "0.0000",
            "fixed_shipping_cost": _money(Decimal(0)),
            "is_bundled_product": False,
            "bin_picking_number": "",
            "brand": "",
            "applied_discounts": [],
            "product_options": [],
            "configurable_fields": [],
            "event_name": None,
            "event_date": None,
            "external_id": None,
            "option_set_id": None,
            "parent_order_product_id": None,
            "gift_certificate_id": None,
            "ebay_item_id": "",
            "ebay_transaction_id": "",
        }
        wrapping = product.wrapping
        if wrapping is None:
            entry.update(
                {
                    "wrapping_id": 0,
                    "wrapping_name": None,
                    "base_wrapping_cost": _money(Decimal(0)),
                    "wrapping_cost_ex_tax": _money(Decimal(0)),
                    "wrapping_cost_inc_tax": _money(Decimal(0)),
                    "wrapping_cost_tax": _money(Decimal(0)),
                    "wrapping_message": "",
                }
            )
        else:
            entry.update(
                {
                    "wrapping_id": product.id,
                    "wrapping_name": "Gift wrapping",
                    "base_wrapping_cost": _money(wrapping.gross - wrapping.tax),
                    "wrapping_cost_ex_tax": _money(wrapping.gross - wrapping.tax),
                    "wrapping_cost_inc_tax": _money(wrapping.gross),
                    "wrapping_cost_tax": _money(wrapping.tax),
                    "wrapping_message": "",
                }
            )
        entries.append(entry)
    return entries


def v2_shipping_addresses(order: Order, request: Request, store_hash: str) -> list[dict[str, Any]]:
    """``GET /v2/orders/{id}/shipping_addresses``: ``id`` is the SHIPPING/HANDLING item_id."""
    items = sum(product.line.quantity for product in order.products.values())
    entries = []
    for index, address in enumerate(order.addresses.values()):
        ship, handle = address.shipping, address.handling
        entries.append(
            {
                "id": address.id,
                "order_id": order.id,
                **_address(order, address.id),
                "items_total": items if index == 0 else 0,
                "items_shipped": 0,
                "shipping_method": "Flat Rate",
                "base_cost": _money(ship.gross - ship.tax),
                "cost_ex_tax": _money(ship.gross - ship.tax),
                "cost_inc_tax": _money(ship.gross),
                "cost_tax": _money(ship.tax),
                "cost_tax_class_id": 0,
                "base_handling_cost": _money(handle.gross - handle.tax),
                "handling_cost_ex_tax": _money(handle.gross - handle.tax),
                "handling_cost_inc_tax": _money(handle.gross),
                "handling_cost_tax": _money(handle.tax),
                "handling_cost_tax_class_id": 0,
                "shipping_zone_id": 1,
                "shipping_zone_name": "United States",
                "form_fields": [],
                "shipping_quotes": _resource(
                    request,
                    store_hash,
                    f"/orders/{order.id}/shipping_addresses/{address.id}/shipping_quotes",
                ),
            }
        )
    return entries


def v2_fees(order: Order) -> dict[str, Any]:
    """``GET /v2/orders/{id}/fees``: ``id`` is the FEE item_id."""
    return {
        "fees": [
            {
                "id": fee.id,
                "type": "custom_fee",
                "display_name_customer": fee.name,
                "display_name_merchant": fee.name,
                "source": "sandbox",
                "base_cost": _money(fee.line.gross - fee.line.tax),
                "cost_ex_tax": _money(fee.line.gross - fee.line.tax),
                "cost_inc_tax": _money(fee.line.gross),
                "cost_tax": _money(fee.line.tax),
                "tax_class_id": None,
            }
            for fee in order.fees.values()
        ]
    }


def _transaction(
    transaction_id: int,
    order: Order,
    event: str,
    provider_id: str,
    amount: Decimal,
    created: datetime | str,
    reference: str,
    ok: bool = True,
) -> dict[str, Any]:
    gateway = provider_id if provider_id in _GATEWAYS else "custom"
    if gateway == "storecredit":
        method = "store_credit"
    elif gateway in _OFFLINE_GATEWAYS:
        method = "offline"
    elif gateway == "custom":
        method = "custom"
    else:
        method = "credit_card"
    moment = created if isinstance(created, str) else created.isoformat()
    return {
        "id": transaction_id,
        "order_id": str(order.id),
        "event": event,
        "method": method,
        "amount": amount,
        "currency": order.currency_code,
        "gateway": gateway,
        "gateway_transaction_id": reference,
        # The refund API's provider_id, which the gateway enum cannot always name.
        "payment_method_id": f"{provider_id}.{method}",
        "date_created": moment,
        "test": True,
        "status": "ok" if ok else "error",
        "fraud_review": False,
        "offline": None,
        "custom": None,
    }


def v3_transactions(order: Order, refunds: list[RefundRecord]) -> list[dict[str, Any]]:
    """The order's payments and every refund payment (``refund``), in order.

    A paid order's payments are ``purchase`` transactions; an unpaid one's are ``pending`` (an
    offline payment not yet received).
    """
    entries: list[dict[str, Any]] = []
    for index, payment in enumerate(order.payments, start=1):
        entries.append(
            _transaction(
                order.id * 100 + index,
                order,
                "purchase" if order.paid else "pending",
                payment.provider_id,
                payment.amount,
                order.created,
                f"purchase-{order.id}-{index}",
            )
        )
    next_id = order.id * 100 + len(order.payments) + 1
    for refund in refunds:
        for paid_back in refund.payments:
            entries.append(
                _transaction(
                    next_id,
                    order,
                    "refund",
                    paid_back.provider_id,
                    paid_back.amount,
                    refund.created_at,
                    paid_back.transaction_id,
                    ok=not paid_back.is_declined,
                )
            )
            next_id += 1
    return entries


# ----------------------------------------------------------------------------------- endpoints


def _sandbox(request: Request) -> Sandbox:
    sandbox: Sandbox = request.app.state.sandbox
    return sandbox


def _not_found(title: str) -> ApiError:
    return ApiError(error_response(404, title))


def _order(request: Request) -> tuple[Sandbox, Order]:
    sandbox = _sandbox(request)
    if request.path_params["store_hash"] != sandbox.config.store_hash:
        raise _not_found("Store not found.")
    order_id = positive_id(request.path_params["order_id"])
    if order_id is None:
        raise _not_found("Order not found.")
    with sandbox.store.lock:
        order = sandbox.store.orders.get(order_id)
    if order is None:
        raise _not_found("Order not found.")
    return sandbox, order


def _list(entries: list[Any]) -> Response:
    """A V2 list: a JSON array, or 204 with no body when it is empty."""
    if not entries:
        return Response(status_code=204)
    return JsonResponse(entries)


async def get_order(request: Request) -> Response:
    sandbox, order = _order(request)
    with sandbox.store.lock:
        return JsonResponse(v2_order(order, request, sandbox.config.store_hash))


async def get_order_products(request: Request) -> Response:
    sandbox, order = _order(request)
    page, limit = pagination(request)
    with sandbox.store.lock:
        entries = v2_products(order)
    return _list(entries[(page - 1) * limit : page * limit])


async def get_order_shipping_addresses(request: Request) -> Response:
    sandbox, order = _order(request)
    page, limit = pagination(request)
    with sandbox.store.lock:
        entries = v2_shipping_addresses(order, request, sandbox.config.store_hash)
    return _list(entries[(page - 1) * limit : page * limit])


async def get_order_fees(request: Request) -> Response:
    sandbox, order = _order(request)
    with sandbox.store.lock:
        return JsonResponse(v2_fees(order))


def _sort(request: Request) -> tuple[str, bool]:
    raw = request.query_params.get("sort", "id")
    key, _, direction = raw.partition(":")
    if key not in _SORT_KEYS or direction not in ("", "asc", "desc"):
        raise ApiError(
            error_response(
                400,
                "Invalid sort.",
                {"sort": f"one of {', '.join(sorted(_SORT_KEYS))}, optionally :asc or :desc"},
            )
        )
    return key, direction == "desc"


def _id_bound(request: Request, name: str) -> int | None:
    raw = request.query_params.get(name)
    if raw is None:
        return None
    value = positive_id(raw)
    if value is None:
        raise ApiError(error_response(400, f"Invalid {name}.", {name: "a positive integer"}))
    return value


async def get_orders(request: Request) -> Response:
    sandbox = _sandbox(request)
    if request.path_params["store_hash"] != sandbox.config.store_hash:
        raise _not_found("Store not found.")
    key, descending = _sort(request)
    page, limit = pagination(request)
    low, high = _id_bound(request, "min_id"), _id_bound(request, "max_id")
    with sandbox.store.lock:
        orders = [
            order
            for order in sandbox.store.orders.values()
            if (low is None or order.id >= low) and (high is None or order.id <= high)
        ]
        orders.sort(key=lambda order: _sort_value(order, key), reverse=descending)
        chunk = orders[(page - 1) * limit : page * limit]
        entries = [v2_order(order, request, sandbox.config.store_hash) for order in chunk]
    return _list(entries)


def _sort_value(order: Order, key: str) -> Any:
    if key in ("date_created", "date_modified"):
        return (order.created, order.id)
    if key == "customer_id":
        return (order.customer_id, order.id)
    if key == "status_id":
        return (_STATUS_IDS.get(order.status, 0), order.id)
    return order.id


async def get_order_transactions(request: Request) -> Response:
    sandbox, order = _order(request)
    page, limit = pagination(request)
    sandbox.store.settle_declines()
    with sandbox.store.lock:
        refunds = sorted(
            (r for r in sandbox.store.refunds.values() if r.order_id == order.id),
            key=lambda refund: refund.id,
        )
        entries = v3_transactions(order, refunds)
    chunk = entries[(page - 1) * limit : page * limit]
    meta = {
        "pagination": {
            "total": len(entries),
            "count": len(chunk),
            "per_page": limit,
            "current_page": page,
            "total_pages": max(1, -(-len(entries) // limit)),
        }
    }
    return JsonResponse({"data": chunk, "meta": meta})


def order_reads() -> Iterator[tuple[str, Any]]:
    """(path, endpoint) of every order read, for the app's routes."""
    yield V2, get_orders
    yield V2 + "/{order_id}", get_order
    yield V2 + "/{order_id}/products", get_order_products
    yield V2 + "/{order_id}/shipping_addresses", get_order_shipping_addresses
    yield V2 + "/{order_id}/fees", get_order_fees
    yield V3_TRANSACTIONS, get_order_transactions
