"""Serving the sandbox over real HTTP on loopback, from a background thread.

:func:`serve` is what tests, the conformance suite and users call to get a live base URL:

    with serve() as sandbox:
        client = httpx.Client(base_url=sandbox.base_url, headers={"X-Auth-Token": sandbox.token})

It binds an ephemeral port by default (port 0, read back from the listening socket), returns once
uvicorn reports it is accepting connections (an event set right after startup: no sleeps), and
stops the server when the block ends.

:class:`SandboxH11Protocol` is uvicorn's h11 protocol plus one thing: it lets the app abort the
connection's socket (the ``drop_connection`` fault), which plain ASGI cannot express.

Server settings (``fast``): by default (None) httptools on uvloop where both are installed (the
``sandbox`` extra brings them on CPython outside Windows), else the pure-Python stack, h11 on
asyncio's own event loop. ``fast=True`` (the launcher's ``--fast``) insists on the former and fails
without it; ``fast=False`` (``--h11``) insists on the latter. The compiled stack answers about
twice the requests per second (``bench/README.md``); the API behaves the same either way
(``tests/sandbox/test_hot_path.py`` drives it on both).
"""

from __future__ import annotations

import importlib.util
import ipaddress
import socket
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.types import ASGIApp
from uvicorn.protocols.http.h11_impl import H11Protocol

from bigcommerce_refunds.sandbox.app import create_app
from bigcommerce_refunds.sandbox.config import WRITE_SCOPES, SandboxConfig
from bigcommerce_refunds.sandbox.faults import ABORT_KEY
from bigcommerce_refunds.sandbox.hostguard import guard
from bigcommerce_refunds.sandbox.state import Sandbox

STARTUP_TIMEOUT_S = 20.0
SHUTDOWN_TIMEOUT_S = 10.0
FAST_EXTRA_HINT = (
    "the fast server setting needs uvloop and httptools: pip install 'bigcommerce-refunds[sandbox]'"
    " (on CPython, outside Windows)"
)


class SandboxH11Protocol(H11Protocol):
    """h11 protocol whose requests can abort their own connection (for drop_connection)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Requests copy app_state into scope["state"]: give each connection its own abort hook.
        self.app_state = {**self.app_state, ABORT_KEY: self._abort_connection}

    def _abort_connection(self) -> None:
        if self.transport is not None:
            self.transport.abort()


def fast_available() -> bool:
    """Whether the fast server setting (httptools on uvloop) can be used here."""
    return all(importlib.util.find_spec(name) is not None for name in ("httptools", "uvloop"))


def resolve_fast(fast: bool | None) -> bool:
    """Whether to serve with httptools on uvloop: ``fast``, or (None) wherever installed."""
    return fast_available() if fast is None else fast


def server_name(fast: bool) -> str:
    """The server setting, as the launcher's banner and the benchmarks name it."""
    return "httptools on uvloop" if fast else "h11 on asyncio (pure Python)"


def _fast_protocol() -> type[Any]:
    """uvicorn's httptools protocol with the same abort hook as :class:`SandboxH11Protocol`."""
    if not fast_available():
        raise RuntimeError(FAST_EXTRA_HINT)
    from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

    class SandboxHttpToolsProtocol(HttpToolsProtocol):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.app_state = {**self.app_state, ABORT_KEY: self._abort_connection}

        def _abort_connection(self) -> None:
            if self.transport is not None:
                self.transport.abort()

    return SandboxHttpToolsProtocol


class SandboxServer(uvicorn.Server):
    """uvicorn.Server that signals readiness (or a failed start) through a threading.Event."""

    def __init__(self, config: uvicorn.Config) -> None:
        super().__init__(config)
        self.ready = threading.Event()

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        try:
            await super().startup(sockets)
        finally:
            self.ready.set()

    def bound_port(self) -> int:
        for server in self.servers:
            for sock in server.sockets:
                port: int = sock.getsockname()[1]
                return port
        raise RuntimeError("the sandbox server has no listening socket")


