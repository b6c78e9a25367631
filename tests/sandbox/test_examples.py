"""The Create Refund page's example, end to end, in-process and over loopback HTTP (and curl)."""

from __future__ import annotations

import shutil
import subprocess
from decimal import Decimal

import httpx
import pytest

from bigcommerce_refunds.sandbox import ServedSandbox
from tests.sandbox.helpers import Api, conformance_problems, operation_for, parse

# The request of https://developer.bigcommerce.com/.../payment-actions#create-refund
PAGE_BODY = '{\n"tax_adjustment_amount": 5.75\n}'
PAGE_EXAMPLE_KEYS = {
    "id",
    "order_id",
    "user_id",
    "created",
    "reason",
    "total_amount",
    "total_tax",
    "uses_merchant_override_values",
    "items",
    "payments",
}
PAGE_PAYMENT_KEYS = {
    "id",
    "provider_id",
    "amount",
    "offline",
    "is_declined",
    "declined_message",
    "transaction_id",
}


def assert_page_shaped(body: dict[str, object]) -> None:
    assert set(body) == {"data", "meta"}
    assert body["meta"] == {}
    data = body["data"]
    assert isinstance(data, dict)
    assert set(data) == PAGE_EXAMPLE_KEYS
    assert data["order_id"] == 106
    assert data["total_amount"] == Decimal("5.75")
    assert data["total_tax"] == Decimal("5.75")
    assert data["items"] == []  # a tax adjustment refund refunds no item
    assert data["uses_merchant_override_values"] is False
    assert data["created"] == "2026-11-28T10:00:00+00:00"
    [payment] = data["payments"]
    assert set(payment) == PAGE_PAYMENT_KEYS
    assert payment["provider_id"] == "storecredit"
    assert payment["amount"] == Decimal("5.75")
    assert payment["is_declined"] is False


def test_create_refund_page_example_and_identical_reads(api: Api) -> None:
    created = api.refund(106, {"tax_adjustment_amount": 5.75})

    assert created.status == 201
    assert_page_shaped(created.body)
    refund = created.data
    by_id = api.refund_by_id(refund["id"])
    for_order = api.order_refunds(106)
    everything = api.all_refunds()
    assert by_id.data == refund
    assert for_order.data == [refund]
    assert [r for r in everything.data if r["id"] == refund["id"]] == [refund]
    order = api.order(106)
    assert order["tax_adjusted"] == Decimal("5.75")
    assert order["totals"]["refunded"] == Decimal("5.75")


def test_the_tax_adjustment_cannot_be_repeated(api: Api) -> None:
    assert api.refund(106, {"tax_adjustment_amount": 5.75}).status == 201

    again = api.refund(106, {"tax_adjustment_amount": 5.75})

    assert again.status == 422
    [error] = again.body["data"]
    assert error["errors"]["code"] == "tax_adjustment_mismatch"
    assert "0.00" in error["errors"]["tax_adjustment_amount"]


@pytest.mark.parametrize("tool", ["curl", "httpx"])
def test_the_page_curl_command_against_a_served_sandbox(
    refunds_sandbox: ServedSandbox, tool: str
) -> None:
    url = f"{refunds_sandbox.base_url}/orders/106/payment_actions/refunds"
    headers = {
        "Accept": "application/json",
        "X-Auth-Token": refunds_sandbox.token,
        "Content-Type": "application/json",
    }
    curl = shutil.which("curl") if tool == "curl" else None
    if curl is not None:
        command = [curl, "--silent", "--show-error", "--include", "-X", "POST", url]
        for name, value in headers.items():
            command += ["-H", f"{name}: {value}"]
        command += ["-d", PAGE_BODY]
        output = subprocess.run(command, capture_output=True, check=True, timeout=30).stdout
        head, _, content = output.partition(b"\r\n\r\n")
        status = int(head.split(b" ", 2)[1])
        response_headers = dict(
            line.decode().split(": ", 1) for line in head.split(b"\r\n")[1:] if b": " in line
        )
        response = httpx.Response(status, headers=response_headers, content=content)
    else:  # the same request, byte for byte, through httpx
        response = httpx.post(url, headers=headers, content=PAGE_BODY.encode(), timeout=30)

    path = httpx.URL(url).path
    assert conformance_problems(operation_for("POST", path), response) == []
    assert response.status_code == 201
    assert_page_shaped(parse(response))
