"""Preflight: once, before any test, is the target what the run needs?

Each problem is one short message and an exit code (``conformance.outcome``), instead of a
traceback or a failed test per request: the URL's shape (checked when the settings are read),
whether anything answers there, whether the token is accepted, whether the read-only token (if
given) can read, and whether the sandbox control API is there. Every request goes through the
run's choke point, like the tests' requests.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx

from conformance.outcome import ConfigurationError, UnreachableError
from conformance.target import TargetSettings

__all__ = ["PREFLIGHT_TIMEOUT", "PreflightReport", "preflight"]

PREFLIGHT_TIMEOUT = httpx.Timeout(10.0, connect=5.0)
_PROBE = "/orders/payment_actions/refunds"


@dataclass(frozen=True)
class PreflightReport:
    """What preflight learned about the target."""

    control_api: bool
    control_note: str = ""


def _where(url: str) -> str:
    parts = urlsplit(url)
    return parts.netloc or url


def _get(http: httpx.Client, url: str, token: str | None, what: str) -> httpx.Response:
    headers = {"Accept": "application/json"}
    if token is not None:
        headers["X-Auth-Token"] = token
    try:
        return http.get(url, headers=headers, params={"limit": "1"} if _PROBE in url else None)
    except httpx.ConnectError as error:
        raise UnreachableError(
            f"target unreachable: nothing accepts connections at {_where(url)} ({_reason(error)})"
        ) from None
    except httpx.TimeoutException:
        raise UnreachableError(
            f"target unreachable: {_where(url)} did not answer {what} within "
            f"{PREFLIGHT_TIMEOUT.read:g} s"
        ) from None
    except httpx.HTTPError as error:
        raise UnreachableError(
            f"target unreachable: {what} to {_where(url)} failed: {_reason(error)}"
        ) from None


def _reason(error: Exception) -> str:
    text = str(error).strip() or type(error).__name__
    return text.splitlines()[0][:200]


def _looks_like_refund_list(response: httpx.Response) -> bool:
    try:
        body = response.json()
    except ValueError:
        return False
    return isinstance(body, dict) and isinstance(body.get("data"), list)


def preflight(settings: TargetSettings, transport: httpx.BaseTransport) -> PreflightReport:
    """Check the target; raise ConfigurationError (exit 2) or UnreachableError (exit 3)."""
    with httpx.Client(transport=transport, timeout=PREFLIGHT_TIMEOUT) as http:
        probe = settings.base_url + _PROBE
        response = _get(http, probe, settings.token, "GET all refunds")
        status = response.status_code
        if status == 401:
            raise ConfigurationError(
                f"the token was rejected: GET {probe} answered 401 (check TOKEN / "
                "CONFORMANCE_TOKEN, or BIGCOMMERCE_ACCESS_TOKEN for a live store)"
            )
        if status == 403:
            raise ConfigurationError(
                f"the token may not read refunds: GET {probe} answered 403 (it needs the "
                "store_v2_orders or store_v2_transactions scope)"
            )
        if status == 404:
            raise ConfigurationError(
                f"wrong path: GET {probe} answered 404; the base URL must be the API root "
                "ending in /stores/<store hash>/v3 (is the store hash right?)"
            )
        if status >= 500:
            raise UnreachableError(
                f"target unavailable: GET {probe} answered {status}: {response.text[:200]!r}"
            )
        if status != 200 or not _looks_like_refund_list(response):
            raise ConfigurationError(
                f"not the refund API: GET {probe} answered {status} "
                f"({response.headers.get('content-type', 'no content type')}), "
                "not a JSON list of refunds"
            )
        if settings.read_only_token:
            read = _get(http, probe, settings.read_only_token, "GET with the read-only token")
            if read.status_code in {401, 403}:
                raise ConfigurationError(
                    f"the read-only token was rejected: GET {probe} answered "
                    f"{read.status_code} (READ_ONLY_TOKEN / CONFORMANCE_READ_ONLY_TOKEN needs "
                    "store_v2_orders_read_only or store_v2_transactions_read_only)"
                )
        if settings.kind == "live":
            return PreflightReport(control_api=False, control_note="live store: not probed")
        control = _get(http, settings.root_url + "/__sandbox/orders", settings.token, "control")
        if control.status_code == 200:
            return PreflightReport(control_api=True)
        if control.status_code in {401, 403}:
            note = f"present but refused the token ({control.status_code})"
        else:
            note = f"absent ({control.status_code})"
        return PreflightReport(control_api=False, control_note=note)
