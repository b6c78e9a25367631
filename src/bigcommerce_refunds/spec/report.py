"""The change report of a spec sync (or of a plain fragment diff), as Markdown and as JSON.

The Markdown is written to be pasted as a pull-request description: a verdict first, then what
needs a human (overlay corrections that stopped applying), then the changes per side, breaking
ones first, each with its JSON location and the operations it reaches. The JSON carries the same
data for machines (the scheduled workflow labels its pull request from ``breaking``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

from bigcommerce_refunds.spec.apidiff import ApiChange, ApiDiff
from bigcommerce_refunds.spec.build import BuildResult
from bigcommerce_refunds.spec.diff import Change, Side, SpecDiff
from bigcommerce_refunds.spec.provenance import Provenance
from bigcommerce_refunds.spec.sync import SyncResult
from bigcommerce_refunds.spec.verify import Verification

__all__ = [
    "REPORT_VERSION",
    "Report",
    "render_failure_json",
    "render_failure_markdown",
    "render_json",
    "render_markdown",
]

REPORT_VERSION = 1
_SIDES: tuple[tuple[Side, str], ...] = (
    ("operation", "Operations"),
    ("request", "Request side (what clients send)"),
    ("response", "Response side (what clients receive)"),
)
_WARNING_LINES = 60
_FUNCTION_NAME = re.compile(r"^(?P<module>api\..+)\.(?P<function>\w+)(?P<rest>\(.*\))?$")


@dataclass(frozen=True)
class Report:
    """What a report shows; built from a :class:`SyncResult` or from a bare fragment diff."""

    title: str
    spec_diff: SpecDiff
    old: Provenance | None = None
    new: Provenance | None = None
    api_diff: ApiDiff | None = None
    build: BuildResult | None = None
    masked: tuple[Change, ...] = ()
    generator_warnings: str = ""
    verification: Verification | None = None
    notes: tuple[str, ...] = ()
    gap_causes: dict[int, str] = field(default_factory=dict)

    @classmethod
    def from_sync(cls, result: SyncResult) -> Report:
        old, new = result.old_provenance, result.new_provenance
        title = f"Spec sync: {_short(old)} → {_short(new)}"
        return cls(
            title=title,
            spec_diff=result.spec_diff,
            old=old,
            new=new,
            api_diff=result.api_diff,
            build=result.build,
            masked=result.masked,
            generator_warnings=result.generator_warnings,
            verification=result.verification,
            notes=result.notes,
            gap_causes=result.gap_causes,
        )

    @property
    def breaking(self) -> bool:
        return self.spec_diff.breaking or (self.api_diff is not None and self.api_diff.breaking)

    @property
    def overlay_gaps(self) -> bool:
        build_gaps = self.build is not None and not self.build.complete
        return build_gaps or bool(self.generator_warnings)

    def counts(self) -> dict[str, dict[str, int]]:
        """Breaking and non-breaking changes per side (and for the generated API)."""
        result: dict[str, dict[str, int]] = {}
        for side, _ in _SIDES:
            changes = self.spec_diff.on(side)
            breaking = sum(1 for change in changes if change.breaking_on(side))
            result[side] = {"breaking": breaking, "non_breaking": len(changes) - breaking}
        # As listed: the four functions of an operation module share one entry (see _grouped).
        api = self.api_diff.changes if self.api_diff else ()
        result["client_api"] = {
            "breaking": len(_grouped(change for change in api if change.breaking)),
            "non_breaking": len(_grouped(change for change in api if not change.breaking)),
        }
        return result


def _short(provenance: Provenance | None) -> str:
    if provenance is None:
        return "(nothing vendored)"
    commit = provenance.commit[:8] if provenance.commit != "unknown" else "unknown commit"
    return f"{commit} ({provenance.date})"


# ---------------------------------------------------------------------------------- markdown
def _verdict(report: Report) -> str:
    counts = report.counts()
    labels = {
        "operation": "operations",
        "request": "request side",
        "response": "response side",
        "client_api": "generated client API",
    }
    parts = [
        f"{counts[key]['breaking']} {labels[key]}" for key in labels if counts[key]["breaking"]
    ]
    if report.breaking:
        verdict = "**Verdict: BREAKING for clients** — breaking changes: " + ", ".join(parts) + "."
    elif any(counts[key]["non_breaking"] for key in counts) or report.spec_diff.components:
        verdict = "**Verdict: no breaking changes** (non-breaking changes only)."
    else:
        verdict = "**Verdict: no changes** to the refund operations or the generated client."
    if report.overlay_gaps:
        verdict += (
            "\n\n**The overlay did not fully apply** (see below): `make spec` and "
            "`make check-generated` fail on this tree until openapi/overlay.yaml is updated."
        )
    return verdict


def _summary_table(report: Report) -> list[str]:
    counts = report.counts()
    rows = [
        ("operations", counts["operation"]),
        ("request side", counts["request"]),
        ("response side", counts["response"]),
    ]
    if report.api_diff is not None:
        rows.append(("generated client API", counts["client_api"]))
    lines = ["| | breaking | non-breaking |", "|---|---:|---:|"]
    lines += [f"| {name} | {row['breaking']} | {row['non_breaking']} |" for name, row in rows]
    return lines


def _provenance_lines(report: Report) -> list[str]:
    lines = []
    for label, provenance in (("old", report.old), ("new", report.new)):
        if provenance is not None:
            lines.append(
                f"- {label}: {provenance.repository} `{provenance.path}` @ `{provenance.commit}` "
                f"({provenance.date}), sha256 `{provenance.sha256[:16]}…`"
            )
    return lines


def _cause(build_causes: dict[int, str], index: int) -> str:
    cause = build_causes.get(index)
    return f" — *why:* {cause}" if cause else ""


def _overlay_section(build: BuildResult, causes: dict[int, str]) -> list[str]:
    lines = ["### Overlay corrections", ""]
    if build.complete and not build.noop:
        return [*lines, "Every overlay action applied and changed the document."]
    if build.unmatched:
        lines += [
            f"**{len(build.unmatched)} overlay action(s) match nothing** in this upstream "
            "version; each says why (compared with the vendored version). Update "
            "openapi/overlay.yaml where upstream changed:",
            "",
        ]
        lines += [
            f"- action {a.index} `{a.target}`: {a.description}{_cause(causes, a.index)}"
            for a in build.unmatched
        ]
        lines.append("")
    if build.skipped:
        lines += [
            f"**{len(build.skipped)} overlay action(s) skipped** because their result would "
            "refer to something that does not exist:",
            "",
        ]
        lines += [
            f"- action {s.action.index} `{s.action.target}`: {s.reason}"
            f"{_cause(causes, s.action.index)}"
            for s in build.skipped
        ]
        lines.append("")
    if build.unbacked:
        lines += [
            f"**{len(build.unbacked)} overlay action(s) constrain what this upstream version "
            "does not define** (applied, but a required field, field or parameter they name "
            "is not upstream's):",
            "",
        ]
        lines += [
            f"- action {u.action.index} `{u.action.target}`: {'; '.join(u.reasons)}"
            f"{_cause(causes, u.action.index)}"
            for u in build.unbacked
        ]
        lines.append("")
    if build.missing_operations:
        lines += [
            "**Refund operations missing upstream:** "
            + ", ".join(f"`{op}`" for op in build.missing_operations),
            "",
        ]
    if build.noop:
        lines += [
            f"{len(build.noop)} action(s) matched but changed nothing (upstream may have fixed "
            "the defect; consider removing them):",
            "",
        ]
        lines += [f"- action {a.index} `{a.target}`: {a.description}" for a in build.noop]
        lines.append("")
    return lines


def _change_lines(change: Change, side: Side) -> list[str]:
    label = "**breaking**" if change.breaking_on(side) else "non-breaking"
    lines = [f"- {label} — {change.message} — `{change.location}`"]
    lines += [f"  - {use.describe()}" for use in change.uses_on(side)]
    return lines


def _side_sections(diff: SpecDiff) -> list[str]:
    lines: list[str] = []
    for side, heading in _SIDES:
        changes = sorted(diff.on(side), key=lambda change: not change.breaking_on(side))
        if not changes:
            continue
        breaking = sum(1 for change in changes if change.breaking_on(side))
        lines += ["", f"### {heading}: {breaking} breaking, {len(changes) - breaking} not", ""]
        for change in changes:
            lines += _change_lines(change, side)
    return lines


def _grouped(changes: Iterable[ApiChange]) -> list[str]:
    """One line per change; the four functions of an operation module share a line."""
    groups: dict[tuple[str, str, str, str], list[str]] = {}
    for change in changes:
        match = None if change.kind.startswith("module-") else _FUNCTION_NAME.match(change.name)
        if match:
            key = (change.kind, match["module"], match["rest"] or "", change.detail)
            groups.setdefault(key, []).append(match["function"])
        else:
            groups.setdefault((change.kind, change.name, "", change.detail), [])
    lines = []
    for (kind, name, rest, detail), functions in groups.items():
        if functions:
            joined = functions[0] if len(functions) == 1 else "{" + ", ".join(functions) + "}"
            name = f"{name}.{joined}{rest}"
        text = kind.replace("-", " ")
        lines.append(f"- {text}: `{name}`" + (f" — `{detail}`" if detail else ""))
    return lines


def _api_section(diff: ApiDiff) -> list[str]:
    breaking = [change for change in diff.changes if change.breaking]
    other = [change for change in diff.changes if not change.breaking]
    lines = ["", "### Generated client API", ""]
    if not diff.changes:
        return [*lines, "No public API changes (models, fields, enum members, functions)."]
    if breaking:
        entries = _grouped(breaking)
        lines += [
            f"**Breaking ({len(entries)})** — code written against the old client may "
            "stop importing or type-checking:",
            "",
            *entries,
            "",
        ]
    if other:
        entries = _grouped(other)
        lines += [f"**Non-breaking ({len(entries)})**", "", *entries]
    return lines


def _verification_section(verification: Verification) -> list[str]:
    lines = ["", "### Verification", ""]
    for check in verification.checks:
        mark = "passed" if check.ok else "**FAILED**"
        lines.append(f"- {mark}: {check.name} — {check.summary} ({check.seconds:.1f} s)")
        if check.output:
            lines += ["", "  ```", *(f"  {line}" for line in check.output.splitlines()), "  ```"]
    return lines


def render_markdown(report: Report) -> str:
    """The report as Markdown (a pull-request description)."""
    lines = [f"## {report.title}", ""]
    provenance = _provenance_lines(report)
    if provenance:
        lines += [*provenance, ""]
    lines += [_verdict(report), "", *_summary_table(report), ""]
    if report.build is not None:
        lines += _overlay_section(report.build, report.gap_causes)
    if report.generator_warnings:
        warnings = report.generator_warnings.splitlines()
        shown = warnings[:_WARNING_LINES]
        if len(warnings) > _WARNING_LINES:
            shown.append(f"... ({len(warnings) - _WARNING_LINES} more lines in the JSON report)")
        lines += [
            "",
            "### Generator warnings",
            "",
            "openapi-python-client generated the client only without `--fail-on-warning`; "
            "`make generate` fails until the overlay handles these:",
            "",
            "```",
            *shown,
            "```",
        ]
    lines += _side_sections(report.spec_diff)
    if report.api_diff is not None:
        lines += _api_section(report.api_diff)
    if report.spec_diff.components:
        lines += ["", "### Schema components", ""]
        lines += [
            f"- {change.kind.removeprefix('component-')}: `{change.location}`"
            for change in report.spec_diff.components
        ]
    if report.masked:
        lines += [
            "",
            f"<details><summary>Upstream changes the overlay hides ({len(report.masked)})"
            "</summary>",
            "",
            "Upstream changed these spots, but the fragment did not change there (an overlay "
            "action overrides or removes them). Check the corrections still make sense.",
            "",
        ]
        lines += [f"- {change.message} — `{change.location}`" for change in report.masked]
        lines += ["", "</details>"]
    if report.verification is not None:
        lines += _verification_section(report.verification)
    if report.notes:
        lines += ["", "### Notes", "", *(f"- {note}" for note in report.notes)]
    return "\n".join(lines).rstrip() + "\n"


# ---------------------------------------------------------------------------------- json
def _action(index: int, target: str, description: str, **extra: Any) -> dict[str, Any]:
    return {"index": index, "target": target, "description": description, **extra}


def render_json(report: Report, *, exit_status: int | None = None) -> str:
    """The report as JSON (stable key order, for machines and for tests)."""
    data: dict[str, Any] = {
        "report_version": REPORT_VERSION,
        "title": report.title,
        "failed": False,
        "exit_status": exit_status,
        "old": asdict(report.old) if report.old else None,
        "new": asdict(report.new) if report.new else None,
        "breaking": report.breaking,
        "overlay_gaps": report.overlay_gaps,
        "summary": report.counts(),
        "spec": report.spec_diff.to_json(),
        "client_api": report.api_diff.to_json() if report.api_diff else None,
        "masked_upstream_changes": [change.to_json() for change in report.masked],
        "generator_warnings": report.generator_warnings,
        "verification": report.verification.to_json() if report.verification else None,
        "notes": list(report.notes),
    }
    if report.build is not None:
        build, causes = report.build, report.gap_causes
        data["overlay"] = {
            "complete": build.complete,
            "unmatched": [
                _action(a.index, a.target, a.description, cause=causes.get(a.index))
                for a in build.unmatched
            ],
            "skipped": [
                _action(
                    s.action.index,
                    s.action.target,
                    s.action.description,
                    reason=s.reason,
                    cause=causes.get(s.action.index),
                )
                for s in build.skipped
            ],
            "unbacked": [
                _action(
                    u.action.index,
                    u.action.target,
                    u.action.description,
                    reasons=list(u.reasons),
                    cause=causes.get(u.action.index),
                )
                for u in build.unbacked
            ],
            "noop": [_action(a.index, a.target, a.description) for a in build.noop],
            "missing_operations": list(build.missing_operations),
        }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


# ---------------------------------------------------------------------------------- failures
def render_failure_markdown(
    title: str, error: str, exit_status: int, *, nothing_changed: bool = True
) -> str:
    """What a failed command writes where its report would go.

    A failed sync writes nothing to the project, but it must not leave the previous sync's
    report in place either: read later (or by the scheduled workflow), it would pass for the
    result of this run.
    """
    if nothing_changed:
        outcome = (
            "nothing was changed.** The project's spec files and generated client are as they "
            "were before this run; there is no change report."
        )
    else:
        outcome = (
            "it stopped on an unexpected error.** Check `git status`: revert any partly written "
            "files with `git checkout -- openapi generated`."
        )
    return (
        f"## {title}\n\n"
        f"**The sync failed (exit status {exit_status}); {outcome}\n\n"
        "```\n"
        f"{error.strip()}\n"
        "```\n"
    )


def render_failure_json(
    title: str, error: str, exit_status: int, *, nothing_changed: bool = True
) -> str:
    """The JSON twin of :func:`render_failure_markdown`: ``failed`` is true, and the verdict
    fields are null (not false), so that no reader takes a failure for a clean sync."""
    data = {
        "report_version": REPORT_VERSION,
        "title": title,
        "failed": True,
        "exit_status": exit_status,
        "error": error.strip(),
        "nothing_changed": nothing_changed,
        "breaking": None,
        "overlay_gaps": None,
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
