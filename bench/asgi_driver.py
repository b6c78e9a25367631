"""Drive an ASGI app directly (no sockets, no HTTP parsing): the sandbox's own cost per request.

Used to profile the hot path (``python -m bench.run profile``) and to time it in-process.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Any

Scope = dict[str, Any]
App = Callable[[Scope, Any, Any], Awaitable[None]]


def scope_for(method: str, path: str, headers: dict[str, str], body: bytes) -> Scope:
    raw = [
        (name.lower().encode("latin-1"), value.encode("latin-1")) for name, value in headers.items()
    ]
    if body:
        raw.append((b"content-length", str(len(body)).encode()))
    return {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.3"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": raw,
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8000),
        "state": {},
    }


async def call(app: App, scope: Scope, body: bytes) -> tuple[int, bytes]:
    """One request through the app: (status, body)."""
    sent = False

    async def receive() -> dict[str, Any]:
        nonlocal sent
        if sent:
            await asyncio.sleep(3600)
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    status = 0
    chunks: list[bytes] = []

    async def send(message: dict[str, Any]) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]
        elif message["type"] == "http.response.body":
            chunks.append(message.get("body", b""))

    await app(dict(scope, state=dict(scope["state"])), receive, send)
    return status, b"".join(chunks)


async def time_calls(app: App, scope: Scope, body: bytes, count: int) -> float:
    """Seconds per request over ``count`` sequential requests."""
    started = time.perf_counter()
    for _ in range(count):
        await call(app, scope, body)
    return (time.perf_counter() - started) / count
