"""A loopback forwarding proxy: Schemathesis' way to the target through the choke point.

Schemathesis runs as its own process, with its own HTTP stack; rather than patch that stack, the
suite points it at ``http://127.0.0.1:<port>/<the target's path>`` and this proxy forwards every
request, byte for byte, to the target through the run's :class:`~conformance.chokepoint.ChokePoint`
(pacing, 429 retries, request policies, counting), and the answer back. Reports that Schemathesis
writes with the proxy's address are rewritten to the target's (:meth:`LoopbackProxy.unproxied`),
so every reproduction line names the real server.

The standard library's threading HTTP server is enough: Schemathesis sends one request at a time,
and an answer is held back only while the choke point waits for the quota.
"""

from __future__ import annotations

import http
import http.server
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx

from conformance.chokepoint import REFUSED_HEADER, ChokePoint, RequestRefusedError

__all__ = ["LoopbackProxy", "serve_proxy"]

#: Connection-level headers: they describe one hop, never the request itself (RFC 9110 7.6.1).
_HOP_BY_HOP = frozenset(
    {
        "connection",
        "keep-alive",
        "proxy-authenticate",
        "proxy-authorization",
        "te",
        "trailer",
        "transfer-encoding",
        "upgrade",
        "host",
        "content-length",
    }
)
REFUSED_STATUS = 599


@dataclass(frozen=True)
class LoopbackProxy:
    """A running proxy: ``url`` replaces ``upstream`` (both without a trailing slash)."""

    url: str
    upstream: str

    def proxied(self, url: str) -> str:
        """``url`` on the target, as reached through the proxy."""
        return self.url + url[len(self.upstream) :] if url.startswith(self.upstream) else url

    def unproxied(self, text: str) -> str:
        """``text`` (a report) with the proxy's address replaced by the target's."""
        return text.replace(self.url, self.upstream)


def _handler(chokepoint: ChokePoint, upstream: str) -> type[http.server.BaseHTTPRequestHandler]:
    class Forward(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive: Schemathesis reuses its connection
        # Small answers written at once and sent at once: without these, Nagle's algorithm and the
        # client's delayed ACK add ~40 ms to every request.
        disable_nagle_algorithm = True

        def _forward(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length > 0 else b""
            headers = [
                (name, value)
                for name, value in self.headers.items()
                if name.lower() not in _HOP_BY_HOP
            ]
            request = httpx.Request(
                self.command, upstream + self.path, headers=headers, content=body
            )
            try:
                response = chokepoint.handle_request(request)
            except httpx.LocalProtocolError as error:
                # Not sendable as HTTP/1.1 (e.g. a NUL byte in a header): what an h11 server
                # such as uvicorn answers to it, rather than a 502 no server would send.
                self._answer(400, [(b"Content-Type", b"text/plain")], f"proxy: {error}".encode())
                return
            except RequestRefusedError as refused:
                self._answer(
                    REFUSED_STATUS, [(REFUSED_HEADER.encode(), b"1")], refused.reason.encode()
                )
                return
            except httpx.HTTPError as error:
                self._answer(502, [(b"Content-Type", b"text/plain")], f"proxy: {error}".encode())
                return
            try:
                raw = b"".join(response.iter_raw())
            finally:
                response.close()
            kept = [
                (name, value)
                for name, value in response.headers.raw
                if name.decode("latin-1").lower() not in _HOP_BY_HOP
            ]
            self._answer(response.status_code, kept, raw)

        def _answer(self, status: int, headers: list[tuple[bytes, bytes]], body: bytes) -> None:
            try:
                reason = http.HTTPStatus(status).phrase
            except ValueError:
                reason = "Refused by the conformance suite" if status == REFUSED_STATUS else ""
            head = [f"{self.protocol_version} {status} {reason}".encode("latin-1")]
            head += [name + b": " + value for name, value in headers]
            head.append(b"Content-Length: " + str(len(body)).encode())
            self.log_request(status)
            # Headers and body in one write (see disable_nagle_algorithm).
            self.wfile.write(
                b"\r\n".join(head) + b"\r\n\r\n" + (b"" if self.command == "HEAD" else body)
            )

        def log_message(self, format: str, *args: object) -> None:
            return  # requests are counted by the choke point; no access log (no secrets either)

        def __getattr__(self, name: str) -> object:
            # do_GET, do_POST, ...: every method is forwarded, including the undeclared ones
            # Schemathesis tries (unsupported_method).
            if name.startswith("do_"):
                return self._forward
            raise AttributeError(name)

    return Forward


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    # Threads per connection; a refused socket would surface as a confusing 502 in Schemathesis.
    request_queue_size = 64


@contextmanager
def serve_proxy(chokepoint: ChokePoint, upstream: str) -> Iterator[LoopbackProxy]:
    """Serve a proxy to ``upstream``'s origin (scheme, host, port) on a free loopback port."""
    upstream = upstream.rstrip("/")
    parts = urlsplit(upstream)
    server = _Server(("127.0.0.1", 0), _handler(chokepoint, f"{parts.scheme}://{parts.netloc}"))
    thread = threading.Thread(target=server.serve_forever, name="conformance-proxy", daemon=True)
    thread.start()
    try:
        port = server.server_address[1]
        yield LoopbackProxy(
            url=f"http://127.0.0.1:{port}", upstream=f"{parts.scheme}://{parts.netloc}"
        )
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
