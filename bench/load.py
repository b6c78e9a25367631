"""Bounded load on loopback: wrk when installed (Debian's package), else a labelled Python fallback.

Every run is bounded in time (``duration``) and, for the fallback, in requests too; only 127.0.0.1
is ever targeted.
"""

from __future__ import annotations

import asyncio
import json
import re
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

#: Bound on the fallback generator's requests per run (wrk is bounded by its duration).
FALLBACK_MAX_REQUESTS = 200_000


@dataclass(frozen=True)
class Request:
    method: str
    url: str
    headers: dict[str, str]
    body: bytes = b""


@dataclass(frozen=True)
class LoadResult:
    requests: int
    seconds: float
    rps: float
    p50_ms: float
    p99_ms: float
    non_2xx: int
    socket_errors: int
    tool: str


def wrk_path() -> str | None:
    return shutil.which("wrk")


def wrk_version() -> str:
    found = wrk_path()
    if found is None:
        return "not installed"
    output = subprocess.run(
        [found, "--version"], capture_output=True, text=True, timeout=10, check=False
    )
    first = (output.stdout + output.stderr).splitlines()
    return first[0].split(" Copyright")[0] if first else "wrk"


def _lua_string(text: str) -> str:
    # JSON string escaping is valid Lua for the printable ASCII used here.
    return json.dumps(text)


def _lua(request: Request) -> str:
    lines = [f"wrk.method = {_lua_string(request.method)}"]
    if request.body:
        lines.append(f"wrk.body = {_lua_string(request.body.decode('ascii'))}")
    for name, value in request.headers.items():
        lines.append(f"wrk.headers[{_lua_string(name)}] = {_lua_string(value)}")
    return "\n".join(lines) + "\n"


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def _ms(text: str) -> float:
    match = re.fullmatch(r"([0-9.]+)(us|ms|s|m)", text.strip())
    if not match:
        raise ValueError(f"cannot read a wrk latency: {text!r}")
    return float(match.group(1)) * _UNITS[match.group(2)]


def parse_wrk(output: str) -> LoadResult:
    percentiles = dict(re.findall(r"^\s+(50|99)%\s+(\S+)\s*$", output, re.MULTILINE))
    done = re.search(r"^\s*(\d+) requests in ([0-9.]+)(us|ms|s|m)", output, re.MULTILINE)
    rps = re.search(r"^Requests/sec:\s+([0-9.]+)", output, re.MULTILINE)
    if not (done and rps and "50" in percentiles and "99" in percentiles):
        raise ValueError(f"unexpected wrk output:\n{output}")
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    socket = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    return LoadResult(
        requests=int(done.group(1)),
        seconds=_ms(done.group(2) + done.group(3)) / 1000,
        rps=float(rps.group(1)),
        p50_ms=_ms(percentiles["50"]),
        p99_ms=_ms(percentiles["99"]),
        non_2xx=int(non_2xx.group(1)) if non_2xx else 0,
        socket_errors=sum(int(n) for n in socket.groups()) if socket else 0,
        tool="wrk",
    )


def run_wrk(request: Request, *, threads: int, connections: int, duration: int) -> LoadResult:
    found = wrk_path()
    assert found is not None
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(_lua(request))
    try:
        completed = subprocess.run(
            [
                found,
                f"-t{threads}",
                f"-c{connections}",
                f"-d{duration}s",
                "--timeout",
                "2s",
                "--latency",
                "-s",
                script.name,
                request.url,
            ],
            capture_output=True,
            text=True,
            timeout=duration + 60,
            check=False,
        )
    finally:
        Path(script.name).unlink(missing_ok=True)
    if completed.returncode != 0:
        raise RuntimeError(f"wrk failed ({completed.returncode}): {completed.stderr}")
    return parse_wrk(completed.stdout)


# ---------------------------------------------------------------------------------- fallback


async def _connection(
    host: str, port: int, raw: bytes, stop_at: float, budget: list[int], out: list[float]
) -> tuple[int, int]:
    """One keep-alive connection sending ``raw`` until time or budget ends: (non-2xx, errors)."""
    non_2xx = errors = 0
    reader, writer = await asyncio.wait_for(asyncio.open_connection(host, port), 5)
    try:
        while time.monotonic() < stop_at and budget[0] > 0:
            budget[0] -= 1
            started = time.perf_counter()
            writer.write(raw)
            await writer.drain()
            head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 5)
            status = int(head.split(b" ", 2)[1])
            length = re.search(rb"(?i)\r\ncontent-length:\s*(\d+)", head)
            await asyncio.wait_for(reader.readexactly(int(length.group(1)) if length else 0), 5)
            out.append((time.perf_counter() - started) * 1000)
            if not 200 <= status < 400:
                non_2xx += 1
    except (OSError, asyncio.IncompleteReadError, TimeoutError):
        errors += 1
    finally:
        writer.close()
    return non_2xx, errors


async def _fallback(request: Request, connections: int, duration: int) -> LoadResult:
    parts = urlsplit(request.url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    if host not in ("127.0.0.1", "localhost"):
        raise ValueError("load is only ever sent to loopback")
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    headers = {"Host": f"{host}:{port}", **request.headers}
    if request.body:
        headers["Content-Length"] = str(len(request.body))
    head = f"{request.method} {path} HTTP/1.1\r\n" + "".join(
        f"{name}: {value}\r\n" for name, value in headers.items()
    )
    raw = head.encode("latin-1") + b"\r\n" + request.body
    latencies: list[float] = []
    budget = [FALLBACK_MAX_REQUESTS]
    started = time.monotonic()
    results = await asyncio.gather(
        *(
            _connection(host, port, raw, started + duration, budget, latencies)
            for _ in range(connections)
        )
    )
    seconds = time.monotonic() - started
    latencies.sort()

    def pick(q: float) -> float:
        return latencies[min(len(latencies) - 1, int(q * len(latencies)))] if latencies else 0.0

    return LoadResult(
        requests=len(latencies),
        seconds=seconds,
        rps=len(latencies) / seconds,
        p50_ms=pick(0.50),
        p99_ms=pick(0.99),
        non_2xx=sum(n for n, _ in results),
        socket_errors=sum(e for _, e in results),
        tool="python-asyncio fallback",
    )


def run_load(request: Request, *, threads: int, connections: int, duration: int) -> LoadResult:
    """wrk if installed, else the asyncio fallback (its figures are labelled as such)."""
    if wrk_path() is not None:
        return run_wrk(request, threads=threads, connections=connections, duration=duration)
    return asyncio.run(_fallback(request, connections, duration))
