"""`make spec`: build openapi/refunds.yaml from the vendored upstream spec and our overlay."""

from __future__ import annotations

import sys

from bigcommerce_refunds.spec.project import main

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
