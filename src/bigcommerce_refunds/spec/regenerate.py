"""Regenerate the client with openapi-python-client, reproducibly, and detect stale output.

openapi-python-client's ``--overwrite`` leaves files of removed models behind, so generation always
happens in a fresh temporary directory, which then replaces ``generated/`` whole.
"""

from __future__ import annotations

import filecmp
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from bigcommerce_refunds.spec.project import ProjectPaths, build_project_fragment

GENERATED_DIR = "generated"
GENERATOR_CONFIG = Path("openapi") / "generator-config.yaml"


class GenerationError(RuntimeError):
    """openapi-python-client failed or reported problems with the fragment."""


def _generator_executable() -> str:
    """The openapi-python-client installed beside this interpreter (the pinned one)."""
    candidate = Path(sys.executable).with_name("openapi-python-client")
    found = str(candidate) if candidate.exists() else shutil.which("openapi-python-client")
    if found is None:
        raise GenerationError("openapi-python-client is not installed; run `make install`")
    return found


def generate_into(
    fragment: Path, config: Path, destination: Path, *, fail_on_warning: bool = True
) -> str:
    """Run the generator on ``fragment``, writing a complete project at ``destination``.

    Returns the generator's output (its warnings, when ``fail_on_warning`` is off: a spec sync
    still regenerates a client for an upstream version the overlay does not fully handle yet,
    and reports the warnings instead of failing).
    """
    bin_dir = str(Path(sys.executable).parent)
    env_path = bin_dir + ":" + (os.environ.get("PATH", ""))
    strictness = ["--fail-on-warning"] if fail_on_warning else []
    completed = subprocess.run(
        [
            _generator_executable(),
            "generate",
            "--path",
            str(fragment),
            "--config",
            str(config),
            "--meta",
            "uv",
            "--output-path",
            str(destination),
            *strictness,
        ],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PATH": env_path},
    )
    if completed.returncode != 0:
        raise GenerationError(
            f"openapi-python-client failed ({completed.returncode}):\n"
            f"{completed.stdout}\n{completed.stderr}"
        )
    return completed.stdout + completed.stderr


def swap_in(fresh: Path, root: Path) -> None:
    """Replace ``generated/`` under ``root`` with the tree at ``fresh`` (no stale files left)."""
    target = root / GENERATED_DIR
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(fresh, target)


def regenerate(root: Path) -> None:
    """Regenerate ``generated/`` from ``openapi/refunds.yaml`` (a fresh tree, swapped in)."""
    with tempfile.TemporaryDirectory(prefix="bcr-gen-") as tmp:
        fresh = Path(tmp) / "client"
        generate_into(root / "openapi" / "refunds.yaml", root / GENERATOR_CONFIG, fresh)
        swap_in(fresh, root)


def _tree_differences(expected: Path, actual: Path, prefix: str) -> list[str]:
    problems: list[str] = []
    comparison = filecmp.dircmp(expected, actual, ignore=["__pycache__", ".mypy_cache"])
    for name in sorted(comparison.left_only):
        problems.append(f"{prefix}{name}: missing (the pipeline produces it)")
    for name in sorted(comparison.right_only):
        problems.append(f"{prefix}{name}: not produced by the pipeline (stale or hand-added)")
    for name in sorted(comparison.common_files):
        if not filecmp.cmp(expected / name, actual / name, shallow=False):
            problems.append(f"{prefix}{name}: differs from what the pipeline produces")
    for name in sorted(comparison.common_dirs):
        problems.extend(_tree_differences(expected / name, actual / name, f"{prefix}{name}/"))
    return problems


def check_generated(root: Path) -> list[str]:
    """Rebuild fragment and client in a temporary directory; list every stale file."""
    paths = ProjectPaths(root)
    problems: list[str] = []
    result = build_project_fragment(paths)
    problems.extend(
        f"openapi/overlay.yaml: {action.label} matched nothing" for action in result.unmatched
    )
    problems.extend(
        f"openapi/overlay.yaml: {skipped.action.label} skipped: {skipped.reason}"
        for skipped in result.skipped
    )
    problems.extend(
        f"openapi/overlay.yaml: {unbacked.action.label}: {reason}"
        for unbacked in result.unbacked
        for reason in unbacked.reasons
    )
    current = paths.fragment.read_bytes() if paths.fragment.exists() else b""
    if current != result.text.encode("utf-8"):
        problems.append(
            "openapi/refunds.yaml: differs from what the pipeline produces (run `make spec`)"
        )
    with tempfile.TemporaryDirectory(prefix="bcr-check-") as tmp:
        fragment = Path(tmp) / "refunds.yaml"
        fragment.write_text(result.text, encoding="utf-8", newline="\n")
        fresh = Path(tmp) / "client"
        generate_into(fragment, root / GENERATOR_CONFIG, fresh)
        actual = root / GENERATED_DIR
        if not actual.is_dir():
            problems.append("generated/: missing (run `make generate`)")
        else:
            problems.extend(_tree_differences(fresh, actual, "generated/"))
    return problems
