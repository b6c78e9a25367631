"""Every response field against what it must equal (``conformance/ORACLE.md``).

Schema checks prove a refund is well-formed; these prove it is *true*: payments echo the
providers, amounts and offline flags asked for, totals equal the quote (or the override, or the
tax adjustment), reasons and adjustments echo what was sent, ``created`` lies in the request's
time window, the order's refunded amounts move by exactly the refund, list envelopes and pages
hold exactly the refunds that exist, and error bodies agree with their status.
"""

from __future__ import annotations

from conformance import oracle_scenario
from conformance.domain import Domain


def test_refunds_of_every_kind_are_true_field_by_field(domain: Domain) -> None:
    tour = oracle_scenario.refunds_of_every_kind(domain)
    oracle_scenario.declined_payment(domain, tour)
    oracle_scenario.reads_list_exactly_what_exists(domain, tour)
    domain.reset()


def test_error_bodies_agree_with_their_status(domain: Domain) -> None:
    oracle_scenario.error_bodies(domain)
    domain.reset()
