"""The API gateway in front of the routes: rate limits, authentication, last-resort errors.

A pure ASGI middleware (so it sees every response, including the router's 404/405s) that

1. counts the request against its bucket and adds the ``X-Rate-Limit-*`` headers to the answer,
   whatever the answer is; over quota it answers 429 itself;
2. authenticates ``X-Auth-Token`` (401) and checks scopes (403: POST needs a write scope);
3. turns any unexpected exception into a JSON 500 ErrorResponse *without* re-raising it, so
   in-process clients (httpx, Starlette's TestClient, Schemathesis) see the 500 a real client would
   see. No valid input may reach that path (a planted bug may, on purpose);
4. carries out the drop_connection fault (see faults.py);
5. hands API requests straight to their endpoint (:mod:`dispatch`), the rest to Starlette.

Tokens are never logged: only the method and path of a failing request are.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from starlette.requests import ClientDisconnect
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bigcommerce_refunds.sandbox.auth import Principal
from bigcommerce_refunds.sandbox.dispatch import ApiDispatch
from bigcommerce_refunds.sandbox.errors import error_response
from bigcommerce_refunds.sandbox.faults import ABORT_KEY, ConnectionDropped
from bigcommerce_refunds.sandbox.seams import Seams
from bigcommerce_refunds.sandbox.state import Sandbox

logger = logging.getLogger("bigcommerce_refunds.sandbox")

CONTROL_PREFIX = "/__sandbox"
RATE_HEADERS_KEY = "bigcommerce_refunds.sandbox.rate_limit_headers"
PRINCIPAL_KEY = "bigcommerce_refunds.sandbox.principal"
UNAUTHORIZED = "The X-Auth-Token is missing or invalid."
FORBIDDEN = "You don't have a required scope to access the endpoint"


def is_control(path: str) -> bool:
    return path == CONTROL_PREFIX or path.startswith(CONTROL_PREFIX + "/")


def rate_headers(scope: Scope) -> dict[str, str]:
    """The rate-limit headers computed for this request (for responses built elsewhere)."""
    headers: dict[str, str] = scope.get(RATE_HEADERS_KEY, {})
    return headers


def _auth_token(scope: Scope) -> str | None:
    """The first X-Auth-Token header, as Starlette's ``Headers.get`` reads it (ASGI names are
    lower case), without building a Headers object per request."""
    for name, value in scope["headers"]:
        if name == b"x-auth-token":
            decoded: str = value.decode("latin-1")
            return decoded
    return None


_HEADER_NAMES: dict[str, bytes] = {}


def _header_name(name: str) -> bytes:
    """``name`` lower-cased and encoded, cached (the rate-limit header names are a fixed few)."""
    encoded = _HEADER_NAMES.get(name)
    if encoded is None:
        encoded = _HEADER_NAMES[name] = name.lower().encode("latin-1")
    return encoded


def principal(scope: Scope) -> Principal:
    found: Principal = scope[PRINCIPAL_KEY]
    return found


def _with_headers(response: Response, extra: list[tuple[bytes, bytes]]) -> Response:
    """``response`` with the ``extra`` headers it does not set itself, appended."""
    present = {name for name, _ in response.raw_headers}
    added = [(name, value) for name, value in extra if name not in present]
    if added:
        response.raw_headers = [*response.raw_headers, *added]
    return response


class Gateway:
    def __init__(self, app: ASGIApp, sandbox: Sandbox, dispatch: ApiDispatch | None = None) -> None:
        self.app = app
        self.sandbox = sandbox
        self.dispatch = dispatch

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        method: str = scope["method"]
        control = is_control(path)
        if control and not self.sandbox.config.control_api:
            await error_response(404, "Not found: no such endpoint.")(scope, receive, send)
            return
        seams = self.sandbox.seams
        caller = self.sandbox.auth.authenticate(_auth_token(scope))
        client = scope.get("client")
        bucket = caller.bucket if caller else f"anonymous:{client[0] if client else '-'}"
        limiter = self.sandbox.limiter
        allowance = limiter.peek(bucket) if control else limiter.consume(bucket)
        headers = allowance.headers()
        if seams.rate_limit_headers and not control:
            headers = seams.headers(headers)
        scope[RATE_HEADERS_KEY] = headers
        extra = [(_header_name(name), value.encode("latin-1")) for name, value in headers.items()]
        started = False

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                present = {name.lower() for name, _ in message.get("headers", [])}
                added = [(name, value) for name, value in extra if name not in present]
                message = {**message, "headers": [*message.get("headers", []), *added]}
            await send(message)

        try:
            if not allowance.allowed:
                denial = error_response(429, "Too many requests.", headers=headers)
            else:
                denial, caller = self._authorize(control, path, method, caller, seams)
            if denial is not None:
                await denial(scope, receive, send_with_headers)
                return
            scope[PRINCIPAL_KEY] = caller
            dispatch = None if control else self.dispatch
            endpoint = None if dispatch is None else dispatch.endpoint_for(scope)
            if dispatch is None or endpoint is None:
                await self.app(scope, receive, send_with_headers)
                return
            response = await dispatch.respond(endpoint, scope, receive)
            started = True
            await _with_headers(response, extra)(scope, receive, send)
        except ClientDisconnect:
            return  # the client went away mid-request: nobody to answer
        except ConnectionDropped:
            abort = scope.get("state", {}).get(ABORT_KEY)
            if abort is None or started:
                raise  # in-process: the transport hands the exception to the caller
            abort()
            await _wait_for_disconnect(receive)
        except Exception:
            logger.exception("unexpected error answering %s %s", method, path)
            if not started:
                response = error_response(500, "Internal server error.")
                await response(scope, receive, send_with_headers)

    def _authorize(
        self, control: bool, path: str, method: str, caller: Principal | None, seams: Seams
    ) -> tuple[Any, Principal | None]:
        """(denial response or None, the principal to continue with)."""
        api = path.startswith("/stores/")
        if not control and not api:
            return None, caller  # not an API path: the router answers 404
        writes = method not in ("GET", "HEAD") if control else method == "POST"
        if api and seams.admission:
            caller = seams.admit(caller, writes)
        if caller is None:
            return error_response(401, UNAUTHORIZED), None
        if writes and not caller.can_write:
            return error_response(403, FORBIDDEN), caller
        return None, caller


async def _wait_for_disconnect(receive: Receive) -> None:
    """Let the server notice the aborted socket, so it does not answer 500 for us."""
    try:
        async with asyncio.timeout(2):
            while (await receive())["type"] != "http.disconnect":
                pass
    except TimeoutError:
        logger.warning("dropped connection: no disconnect event within 2 s")


__all__ = ["CONTROL_PREFIX", "Gateway", "is_control", "principal", "rate_headers"]
