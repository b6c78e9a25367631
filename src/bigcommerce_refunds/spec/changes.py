"""What a spec diff finds: changes, the operations each one reaches, and the verdict rule.

A :class:`Change` is one semantic difference at one JSON location; each :class:`Use` says where an
operation meets it (request or response side, which body or parameter, which field) and whether
it breaks that side. :func:`breaks` is the one classification rule: narrowing what a schema admits
breaks senders (the request side), widening it breaks receivers (the response side).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

__all__ = ["Change", "Effect", "Loc", "Side", "SpecDiff", "Use", "breaks"]

Side = Literal["operation", "request", "response"]
Loc = tuple[str | int, ...]

# How a change affects the set of values a schema admits. Narrowing breaks senders (request side),
# widening breaks receivers (response side); "both" breaks either side, "neither" no side.
Effect = Literal["narrows", "widens", "both", "neither"]


@dataclass(frozen=True, order=True)
class Use:
    """Where one operation meets a change: its side, the part (body, parameter...), the field.

    ``field`` is the path seen from the body or parameter root (``items[].adjustments``; empty
    for the root itself); ``breaking`` is the classification for this side.
    """

    operation: str
    side: Side
    where: str
    field: str
    breaking: bool

    def describe(self) -> str:
        """E.g. ``createOrderRefund request body `items[].adjustments```."""
        side = "" if self.side == "operation" else f" {self.side}"
        part = f" {self.where}" if self.where else ""
        name = f" `{self.field}`" if self.field else ""
        return f"{self.operation}{side}{part}{name}"


@dataclass(frozen=True)
class Change:
    """One semantic change at one JSON location, with every operation use that reaches it."""

    kind: str
    location: str
    detail: str
    message: str
    uses: tuple[Use, ...]

    @property
    def sides(self) -> tuple[Side, ...]:
        found = {use.side for use in self.uses}
        return tuple(side for side in ("operation", "request", "response") if side in found)

    @property
    def breaking(self) -> bool:
        return any(use.breaking for use in self.uses)

    def breaking_on(self, side: Side) -> bool:
        return any(use.breaking for use in self.uses if use.side == side)

    def uses_on(self, side: Side) -> tuple[Use, ...]:
        return tuple(use for use in self.uses if use.side == side)

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "location": self.location,
            "detail": self.detail,
            "message": self.message,
            "breaking": self.breaking,
            "sides": list(self.sides),
            "uses": [
                {
                    "operation": use.operation,
                    "side": use.side,
                    "where": use.where,
                    "field": use.field,
                    "breaking": use.breaking,
                }
                for use in self.uses
            ],
        }


@dataclass(frozen=True)
class SpecDiff:
    """All changes between two fragments; ``components`` holds unattributed schema additions."""

    changes: tuple[Change, ...]
    components: tuple[Change, ...] = ()

    @property
    def breaking(self) -> bool:
        return any(change.breaking for change in self.changes)

    def on(self, side: Side) -> tuple[Change, ...]:
        """The changes with at least one use on ``side``."""
        return tuple(change for change in self.changes if change.uses_on(side))

    def find(self, kind: str | None = None, *, location: str | None = None) -> list[Change]:
        """Changes of ``kind`` whose location ends with ``location`` (either may be omitted)."""
        return [
            change
            for change in self.changes + self.components
            if (kind is None or change.kind == kind)
            and (location is None or change.location.endswith(location))
        ]

    def to_json(self) -> dict[str, Any]:
        return {
            "breaking": self.breaking,
            "changes": [change.to_json() for change in self.changes],
            "components": [change.to_json() for change in self.components],
        }


def breaks(effect: Effect, side: Side) -> bool:
    """Whether a change with this effect on the admitted values breaks clients on ``side``."""
    if effect == "both":
        return True
    if effect == "neither":
        return False
    if side == "request":
        return effect == "narrows"
    return side == "response" and effect == "widens"
