"""The seams a deliberately broken sandbox plugs into: where a planted bug may change behaviour.

The sandbox's domain and HTTP modules know no planted bug. They expose a few explicit seams, all
held in one immutable :class:`Seams` value that :class:`~bigcommerce_refunds.sandbox.state.Sandbox`
rebuilds whenever the active bugs change (see the ``bugs`` package, which is the only place that
fills them):

========================  ==============================================================
``admission``             the gateway: who an API caller is let in as (auth, scopes)
``rate_limit_headers``    the gateway: the ``X-Rate-Limit-*`` headers an API answer carries
``rules``                 the rule set quotes and refunds are checked with (:mod:`ruleset`)
``keeps_refunds``         the store's commit: whether a created refund is recorded
``refund_views``          a refund object as it is served (the 201 and the three reads)
``responses``             a refund operation's response on its way out (status, body, type)
========================  ==============================================================

:data:`PLAIN` has every seam empty. The request path pays one attribute read and one truth test per
seam it passes; nothing is built per request unless a hook is installed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from bigcommerce_refunds.sandbox.ruleset import STRICT, RuleSet

if TYPE_CHECKING:
    from starlette.responses import Response

    from bigcommerce_refunds.sandbox.auth import Principal
    from bigcommerce_refunds.sandbox.store import RefundRecord

#: (caller or None when the token is missing or unknown, whether the request writes) -> the caller
#: to let in (None: 401), on the refund API's paths only.
AdmissionHook = Callable[["Principal | None", bool], "Principal | None"]
#: The rate-limit headers an API answer carries -> the ones it will carry.
HeadersHook = Callable[[dict[str, str]], dict[str, str]]
#: (the refund object as served, the refund, whether it is read by id) -> the object to serve.
RefundViewHook = Callable[[dict[str, Any], "RefundRecord", bool], dict[str, Any]]
#: (operationId, the response) -> the response to send.
ResponseHook = Callable[[str, "Response"], "Response"]


@dataclass(frozen=True)
class Seams:
    """Every seam's hooks (empty: the sandbox behaves as BigCommerce does)."""

    admission: tuple[AdmissionHook, ...] = ()
    rate_limit_headers: tuple[HeadersHook, ...] = ()
    rules: RuleSet = STRICT
    keeps_refunds: bool = True
    refund_views: tuple[RefundViewHook, ...] = ()
    responses: tuple[ResponseHook, ...] = ()

    def admit(self, caller: Principal | None, writes: bool) -> Principal | None:
        for hook in self.admission:
            caller = hook(caller, writes)
        return caller

    def headers(self, headers: dict[str, str]) -> dict[str, str]:
        for hook in self.rate_limit_headers:
            headers = hook(headers)
        return headers

    def outgoing(self, operation_id: str, response: Response) -> Response:
        for hook in self.responses:
            response = hook(operation_id, response)
        return response


PLAIN = Seams()

__all__ = [
    "PLAIN",
    "AdmissionHook",
    "HeadersHook",
    "RefundViewHook",
    "ResponseHook",
    "Seams",
]
