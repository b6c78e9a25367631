"""Why each overlay correction did not apply to a synced upstream version.

An action stops applying for one of two opposite reasons: upstream changed (a fix made the
correction unnecessary, or a rename moved its target), or the synced version is older than what
the action corrects (``FeeItem`` before FEE items existed). The first needs the overlay changed,
the second usually needs nothing; a report that gives one cause for both misleads either way.
The sync tells them apart by applying the same overlay to the vendored version it replaces and
comparing the dates of the two versions.
"""

from __future__ import annotations

from bigcommerce_refunds.spec.build import BuildResult
from bigcommerce_refunds.spec.provenance import Provenance, check_date

__all__ = ["explain_gaps", "gap_indices"]


def gap_indices(build: BuildResult) -> set[int]:
    """The indexes of the actions that did not (fully) apply in ``build``."""
    return (
        {action.index for action in build.unmatched}
        | {skipped.action.index for skipped in build.skipped}
        | {unbacked.action.index for unbacked in build.unbacked}
    )


def _known_date(provenance: Provenance | None) -> str | None:
    if provenance is None:
        return None
    try:
        check_date(provenance.date)
    except ValueError:
        return None
    return provenance.date


def _cause(in_old_too: bool, old_provenance: Provenance | None, new_provenance: Provenance) -> str:
    old_date, new_date = _known_date(old_provenance), _known_date(new_provenance)
    old_name = old_date or (old_provenance.commit[:8] if old_provenance else "unknown")
    if in_old_too:
        return f"the vendored version ({old_name}) had this gap too"
    if old_date and new_date and new_date < old_date:
        return (
            f"this upstream version ({new_date}) predates it: the action applies to the "
            f"vendored version ({old_date})"
        )
    if old_date and new_date and new_date > old_date:
        return (
            f"upstream changed this after the vendored version ({old_date}), by a fix or a "
            "rename: check whether the correction is still needed, and retarget or remove it"
        )
    return (
        f"the action applies to the vendored version ({old_name}) but not to this one (with "
        "the dates unknown, the report cannot tell an upstream change from an older version)"
    )


def explain_gaps(
    new: BuildResult,
    old: BuildResult | None,
    old_provenance: Provenance | None,
    new_provenance: Provenance,
) -> dict[int, str]:
    """A cause for every gap of ``new`` (by action index), from the build of the same overlay
    on the vendored version (``old``; None when nothing was vendored or it does not build)."""
    gaps = gap_indices(new)
    if old is None:
        cause = (
            "there is no vendored version to compare with: an upstream fix or rename, or a "
            "version older than the correction"
        )
        return dict.fromkeys(sorted(gaps), cause)
    old_gaps = gap_indices(old)
    return {
        index: _cause(index in old_gaps, old_provenance, new_provenance) for index in sorted(gaps)
    }
