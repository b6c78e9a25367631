"""Benchmarks of the sandbox, the conformance suite and the client, side by side with the peers.

Run them with ``make bench`` (``python -m bench.run``); results go to ``bench/README.md`` and
``bench/results.json``. See bench/README.md.
"""