def uvicorn_config(
    app: ASGIApp,
    host: str,
    port: int,
    log_level: str,
    *,
    configure_logging: bool = False,
    fast: bool | None = None,
) -> uvicorn.Config:
    """The uvicorn settings the sandbox runs with (shared by serve() and the launcher).

    ``serve()`` runs inside someone else's process (a test run): it leaves logging configuration
    alone. The launcher owns its process and lets uvicorn set up its usual console logging.
    ``fast``: see the module docstring (True without uvloop and httptools: RuntimeError). Both
    settings are named explicitly (never uvicorn's "auto"), so what serves is what was chosen.
    """
    fast = resolve_fast(fast)
    extra: dict[str, Any] = {} if configure_logging else {"log_config": None}
    return uvicorn.Config(
        app,
        host=host,
        port=port,
        http=_fast_protocol() if fast else SandboxH11Protocol,
        loop="uvloop" if fast else "asyncio",
        lifespan="off",
        log_level=log_level,
        access_log=log_level in ("debug", "trace", "info"),
        timeout_graceful_shutdown=5,
        server_header=False,
        **extra,
    )


def url_host(host: str) -> str:
    """The host part of a URL that reaches ``host`` (wildcards mean this machine)."""
    if host in ("", "0.0.0.0"):
        return "127.0.0.1"
    if host == "::":
        return "[::1]"
    try:
        return f"[{host}]" if ipaddress.ip_address(host).version == 6 else host
    except ValueError:
        return host


def first_write_token(config: SandboxConfig) -> str:
    """A token that may create refunds (the one to hand to users and tests)."""
    for token, scopes in config.tokens.items():
        if scopes & WRITE_SCOPES:
            return token
    return next(iter(config.tokens))


@dataclass(frozen=True, repr=False)
class ServedSandbox:
    """A running sandbox: where it is, a token for it, and its app and state."""

    root_url: str
    base_url: str
    token: str
    app: Starlette
    sandbox: Sandbox

    def __repr__(self) -> str:
        return f"ServedSandbox(base_url={self.base_url!r}, token=<redacted>)"


@contextmanager
def serve(
    config: SandboxConfig | None = None,
    host: str = "127.0.0.1",
    port: int = 0,
    *,
    fast: bool | None = None,
    allowed_hosts: Iterable[str] = (),
) -> Iterator[ServedSandbox]:
    """Run a sandbox in a background thread for the duration of the ``with`` block.

    ``fast``: None (default) serves with httptools on uvloop where installed, else h11; True
    insists on httptools on uvloop (RuntimeError without them), False on h11.
    Bound to loopback (the default), it answers only requests whose Host is loopback or one of
    ``allowed_hosts`` (DNS-rebinding protection, see :mod:`hostguard`); others get a JSON 400.
    """
    app = create_app(config)
    sandbox: Sandbox = app.state.sandbox
    served_app = guard(app, host, allowed_hosts)  # ValueError for a malformed allowed host
    server = SandboxServer(uvicorn_config(served_app, host, port, "warning", fast=fast))
    thread = threading.Thread(
        target=_run, args=(server,), name="bigcommerce-refunds-sandbox", daemon=True
    )
    thread.start()
    try:
        if not server.ready.wait(STARTUP_TIMEOUT_S) or not server.started:
            raise RuntimeError(f"the sandbox could not start on {host}:{port}")
        root = f"http://{url_host(host)}:{server.bound_port()}"
        yield ServedSandbox(
            root_url=root,
            base_url=f"{root}/stores/{sandbox.config.store_hash}/v3",
            token=first_write_token(sandbox.config),
            app=app,
            sandbox=sandbox,
        )
    finally:
        server.should_exit = True
        thread.join(SHUTDOWN_TIMEOUT_S)


def _run(server: SandboxServer) -> None:
    try:
        server.run()
    except SystemExit:  # uvicorn exits when it cannot bind; serve() reports it
        pass
    finally:
        server.ready.set()


__all__ = [
    "SandboxH11Protocol",
    "SandboxServer",
    "ServedSandbox",
    "fast_available",
    "resolve_fast",
    "serve",
    "server_name",
    "uvicorn_config",
]
