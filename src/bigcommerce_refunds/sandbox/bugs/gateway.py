"""Planted bugs at the gateway: who gets in, and which rate-limit headers go out."""

from __future__ import annotations

from bigcommerce_refunds.sandbox.auth import Principal
from bigcommerce_refunds.sandbox.bugs.profile import BugProfile, admission, rate_limit_headers
from bigcommerce_refunds.sandbox.config import WRITE_SCOPES

#: Whoever calls without a valid token, let in by ``auth_bypass``: write access, its own bucket.
ANYONE = Principal(WRITE_SCOPES, "bypass")


def _anyone_for_no_token(caller: Principal | None, writes: bool) -> Principal | None:
    return ANYONE if caller is None else caller


def _writer_for_read_only(caller: Principal | None, writes: bool) -> Principal | None:
    if caller is None or not writes or caller.can_write:
        return caller
    return Principal(caller.scopes | WRITE_SCOPES, caller.bucket)


def _no_headers(headers: dict[str, str]) -> dict[str, str]:
    return {}


AUTH_BYPASS = BugProfile(
    "auth_bypass",
    "A missing or unknown X-Auth-Token is accepted (with write scopes).",
    admission(_anyone_for_no_token),
)
READONLY_CAN_WRITE = BugProfile(
    "readonly_can_write",
    "A read-only token may POST refunds and quotes.",
    admission(_writer_for_read_only),
)
MISSING_RATE_LIMIT_HEADERS = BugProfile(
    "missing_rate_limit_headers",
    "Refund API responses carry no X-Rate-Limit-* headers.",
    rate_limit_headers(_no_headers),
)

__all__ = ["ANYONE", "AUTH_BYPASS", "MISSING_RATE_LIMIT_HEADERS", "READONLY_CAN_WRITE"]
