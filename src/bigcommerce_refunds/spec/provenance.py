"""Provenance of the vendored upstream spec: where it came from and the hash that pins it."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from pathlib import Path


@dataclass(frozen=True)
class Provenance:
    """Where a vendored upstream file came from; ``sha256`` pins its exact bytes."""

    repository: str
    path: str
    commit: str
    date: str
    sha256: str

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=2, sort_keys=True) + "\n"

    @property
    def client_version(self) -> str:
        """A PEP 440 version for the generated client, derived from the upstream commit date.

        Upstream's ``info.version`` is empty, which makes the generated package unbuildable; a
        date-based version also changes whenever a newer upstream file is synced.
        """
        year, month, day = (int(part) for part in self.date.split("-"))
        return f"{year}.{month}.{day}"


def sha256_of(path: Path) -> str:
    """Hex sha256 of a file's bytes."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def read_provenance(path: Path) -> Provenance:
    """Read a ``PROVENANCE.json`` file."""
    data = json.loads(path.read_text(encoding="utf-8"))
    return Provenance(
        repository=str(data["repository"]),
        path=str(data["path"]),
        commit=str(data["commit"]),
        date=str(data["date"]),
        sha256=str(data["sha256"]),
    )
