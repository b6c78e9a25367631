"""A small recording HTTP client for the refund API and the sandbox control API.

Deliberately not the project's façade: the suite must see exactly what the server sends (status,
headers, raw body), with no retries, no parsing and no sequencing in between.
"""

from __future__ import annotations

import json
from typing import Any

import httpx

from conformance.chokepoint import UNPACED
from conformance.recorder import RECORDER, Exchange, dump_json, variant_of

JSON_HEADERS = {"Accept": "application/json", "Content-Type": "application/json"}


class RefundApi:
    """The five refund operations of one target, every exchange recorded."""

    def __init__(
        self,
        base_url: str,
        token: str | None,
        *,
        timeout: float = 30.0,
        transport: httpx.BaseTransport | None = None,
        unpaced: bool = False,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self._token = token
        self._transport = transport
        self._unpaced = unpaced
        self._http = httpx.Client(timeout=timeout, transport=transport)

    def __repr__(self) -> str:
        return f"RefundApi({self.base_url!r}, token=<redacted>)"

    def close(self) -> None:
        self._http.close()

    def with_token(self, token: str | None) -> RefundApi:
        """The same target, another token (None: no X-Auth-Token header at all)."""
        return RefundApi(
            self.base_url,
            token,
            timeout=self._http.timeout.read or 30.0,
            transport=self._transport,
            unpaced=self._unpaced,
        )

    def unpaced(self) -> RefundApi:
        """The same client, exempt from the choke point's pacing and 429 retries.

        For whoever must see the target's own 429: the rate-limit test, the oracle tour.
        """
        return RefundApi(
            self.base_url,
            self._token,
            timeout=self._http.timeout.read or 30.0,
            transport=self._transport,
            unpaced=True,
        )

    def send(
        self,
        operation_id: str,
        method: str,
        path: str,
        *,
        body: Any = None,
        raw: bytes | None = None,
        params: dict[str, str] | None = None,
        headers: dict[str, str] | None = None,
    ) -> httpx.Response:
        all_headers = dict(JSON_HEADERS)
        if self._token is not None:
            all_headers["X-Auth-Token"] = self._token
        all_headers.update(headers or {})
        content = raw if raw is not None else (dump_json(body) if body is not None else None)
        request = self._http.build_request(
            method,
            self.base_url + path,
            content=content,
            params=params,
            headers=all_headers,
            extensions={UNPACED: True} if self._unpaced else None,
        )
        status = 0
        try:
            response = self._http.send(request)
            response.read()
            status = response.status_code
            return response
        finally:
            RECORDER.add(
                Exchange(
                    source="domain",
                    operation_id=operation_id,
                    variant=variant_of(operation_id, body),
                    method=method,
                    url=str(request.url),
                    headers=tuple(all_headers.items()),
                    body=content,
                    status=status,
                )
            )

    # ------------------------------------------------------------------ the five operations
    def quote(self, order_id: int, body: Any) -> httpx.Response:
        path = f"/orders/{order_id}/payment_actions/refund_quotes"
        return self.send("createOrderRefundQuotes", "POST", path, body=body)

    def refund(self, order_id: int, body: Any) -> httpx.Response:
        path = f"/orders/{order_id}/payment_actions/refunds"
        return self.send("createOrderRefund", "POST", path, body=body)

    def order_refunds(self, order_id: int, **params: str) -> httpx.Response:
        path = f"/orders/{order_id}/payment_actions/refunds"
        return self.send("getOrderRefunds", "GET", path, params=params or None)

    def refund_by_id(self, refund_id: int) -> httpx.Response:
        return self.send("getOrderRefund", "GET", f"/orders/payment_actions/refunds/{refund_id}")

    def all_refunds(self, **params: str) -> httpx.Response:
        return self.send(
            "getOrdersRefunds", "GET", "/orders/payment_actions/refunds", params=params or None
        )


class ControlApi:
    """The sandbox control API (``/__sandbox/...``), present on sandbox-compatible targets."""

    def __init__(
        self,
        root_url: str,
        token: str,
        *,
        timeout: float = 30.0,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.root_url = root_url.rstrip("/")
        self._headers = {"X-Auth-Token": token, **JSON_HEADERS}
        self._http = httpx.Client(timeout=timeout, transport=transport)

    def __repr__(self) -> str:
        return f"ControlApi({self.root_url!r}, token=<redacted>)"

    def close(self) -> None:
        self._http.close()

    def _call(self, method: str, path: str, body: Any = None) -> Any:
        response = self._http.request(
            method,
            f"{self.root_url}/__sandbox{path}",
            headers=self._headers,
            content=None if body is None else dump_json(body),
        )
        if response.status_code >= 400:
            raise RuntimeError(
                f"control API {method} /__sandbox{path} answered {response.status_code}: "
                f"{response.text[:500]}"
            )
        return json.loads(response.content) if response.content else None

    def available(self) -> bool:
        try:
            response = self._http.get(f"{self.root_url}/__sandbox/orders", headers=self._headers)
        except httpx.HTTPError:
            return False
        return response.status_code == 200

    def orders(self) -> list[dict[str, Any]]:
        data = self._call("GET", "/orders")
        return list(data["data"] if isinstance(data, dict) and "data" in data else data)

    def order(self, order_id: int) -> dict[str, Any]:
        data = self._call("GET", f"/orders/{order_id}")
        return dict(data["data"] if isinstance(data, dict) and "data" in data else data)

    def create_order(self, description: dict[str, Any]) -> dict[str, Any]:
        data = self._call("POST", "/orders", description)
        return dict(data["data"] if isinstance(data, dict) and "data" in data else data)

    def reset(self) -> None:
        self._call("POST", "/reset")

    def faults(self, fault: dict[str, Any]) -> Any:
        return self._call("POST", "/faults", fault)

    def clear_faults(self) -> None:
        self._call("DELETE", "/faults")
