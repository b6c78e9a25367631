"""Planted-bug profiles: small named deviations that make the sandbox a broken server on purpose.

Like Schemathesis' own test servers, the sandbox can misbehave in one precise way at a time, so the
conformance suite can prove it notices: a check that never fails against a broken server checks
nothing. Each profile (:class:`~.profile.BugProfile`) is a minimal, targeted change, switched on by
name through ``SandboxConfig.bugs``, ``--bug NAME`` or ``POST /__sandbox/bugs``.

This package is the only place that knows them. The sandbox exposes seams
(:mod:`bigcommerce_refunds.sandbox.seams`); each profile plugs into one, in the module named for
it: :mod:`.gateway`, :mod:`.rules`, :mod:`.store`, :mod:`.refund_views`, :mod:`.responses`.
:func:`seams_for` turns the active names into the seams the sandbox runs with.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from types import MappingProxyType

from bigcommerce_refunds.sandbox.bugs import gateway, refund_views, responses, rules, store
from bigcommerce_refunds.sandbox.bugs.profile import BugProfile
from bigcommerce_refunds.sandbox.seams import PLAIN, Seams

#: Every profile, in the order ``BUG_PROFILES`` lists them.
CATALOG: tuple[BugProfile, ...] = (
    responses.WRONG_STATUS,
    refund_views.MISSING_FIELD,
    refund_views.RENAMED_FIELD,
    refund_views.MISTYPED_FIELD,
    responses.WRONG_CONTENT_TYPE,
    rules.SERVER_ERROR_ON_EDGE,
    rules.OVER_REFUND,
    rules.MISMATCHED_PAYMENTS,
    store.LOST_WRITE,
    gateway.AUTH_BYPASS,
    responses.WRONG_ERROR_SHAPE,
    refund_views.TOTAL_NOT_SUM,
    gateway.MISSING_RATE_LIMIT_HEADERS,
    gateway.READONLY_CAN_WRITE,
    refund_views.TAX_ADJUSTMENT_ITEMS,
    refund_views.STALE_READS,
    rules.NEGATIVE_AMOUNT_ACCEPTED,
    rules.GUEST_STORE_CREDIT,
    rules.TAX_NOT_REFUNDED,
    refund_views.WRONG_ITEM_QUANTITY,
)
_BY_NAME: Mapping[str, BugProfile] = {profile.name: profile for profile in CATALOG}

BUG_PROFILES: Mapping[str, str] = MappingProxyType(
    {profile.name: profile.breaks for profile in CATALOG}
)

#: Profiles applied before the others when active together: ``total_not_sum`` adds its cent to
#: ``total_amount`` before ``renamed_field`` renames the field.
_FIRST = ("total_not_sum",)


class UnknownBugError(ValueError):
    """A bug profile name the sandbox does not know (the message lists the known ones)."""


def validate_bugs(names: Iterable[str]) -> frozenset[str]:
    """The names as a frozenset, or UnknownBugError naming the unknown ones and the known ones."""
    requested = frozenset(names)
    unknown = sorted(requested - BUG_PROFILES.keys())
    if unknown:
        known = ", ".join(sorted(BUG_PROFILES))
        raise UnknownBugError(f"unknown bug profile(s): {', '.join(unknown)}; known: {known}")
    return requested


def seams_for(names: Iterable[str]) -> Seams:
    """The seams with the named profiles plugged in (:data:`PLAIN` for none)."""
    active = validate_bugs(names)
    seams = PLAIN
    ordered = sorted(active, key=lambda name: (name not in _FIRST, CATALOG.index(_BY_NAME[name])))
    for name in ordered:
        seams = _BY_NAME[name].apply(seams)
    return seams


__all__ = ["BUG_PROFILES", "CATALOG", "BugProfile", "UnknownBugError", "seams_for", "validate_bugs"]
