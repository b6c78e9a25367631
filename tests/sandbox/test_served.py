"""serve(), the pytest plugin, and the command-line launcher."""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
from pathlib import Path

import httpx
import pytest
from starlette.applications import Starlette

from bigcommerce_refunds.cli import main as cli_main
from bigcommerce_refunds.sandbox import DEFAULT_TOKEN, ServedSandbox, serve
from bigcommerce_refunds.sandbox.launcher import main
from bigcommerce_refunds.sandbox.served import fast_available, server_name
from tests.sandbox.helpers import Api, InProcess, sandbox_config

STARTUP_TIMEOUT_S = 30


def test_serve_binds_an_ephemeral_loopback_port_and_stops() -> None:
    with serve(sandbox_config(store_hash="abc123")) as served:
        assert served.base_url.startswith("http://127.0.0.1:")
        assert served.base_url.endswith("/stores/abc123/v3")
        assert served.root_url + "/stores/abc123/v3" == served.base_url
        assert served.token == DEFAULT_TOKEN
        assert DEFAULT_TOKEN not in repr(served)
        response = httpx.get(
            f"{served.base_url}/orders/payment_actions/refunds",
            headers={"X-Auth-Token": served.token},
        )
        assert response.status_code == 200
        assert served.app.state.sandbox is served.sandbox
        url = served.root_url
    with pytest.raises(httpx.TransportError):
        httpx.get(url, timeout=5)


def test_serve_reports_a_port_it_cannot_bind() -> None:
    with serve() as first:
        port = int(first.root_url.rsplit(":", 1)[1])
        with pytest.raises(RuntimeError, match="could not start"), serve(port=port):
            pass


def test_plugin_served_fixture_is_reset_between_tests_part_1(served_api: Api) -> None:
    assert served_api.refund(106, {"tax_adjustment_amount": 5.75}).status == 201


def test_plugin_served_fixture_is_reset_between_tests_part_2(
    refunds_sandbox: ServedSandbox, served_api: Api
) -> None:
    assert served_api.order(106)["tax_adjusted"] == 0
    assert refunds_sandbox.sandbox.store.refunds.keys() == {1000, 1001}


def test_plugin_app_fixture_is_a_fresh_app(refunds_sandbox_app: Starlette) -> None:
    client = InProcess(refunds_sandbox_app)
    try:
        assert Api(client.send).all_refunds().status == 200
    finally:
        client.close()
    assert refunds_sandbox_app.state.sandbox.config.rate_limit_quota == 1_000_000


class Launched:
    """The launcher in a subprocess; its output read line by line on a thread (no sleeps)."""

    def __init__(self, *args: str) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bigcommerce_refunds.sandbox", "--port", "0", *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self.output: list[str] = []
        self.reader = threading.Thread(target=self._pump, daemon=True)
        self.reader.start()

    def _pump(self) -> None:
        assert self.process.stdout is not None
        with self.process.stdout:
            for line in self.process.stdout:
                self.lines.put(line)
        self.lines.put("")

    def base_url(self) -> str:
        while line := self.lines.get(timeout=STARTUP_TIMEOUT_S):
            self.output.append(line)
            if "API base URL:" in line:
                return line.split("API base URL:", 1)[1].strip()
        raise AssertionError(f"the launcher exited early: {''.join(self.output)}")

    def stop(self, sig: signal.Signals = signal.SIGTERM) -> tuple[int, str]:
        if self.process.poll() is None:
            self.process.send_signal(sig)
        code = self.process.wait(timeout=STARTUP_TIMEOUT_S)
        while line := self.lines.get(timeout=STARTUP_TIMEOUT_S):
            self.output.append(line)
        self.reader.join(timeout=STARTUP_TIMEOUT_S)
        return code, "".join(self.output)


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT])
def test_launcher_serves_and_stops_cleanly(stop: signal.Signals) -> None:
    launched = Launched(
        "--token", "launch-secret", "--read-only-token", "launch-reader", "--log-level", "info"
    )
    try:
        base_url = launched.base_url()
        created = httpx.post(
            f"{base_url}/orders/106/payment_actions/refunds",
            headers={"X-Auth-Token": "launch-secret", "Content-Type": "application/json"},
            content=b'{"tax_adjustment_amount": 5.75}',
        )
        denied = httpx.get(
            f"{base_url}/orders/payment_actions/refunds", headers={"X-Auth-Token": DEFAULT_TOKEN}
        )
    finally:
        code, output = launched.stop(stop)
    assert created.status_code == 201
    assert denied.status_code == 401
    assert code == 0, output
    assert "use this token: X-Auth-Token: launch-secret" in output
    assert output.count("launch-secret") == 1  # printed once, never logged
    assert "launch-reader" not in output
    assert "POST /stores/sandbox/v3/orders/106/payment_actions/refunds" in output  # access log
    assert "stopped" in output
    assert f"server:         {server_name(fast_available())}" in output  # the default setting
    assert base_url.startswith("http://127.0.0.1:")
    assert base_url.endswith("/stores/sandbox/v3")


def test_launcher_serves_with_h11_when_asked() -> None:
    launched = Launched("--h11")
    try:
        base_url = launched.base_url()
        listed = httpx.get(
            f"{base_url}/orders/payment_actions/refunds", headers={"X-Auth-Token": DEFAULT_TOKEN}
        )
    finally:
        code, output = launched.stop()
    assert code == 0, output
    assert listed.status_code == 200
    assert "server:         h11 on asyncio (pure Python)" in output


def test_launcher_options_reach_the_config() -> None:
    launched = Launched("--bug", "wrong_status", "--rate-limit", "7", "--store-hash", "shop")
    try:
        base_url = launched.base_url()
        response = httpx.post(
            f"{base_url}/orders/106/payment_actions/refunds",
            headers={"X-Auth-Token": DEFAULT_TOKEN, "Content-Type": "application/json"},
            content=b'{"tax_adjustment_amount": 5.75}',
        )
    finally:
        code, output = launched.stop()
    assert code == 0, output
    assert response.status_code == 200  # the planted bug
    assert response.headers["X-Rate-Limit-Requests-Quota"] == "7"
    assert "/stores/shop/v3" in base_url


def test_launcher_rejects_bad_options(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["--bug", "no_such_bug"])
    assert exited.value.code == 2
    assert "invalid choice: 'no_such_bug'" in capsys.readouterr().err

    broken = tmp_path / "fixtures.json"
    broken.write_text('{"orders": [{"customer_id": 1, "products": [{"quantity": 0}]}]}')
    assert main(["--fixtures", str(broken), "--port", "0"]) == 2
    assert "fixtures do not describe a valid store" in capsys.readouterr().err

    with pytest.raises(SystemExit) as exited:
        main(["--fast", "--h11"])
    assert exited.value.code == 2
    assert "argument --h11: not allowed with argument --fast" in capsys.readouterr().err

    with pytest.raises(SystemExit):
        main(["--rate-limit", "0"])
    assert "argument --rate-limit: 0 is out of range (must be >= 1)" in capsys.readouterr().err


def test_launcher_help_lists_every_bug(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["--help"])
    assert exited.value.code == 0
    assert "lost_write" in capsys.readouterr().out


def test_cli_dispatcher_reaches_the_launcher(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        cli_main(["sandbox", "--help"])
    assert exited.value.code == 0
    assert "usage: bigcommerce-refunds sandbox" in capsys.readouterr().out
