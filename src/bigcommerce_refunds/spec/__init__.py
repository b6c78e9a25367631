"""Build ``openapi/refunds.yaml`` from BigCommerce's upstream Orders V3 spec.

The pipeline is: vendored upstream file -> :func:`cut_fragment` (the refund operations and every
component they reference) -> :func:`apply_overlay` (our corrections, OpenAPI Overlay 1.0) ->
:func:`dump_yaml` (deterministic bytes) -> openapi-spec-validator.
"""

from bigcommerce_refunds.spec.build import BuildResult, build_fragment, build_fragment_file
from bigcommerce_refunds.spec.cut import REFUND_OPERATIONS, cut_fragment
from bigcommerce_refunds.spec.overlay import OverlayError, apply_overlay, load_overlay
from bigcommerce_refunds.spec.provenance import Provenance, read_provenance
from bigcommerce_refunds.spec.yamlio import dump_yaml, load_yaml

__all__ = [
    "REFUND_OPERATIONS",
    "BuildResult",
    "OverlayError",
    "Provenance",
    "apply_overlay",
    "build_fragment",
    "build_fragment_file",
    "cut_fragment",
    "dump_yaml",
    "load_overlay",
    "load_yaml",
    "read_provenance",
]
