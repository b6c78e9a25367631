"""Report wording: parameters are named, and every count in a heading equals the bullets below it.

Issue 15: a parameter's changes were located as ``parameters[2]`` (a position, which also shifts
when the overlay drops a header), and the generated-API section said "Breaking (18)" above 12
bullets (the four functions of an operation module share a bullet).
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

from bigcommerce_refunds.spec.diff import diff_fragments
from bigcommerce_refunds.spec.report import Report, render_markdown
from tests.spec_sync.projects import CURRENT, Synced
from tests.spec_sync.test_diff_rules import fragment

QUERY = {"in": "query", "schema": {"type": "string"}}
ACCEPT = {"name": "Accept", "in": "header", "required": True, "schema": {"type": "string"}}


def test_a_parameters_changes_are_located_by_its_name_not_its_position() -> None:
    old = fragment(parameters=[ACCEPT, {"name": "page", **QUERY}, {"name": "created:min", **QUERY}])
    changed = {"name": "created:min", "in": "query", "schema": {"type": "integer"}}
    new = fragment(parameters=[{"name": "page", **QUERY}, changed, {"name": "limit", **QUERY}])
    diff = diff_fragments(old, new)
    locations = {change.kind: change.location for change in diff.changes}
    base = "paths['/things'].post.parameters"
    assert locations == {
        "type-changed": f"{base}[created:min in query].schema.type",
        "parameter-added": f"{base}[limit in query]",
        "parameter-removed": f"{base}[Accept in header]",
    }
    for location in locations.values():
        assert not re.search(r"parameters\[\d", location)


# ---------------------------------------------------------------------------------- counts
_COUNTED = (
    re.compile(r"^### .*: (?P<breaking>\d+) breaking, (?P<other>\d+) not$"),
    re.compile(r"^\*\*(?:Breaking|Non-breaking) \((?P<n>\d+)\)\*\*"),
    re.compile(r"^\*\*(?P<n>\d+) overlay action\(s\) "),
    re.compile(r"^(?P<n>\d+) action\(s\) matched but changed nothing"),
    re.compile(r"^<details><summary>.*\((?P<n>\d+)\)</summary>$"),
)


def counted_sections(markdown: str) -> list[tuple[str, int, int]]:
    """(heading, count it states, top-level bullets until the next heading or counted line)."""
    lines = markdown.splitlines()
    found = []
    for index, line in enumerate(lines):
        for pattern in _COUNTED:
            match = pattern.match(line)
            if not match:
                continue
            groups = match.groupdict()
            stated = (
                int(groups["n"])
                if "n" in groups
                else int(groups["breaking"]) + int(groups["other"])
            )
            bullets = 0
            for following in lines[index + 1 :]:
                if following.startswith(("### ", "**", "<details>", "</details>")) or any(
                    p.match(following) for p in _COUNTED
                ):
                    break
                bullets += following.startswith("- ")
            found.append((line, stated, bullets))
    return found


def summary_rows(markdown: str) -> dict[str, tuple[int, int]]:
    rows = re.findall(r"^\| ([A-Za-z ]+) \| (\d+) \| (\d+) \|$", markdown, flags=re.MULTILINE)
    return {name: (int(breaking), int(other)) for name, breaking, other in rows}


@pytest.mark.parametrize(
    ("old", "new"), [(CURRENT, "4d032cb0"), ("cb4dad27", "31d7d5e8"), ("2299d239", "cb4dad27")]
)
def test_every_count_equals_the_bullets_it_heads(
    synced: Callable[[str, str], Synced], old: str, new: str
) -> None:
    markdown = render_markdown(Report.from_sync(synced(old, new).result))
    sections = counted_sections(markdown)
    assert any(line.startswith("**Breaking (") for line, _, _ in sections)
    for heading, stated, bullets in sections:
        assert stated == bullets, heading
    api = markdown.split("### Generated client API")[1].split("\n### ")[0]
    breaking = int(re.search(r"\*\*Breaking \((\d+)\)\*\*", api)[1])  # type: ignore[index]
    other_match = re.search(r"\*\*Non-breaking \((\d+)\)\*\*", api)
    other = int(other_match[1]) if other_match else 0
    assert summary_rows(markdown)["generated client API"] == (breaking, other)
    verdict = next(line for line in markdown.splitlines() if line.startswith("**Verdict"))
    assert f"{breaking} generated client API" in verdict
