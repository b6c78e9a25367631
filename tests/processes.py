"""Running the project's commands as a user would: in a subprocess, with a clean environment.

Tests that start ``make``, ``bigcommerce-refunds`` or a step script of a workflow must not inherit
the developer's (or CI's) ``CONFORMANCE_*``/``BIGCOMMERCE_*`` settings, nor make's own variables:
each test says exactly what the command sees.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Sequence
from pathlib import Path

__all__ = ["clean_env", "run"]

_INHERITED_SETTINGS = ("CONFORMANCE_", "BIGCOMMERCE_", "INPUT_", "MAKE")


def clean_env(**settings: str) -> dict[str, str]:
    """This process's environment without the project's settings, plus ``settings``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(_INHERITED_SETTINGS)}
    return {**env, **settings}


def run(
    args: Sequence[str], *, cwd: Path, env: dict[str, str], timeout: float = 600
) -> subprocess.CompletedProcess[str]:
    """``args`` run to completion; output captured as text; a non-zero exit is not raised."""
    return subprocess.run(
        list(args), cwd=cwd, env=env, capture_output=True, text=True, check=False, timeout=timeout
    )
