"""Sandbox configuration: one frozen value, safe to print (tokens are redacted from its repr)."""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from types import MappingProxyType

DEFAULT_TOKEN = "sandbox-token"
READ_ONLY_TOKEN = "sandbox-read-token"

# A token needs one of these to create quotes and refunds (and to POST to the control API).
WRITE_SCOPES: frozenset[str] = frozenset({"store_v2_orders", "store_v2_transactions"})
# Read-only scopes may only GET.
READ_SCOPES: frozenset[str] = frozenset(
    {"store_v2_orders_read_only", "store_v2_transactions_read_only"}
)

# fullmatch(): "$" would let "sandbox\n" through.
_STORE_HASH = re.compile(r"[A-Za-z0-9_-]{1,64}")


def default_tokens() -> Mapping[str, frozenset[str]]:
    """The two well-known sandbox tokens: one with write scopes, one read-only."""
    return MappingProxyType({DEFAULT_TOKEN: WRITE_SCOPES, READ_ONLY_TOKEN: READ_SCOPES})


_now_cache: tuple[int, datetime] = (-1, datetime.min.replace(tzinfo=UTC))


def utc_now() -> datetime:
    """The default clock for refund ``created`` timestamps (UTC, second precision).

    One datetime per second, reused: under load most refunds share their second.
    """
    global _now_cache
    second = int(time.time())
    cached = _now_cache
    if cached[0] != second:
        cached = _now_cache = (second, datetime.fromtimestamp(second, UTC))
    return cached[1]


@dataclass(frozen=True, repr=False)
class SandboxConfig:
    """Everything that makes one sandbox differ from another.

    ``now`` stamps refunds (inject a fixed clock for reproducible bodies); ``monotonic`` drives the
    rate-limit windows (inject a fake clock to test resets without sleeping); ``seed`` makes
    probabilistic fault injection reproducible.
    """

    store_hash: str = "sandbox"
    tokens: Mapping[str, frozenset[str]] = field(default_factory=default_tokens)
    rate_limit_quota: int = 150
    rate_limit_window_ms: int = 30_000
    fixtures_path: Path | None = None
    max_body_bytes: int = 64 * 1024
    bugs: frozenset[str] = frozenset()
    now: Callable[[], datetime] = utc_now
    monotonic: Callable[[], float] = time.monotonic
    seed: int = 0
    #: False: ``/__sandbox/`` answers 404, so the sandbox can pose as a live store (live mode).
    control_api: bool = True

    def __post_init__(self) -> None:
        if not isinstance(self.store_hash, str) or not _STORE_HASH.fullmatch(self.store_hash):
            raise ValueError("store_hash must be 1-64 characters of A-Z, a-z, 0-9, '_' or '-'")
        if self.rate_limit_quota < 1:
            raise ValueError("rate_limit_quota must be at least 1")
        if self.rate_limit_window_ms < 1:
            raise ValueError("rate_limit_window_ms must be at least 1")
        if self.max_body_bytes < 1:
            raise ValueError("max_body_bytes must be at least 1")
        if not self.tokens:
            raise ValueError("at least one token is required")
        for token, scopes in self.tokens.items():
            if not isinstance(token, str) or not token or not token.isprintable():
                # Not echoing the token: it is a secret even when it is malformed.
                raise ValueError("tokens must be non-empty printable strings")
            if not isinstance(scopes, frozenset):
                raise ValueError("token scopes must be frozensets of scope names")
        # Freeze the mapping, so a caller's dict cannot change the sandbox behind its back.
        object.__setattr__(self, "tokens", MappingProxyType(dict(self.tokens)))
        # Imported here: the bug layer sits above the sandbox modules that read this config.
        from bigcommerce_refunds.sandbox.bugs import validate_bugs

        object.__setattr__(self, "bugs", validate_bugs(self.bugs))

    def __repr__(self) -> str:
        # Tokens are secrets: say how many there are, never what they are.
        return (
            f"SandboxConfig(store_hash={self.store_hash!r}, tokens=<{len(self.tokens)} redacted>, "
            f"rate_limit_quota={self.rate_limit_quota}, "
            f"rate_limit_window_ms={self.rate_limit_window_ms}, "
            f"fixtures_path={self.fixtures_path!r}, max_body_bytes={self.max_body_bytes}, "
            f"bugs={sorted(self.bugs)!r}, seed={self.seed}, control_api={self.control_api})"
        )

    __str__ = __repr__


__all__ = [
    "DEFAULT_TOKEN",
    "READ_ONLY_TOKEN",
    "READ_SCOPES",
    "WRITE_SCOPES",
    "SandboxConfig",
    "default_tokens",
    "utc_now",
]
