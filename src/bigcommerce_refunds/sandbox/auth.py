"""X-Auth-Token checks: constant-time comparison, scopes, and nothing secret in any output.

A request's token is compared with *every* configured token using :func:`hmac.compare_digest`, so
neither the match nor the position of a mismatch shows in the timing. The result is a
:class:`Principal` that carries scopes and an opaque rate-limit bucket name, never the token.
"""

from __future__ import annotations

import hmac
from collections.abc import Mapping
from dataclasses import dataclass

from bigcommerce_refunds.sandbox.config import WRITE_SCOPES


@dataclass(frozen=True)
class Principal:
    """Who is calling, as far as the sandbox cares: scopes and a rate-limit bucket."""

    scopes: frozenset[str]
    bucket: str

    @property
    def can_write(self) -> bool:
        return bool(self.scopes & WRITE_SCOPES)


class Authenticator:
    def __init__(self, tokens: Mapping[str, frozenset[str]]) -> None:
        self._tokens = [
            (token.encode("utf-8"), Principal(frozenset(scopes), f"token-{index}"))
            for index, (token, scopes) in enumerate(tokens.items())
        ]

    def authenticate(self, presented: str | None) -> Principal | None:
        """The principal of a valid token, else None (missing, empty or unknown token)."""
        if not presented:
            return None
        # Header values arrive latin-1 decoded; surrogateescape keeps any byte comparable.
        candidate = presented.encode("utf-8", "surrogateescape")
        found: Principal | None = None
        for token, principal in self._tokens:
            if hmac.compare_digest(candidate, token):
                found = principal
        return found

    def __repr__(self) -> str:
        return f"Authenticator(<{len(self._tokens)} tokens redacted>)"


__all__ = ["Authenticator", "Principal"]
