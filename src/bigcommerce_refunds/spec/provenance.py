"""Provenance of the vendored upstream spec: where it came from and the hash that pins it."""

from __future__ import annotations

import datetime
import hashlib
import json
import re
from dataclasses import asdict, dataclass
from pathlib import Path

__all__ = ["Provenance", "check_date", "read_provenance", "sha256_of"]

_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")


def check_date(text: str) -> datetime.date:
    """The calendar day ``text`` names in the one form the sync accepts, ``YYYY-MM-DD``.

    The date becomes the client's version (``2025.5.14``), so a pattern check is not enough:
    ``2025-13-45`` would stamp ``2025.13.45``. ``datetime.date.fromisoformat`` alone is too
    lenient the other way (it takes ``20250514`` and ``2025-W20-3``). Raises ValueError naming
    the value.
    """
    if not _DATE.match(text):
        raise ValueError(f"{text!r} is not a date in the form YYYY-MM-DD")
    try:
        return datetime.date.fromisoformat(text)
    except ValueError as error:
        raise ValueError(f"{text!r} is not a calendar day ({error}; YYYY-MM-DD)") from None


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
        day = check_date(self.date)
        return f"{day.year}.{day.month}.{day.day}"


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
