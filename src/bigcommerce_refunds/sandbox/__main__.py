"""``python -m bigcommerce_refunds.sandbox``: the same as ``bigcommerce-refunds sandbox``."""

import sys

from bigcommerce_refunds.sandbox.launcher import main

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
