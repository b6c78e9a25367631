"""DNS-rebinding protection: a sandbox on loopback answers only requests addressed to loopback.

The sandbox's default tokens are well known, so any web page a developer visits could drive a
sandbox on ``127.0.0.1`` through a DNS name that first resolves to the attacker and then to
127.0.0.1 (DNS rebinding): the browser thinks it talks to ``rebind.evil.example`` and sends that
as the ``Host``. :class:`HostGuard` answers such requests with a JSON 400 before anything else
runs (no rate-limit budget spent, no token checked, no state touched).

Allowed: ``localhost``, IP literals that are loopback (``127.0.0.0/8``, ``::1``), and the names
given with ``--allowed-host`` (``serve(allowed_hosts=...)``), case-insensitively, with any port.
:func:`guard` decides whether a server needs the guard: bound to loopback, always; bound
elsewhere, only when allowed hosts are given (otherwise the launcher warns that the sandbox is
open to whoever can reach it). ``create_app()`` itself is not guarded: an in-process app has no
socket a browser could reach.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable

from starlette.types import ASGIApp, Receive, Scope, Send

from bigcommerce_refunds.sandbox.errors import error_response

_NAME = re.compile(r"[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*")
_MAX_ECHO = 100


def is_loopback(host: str) -> bool:
    """Whether ``host`` (a name or an IP literal, IPv6 with or without brackets) is loopback."""
    name = host.strip("[]").lower().removesuffix(".")
    if name == "localhost":
        return True
    try:
        address = ipaddress.ip_address(name)
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped.is_loopback
    return address.is_loopback


def allowed_host_name(text: str) -> str:
    """A ``--allowed-host`` value, normalised (lower case, no trailing dot); ValueError if bad.

    A host name or an IP literal, without scheme, port or path.
    """
    name = text.strip().lower().removesuffix(".")
    if name.startswith("[") and name.endswith("]"):
        name = name[1:-1]
    try:
        return str(ipaddress.ip_address(name))
    except ValueError:
        pass
    if len(name) > 253 or not _NAME.fullmatch(name):
        raise ValueError(
            f"allowed host {text!r} is not a host name or IP address (no scheme, port or path)"
        )
    return name


def host_name(header: str) -> str | None:
    """The name part of a Host header (``name``, ``name:port``, ``[v6]:port``), normalised."""
    value = header.strip().lower()
    if value.startswith("["):
        end = value.find("]")
        if end < 0 or (value[end + 1 :] and not re.fullmatch(r":[0-9]{1,5}", value[end + 1 :])):
            return None
        return value[1:end]
    name, _, port = value.partition(":")
    if port and not re.fullmatch(r"[0-9]{1,5}", port):
        return None
    return name.removesuffix(".") or None


class HostGuard:
    """ASGI middleware: a JSON 400 for any Host that is neither loopback nor allowed."""

    #: Verdicts remembered per raw Host header: a client sends the same few values, and parsing
    #: one (an IP literal through ``ipaddress``) cost a measurable share of a refund POST. Bounded,
    #: so a stream of distinct hostile names cannot grow it.
    MAX_REMEMBERED = 256

    def __init__(self, app: ASGIApp, allowed_hosts: Iterable[str] = ()) -> None:
        self.app = app
        self.allowed = frozenset(allowed_host_name(name) for name in allowed_hosts)
        self._verdicts: dict[bytes, bool] = {}

    def allows(self, header: str | None) -> bool:
        if header is None:
            return False
        name = host_name(header)
        if name is None:
            return False
        if is_loopback(name) or name in self.allowed:
            return True
        try:  # IP literals compare in their canonical form (::0:1 is ::1)
            return str(ipaddress.ip_address(name)) in self.allowed
        except ValueError:
            return False

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        raw: bytes | None = None
        for key, value in scope["headers"]:
            if key == b"host":
                raw = value
                break
        verdict = self._verdicts.get(raw) if raw is not None else None
        header = raw.decode("latin-1") if raw is not None else None
        if verdict is None:
            verdict = self.allows(header)
            if raw is not None and len(self._verdicts) < self.MAX_REMEMBERED:
                self._verdicts[raw] = verdict
        if verdict:
            await self.app(scope, receive, send)
            return
        if header is None:
            title = "A Host header is required."
            errors = {"host": "(missing)"}
        else:
            title = (
                "This sandbox answers loopback host names only (localhost, 127.0.0.1, [::1]); "
                "start it with --allowed-host NAME to allow another one."
            )
            errors = {"host": header[:_MAX_ECHO]}
        if scope["type"] == "websocket":  # nothing the sandbox serves; refuse the handshake
            await send({"type": "websocket.close", "code": 1008})
            return
        await error_response(400, title, errors)(scope, receive, send)


def guard(app: ASGIApp, bind_host: str, allowed_hosts: Iterable[str] = ()) -> ASGIApp:
    """``app`` as a server bound to ``bind_host`` should run it (see the module docstring)."""
    extra = tuple(allowed_hosts)
    if is_loopback(bind_host) or extra:
        return HostGuard(app, extra)
    return app


__all__ = ["HostGuard", "allowed_host_name", "guard", "host_name", "is_loopback"]
