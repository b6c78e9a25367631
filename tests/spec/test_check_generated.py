"""`make check-generated` passes on a clean tree and names every hand-edited or stale file."""

from __future__ import annotations

import shutil
from pathlib import Path

from bigcommerce_refunds.spec.regenerate import check_generated

ROOT = Path(__file__).resolve().parents[2]


def _copy_project(destination: Path) -> Path:
    shutil.copytree(ROOT / "openapi", destination / "openapi")
    shutil.copytree(
        ROOT / "generated",
        destination / "generated",
        ignore=shutil.ignore_patterns("__pycache__", "*.egg-info", ".mypy_cache"),
    )
    return destination


def test_check_generated_names_each_stale_file(tmp_path: Path) -> None:
    project = _copy_project(tmp_path)
    assert check_generated(project) == []

    model = project / "generated" / "bigcommerce_refunds_client" / "models" / "refund.py"
    model.write_text(model.read_text(encoding="utf-8") + "\n# hand edit\n", encoding="utf-8")
    leftover = project / "generated" / "bigcommerce_refunds_client" / "models" / "old_model.py"
    leftover.write_text("class OldModel: ...\n", encoding="utf-8")
    fragment = project / "openapi" / "refunds.yaml"
    fragment.write_text(fragment.read_text(encoding="utf-8").replace("Refund", "Refnud", 1))

    problems = check_generated(project)

    assert any(
        p.startswith("generated/bigcommerce_refunds_client/models/refund.py: differs")
        for p in problems
    ), problems
    assert any("models/old_model.py: not produced by the pipeline" in p for p in problems)
    assert any(p.startswith("openapi/refunds.yaml: differs") for p in problems)
