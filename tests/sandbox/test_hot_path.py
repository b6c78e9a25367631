"""The hot-path optimisations change nothing a client can see.

* Request validation: with jsonschema-rs recognising valid bodies, every body gets the outcome the
  pure-Python validator alone gives (the same payload, or the same 422 errors).
* JSON encoding: the type-dispatched encoder writes exactly the text of the reference encoder.
* Reads: looking refunds up by id or order returns what a scan of the whole ledger returns.
* The fast server setting (httptools on uvloop) serves the same API, drop_connection included.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bigcommerce_refunds.sandbox import payloads
from bigcommerce_refunds.sandbox import served as served_module
from bigcommerce_refunds.sandbox.fixtures import load_fixtures
from bigcommerce_refunds.sandbox.jsonbody import dumps, loads
from bigcommerce_refunds.sandbox.payloads import (
    QUOTE_OPERATION,
    REFUND_OPERATION,
    AmbiguousRefundError,
    SchemaViolationError,
    parse_payload,
)
from bigcommerce_refunds.sandbox.ruleset import STRICT
from bigcommerce_refunds.sandbox.served import fast_available, serve, uvicorn_config
from bigcommerce_refunds.sandbox.store import RefundFilter, RefundRecord, Store
from bigcommerce_refunds.spec.fragment import default_fragment
from tests.sandbox.helpers import FIXED_NOW, sandbox_config
from tests.strategies import request_bodies

OPERATIONS = (REFUND_OPERATION, QUOTE_OPERATION)

# ---------------------------------------------------------------------------------- validation


def _outcome(operation_id: str, body: Any, *, fast: bool) -> Any:
    saved = payloads.FAST_VALIDATION
    payloads.FAST_VALIDATION = fast and saved
    try:
        return ("ok", parse_payload(operation_id, body))
    except SchemaViolationError as error:
        return ("schema", error.errors)
    except AmbiguousRefundError:
        return ("ambiguous",)
    finally:
        payloads.FAST_VALIDATION = saved


def _same_outcome(operation_id: str, body: Any) -> None:
    slow = _outcome(operation_id, body, fast=False)
    fast = _outcome(operation_id, body, fast=True)
    assert fast == slow, (operation_id, body)


_KEYS = [
    "items", "payments", "tax_adjustment_amount", "merchant_calculated_override", "item_type",
    "item_id", "quantity", "amount", "reason", "adjustments", "description", "provider_id",
    "offline", "total_amount", "total_tax",
]  # fmt: skip
_TEXT = st.sampled_from(
    ["PRODUCT", "GIFT_WRAPPING", "SHIPPING", "HANDLING", "TAX", "ORDER", "FEE", "braintree",
     "storecredit", "", "x" * 256, "\ud800", "é😀"]
)  # fmt: skip
_NUMBERS = st.one_of(
    st.integers(-(10**20), 10**20),
    st.sampled_from([0, 1, 201, 10**30, -1]),
    st.decimals(allow_nan=False, allow_infinity=False, places=2),
    st.sampled_from(
        [Decimal("1"), Decimal("1E+2"), Decimal("1.0"), Decimal("-1E-400"), Decimal("1E-400"),
         Decimal("-0.00"), Decimal("1E+400"), Decimal("96.34")]
    ),
    st.floats(allow_nan=False),
)  # fmt: skip
_SCALARS = st.one_of(st.none(), st.booleans(), _NUMBERS, _TEXT)
_VALUES = st.recursive(
    _SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.sampled_from(_KEYS), inner, max_size=5)
    ),
    max_leaves=12,
)
_ITEMS = st.fixed_dictionaries(
    {"item_type": _TEXT, "item_id": _NUMBERS},
    optional={"quantity": _NUMBERS, "amount": _NUMBERS, "reason": _TEXT,
              "adjustments": st.lists(st.fixed_dictionaries(
                  {"amount": _NUMBERS}, optional={"description": _TEXT}), max_size=2)},
)  # fmt: skip
_BODIES = st.one_of(
    st.dictionaries(st.sampled_from(_KEYS), _VALUES, max_size=4),
    st.fixed_dictionaries(
        {"items": st.lists(_ITEMS, max_size=3)},
        optional={
            "payments": st.lists(
                st.fixed_dictionaries(
                    {"provider_id": _TEXT, "amount": _NUMBERS}, optional={"offline": _VALUES}
                ),
                max_size=2,
            ),
            "tax_adjustment_amount": _NUMBERS,
            "merchant_calculated_override": _VALUES,
        },
    ),
    st.fixed_dictionaries({"tax_adjustment_amount": _NUMBERS}, optional={"items": _VALUES}),
)


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(body=_BODIES, operation_id=st.sampled_from(OPERATIONS))
def test_fast_validation_gives_the_pure_python_outcome(body: Any, operation_id: str) -> None:
    _same_outcome(operation_id, body)


@settings(max_examples=60, suppress_health_check=list(HealthCheck), deadline=None)
@given(data=st.data(), operation_id=st.sampled_from(OPERATIONS))
def test_fast_validation_accepts_what_the_fragment_accepts(
    data: st.DataObject, operation_id: str
) -> None:
    body = data.draw(request_bodies(default_fragment(), operation_id))
    _same_outcome(operation_id, body)
    # As the sandbox reads it off the wire: numbers with a fraction become Decimals.
    _same_outcome(operation_id, loads(json.dumps(body).encode()))


@pytest.mark.parametrize(
    "text",
    [
        b'{"items":[{"item_type":"PRODUCT","item_id":201,"quantity":1}],'
        b'"payments":[{"provider_id":"braintree","amount":96.34}]}',
        b'{"items":[{"item_type":"PRODUCT","item_id":201,"quantity":1e0}]}',
        b'{"items":[{"item_type":"PRODUCT","item_id":2.01e2,"quantity":1}]}',
        b'{"items":[{"item_type":"PRODUCT","item_id":201.0,"quantity":1}]}',
        b'{"items":[{"item_type":"SHIPPING","item_id":301,"amount":1e400}]}',
        b'{"items":[{"item_type":"PRODUCT","item_id":201,"quantity":1,'
        b'"adjustments":[{"amount":-1e-400}]}]}',
        b'{"items":[{"item_type":"PRODUCT","item_id":201,"quantity":1,'
        b'"adjustments":[{"amount":0.00}]}]}',
        b'{"items":[{"item_type":"PRODUCT","item_id":' + b"9" * 2000 + b',"quantity":1}]}',
        b'{"items":[{"item_type":"PRODUCT","item_id":201,"quantity":1,"reason":"\\ud800"}]}',
        b'{"items":[{"item_type":"PRODUCT","item_id":201,"quantity":1}],"tax_adjustment_amount":0}',
        b'{"items":[{"item_type":"PRODUCT","item_id":201,"quantity":1}],'
        b'"tax_adjustment_amount":1.5}',
        b'{"tax_adjustment_amount":5.75}',
        b'{"tax_adjustment_amount":"5.75"}',
        b'{"reason":"neither"}',
    ],
)
@pytest.mark.parametrize("operation_id", OPERATIONS)
def test_fast_validation_edge_cases(text: bytes, operation_id: str) -> None:
    _same_outcome(operation_id, loads(text))


def test_valid_bodies_take_the_fast_path() -> None:
    if not payloads.FAST_VALIDATION:
        pytest.skip("jsonschema-rs is not installed")
    body = loads(
        b'{"items":[{"item_type":"PRODUCT","item_id":201,"quantity":1}],'
        b'"payments":[{"provider_id":"braintree","amount":96.34}]}'
    )
    assert payloads._fast_valid(REFUND_OPERATION, True, body)
    assert payloads._fast_valid(QUOTE_OPERATION, False, {"tax_adjustment_amount": Decimal("1.5")})


@pytest.mark.parametrize("operation_id", OPERATIONS)
def test_request_body_schema_is_only_the_two_branches(operation_id: str) -> None:
    """parse_payload skips the whole-body pass after a valid branch: that needs this shape."""
    schema = default_fragment().request_schema(operation_id)
    assert set(schema) <= {"anyOf", "title", "description"}
    assert len(schema["anyOf"]) == 2


# ---------------------------------------------------------------------------------- encoding


def _reference(value: Any, out: list[str]) -> None:
    """The encoder as it was before the hot-path work, kept here as the reference."""
    if isinstance(value, Mapping):
        out.append("{")
        for index, (key, item) in enumerate(value.items()):
            if index:
                out.append(",")
            out.append(json.dumps(str(key)))
            out.append(":")
            _reference(item, out)
        out.append("}")
    elif isinstance(value, Sequence) and not isinstance(value, str | bytes):
        out.append("[")
        for index, item in enumerate(value):
            if index:
                out.append(",")
            _reference(item, out)
        out.append("]")
    elif isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError("cannot encode a non-finite Decimal as JSON")
        out.append(format(value, "f"))
    elif isinstance(value, float):
        raise TypeError("floats are not used for money in the sandbox; use Decimal")
    else:
        out.append(json.dumps(value))


def _reference_dumps(value: Any) -> str:
    out: list[str] = []
    _reference(value, out)
    return "".join(out)


_ENCODABLE = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.decimals(allow_nan=False, allow_infinity=False),
        st.text(),
    ),
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.lists(inner, max_size=3).map(tuple),
        st.dictionaries(st.text(max_size=5), inner, max_size=4),
        st.dictionaries(st.integers(), inner, max_size=2),
    ),
    max_leaves=20,
)


@settings(max_examples=500, deadline=None)
@given(value=_ENCODABLE)
def test_encoder_writes_the_reference_text(value: Any) -> None:
    assert dumps(value) == _reference_dumps(value)


@pytest.mark.parametrize(
    "value", [1.5, Decimal("NaN"), {"a": [Decimal("Infinity")]}, {"a": object()}, b"x"]
)
def test_encoder_refuses_what_the_reference_refuses(value: Any) -> None:
    with pytest.raises((TypeError, ValueError)) as expected:
        _reference_dumps(value)
    with pytest.raises(expected.type):
        dumps(value)


# ---------------------------------------------------------------------------------- reads


def _scan(store: Store, refund_filter: RefundFilter) -> list[RefundRecord]:
    """The reads as they were: every refund, sorted, filtered."""
    ordered = sorted(store.refunds.values(), key=lambda refund: refund.id)
    return [refund for refund in ordered if refund_filter.matches(refund)]


def _refund(store: Store, order_id: int, items: list[Any], *, keep: bool = True) -> None:
    """Refund ``items`` on the order, paid the first way its quote offers."""
    payload = parse_payload(QUOTE_OPERATION, {"items": items})
    method = store.quote(order_id, payload, STRICT)["refund_methods"][0]
    payments = [{"provider_id": o["provider_id"], "amount": o["amount"]} for o in method]
    body = {"items": items, "payments": payments}
    store.create_refund(order_id, parse_payload(REFUND_OPERATION, body), STRICT, keep=keep)


def _store_with_refunds() -> Store:
    store = Store(load_fixtures(None), lambda: FIXED_NOW)
    _refund(store, 100, [{"item_type": "PRODUCT", "item_id": 201, "quantity": 1}])
    tax = parse_payload(REFUND_OPERATION, {"tax_adjustment_amount": Decimal("5.75")})
    store.create_refund(106, tax, STRICT)
    _refund(store, 100, [{"item_type": "SHIPPING", "item_id": 301, "amount": 5}])
    _refund(store, 107, [{"item_type": "PRODUCT", "item_id": 271, "quantity": 1}])
    _refund(store, 100, [{"item_type": "FEE", "item_id": 401, "amount": 1}], keep=False)
    return store


@settings(max_examples=200, deadline=None)
@given(
    refund_ids=st.none() | st.frozensets(st.integers(995, 1010), max_size=6),
    order_ids=st.none() | st.frozensets(st.integers(99, 108), max_size=4),
    transaction_id=st.none() | st.sampled_from(["sbx-100-5000", "sbx-106-5001", "nope"]),
)
def test_indexed_reads_return_what_a_scan_returns(
    refund_ids: frozenset[int] | None,
    order_ids: frozenset[int] | None,
    transaction_id: str | None,
) -> None:
    store = _store_with_refunds()
    refund_filter = RefundFilter(
        order_ids=order_ids, refund_ids=refund_ids, transaction_id=transaction_id
    )
    assert store.find_refunds(refund_filter) == _scan(store, refund_filter)


def test_declines_settle_once_and_reset_forgets_them() -> None:
    store = _store_with_refunds()
    declining = [r for r in store.refunds.values() if r.order_id == 107]
    assert [p.is_declined for r in declining for p in r.payments] == [False]
    store.settle_declines()
    assert [p.is_declined for r in declining for p in r.payments] == [True]
    store.reset()
    store.settle_declines()
    assert store.find_refunds(RefundFilter(order_ids=frozenset({107}))) == []


# ---------------------------------------------------------------------------------- fast server


needs_fast = pytest.mark.skipif(not fast_available(), reason="uvloop/httptools not installed")


@needs_fast
def test_default_server_setting_is_httptools_on_uvloop_where_installed() -> None:
    config = uvicorn_config(None, "127.0.0.1", 0, "warning")  # type: ignore[arg-type]
    assert config.loop == "uvloop"
    assert "HttpTools" in getattr(config.http, "__name__", "")


def test_default_server_setting_falls_back_to_h11_without_them(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(served_module, "fast_available", lambda: False)
    config = uvicorn_config(None, "127.0.0.1", 0, "warning")  # type: ignore[arg-type]
    assert config.loop == "asyncio"
    assert "H11" in getattr(config.http, "__name__", "")


def test_h11_can_be_chosen_where_the_fast_setting_is_installed() -> None:
    config = uvicorn_config(None, "127.0.0.1", 0, "warning", fast=False)  # type: ignore[arg-type]
    assert config.loop == "asyncio"  # named: installing uvloop does not switch it
    assert "H11" in getattr(config.http, "__name__", "")


def test_fast_setting_insists(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(served_module, "fast_available", lambda: False)
    with pytest.raises(RuntimeError, match="uvloop and httptools"):
        uvicorn_config(None, "127.0.0.1", 0, "warning", fast=True)  # type: ignore[arg-type]


# Both server settings serve the same API: the h11 fallback is not left to rot while the default
# is the compiled stack.
SERVER_SETTINGS = [
    pytest.param(True, marks=needs_fast, id="httptools-uvloop"),
    pytest.param(False, id="h11-asyncio"),
]


@pytest.mark.parametrize("fast", SERVER_SETTINGS)
def test_both_server_settings_serve_the_same_api_and_drop_connections(fast: bool) -> None:
    with serve(sandbox_config(), fast=fast) as served:
        headers = {"X-Auth-Token": served.token}
        with httpx.Client(base_url=served.base_url, headers=headers, timeout=10) as client:
            created = client.post(
                "/orders/106/payment_actions/refunds", json={"tax_adjustment_amount": 5.75}
            )
            assert created.status_code == 201
            assert "x-rate-limit-requests-left" in created.headers
            refund_id = created.json()["data"]["id"]
            read = client.get(f"/orders/payment_actions/refunds/{refund_id}")
            assert read.json()["data"] == created.json()["data"]
            assert client.get("/orders/999999/payment_actions/refunds").status_code == 404
            assert client.get(f"/orders/payment_actions/refunds/{refund_id}%0A").status_code == 404
            invalid = client.post(
                "/orders/106/payment_actions/refunds",
                json={"items": [{"item_type": "PRODUCT", "item_id": 1, "quantity": "one"}]},
            )
            assert invalid.status_code == 422
            assert invalid.json()["data"][0]["errors"]["items[0].quantity"] == (
                "'one' is not of type 'integer'"
            )
            rebound = client.get(
                "/orders/payment_actions/refunds", headers={"Host": "rebind.evil.example"}
            )
            assert rebound.status_code == 400
            served.sandbox.faults.add({"kind": "drop_connection", "count": 1})
            with pytest.raises(httpx.TransportError):
                client.get("/orders/payment_actions/refunds")
            assert client.get("/orders/payment_actions/refunds").status_code == 200


def test_launcher_explains_a_missing_fast_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    from bigcommerce_refunds.sandbox import launcher

    monkeypatch.setattr(launcher, "fast_available", lambda: False)
    assert launcher.main(["--fast", "--port", "0"]) == 2


@needs_fast
def test_launcher_fast_flag_is_in_its_help() -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "bigcommerce_refunds.sandbox", "--help"],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert "--fast" in completed.stdout
    assert "--h11" in completed.stdout
