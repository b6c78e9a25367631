"""The bigcommerce-refunds conformance suite (run it with ``make conformance``)."""
