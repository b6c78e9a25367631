"""Direct dispatch of the refund API's routes, skipping Starlette's router stack on the hot path.

Every API request used to go through the exception middleware, the router, the route's
``request_response`` wrapper and a ``send`` wrapper per layer: about a fifth of the sandbox's time
per refund POST, for nothing the API routes use. :class:`ApiDispatch` matches the same ``Route``
objects the router holds (their compiled path regexes and parameter convertors, so paths and path
parameters are read identically; under a ``root_path``, through ``Route.matches`` itself), calls
the endpoint and hands its response back to the gateway, which adds the rate-limit headers and
sends it.

Everything else still goes to Starlette: control API paths, unknown paths (JSON 404) and known
paths with a wrong method (405 with ``Allow``). The endpoints answer their 4xx by raising
:class:`ApiError`, which is the only exception handled here; any other exception reaches the
gateway, as it did through the router.

Paths end where they end: Starlette compiles a route's path to ``^...$``, and ``$`` also matches
just before a final newline, so ``/refunds/1000%0A`` was served as refund 1000 (and a POST to
``/orders/106%0A/...`` recorded a refund). :func:`anchored` rewrites every route's regex to end in
``\\Z`` (the end of the string, nothing after it), for the router and for this dispatch alike.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Iterable, Sequence
from typing import TypeVar

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Match, Route
from starlette.types import Receive, Scope

from bigcommerce_refunds.sandbox.errors import ApiError

Endpoint = Callable[[Request], Awaitable[Response]]
RouteT = TypeVar("RouteT", bound=BaseRoute)


def anchored(routes: Iterable[RouteT]) -> list[RouteT]:
    """``routes``, each path regex ending at the very end of the path (``\\Z``, not ``$``)."""
    fixed = list(routes)
    for route in fixed:
        regex: re.Pattern[str] | None = getattr(route, "path_regex", None)
        if regex is not None and regex.pattern.endswith("$"):
            route.path_regex = re.compile(  # type: ignore[attr-defined]  # Route and Mount have it
                regex.pattern[:-1] + r"\Z", regex.flags
            )
    return fixed


class InFlight:
    """How many API requests are being answered right now, and how many have been answered.

    A request held by an injected ``latency`` fault is in flight until its answer is ready, so a
    test that provoked a client timeout can wait for the server to finish (and its refund, if any,
    to be committed) by polling these counts instead of sleeping. ``finished`` only grows (it is
    not reset with the sandbox). Changed only on the event loop's thread; reading them from
    another thread is safe.
    """

    __slots__ = ("count", "finished")

    def __init__(self) -> None:
        self.count = 0
        self.finished = 0


class ApiDispatch:
    """The API routes, matched in order like the router matches them."""

    def __init__(self, routes: Sequence[Route], in_flight: InFlight | None = None) -> None:
        self._routes = tuple(routes)
        self.in_flight = InFlight() if in_flight is None else in_flight
        # (path regex, its convertors, methods, endpoint): what Route.matches reads, minus the
        # child scope it builds for every route it tries.
        self._compiled = tuple(
            (route.path_regex, route.param_convertors, route.methods or set(), route.endpoint)
            for route in self._routes
        )

    def endpoint_for(self, scope: Scope) -> Endpoint | None:
        """The endpoint for this request (path params set in ``scope``), or None for Starlette.

        None also for a known path with a method it does not take: the router answers that 405.
        """
        if scope.get("root_path"):  # mounted under a prefix: let Starlette strip it
            return self._endpoint_via_starlette(scope)
        path: str = scope["path"]
        for regex, convertors, methods, endpoint in self._compiled:
            match = regex.fullmatch(path)  # fullmatch: no trailing newline, whatever the regex
            if match is None:
                continue
            if scope["method"] not in methods:
                return None
            scope["path_params"] = {
                name: convertors[name].convert(value) for name, value in match.groupdict().items()
            }
            found: Endpoint = endpoint
            return found
        return None

    def _endpoint_via_starlette(self, scope: Scope) -> Endpoint | None:
        for route in self._routes:
            match, child_scope = route.matches(scope)
            if match is Match.FULL:
                scope.update(child_scope)
                endpoint: Endpoint = route.endpoint
                return endpoint
            if match is Match.PARTIAL:
                return None
        return None

    async def respond(self, endpoint: Endpoint, scope: Scope, receive: Receive) -> Response:
        """The endpoint's response, or the one its ApiError carries."""
        in_flight = self.in_flight
        in_flight.count += 1
        try:
            return await endpoint(Request(scope, receive))
        except ApiError as error:
            return error.response
        finally:
            in_flight.count -= 1
            in_flight.finished += 1


__all__ = ["ApiDispatch", "Endpoint", "InFlight", "anchored"]
