"""A planted bug: a name, what it breaks, and how it changes the sandbox's seams.

Like a Schemathesis test-server modifier, a profile is a small named value with one ``apply``: it
takes the :class:`~bigcommerce_refunds.sandbox.seams.Seams` built so far and returns them with its
hook added (or a rule turned off). The helpers below build the ``apply`` of the common cases.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass

from bigcommerce_refunds.sandbox.ruleset import RuleSet
from bigcommerce_refunds.sandbox.seams import (
    AdmissionHook,
    HeadersHook,
    RefundViewHook,
    ResponseHook,
    Seams,
)

Apply = Callable[[Seams], Seams]


@dataclass(frozen=True)
class BugProfile:
    """One deliberate deviation from BigCommerce, switched on by ``name``."""

    name: str
    #: One line: what a conformance suite should notice (listed by ``--help`` and the control API).
    breaks: str
    apply: Apply


def admission(hook: AdmissionHook) -> Apply:
    return lambda seams: dataclasses.replace(seams, admission=(*seams.admission, hook))


def rate_limit_headers(hook: HeadersHook) -> Apply:
    return lambda seams: dataclasses.replace(
        seams, rate_limit_headers=(*seams.rate_limit_headers, hook)
    )


def rules(**changes: object) -> Apply:
    """Apply that changes fields of the rule set (``RuleSet`` field names, checked here)."""
    fields = {field.name for field in dataclasses.fields(RuleSet)}
    unknown = sorted(set(changes) - fields)
    if unknown:
        raise TypeError(f"RuleSet has no field(s) {', '.join(unknown)}")
    return lambda seams: dataclasses.replace(
        seams,
        rules=dataclasses.replace(seams.rules, **changes),  # type: ignore[arg-type]
    )


def refund_view(hook: RefundViewHook) -> Apply:
    return lambda seams: dataclasses.replace(seams, refund_views=(*seams.refund_views, hook))


def response(hook: ResponseHook) -> Apply:
    return lambda seams: dataclasses.replace(seams, responses=(*seams.responses, hook))


__all__ = [
    "Apply",
    "BugProfile",
    "admission",
    "rate_limit_headers",
    "refund_view",
    "response",
    "rules",
]
