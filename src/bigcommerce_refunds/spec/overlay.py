"""Apply an OpenAPI Overlay 1.0 document (JSONPath targets with ``update`` / ``remove``).

Semantics follow the Overlay 1.0 specification: an ``update`` is merged recursively into every
object the target selects (objects merge, anything else is replaced) or appended to every array it
selects; ``remove: true`` deletes every selected node. Actions run in document order.

Each action must say why it exists (``description``); and an action whose target selects nothing is
reported, because an upstream fix or rename must never silently drop one of our corrections.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jsonpath_ng import JSONPath
from jsonpath_ng.exceptions import JsonPathParserError
from jsonpath_ng.ext.parser import parse

from bigcommerce_refunds.spec.yamlio import load_yaml


class OverlayError(ValueError):
    """The overlay document itself is malformed (not: an action matched nothing)."""


@dataclass(frozen=True)
class OverlayAction:
    """One overlay action, validated."""

    index: int
    target: str
    description: str
    update: Any = None
    remove: bool = False

    @property
    def label(self) -> str:
        return f"action {self.index} ({self.target}): {self.description}"


@dataclass(frozen=True)
class Overlay:
    """A parsed overlay document."""

    title: str
    version: str
    actions: tuple[OverlayAction, ...]


def parse_overlay(document: Any) -> Overlay:
    """Validate the structure of an overlay document and return its actions."""
    if not isinstance(document, dict) or not str(document.get("overlay", "")).startswith("1."):
        raise OverlayError("not an OpenAPI Overlay 1.x document (missing 'overlay: 1.0.0')")
    info = document.get("info") or {}
    raw_actions = document.get("actions")
    if not isinstance(raw_actions, list) or not raw_actions:
        raise OverlayError("overlay has no 'actions' list")
    actions = []
    for index, raw in enumerate(raw_actions):
        if not isinstance(raw, dict) or not isinstance(raw.get("target"), str):
            raise OverlayError(f"action {index}: needs a string 'target'")
        description = raw.get("description")
        if not isinstance(description, str) or not description.strip():
            raise OverlayError(f"action {index} ({raw['target']}): needs a 'description' (why)")
        remove = raw.get("remove", False) is True
        if remove == ("update" in raw):
            raise OverlayError(
                f"action {index} ({raw['target']}): give exactly one of update/remove"
            )
        actions.append(
            OverlayAction(index, raw["target"], description.strip(), raw.get("update"), remove)
        )
    return Overlay(str(info.get("title", "")), str(info.get("version", "")), tuple(actions))


def load_overlay(path: Path) -> Overlay:
    """Read and validate an overlay file."""
    return parse_overlay(load_yaml(path))


def _compile(action: OverlayAction) -> JSONPath:
    try:
        return parse(action.target)
    except (JsonPathParserError, Exception) as error:  # jsonpath-ng raises bare Exception too
        raise OverlayError(f"{action.label}: bad JSONPath: {error}") from error


def _merge(target: dict[str, Any], update: dict[str, Any]) -> None:
    for key, value in update.items():
        current = target.get(key)
        if isinstance(current, dict) and isinstance(value, dict):
            _merge(current, value)
        else:
            target[key] = copy.deepcopy(value)


def apply_overlay(document: dict[str, Any], overlay: Overlay) -> list[OverlayAction]:
    """Apply ``overlay`` to ``document`` in place; return the actions that matched nothing."""
    unmatched: list[OverlayAction] = []
    for action in overlay.actions:
        expression = _compile(action)
        matches = expression.find(document)
        if not matches:
            unmatched.append(action)
            continue
        if action.remove:
            expression.filter(lambda _value: True, document)
            continue
        for match in matches:
            if isinstance(match.value, dict) and isinstance(action.update, dict):
                _merge(match.value, action.update)
            elif isinstance(match.value, list):
                match.value.append(copy.deepcopy(action.update))
            else:
                raise OverlayError(
                    f"{action.label}: update needs an object or array target, "
                    f"found {type(match.value).__name__} at {match.full_path}"
                )
    return unmatched
