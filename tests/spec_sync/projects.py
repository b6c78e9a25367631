"""Scratch projects for the spec-sync tests: the checkout's spec files, copied, at any version.

Every sync in these tests runs in a copy (openapi/ inputs and outputs, generated/) under pytest's
temporary directory; nothing writes to the checkout.
"""

from __future__ import annotations

import functools
import json
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from bigcommerce_refunds.spec.overlay import Overlay, load_overlay
from bigcommerce_refunds.spec.provenance import Provenance, read_provenance
from bigcommerce_refunds.spec.sync import SyncResult, rebuild, sync, vendor
from bigcommerce_refunds.spec.yamlio import load_yaml

CHECKOUT = Path(__file__).resolve().parents[2]
HISTORY = CHECKOUT / "tests" / "data" / "upstream_history"
CURRENT = "current"

#: Upstream versions, oldest first, by short commit; "current" is the checkout's vendored file.
VERSIONS = ("4d032cb0", "2299d239", "cb4dad27", "31d7d5e8", CURRENT)
HISTORY_VERSIONS = VERSIONS[:-1]

#: The syncs that also run the verify step (mypy --strict, example round trip): one into each
#: history file. The rest of the history is covered by the project's own checks.
VERIFIED = frozenset(
    {
        ("4d032cb0", "2299d239"),
        ("2299d239", "cb4dad27"),
        ("cb4dad27", "31d7d5e8"),
        (CURRENT, "4d032cb0"),
    }
)

# What a scratch project needs: the pipeline's inputs, its outputs, and the generator config.
_PROJECT_FILES = (
    "openapi/overlay.yaml",
    "openapi/generator-config.yaml",
    "openapi/refunds.yaml",
    "openapi/upstream/orders.v3.yml",
    "openapi/upstream/PROVENANCE.json",
)


def spec_file(version: str) -> Path:
    """The upstream file of ``version``."""
    if version == CURRENT:
        return CHECKOUT / "openapi" / "upstream" / "orders.v3.yml"
    return HISTORY / f"orders.v3@{version}.yml"


@functools.cache
def checkout_overlay() -> Overlay:
    """The checkout's overlay, parsed once."""
    return load_overlay(CHECKOUT / "openapi" / "overlay.yaml")


@functools.cache
def upstream_document(version: str) -> dict[str, Any]:
    """The parsed upstream file of ``version``, parsed once: copy it before changing it."""
    document: dict[str, Any] = load_yaml(spec_file(version))
    return document


def provenance_of(version: str) -> Provenance:
    """The recorded provenance of ``version`` (sha256 included)."""
    if version == CURRENT:
        return read_provenance(CHECKOUT / "openapi" / "upstream" / "PROVENANCE.json")
    entry = json.loads((HISTORY / "provenance.json").read_text(encoding="utf-8"))["files"][
        spec_file(version).name
    ]
    return Provenance(
        entry["repository"], entry["path"], entry["commit"], entry["date"], entry["sha256"]
    )


def copy_project(source: Path, destination: Path) -> Path:
    """Copy a project's spec files and ``generated/`` (no caches) to ``destination``."""
    for relative in _PROJECT_FILES:
        target = destination / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source / relative, target)
    shutil.copytree(
        source / "generated",
        destination / "generated",
        ignore=shutil.ignore_patterns("__pycache__", ".mypy_cache"),
    )
    return destination


@dataclass(frozen=True)
class Synced:
    """A scratch project after a sync, and what the sync reported."""

    root: Path
    result: SyncResult


class History:
    """Scratch projects at each version, and syncs between them, each made once per session.

    The project at 4d032cb0 (the oldest) is made with :func:`vendor` and :func:`rebuild`; the
    project at each later history version is the result of the sync into it from its
    predecessor (the same files a vendor + rebuild gives, and one generation fewer each).
    """

    def __init__(self, factory: pytest.TempPathFactory, mypy_cache: Path) -> None:
        self._factory = factory
        self._mypy_cache = mypy_cache
        self._baselines: dict[str, Path] = {}
        self._synced: dict[tuple[str, str], Synced] = {}

    def baseline(self, version: str) -> Path:
        """A project at ``version``; callers copy it before changing it."""
        if version not in self._baselines:
            if version == CURRENT:
                root = CHECKOUT
            elif version == VERSIONS[0]:
                root = copy_project(CHECKOUT, self._factory.mktemp(f"baseline-{version}"))
                pinned = vendor(root, spec_file(version), provenance_of(version))
                assert pinned.sha256 == provenance_of(version).sha256
                rebuild(root)
            else:
                root = self.synced(VERSIONS[VERSIONS.index(version) - 1], version).root
            self._baselines[version] = root
        return self._baselines[version]

    def synced(self, old: str, new: str) -> Synced:
        """A copy of the project at ``old``, synced to ``new`` (verified if in VERIFIED)."""
        key = (old, new)
        if key not in self._synced:
            root = copy_project(self.baseline(old), self._factory.mktemp(f"sync-{old}-{new}"))
            provenance = provenance_of(new)
            result = sync(
                root,
                str(spec_file(new)),
                repository=provenance.repository,
                path=provenance.path,
                commit=provenance.commit,
                date=provenance.date,
                verify=key in VERIFIED,
                mypy_cache_dir=self._mypy_cache,
            )
            self._synced[key] = Synced(root, result)
        return self._synced[key]
