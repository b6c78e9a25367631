"""Report rendering, and a sync whose overlay no longer keeps the generator quiet."""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from bigcommerce_refunds.spec.apidiff import ApiChange, ApiDiff
from bigcommerce_refunds.spec.diff import diff_fragments
from bigcommerce_refunds.spec.report import REPORT_VERSION, Report, render_json, render_markdown
from bigcommerce_refunds.spec.sync import sync
from tests.spec_sync.projects import CHECKOUT, copy_project, provenance_of, spec_file
from tests.spec_sync.test_diff_rules import fragment, obj

STRING = {"type": "string"}


def sample() -> Report:
    old = fragment(
        request=obj({"a": STRING}),
        response=obj({"kind": {"type": "string", "enum": ["A"]}, "gone": STRING}),
    )
    new = fragment(
        request=obj({"a": STRING, "b": STRING}),
        response=obj({"kind": {"type": "string", "enum": ["A", "B"]}, "added": STRING}),
    )
    api = ApiDiff(
        (
            ApiChange("parameter-type-changed", "api.x.create_thing.sync(body)", "A -> B", True),
            ApiChange("parameter-type-changed", "api.x.create_thing.asyncio(body)", "A -> B", True),
            ApiChange("model-added", "Thing", "models.thing", False),
        )
    )
    return Report("Spec diff: a → b", diff_fragments(old, new), api_diff=api)


def test_markdown_puts_the_verdict_first_and_breaking_changes_first_per_side() -> None:
    markdown = render_markdown(sample())
    lines = markdown.splitlines()
    assert lines[0] == "## Spec diff: a → b"
    verdict = next(line for line in lines if line.startswith("**Verdict"))
    assert "BREAKING" in verdict
    assert "2 response side" in verdict
    response = markdown.split("### Response side")[1].split("###")[0]
    assert response.index("**breaking** — enum value `B` added") < response.index(
        "non-breaking — field added"
    )
    assert response.index("**breaking** — field removed") < response.index(
        "non-breaking — field added"
    )
    assert "createThing response 200 body `kind`" in response
    request = markdown.split("### Request side")[1].split("###")[0]
    assert "non-breaking — field added (optional, string)" in request
    # The four functions of an operation module share one line.
    assert "`api.x.create_thing.{sync, asyncio}(body)` — `A -> B`" in markdown


def test_json_carries_the_same_verdict_and_counts() -> None:
    data = json.loads(render_json(sample()))
    assert data["report_version"] == REPORT_VERSION
    assert data["breaking"] is True
    assert data["summary"] == {
        "operation": {"breaking": 0, "non_breaking": 0},
        "request": {"breaking": 0, "non_breaking": 1},
        "response": {"breaking": 2, "non_breaking": 1},
        # As the Markdown lists them: sync and asyncio of one module share an entry.
        "client_api": {"breaking": 1, "non_breaking": 1},
    }
    assert len(data["client_api"]["changes"]) == 3, "the JSON still lists every change"
    kinds = {change["kind"] for change in data["spec"]["changes"]}
    assert kinds == {"field-added", "field-removed", "enum-value-added"}
    assert len(data["spec"]["changes"]) == 4


def test_no_changes_says_so() -> None:
    same = fragment(request=obj({"a": STRING}))
    report = Report("Spec diff", diff_fragments(same, same))
    assert "**Verdict: no changes**" in render_markdown(report)
    assert json.loads(render_json(report))["breaking"] is False


def test_generator_warnings_are_reported_and_the_client_still_regenerates(
    tmp_path: Path,
) -> None:
    """Without the overlay's XML/multipart removals, the generator warns about the quote body:
    the sync regenerates anyway, and the report says why `make generate` will fail."""
    root = copy_project(CHECKOUT, tmp_path)
    overlay_path = root / "openapi" / "overlay.yaml"
    overlay = yaml.safe_load(overlay_path.read_text(encoding="utf-8"))
    overlay["actions"] = [
        action
        for action in overlay["actions"]
        if "application/xml" not in action["target"] and "multipart" not in action["target"]
    ]
    overlay_path.write_text(yaml.safe_dump(overlay, sort_keys=False), encoding="utf-8")
    provenance = provenance_of("current")
    result = sync(root, str(spec_file("current")), commit=provenance.commit, date=provenance.date)
    assert "Unsupported content type application/xml" in result.generator_warnings
    assert "/tmp" not in result.generator_warnings.splitlines()[0]
    assert result.overlay_gaps
    body = "api.payment_actions.create_order_refund_quotes.sync(body)"
    assert result.api_diff.find("parameter-type-changed", body)[0].breaking
    markdown = render_markdown(Report.from_sync(result))
    assert "### Generator warnings" in markdown
    assert "`make generate` fails until the overlay handles these" in markdown
    assert (root / "generated" / "bigcommerce_refunds_client" / "models").is_dir()
