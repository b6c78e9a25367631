"""The choke point paces to the advertised quota, resends 429s after the reset, keeps
credentials apart, lets the rate-limit test see its 429, and refuses what a policy refuses.

The server here is an httpx.MockTransport with a real fixed-window limiter (short windows, so
the waits are real but brief)."""

from __future__ import annotations

import math
import threading
import time

import httpx
import pytest

from conformance.chokepoint import UNPACED, ChokePoint, RateGovernor, RequestRefusedError
from conformance.policies import RequestBudget

URL = "http://target.test/stores/x/v3/orders/payment_actions/refunds"


class LimitedServer:
    """Answers 200 within ``quota`` requests per ``window_s`` per token, else 429."""

    def __init__(self, quota: int, window_s: float) -> None:
        self.quota, self.window_s = quota, window_s
        self.windows: dict[str, tuple[float, int]] = {}
        self.statuses: list[int] = []
        self._lock = threading.Lock()

    def __call__(self, request: httpx.Request) -> httpx.Response:
        token = request.headers.get("x-auth-token", "")
        with self._lock:
            now = time.monotonic()
            start, used = self.windows.get(token, (now, 0))
            if now - start >= self.window_s:
                start, used = now, 0
            allowed = used < self.quota
            used += allowed
            self.windows[token] = (start, used)
            reset_ms = max(0, math.ceil((self.window_s - (now - start)) * 1000))
            headers = {
                "X-Rate-Limit-Time-Window-Ms": str(int(self.window_s * 1000)),
                "X-Rate-Limit-Time-Reset-Ms": str(reset_ms),
                "X-Rate-Limit-Requests-Quota": str(self.quota),
                "X-Rate-Limit-Requests-Left": str(self.quota - used),
            }
            if not allowed:
                headers["X-Retry-After"] = "0"
            status = 200 if allowed else 429
            self.statuses.append(status)
        return httpx.Response(status, headers=headers, json={"data": []})


def _client(chokepoint: ChokePoint, token: str = "t") -> httpx.Client:
    return httpx.Client(transport=chokepoint, headers={"X-Auth-Token": token})


def test_requests_beyond_the_quota_wait_for_the_window_instead_of_getting_429() -> None:
    server = LimitedServer(quota=3, window_s=0.2)
    chokepoint = ChokePoint(httpx.MockTransport(server))
    with _client(chokepoint) as client:
        statuses = [client.get(URL).status_code for _ in range(10)]
    assert statuses == [200] * 10
    assert 429 not in server.statuses
    assert chokepoint.governor.waited_s > 0
    assert chokepoint.traffic.sent == 10


def test_a_429_is_resent_after_the_advertised_reset() -> None:
    answers = iter([429, 200])

    def server(request: httpx.Request) -> httpx.Response:
        status = next(answers)
        headers = (
            {"X-Retry-After": "0", "X-Rate-Limit-Time-Reset-Ms": "20"} if status == 429 else {}
        )
        return httpx.Response(status, headers=headers, json={"data": []})

    chokepoint = ChokePoint(httpx.MockTransport(server))
    with _client(chokepoint) as client:
        response = client.post(URL, json={"items": []})
    assert response.status_code == 200
    assert chokepoint.traffic.retried_429 == 1
    assert chokepoint.traffic.sent == 2


def test_unpaced_requests_see_the_429() -> None:
    server = LimitedServer(quota=2, window_s=30)
    chokepoint = ChokePoint(httpx.MockTransport(server))
    with _client(chokepoint) as client:
        statuses = [
            client.send(client.build_request("GET", URL, extensions={UNPACED: True})).status_code
            for _ in range(3)
        ]
    assert statuses == [200, 200, 429]
    assert chokepoint.traffic.retried_429 == 0


def test_each_token_has_its_own_quota() -> None:
    server = LimitedServer(quota=1, window_s=30)
    chokepoint = ChokePoint(httpx.MockTransport(server))
    with _client(chokepoint, "a") as first, _client(chokepoint, "b") as second:
        assert first.get(URL).status_code == 200
        # "a" has spent its quota for 30 s; "b" must not wait for it.
        started = time.monotonic()
        assert second.get(URL).status_code == 200
        assert time.monotonic() - started < 5


def test_a_live_store_keeps_a_reserve_for_other_integrations() -> None:
    governor = RateGovernor(reserve_share=0.5)
    governor.acquire("k")
    governor.release(
        "k",
        {
            "X-Rate-Limit-Requests-Quota": "4",
            "X-Rate-Limit-Requests-Left": "2",
            "X-Rate-Limit-Time-Reset-Ms": "30000",
            "X-Rate-Limit-Time-Window-Ms": "30000",
        },
    )
    with pytest.raises(TimeoutError):
        governor.acquire("k", give_up_after=0.05)  # 2 left, 2 reserved: wait for the window


class RefusePosts:
    def review(self, request: httpx.Request) -> str | None:
        return "no POSTs in this test" if request.method == "POST" else None

    def observe(self, request: httpx.Request, response: httpx.Response) -> None:
        return None


def test_a_refused_request_never_reaches_the_target() -> None:
    sent: list[str] = []

    def server(request: httpx.Request) -> httpx.Response:
        sent.append(request.method)
        return httpx.Response(200, json={"data": []})

    chokepoint = ChokePoint(httpx.MockTransport(server), policies=[RefusePosts()])
    with _client(chokepoint) as client:
        assert client.get(URL).status_code == 200
        with pytest.raises(RequestRefusedError, match="no POSTs in this test"):
            client.post(URL, json={})
    assert sent == ["GET"]
    assert chokepoint.traffic.refused == ["no POSTs in this test"]


def test_the_request_budget_refuses_what_exceeds_it() -> None:
    chokepoint = ChokePoint(
        httpx.MockTransport(lambda request: httpx.Response(200)), policies=[RequestBudget(2)]
    )
    with _client(chokepoint) as client:
        client.get(URL)
        client.get(URL)
        with pytest.raises(RequestRefusedError, match="request budget of 2 spent"):
            client.get(URL)
    assert chokepoint.traffic.sent == 2
