"""The project's own spec files and the `make spec` entry point."""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path

from bigcommerce_refunds.spec.build import BuildResult, build_fragment_file
from bigcommerce_refunds.spec.overlay import load_overlay
from bigcommerce_refunds.spec.provenance import read_provenance, sha256_of


@dataclass(frozen=True)
class ProjectPaths:
    """Where a checkout keeps its spec files."""

    root: Path

    @property
    def upstream(self) -> Path:
        return self.root / "openapi" / "upstream" / "orders.v3.yml"

    @property
    def provenance(self) -> Path:
        return self.root / "openapi" / "upstream" / "PROVENANCE.json"

    @property
    def overlay(self) -> Path:
        return self.root / "openapi" / "overlay.yaml"

    @property
    def fragment(self) -> Path:
        return self.root / "openapi" / "refunds.yaml"


class ProvenanceMismatchError(RuntimeError):
    """The vendored upstream file is not the one its provenance pins."""


def build_project_fragment(paths: ProjectPaths) -> BuildResult:
    """Build the fragment from a checkout's files, checking the upstream file's sha256 first."""
    provenance = read_provenance(paths.provenance)
    actual = sha256_of(paths.upstream)
    if actual != provenance.sha256:
        raise ProvenanceMismatchError(
            f"{paths.upstream} has sha256 {actual}, but {paths.provenance} pins "
            f"{provenance.sha256}; re-vendor it with `make sync-spec` instead of editing it"
        )
    return build_fragment_file(paths.upstream, load_overlay(paths.overlay), provenance)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="build_spec", description="Build openapi/refunds.yaml from upstream + overlay."
    )
    parser.add_argument("--root", type=Path, default=Path.cwd(), help="project checkout")
    parser.add_argument("--output", type=Path, help="write here instead of openapi/refunds.yaml")
    args = parser.parse_args(argv)
    paths = ProjectPaths(args.root)
    result = build_project_fragment(paths)
    if result.unmatched or result.skipped or result.unbacked:
        for action in result.unmatched:
            print(f"overlay {action.label} matched nothing", file=sys.stderr)
        for skipped in result.skipped:
            print(f"overlay {skipped.action.label} skipped: {skipped.reason}", file=sys.stderr)
        for unbacked in result.unbacked:
            for reason in unbacked.reasons:
                print(f"overlay {unbacked.action.label}: {reason}", file=sys.stderr)
        print("error: stale overlay actions; fix openapi/overlay.yaml", file=sys.stderr)
        return 1
    output = args.output or paths.fragment
    output.write_text(result.text, encoding="utf-8", newline="\n")
    print(f"wrote {output} ({len(result.text.encode())} bytes)")
    return 0
