"""DNS rebinding (issue 15, item 4): a loopback sandbox answers loopback Host names only.

``curl -X POST :4010/__sandbox/reset -H "Host: rebind.evil.example:4010" -H "X-Auth-Token:
sandbox-token"`` used to reset the sandbox: any web page could drive it through a rebinding DNS
name. Now such a request gets a JSON 400 and changes nothing; loopback names (``localhost``,
``127.0.0.1``, ``[::1]``) and names given with ``--allowed-host`` / ``serve(allowed_hosts=...)``
still work. Everything here goes over real HTTP, as a browser would.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from bigcommerce_refunds.sandbox import DEFAULT_TOKEN, serve
from bigcommerce_refunds.sandbox.launcher import _parser
from tests.sandbox.helpers import sandbox_config
from tests.sandbox.test_served import Launched

REFUND = "/stores/sandbox/v3/orders/106/payment_actions/refunds"
TAX_ADJUSTMENT = b'{"tax_adjustment_amount": 5.75}'


def _request(root: str, method: str, path: str, host: str | None, **kwargs: Any) -> httpx.Response:
    headers = {"X-Auth-Token": DEFAULT_TOKEN, "Content-Type": "application/json"}
    if host is not None:
        headers["Host"] = host
    return httpx.request(method, root + path, headers=headers, timeout=10, **kwargs)


def _ledger(root: str) -> Any:
    return _request(root, "GET", "/__sandbox/refunds", None).json()["data"]


@pytest.mark.parametrize(
    "host",
    [
        "rebind.evil.example:{port}",
        "rebind.evil.example",
        "EVIL.example:{port}",
        "127.0.0.1.nip.io",
    ],
)
def test_other_host_names_get_a_json_400_and_change_nothing(host: str) -> None:
    with serve(sandbox_config()) as served:
        port = served.root_url.rsplit(":", 1)[1]
        created = _request(served.root_url, "POST", REFUND, None, content=TAX_ADJUSTMENT)
        assert created.status_code == 201
        before = _ledger(served.root_url)
        listing = "/stores/sandbox/v3/orders/payment_actions/refunds"
        left_before = int(
            _request(served.root_url, "GET", listing, None).headers["X-Rate-Limit-Requests-Left"]
        )

        reset = _request(served.root_url, "POST", "/__sandbox/reset", host.format(port=port))
        bug = _request(
            served.root_url, "POST", "/__sandbox/bugs", host.format(port=port), json={"bugs": []}
        )
        read = _request(
            served.root_url, "GET", "/stores/sandbox/v3/orders/payment_actions/refunds", host
        )

        after = _ledger(served.root_url)
        left_after = int(
            _request(served.root_url, "GET", listing, None).headers["X-Rate-Limit-Requests-Left"]
        )
    assert left_after == left_before - 1  # the refused requests spent no rate-limit budget
    for response in (reset, bug, read):
        assert response.status_code == 400
        assert response.headers["content-type"] == "application/json"
        body = response.json()
        assert body["status"] == 400
        assert "--allowed-host" in body["title"]
    assert after == before
    assert DEFAULT_TOKEN not in reset.text


@pytest.mark.parametrize(
    "host", [None, "127.0.0.1:{port}", "localhost:{port}", "LOCALHOST", "[::1]:{port}", "127.1.2.3"]
)
def test_loopback_host_names_are_answered(host: str | None) -> None:
    with serve(sandbox_config()) as served:
        port = served.root_url.rsplit(":", 1)[1]
        value = None if host is None else host.format(port=port)

        reset = _request(served.root_url, "POST", "/__sandbox/reset", value)
        created = _request(served.root_url, "POST", REFUND, value, content=TAX_ADJUSTMENT)

    assert reset.status_code == 200
    assert created.status_code == 201


def test_allowed_hosts_are_answered_too() -> None:
    with serve(sandbox_config(), allowed_hosts=["sandbox.internal", "10.0.0.7"]) as served:
        port = served.root_url.rsplit(":", 1)[1]
        named = _request(served.root_url, "POST", REFUND, f"Sandbox.Internal:{port}", content=b"{")
        address = _request(served.root_url, "GET", "/__sandbox/orders/100", "10.0.0.7")
        other = _request(served.root_url, "GET", "/__sandbox/orders/100", "10.0.0.8")

    assert named.status_code == 400  # through the guard: the body is what is wrong
    assert "not valid JSON" in named.json()["title"]
    assert address.status_code == 200
    assert other.status_code == 400


def test_launcher_allowed_host_flag() -> None:
    launched = Launched("--allowed-host", "sandbox.internal")
    try:
        base_url = launched.base_url()
        port = base_url.split(":")[2].split("/")[0]
        root = base_url.rsplit("/stores/", 1)[0]
        evil = _request(root, "POST", "/__sandbox/reset", f"rebind.evil.example:{port}")
        allowed = _request(root, "POST", "/__sandbox/reset", f"sandbox.internal:{port}")
        plain = _request(root, "POST", "/__sandbox/reset", None)
    finally:
        code, output = launched.stop()
    assert code == 0, output
    assert (evil.status_code, allowed.status_code, plain.status_code) == (400, 200, 200)


@pytest.mark.parametrize("value", ["http://x.example", "x.example:80", "x/y", "", "-x.example"])
def test_malformed_allowed_hosts_are_refused(value: str) -> None:
    from bigcommerce_refunds.sandbox.hostguard import HostGuard  # new in issue 15

    with pytest.raises(ValueError, match="allowed host"):
        HostGuard(lambda scope, receive, send: None, [value])  # type: ignore[arg-type,return-value]


def test_launcher_reports_a_malformed_allowed_host(capsys: pytest.CaptureFixture[str]) -> None:
    from bigcommerce_refunds.sandbox.launcher import main

    with pytest.raises(SystemExit) as exited:
        main(["--allowed-host", "http://x.example", "--port", "0"])
    assert exited.value.code == 2
    assert "is not a host name or IP address" in capsys.readouterr().err
    assert _parser().parse_args(["--allowed-host", "a", "--allowed-host", "b"]).allowed_host == [
        "a",
        "b",
    ]


def test_only_loopback_binds_are_guarded_by_default() -> None:
    from bigcommerce_refunds.sandbox.hostguard import HostGuard, guard  # new in issue 15

    app: Any = object()
    assert isinstance(guard(app, "127.0.0.1"), HostGuard)
    assert isinstance(guard(app, "::1"), HostGuard)
    assert isinstance(guard(app, "localhost"), HostGuard)
    assert guard(app, "0.0.0.0") is app
    assert isinstance(guard(app, "0.0.0.0", ["lan.example"]), HostGuard)


@pytest.mark.parametrize(
    ("header", "name"),
    [
        ("localhost:4015", "localhost"),
        ("[::1]:4015", "::1"),
        ("[::1]", "::1"),
        ("Example.COM.", "example.com"),
        ("x:notaport", None),
        ("[::1]junk", None),
        (":4015", None),
    ],
)
def test_host_header_names(header: str, name: str | None) -> None:
    from bigcommerce_refunds.sandbox.hostguard import host_name  # new in issue 15

    assert host_name(header) == name
