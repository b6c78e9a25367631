"""Input the sandbox used to read too kindly: each case here was accepted and is now refused.

* Paths end where they end: ``$`` in a regex also matches before a final newline, so
  ``/refunds/1000%0A`` was refund 1000 and a POST to ``/orders/106%0A/...`` recorded a refund.
* Integers are ASCII digits with an optional minus sign: ``int()`` also takes " 5", "+5", "5_0"
  and Arabic-Indic five (query filters, the Content-Length header, the launcher's options).
* Date-time filters and order ``created`` values are RFC 3339 with an offset, not whatever
  ``datetime.fromisoformat`` reads (``2020-01-01``, ``20200101``, ``2020-W01-1``, no offset).

Sub-cent amounts (issue item 3) are in test_money_precision.py.
"""

from __future__ import annotations

import asyncio
from collections.abc import MutableMapping
from decimal import Decimal
from typing import Any

import pytest
from starlette.applications import Starlette

from bigcommerce_refunds.sandbox import SandboxConfig, launcher
from tests.sandbox.helpers import BASE, Api

ALL = f"{BASE}/orders/payment_actions/refunds"

# ---------------------------------------------------------------------------------- item 1: paths


@pytest.mark.parametrize("suffix", ["%0A", "%0D%0A", "%0A%0A", "%0B", "%20", "%09"])
def test_a_refund_id_with_trailing_whitespace_is_404(api: Api, suffix: str) -> None:
    reply = api.call("GET", f"{ALL}/1000{suffix}")

    assert reply.status == 404


def test_a_post_to_an_order_id_with_a_trailing_newline_is_404_and_records_nothing(
    api: Api,
) -> None:
    before = api.state()

    refund = api.call(
        "POST",
        f"{BASE}/orders/106%0A/payment_actions/refunds",
        json={"tax_adjustment_amount": 5.75},
    )
    quote = api.call(
        "POST",
        f"{BASE}/orders/106%0A/payment_actions/refund_quotes",
        json={"tax_adjustment_amount": 5.75},
    )
    listed = api.call("GET", f"{BASE}/orders/105%0A/payment_actions/refunds")

    assert (refund.status, quote.status, listed.status) == (404, 404, 404)
    assert api.state() == before
    # The same request without the newline is the documented 201: the path was the only problem.
    assert api.refund(106, {"tax_adjustment_amount": Decimal("5.75")}).status == 201


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", f"{ALL}%0A"),
        ("GET", f"{BASE}/orders/105/payment_actions/refunds%0A"),
        ("POST", f"{BASE}/orders/106/payment_actions/refunds%0A"),
        ("POST", "/__sandbox/reset%0A"),
        ("GET", "/__sandbox/orders/100%0A"),
        ("GET", "/__sandbox/orders%0A"),
    ],
)
def test_no_route_matches_a_path_with_a_trailing_newline(api: Api, method: str, path: str) -> None:
    api.refund(100, {"items": [{"item_type": "FEE", "item_id": 401, "amount": 1}]})
    before = api.state()

    response = api.raw(method, path, json={"tax_adjustment_amount": Decimal("5.75")})

    assert response.status_code == 404, response.text
    assert response.json()["status"] == 404
    assert api.state() == before


# ------------------------------------------------------------------------------- item 1: integers


@pytest.mark.parametrize(
    "query",
    [
        "page=%205",
        "page=5%20",
        "page=%2B5",
        "page=5_0",
        "page=%D9%A5",  # U+0665, an Arabic-Indic five
        "page=5%0A",
        "limit=%2B10",
        "limit=%0A10",
        "id:in=%2B1000",
        "id:in=1000,%201001",
        "id:in=1_000",
        "order_id:in=%D9%A1%D9%A0%D9%A5",  # 105 in Arabic-Indic digits
        "order_id:in=105%0A",
        "order_id:in=%20",
    ],
)
def test_query_integers_are_ascii_digits_with_an_optional_minus(api: Api, query: str) -> None:
    reply = api.call("GET", f"{ALL}?{query}")

    assert reply.status == 400, reply.body
    assert reply.body["title"].startswith("Invalid value for")


@pytest.mark.parametrize("query", ["page=-5", "id:in=-1000,1001", "order_id:in=0105", "limit=07"])
def test_plain_integers_are_still_accepted(api: Api, query: str) -> None:
    assert api.call("GET", f"{ALL}?{query}").status == 200


def _raw_post(app: Starlette, headers: list[tuple[bytes, bytes]], body: bytes) -> tuple[int, bytes]:
    """A POST straight into the ASGI app, headers exactly as given (httpx would fix them)."""
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message: MutableMapping[str, Any]) -> None:
        sent.append(dict(message))

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": f"{BASE}/orders/106/payment_actions/refunds",
        "raw_path": f"{BASE}/orders/106/payment_actions/refunds".encode(),
        "root_path": "",
        "query_string": b"",
        "headers": headers,
        "client": ("127.0.0.1", 5000),
        "server": ("127.0.0.1", 80),
    }
    asyncio.run(app(scope, receive, send))
    status: int = sent[0]["status"]
    return status, b"".join(message.get("body", b"") for message in sent[1:])


