"""`make check-generated`: fail, naming each file, when generated/ or the fragment is stale."""

from __future__ import annotations

import sys
from pathlib import Path

from bigcommerce_refunds.spec.regenerate import check_generated

if __name__ == "__main__":
    stale = check_generated(Path.cwd())
    for problem in stale:
        print(f"stale: {problem}", file=sys.stderr)
    if stale:
        print(
            "error: generated files are stale or edited by hand; run `make spec generate` "
            "(never edit openapi/refunds.yaml or generated/ directly)",
            file=sys.stderr,
        )
        sys.exit(1)
    print("ok: openapi/refunds.yaml and generated/ are exactly what the pipeline produces")
