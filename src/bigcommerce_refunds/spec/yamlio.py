"""YAML reading and deterministic writing.

The fragment is checked in and byte-compared in CI, so writing must not depend on anything but the
data: key order is kept as built, lines are never folded, and unicode is written as is.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml


class _FragmentDumper(yaml.SafeDumper):
    """A SafeDumper that never emits YAML anchors (``&id001``), which some tools mishandle."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _str_representer(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    # Multi-line descriptions read far better as literal blocks than as escaped one-liners.
    style = "|" if "\n" in value and not value.startswith(" ") else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_FragmentDumper.add_representer(str, _str_representer)


#: libyaml's loader when PyYAML was built with it (about 15x faster on the upstream file).
_SAFE_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(path: Path) -> Any:
    """Load a YAML (or JSON) document with the safe loader."""
    with path.open("rb") as handle:
        return yaml.load(handle, Loader=_SAFE_LOADER)


def dump_yaml(document: Any) -> str:
    """Serialise ``document`` to YAML text, identically for identical input."""
    return yaml.dump(
        document,
        Dumper=_FragmentDumper,
        sort_keys=False,
        allow_unicode=True,
        width=1_000_000,
        default_flow_style=False,
    )
