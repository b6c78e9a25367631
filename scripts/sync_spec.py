"""`make sync-spec SPEC=...`: vendor a new upstream spec, rebuild, regenerate, report changes.

A thin wrapper over ``bigcommerce-refunds spec sync`` (see bigcommerce_refunds.spec.cli) so the
Makefile and the console script run exactly the same code.
"""

from __future__ import annotations

import sys

from bigcommerce_refunds.spec.cli import main

if __name__ == "__main__":
    sys.exit(main(["sync", *sys.argv[1:]]))
