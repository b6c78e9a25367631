"""Results to Markdown: the figures table, the targets, the machine; written into bench/README.md.

The README's hand-written text stays; only the part between the ``results`` markers is replaced.
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

from bench.results import Figure, Results

README = Path(__file__).with_name("README.md")
RESULTS_JSON = Path(__file__).with_name("results.json")
START = "<!-- results:start (written by `make bench`; edits here are overwritten) -->"
END = "<!-- results:end -->"


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def machine(extra: dict[str, str]) -> dict[str, str]:
    versions = {
        name: metadata.version(name)
        for name in (
            "uvicorn",
            "starlette",
            "h11",
            "httptools",
            "uvloop",
            "jsonschema",
            "jsonschema-rs",
            "schemathesis",
            "httpx",
        )
        if _installed(name)
    }
    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "cores (nproc)": str(os.cpu_count()),
        "CPU": cpu_model(),
        "Python": sys.version.split()[0],
        "OS": f"{platform.system()} {platform.release()}",
        "load average at start": load_average(),
        "packages": ", ".join(f"{k} {v}" for k, v in versions.items()),
        **extra,
    }


def _installed(name: str) -> bool:
    try:
        metadata.version(name)
    except metadata.PackageNotFoundError:
        return False
    return True


def load_average() -> str:
    """The 1, 5 and 15 minute load averages (other work on the machine shows here)."""
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "?"


def _number(value: float | None, unit: str = "") -> str:
    if value is None:
        return "-"
    if unit in ("req/s", "cases", "cases/s") and value >= 100:
        return f"{value:,.0f}"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    if abs(value) >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}"


def _ratio(figure: Figure) -> str:
    ratio = figure.ratio
    return "-" if ratio is None else f"{ratio:.2f}x {figure.baseline}"


def figures_table(results: Results) -> list[str]:
    lines = [
        "| section | figure | median | unit | ratio to baseline (same run) | runs |",
        "|---|---|---:|---|---|---|",
    ]
    for figure in results.figures:
        runs = ", ".join(_number(v, figure.unit) for v in figure.values)
        lines.append(
            f"| {figure.section} | {figure.name} | {_number(figure.median, figure.unit)} | "
            f"{figure.unit} | {_ratio(figure)} | {runs} |"
        )
    return lines


@dataclass(frozen=True)
class Target:
    what: str
    figure: str
    kind: str  # "ratio>=", "median<=", "median>="
    bound: float


TARGETS = (
    Target(
        "refund POST 201, --h11: >= 3x Prism's req/s",
        "valid refund POST (201): sandbox (h11), req/s vs Prism",
        "ratio>=",
        3,
    ),
    Target(
        "refund POST 201, default server (fast): >= 3x Prism's req/s",
        "valid refund POST (201): sandbox (fast), req/s vs Prism",
        "ratio>=",
        3,
    ),
    Target(
        "refund POST 201, --h11: >= 0.5x the ceiling (h11)",
        "valid refund POST (201): sandbox (h11), req/s vs ceiling",
        "ratio>=",
        0.5,
    ),
    Target(
        "refund POST 201, default server (fast): >= 0.5x the ceiling (fast)",
        "valid refund POST (201): sandbox (fast), req/s vs ceiling",
        "ratio>=",
        0.5,
    ),
    Target(
        "refund POST 201, --h11: p99 < 5 ms at 16 connections",
        "valid refund POST (201): sandbox (h11), p99",
        "median<",
        5,
    ),
    Target(
        "refund POST 201, default server (fast): p99 < 5 ms at 16 connections",
        "valid refund POST (201): sandbox (fast), p99",
        "median<",
        5,
    ),
    Target(
        "invalid body 422, --h11: >= 2x Prism's req/s",
        "invalid body (422): sandbox (h11), req/s vs Prism",
        "ratio>=",
        2,
    ),
    Target(
        "invalid body 422, default server (fast): >= 2x Prism's req/s",
        "invalid body (422): sandbox (fast), req/s vs Prism",
        "ratio>=",
        2,
    ),
    Target(
        "quick profile: >= 2,000 cases", "quick profile (make conformance): cases", "median>=", 2000
    ),
    Target("quick profile: <= 60 s", "quick profile (make conformance): wall time", "median<=", 60),
    Target(
        "Schemathesis positive, sandbox in-process: >= 2x Prism's cases/s",
        "Schemathesis positive: sandbox in-process",
        "ratio>=",
        2,
    ),
    Target(
        "Schemathesis positive, sandbox over HTTP: >= 2x Prism's cases/s",
        "Schemathesis positive: sandbox over HTTP",
        "ratio>=",
        2,
    ),
    Target(
        "Schemathesis negative, sandbox in-process: >= 2x Prism's cases/s",
        "Schemathesis negative: sandbox in-process",
        "ratio>=",
        2,
    ),
    Target(
        "Schemathesis negative, sandbox over HTTP: >= 2x Prism's cases/s",
        "Schemathesis negative: sandbox over HTTP",
        "ratio>=",
        2,
    ),
    Target(
        "façade GET by id: <= 1.5x raw httpx",
        "GET refund by id: façade (RefundsClient.get_refund)",
        "ratio<=",
        1.5,
    ),
    Target(
        "façade refund POST: <= 1.5x raw httpx (one POST)",
        "refund POST: façade (RefundsClient.create_refund)",
        "ratio<=",
        1.5,
    ),
    Target(
        "façade refund POST: <= 1.5x raw httpx (the same GET + POST)",
        "refund POST: façade, vs the same two exchanges raw",
        "ratio<=",
        1.5,
    ),
    Target(
        "façade refund POST, read before refund off: <= 1.5x raw httpx (one POST)",
        "refund POST: façade, read before refund off (RefundsClient.create_refund)",
        "ratio<=",
        1.5,
    ),
)

_CHECKS: dict[str, Callable[[float, float], bool]] = {
    "ratio>=": lambda v, b: v >= b,
    "ratio<=": lambda v, b: v <= b,
    "median>=": lambda v, b: v >= b,
    "median<=": lambda v, b: v <= b,
    "median<": lambda v, b: v < b,
}


def targets_table(results: Results) -> list[str]:
    by_name = {figure.name: figure for figure in results.figures}
    lines = ["| target | measured | verdict |", "|---|---:|---|"]
    for target in TARGETS:
        figure = by_name.get(target.figure)
        value = None
        if figure is not None:
            value = figure.ratio if target.kind.startswith("ratio") else figure.median
        if value is None:
            lines.append(f"| {target.what} | - | not measured |")
            continue
        shown = f"{value:.2f}x" if target.kind.startswith("ratio") else _number(value)
        if _CHECKS[target.kind](value, target.bound):
            verdict = "met"
        else:
            short = abs(value - target.bound) / target.bound
            verdict = f"missed by {short:.0%}" if short >= 0.01 else f"missed by {short:.1%}"
        lines.append(f"| {target.what} | {shown} | {verdict} |")
    return lines


def render(results: Results, info: dict[str, str], settings: dict[str, str]) -> str:
    lines = [START, "", "### Machine and run", ""]
    lines += [f"- **{key}**: {value}" for key, value in info.items()]
    lines += [f"- **{key}**: {value}" for key, value in settings.items()]
    lines += ["", "### Targets", "", *targets_table(results)]
    lines += [
        "",
        "### Figures",
        "",
        "Each figure is the median of its runs; the ratio is the median over runs of "
        "(figure / its baseline measured in the same run).",
        "",
    ]
    lines += figures_table(results)
    if results.notes:
        lines += ["", "### Notes from this run", ""] + [f"- {note}" for note in results.notes]
    lines += ["", END]
    return "\n".join(lines)


def write(
    results: Results, info: dict[str, str], settings: dict[str, str], *, update_readme: bool
) -> None:
    """Print the results; with ``update_readme``, also write results.json and README.md."""
    if update_readme:
        RESULTS_JSON.write_text(
            json.dumps(
                {
                    "machine": info,
                    "settings": settings,
                    "notes": results.notes,
                    "figures": [figure.to_json() for figure in results.figures],
                },
                indent=2,
                ensure_ascii=False,
            )
            + "\n",
            encoding="utf-8",
        )
    text = render(results, info, settings)
    print("\n" + text)
    if not update_readme:
        return
    current = README.read_text(encoding="utf-8") if README.exists() else ""
    if START in current and END in current:
        head, rest = current.split(START, 1)
        tail = rest.split(END, 1)[1]
        README.write_text(head + text + tail, encoding="utf-8")
    else:
        README.write_text(current + ("\n" if current else "") + text + "\n", encoding="utf-8")
    print(f"\nwrote {README} and {RESULTS_JSON}")


def read_results() -> tuple[Results, dict[str, str], dict[str, str]]:
    """The last run, from results.json (to re-render the README without measuring again)."""
    data = json.loads(RESULTS_JSON.read_text(encoding="utf-8"))
    results = Results(notes=list(data["notes"]))
    for item in data["figures"]:
        results.figures.append(
            Figure(
                section=item["section"],
                name=item["name"],
                unit=item["unit"],
                values=list(item["values"]),
                baseline=item["baseline"],
                baseline_values=list(item["baseline_values"]),
                note=item.get("note", ""),
            )
        )
    return results, dict(data["machine"]), dict(data["settings"])


def git_commit() -> str:
    try:
        completed = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
            cwd=README.parent,
        )
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--", "src", "bench"],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
            cwd=README.parent,
        )
    except OSError:
        return "?"
    return completed.stdout.strip() + (" (+ uncommitted changes)" if dirty.stdout.strip() else "")
