"""Configuration the two clients share: where the API is, how long to wait, and the secret.

The access token moves money, so it never lives in a plain attribute: `AccessToken` keeps it
behind a ``reveal()`` call and prints as ``AccessToken('***')``. That is why the façade does not
use the generated ``AuthenticatedClient`` (an attrs class whose repr shows the token).
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final, final
from urllib.parse import quote

import httpx

from .errors import ConfigurationError

__all__ = [
    "API_BASE_URL_TEMPLATE",
    "DEFAULT_TIMEOUT",
    "ENV_ACCESS_TOKEN",
    "ENV_BASE_URL",
    "ENV_STORE_HASH",
    "AccessToken",
    "EnvSettings",
    "read_env",
    "resolve_base_url",
    "resolve_timeout",
]

API_BASE_URL_TEMPLATE: Final = "https://api.bigcommerce.com/stores/{store_hash}/v3"
"""BigCommerce's API gateway; the store hash is the only variable part."""

DEFAULT_TIMEOUT: Final = httpx.Timeout(30.0, connect=5.0)
"""Connect within 5 s, then up to 30 s per read/write/pool wait.

The generated client has no timeout at all: a hung connection would block a refund forever.
"""

ENV_STORE_HASH: Final = "BIGCOMMERCE_STORE_HASH"
ENV_ACCESS_TOKEN: Final = "BIGCOMMERCE_ACCESS_TOKEN"
ENV_BASE_URL: Final = "BIGCOMMERCE_BASE_URL"
"""Optional: a full base URL (e.g. the sandbox's) that replaces the store-hash URL."""

_HEADER_SAFE = re.compile(r"[\x21-\x7e]+")


@final
class AccessToken:
    """An API token that never shows itself in ``repr``, ``str`` or f-strings.

    The only way to read it is :meth:`reveal`, which the transport calls when it builds the
    ``X-Auth-Token`` header. Printable ASCII without spaces is required: anything else would be
    a header-injection risk or a copy-paste accident (a trailing newline from a file).
    """

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        if not isinstance(value, str) or not value:
            raise ConfigurationError("the access token must be a non-empty string")
        if not _HEADER_SAFE.fullmatch(value):
            raise ConfigurationError(
                "the access token contains whitespace or non-printable characters "
                "(a trailing newline from a file?)"
            )
        self._value = value

    def reveal(self) -> str:
        """The secret itself: for building the auth header, nothing else."""
        return self._value

    def __repr__(self) -> str:
        return "AccessToken('***')"

    __str__ = __repr__

    def __format__(self, format_spec: str) -> str:
        return repr(self)


def resolve_base_url(store_hash: str | None, base_url: str | None) -> str:
    """The API root every request path is appended to (no trailing slash).

    ``base_url`` wins when both are given, so the same code can target a sandbox.
    """
    if base_url is not None:
        url = httpx.URL(base_url)
        if url.scheme not in {"http", "https"} or not url.host:
            raise ConfigurationError(f"base_url must be an absolute http(s) URL, got {base_url!r}")
        return base_url.rstrip("/")
    if not store_hash:
        raise ConfigurationError("give a store_hash (or a base_url, e.g. for the sandbox)")
    return API_BASE_URL_TEMPLATE.format(store_hash=quote(store_hash, safe=""))


def resolve_timeout(timeout: httpx.Timeout | float | None) -> httpx.Timeout:
    """A float means the same limit for every phase; ``None`` is refused.

    Refusing ``None`` is deliberate: an unbounded wait on a refund request is never what a
    caller wants, and it would make the retry budget meaningless.
    """
    if timeout is None:
        raise ConfigurationError("timeout=None (wait forever) is not supported; give seconds")
    if isinstance(timeout, httpx.Timeout):
        return timeout
    return httpx.Timeout(float(timeout))


@dataclass(frozen=True)
class EnvSettings:
    """What :func:`read_env` found; ``access_token`` is already wrapped."""

    store_hash: str | None
    access_token: AccessToken
    base_url: str | None


def read_env(environ: Mapping[str, str] | None = None) -> EnvSettings:
    """Read BIGCOMMERCE_STORE_HASH / BIGCOMMERCE_ACCESS_TOKEN (and optional BIGCOMMERCE_BASE_URL).

    Errors name the missing variables, never their values.
    """
    env = os.environ if environ is None else environ
    token = env.get(ENV_ACCESS_TOKEN, "").strip()
    store_hash = env.get(ENV_STORE_HASH, "").strip() or None
    base_url = env.get(ENV_BASE_URL, "").strip() or None
    missing = []
    if not token:
        missing.append(ENV_ACCESS_TOKEN)
    if store_hash is None and base_url is None:
        missing.append(f"{ENV_STORE_HASH} (or {ENV_BASE_URL})")
    if missing:
        raise ConfigurationError("missing environment variable(s): " + ", ".join(missing))
    return EnvSettings(store_hash=store_hash, access_token=AccessToken(token), base_url=base_url)
