"""Fixtures for the spec-sync tests: scratch projects at each upstream version, synced once.

Nothing here writes to the checkout: every sync runs in a copy of the project's spec files and
``generated/`` under pytest's temporary directory. Regeneration runs the real, pinned
openapi-python-client (a few seconds each), so each project at an old version is prepared once
per session, each sync runs once and its result is shared by the tests that look at it, and mypy
shares one cache directory.
"""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from bigcommerce_refunds.spec import regenerate
from tests.spec_sync.projects import History, Synced


@pytest.fixture(scope="session", autouse=True)
def generation_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Run openapi-python-client once per distinct fragment in the session.

    Several syncs end at the same fragment (every version synced to the current one; the
    oldest version prepared by rebuild and reached by a sync). The generator is byte-for-byte
    reproducible (`make check-generated` depends on it), so a stored tree is exactly what a
    second run would write; every distinct fragment is still really generated once. Failures
    are not stored.
    """
    cache = tmp_path_factory.mktemp("generated-cache")
    real = regenerate.generate_into

    def cached(
        fragment: Path, config: Path, destination: Path, *, fail_on_warning: bool = True
    ) -> str:
        digest = hashlib.sha256()
        for part in (fragment.read_bytes(), config.read_bytes(), bytes([fail_on_warning])):
            digest.update(hashlib.sha256(part).digest())
        entry = cache / digest.hexdigest()
        if not entry.exists():
            scratch = cache / f"{entry.name}.partial"
            try:
                output = real(fragment, config, scratch / "tree", fail_on_warning=fail_on_warning)
            except Exception:
                shutil.rmtree(scratch, ignore_errors=True)
                raise
            (scratch / "output.txt").write_text(output, encoding="utf-8")
            scratch.rename(entry)
        shutil.copytree(entry / "tree", destination)
        return (entry / "output.txt").read_text(encoding="utf-8")

    with pytest.MonkeyPatch.context() as patch:
        # The sync module's own reference; regenerate.py (make generate) is left alone.
        patch.setattr("bigcommerce_refunds.spec.sync.generate_into", cached)
        yield cache


@pytest.fixture(scope="session")
def mypy_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One mypy cache for every verify step: the generated packages share most imports."""
    return tmp_path_factory.mktemp("mypy-cache")


@pytest.fixture(scope="session")
def history(tmp_path_factory: pytest.TempPathFactory, mypy_cache: Path) -> History:
    return History(tmp_path_factory, mypy_cache)


@pytest.fixture(scope="session")
def baseline(history: History) -> Callable[[str], Path]:
    """version -> a project at that version (copy it before changing it)."""
    return history.baseline


@pytest.fixture(scope="session")
def synced(history: History) -> Callable[[str, str], Synced]:
    """(old, new) -> a copy of the project at ``old`` synced to ``new``, once per session."""
    return history.synced
