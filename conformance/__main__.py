"""``python -m conformance``: see ``conformance.runner``."""

from conformance.runner import main

raise SystemExit(main())
