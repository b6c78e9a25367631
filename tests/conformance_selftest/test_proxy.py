"""The loopback proxy forwards requests byte for byte through the choke point (Schemathesis'
way to the target), and answers a refused request without contacting the target."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from bigcommerce_refunds.sandbox import SandboxConfig, ServedSandbox, serve
from conformance.chokepoint import REFUSED_HEADER, ChokePoint
from conformance.proxy import REFUSED_STATUS, serve_proxy


@pytest.fixture(scope="module")
def sandbox() -> Iterator[ServedSandbox]:
    with serve(SandboxConfig(rate_limit_quota=10_000)) as served:
        yield served


class RefuseRefunds:
    def review(self, request: httpx.Request) -> str | None:
        refund = request.method == "POST" and request.url.path.endswith("/refunds")
        return "refund POSTs are not allowed here" if refund else None

    def observe(self, request: httpx.Request, response: httpx.Response) -> None:
        return None


def test_requests_through_the_proxy_get_the_targets_answers(sandbox: ServedSandbox) -> None:
    chokepoint = ChokePoint()
    headers = {"X-Auth-Token": sandbox.token}
    try:
        with serve_proxy(chokepoint, sandbox.base_url) as proxy, httpx.Client() as http:
            base = proxy.proxied(sandbox.base_url)
            assert base.startswith("http://127.0.0.1:")
            assert base != sandbox.base_url
            quote = {"items": [{"item_type": "PRODUCT", "item_id": 201, "quantity": 1}]}
            via = http.post(
                f"{base}/orders/100/payment_actions/refund_quotes", json=quote, headers=headers
            )
            direct = http.post(
                f"{sandbox.base_url}/orders/100/payment_actions/refund_quotes",
                json=quote,
                headers=headers,
            )
            assert (via.status_code, via.json()) == (direct.status_code, direct.json())
            assert via.headers["X-Rate-Limit-Requests-Quota"] == "10000"
            bad = http.post(
                f"{base}/orders/100/payment_actions/refund_quotes",
                content=b"{not json",
                headers={**headers, "Content-Type": "application/json"},
            )
            assert bad.status_code == 400
            assert (
                http.request(
                    "TRACE", f"{base}/orders/payment_actions/refunds", headers=headers
                ).status_code
                == 405
            )
            assert proxy.unproxied(f"curl {base}/x") == f"curl {sandbox.base_url}/x"
        assert chokepoint.traffic.sent == 3
    finally:
        chokepoint.shutdown()


def test_a_refused_request_is_answered_by_the_proxy(sandbox: ServedSandbox) -> None:
    chokepoint = ChokePoint(policies=[RefuseRefunds()])
    try:
        with serve_proxy(chokepoint, sandbox.base_url) as proxy, httpx.Client() as http:
            base = proxy.proxied(sandbox.base_url)
            response = http.post(
                f"{base}/orders/100/payment_actions/refunds",
                json={},
                headers={"X-Auth-Token": sandbox.token},
            )
        assert response.status_code == REFUSED_STATUS
        assert response.headers[REFUSED_HEADER] == "1"
        assert response.text == "refund POSTs are not allowed here"
        assert chokepoint.traffic.sent == 0
    finally:
        chokepoint.shutdown()
