"""Build ``openapi/refunds.yaml`` from BigCommerce's upstream Orders V3 spec.

The pipeline is: vendored upstream file -> :func:`cut_fragment` (the refund operations and every
component they reference) -> :func:`apply_overlay` (our corrections, OpenAPI Overlay 1.0) ->
:func:`dump_yaml` (deterministic bytes) -> openapi-spec-validator.

The names below are imported on first use: the sandbox and the suite import this package for
the fragment's schemas (``spec.fragment``, ``spec.store_reads``), and must not need the
pipeline's own tools (openapi-spec-validator, jsonpath-ng: the ``spec`` extra) to do so.
"""

from __future__ import annotations

import importlib
from typing import Any

_WHERE = {
    "REFUND_OPERATIONS": "cut",
    "cut_fragment": "cut",
    "BuildResult": "build",
    "build_fragment": "build",
    "build_fragment_file": "build",
    "OverlayError": "overlay",
    "apply_overlay": "overlay",
    "load_overlay": "overlay",
    "Provenance": "provenance",
    "read_provenance": "provenance",
    "dump_yaml": "yamlio",
    "load_yaml": "yamlio",
}

__all__ = sorted(_WHERE)


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)
