"""`make generate`: regenerate generated/ from openapi/refunds.yaml (fresh tree, swapped in)."""

from __future__ import annotations

from pathlib import Path

from bigcommerce_refunds.spec.regenerate import regenerate

if __name__ == "__main__":
    regenerate(Path.cwd())
    print("regenerated generated/ from openapi/refunds.yaml")