@pytest.mark.parametrize(
    "length",
    # ASGI servers hand header bytes over as they came; the sandbox reads them as latin-1, where
    # b"\xb2" is "²": str.isdigit() said yes and int() raised (a 500), as for 5,000 digits.
    [b"\xb2", b"\xb3\xb9", "٣١".encode(), b"9" * 5000],
)
def test_an_odd_content_length_is_no_server_error(app: Starlette, length: bytes) -> None:
    body = b'{"tax_adjustment_amount": 5.75}'
    headers = [
        (b"content-type", b"application/json"),
        (b"x-auth-token", b"sandbox-token"),
        (b"content-length", length),
    ]

    status, text = _raw_post(app, headers, body)

    assert status < 500, text


def test_a_store_hash_with_a_trailing_newline_is_refused() -> None:
    with pytest.raises(ValueError, match="store_hash"):
        SandboxConfig(store_hash="sandbox\n")


@pytest.mark.parametrize(
    "argv",
    [
        ["--port", " 4015"],
        ["--port", "+4015"],
        ["--port", "40_15"],
        ["--port", "٤٠١٥"],
        ["--port", "4015\n"],
        ["--port", "70000"],
        ["--port", "-1"],
        ["--rate-limit", "1_000"],
        ["--rate-limit", "0"],
        ["--rate-limit-window-ms", " 100"],
        ["--seed", "+1"],
    ],
)
def test_launcher_numbers_are_plain_integers(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        launcher._parser().parse_args(argv)  # the parser only: nothing is started

    assert exit_info.value.code == 2
    error = capsys.readouterr().err
    assert f"argument {argv[0]}" in error
    assert "is not an integer" in error or "out of range" in error


# ---------------------------------------------------------------------------------- item 2: dates


@pytest.mark.parametrize(
    "value",
    [
        "2020-01-01",
        "20200101",
        "2020-W01-1",
        "2020-01-01T00:00:00",
        "2020-01-01T00:00",
        "2020-01-01T00:00Z",
        "2020-01-01%2000:00:00Z",
        "2020-01-01T00:00:00%2B0100",
        "2020-01-01T00:00:00.Z",
        "2020-01-01T24:00:00Z",
        "2020-02-30T00:00:00Z",
        "2020-01-01T00:00:00%2B24:00",
        "2020-01-01T00:00:00Z%0A",
        "%202020-01-01T00:00:00Z",
        "%D9%A2020-01-01T00:00:00Z",
        "0000-01-01T00:00:00Z",
    ],
)
@pytest.mark.parametrize("name", ["created:min", "created:max"])
def test_date_filters_that_are_not_rfc3339_are_400(api: Api, name: str, value: str) -> None:
    reply = api.call("GET", f"{ALL}?{name}={value}")

    assert reply.status == 400, reply.body
    assert "RFC 3339" in reply.body["errors"][name]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-11-20T09:32:00Z", [1001]),
        ("2026-11-20t09:32:00z", [1001]),
        ("2026-11-20T10:32:00.000000001%2B01:00", [1001]),
        ("2026-11-20T10:32:00 01:00", [1001]),  # an unencoded "+", as curl sends it
        ("2016-12-31T23:59:60Z", [1000, 1001]),  # a leap second
    ],
)
def test_rfc3339_date_filters_are_accepted(api: Api, value: str, expected: list[int]) -> None:
    reply = api.call("GET", f"{ALL}?created:min={value}")

    assert reply.status == 200
    assert [refund["id"] for refund in reply.data] == expected


def test_parse_datetime_reads_offsets_and_fractions() -> None:
    from bigcommerce_refunds.sandbox.rfc3339 import parse_datetime  # new module: imported here

    parsed = parse_datetime("2026-11-20T10:35:00.1234567-05:30")
    assert parsed.isoformat() == "2026-11-20T10:35:00.123456-05:30"


@pytest.mark.parametrize("created", ["2026-11-01", "2026-11-01T10:00:00", "20261101T100000Z"])
def test_order_descriptions_need_rfc3339_created(api: Api, created: str) -> None:
    description = {
        "customer_id": 1,
        "created": created,
        "products": [{"quantity": 1, "unit_price": 10}],
        "payments": [{"provider_id": "braintree"}],
    }

    reply = api.call("POST", "/__sandbox/orders", json=description)

    assert reply.status == 422
    assert "RFC 3339" in reply.body["errors"]["$.created"]
