"""The field-level oracle: what every field of every response must *equal*, not only its type.

This module is the oracle's public face; the checks live by what they check:
``oracle_basics`` (numbers, time window, order lines), ``oracle_quote``, ``oracle_refund``,
``oracle_moves`` (the order after a refund) and ``oracle_reads`` (lists, reads, error bodies).

A response can be schema-valid and still lie: a refund paid back to ``custom`` when the card was
asked for, a ``total_tax`` one cent off, a ``created`` a day away. Each function here compares
one response with what the suite knows independently of it — the request it sent, the quote the
server gave for the same items, the order as the order reads show it (before and after), the
time window of the request, and the earlier responses — and returns the problems it found.

Every message names the field as ``conformance/ORACLE.md`` does (``payments[0].provider_id``),
so a report says which field lied; ORACLE.md is the table of field → oracle → check.

Numbers are compared as Decimal. A field that is absent or of the wrong type is the schema
checks' business, so the oracle skips it rather than reporting it twice.
"""

from __future__ import annotations

from conformance.oracle_basics import (
    CLOCK_SKEW,
    DOCUMENTED_PROVIDERS,
    Window,
    dec,
    now_utc,
    order_line,
    order_payments,
    requested_amount,
)
from conformance.oracle_moves import order_moved_problems
from conformance.oracle_quote import quote_field_problems
from conformance.oracle_reads import (
    error_field_problems,
    field_differences,
    listed_ids_problems,
    pagination_problems,
    same_user_problems,
)
from conformance.oracle_refund import RefundContext, payment_state_problems, refund_field_problems

__all__ = [
    "CLOCK_SKEW",
    "DOCUMENTED_PROVIDERS",
    "RefundContext",
    "Window",
    "dec",
    "error_field_problems",
    "field_differences",
    "listed_ids_problems",
    "now_utc",
    "order_line",
    "order_moved_problems",
    "order_payments",
    "pagination_problems",
    "payment_state_problems",
    "quote_field_problems",
    "refund_field_problems",
    "requested_amount",
    "same_user_problems",
]
