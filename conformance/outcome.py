"""The exit codes of a conformance run, and the error that ends a run before any test.

| code | meaning |
|---|---|
| 0 | the target conforms (every test passed) |
| 1 | the target does not conform (a test failed; the report names the rule) |
| 2 | configuration error (bad URL, missing or rejected token, unknown profile, ...) |
| 3 | the target is unreachable (nothing listening, DNS, TLS, timeout, 5xx on a plain read) |

Issue 14's ``bigcommerce-refunds conformance`` command returns the same codes; the Makefile only
passes them on.
"""

from __future__ import annotations

__all__ = [
    "CONFIGURATION_ERROR",
    "CONFORMS",
    "DOES_NOT_CONFORM",
    "UNREACHABLE",
    "ConfigurationError",
    "RunAbortedError",
    "UnreachableError",
]

CONFORMS = 0
DOES_NOT_CONFORM = 1
CONFIGURATION_ERROR = 2
UNREACHABLE = 3


class RunAbortedError(Exception):
    """The run cannot start; ``str()`` is the one message shown, ``exit_code`` the code."""

    exit_code = CONFIGURATION_ERROR


class ConfigurationError(RunAbortedError):
    """The target, token or profile is wrong (exit 2); the message says how to fix it."""

    exit_code = CONFIGURATION_ERROR


class UnreachableError(RunAbortedError):
    """Nothing usable answers at the target (exit 3)."""

    exit_code = UNREACHABLE
