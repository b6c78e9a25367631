"""Regeneration: the wall time of ``make generate``, against openapi-python-client alone.

``make generate`` (fresh tree from openapi/refunds.yaml, swapped into generated/; its output is
byte-reproducible, and the run checks that generated/ is unchanged afterwards) is timed as a
person runs it, make and ``uv run`` included. The baseline, in the same run, is the generator
alone writing into a temporary directory (:func:`generate_into`, the same arguments).
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from bench.procs import ROOT
from bench.results import Results
from bigcommerce_refunds.spec.regenerate import GENERATOR_CONFIG, generate_into

SECTION = "Regeneration"


def _generated_unchanged() -> bool | None:
    """Whether git sees no change under generated/ (None: not a git checkout)."""
    git = shutil.which("git")
    if git is None or not (ROOT / ".git").exists():
        return None
    completed = subprocess.run(
        [git, "status", "--porcelain", "--", "generated"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    return completed.returncode == 0 and not completed.stdout.strip()


def measure(results: Results, *, runs: int) -> None:
    make = shutil.which("make")
    if make is None:
        results.note("make generate: not measured: make is not installed")
        return
    before = _generated_unchanged()
    for run in range(1, runs + 1):
        with tempfile.TemporaryDirectory(prefix="bench-generate-") as tmp:
            started = time.perf_counter()
            generate_into(
                ROOT / "openapi" / "refunds.yaml", ROOT / GENERATOR_CONFIG, Path(tmp) / "client"
            )
            alone = time.perf_counter() - started
        started = time.perf_counter()
        completed = subprocess.run(
            [make, "-s", "generate"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        seconds = time.perf_counter() - started
        if completed.returncode != 0:
            results.note(f"make generate failed (run {run}): {completed.stderr[-1000:]}")
            return
        print(
            f"  make generate run {run}: {seconds:.2f} s (openapi-python-client alone "
            f"{alone:.2f} s)",
            flush=True,
        )
        results.figure(SECTION, "openapi-python-client alone (temporary directory)", "s").add(alone)
        results.figure(SECTION, "make generate", "s", "openapi-python-client alone").add(
            seconds, alone
        )
    after = _generated_unchanged()
    if before and after is False:
        results.note("make generate changed generated/: the output is not reproducible here")
