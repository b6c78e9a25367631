"""The vendored upstream file is exactly the one its provenance pins."""

from __future__ import annotations

from pathlib import Path

import pytest

from bigcommerce_refunds.spec.project import (
    ProjectPaths,
    ProvenanceMismatchError,
    build_project_fragment,
)
from bigcommerce_refunds.spec.provenance import read_provenance, sha256_of

ROOT = Path(__file__).resolve().parents[2]
PATHS = ProjectPaths(ROOT)


def test_vendored_upstream_matches_its_pinned_sha256() -> None:
    provenance = read_provenance(PATHS.provenance)
    assert sha256_of(PATHS.upstream) == provenance.sha256
    assert provenance.repository == "github.com/bigcommerce/docs"
    assert provenance.path == "reference/orders.v3.yml"
    assert len(provenance.commit) == 40


def test_client_version_comes_from_the_upstream_commit_date() -> None:
    assert read_provenance(PATHS.provenance).client_version == "2026.2.25"


def test_build_refuses_an_upstream_file_edited_by_hand(tmp_path: Path) -> None:
    (tmp_path / "openapi" / "upstream").mkdir(parents=True)
    copy = ProjectPaths(tmp_path)
    copy.provenance.write_bytes(PATHS.provenance.read_bytes())
    copy.overlay.write_bytes(PATHS.overlay.read_bytes())
    copy.upstream.write_bytes(PATHS.upstream.read_bytes() + b"\n# edited\n")
    with pytest.raises(ProvenanceMismatchError, match="sha256"):
        build_project_fragment(copy)
