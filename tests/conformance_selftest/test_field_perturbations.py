"""The field oracle catches a server that lies about any one field (issue 17).

For every field path of every response schema, a schema-valid lie is told by the sandbox (through
a perturbing wrapper, ``perturb.py``), and the suite's field-oracle tour must fail with a message
naming the field. Only the fields ``conformance/ORACLE.md`` marks "cannot be checked from outside"
may survive; the test prints them with the table's reason, and the whole tally.

Profiles (``CONFORMANCE_PROFILE``, as for the suite): ``quick`` (the default, every ``make test``)
tells each lie in every response that carries the field (65 field paths, 65 lies, about 10 s), and
runs the whole suite, as a user runs it, against two of them. ``deep`` also tells each lie in one
response at a time (every (operation, status, field) triple) and runs the whole suite against
every lie (about 7 minutes on a 2-core machine).
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from .field_tour import (
    Outcome,
    domain_for,
    names_field,
    run_tour,
    run_whole_suite,
    table_rows,
    try_perturbation,
    uncheckable,
)
from .perturb import (
    LyingServer,
    Perturbation,
    lying_server,
    per_response_perturbations,
    perturbations,
    response_fields,
    shape_path,
)

DEEP = os.environ.get("CONFORMANCE_PROFILE", "quick") == "deep"

#: Lies no answer can tell schema-validly, so none is told (the reason is printed).
NO_VALID_LIE = {
    ("TaxServiceError.data", "drop last"): "minItems 1, and a 503 names the one order it was for",
}

#: Responses the tour cannot provoke from the sandbox, so a lie told only there is never heard.
NOT_PROVOKED = {
    ("getOrderRefunds", "400"): "no query parameter of the order's list is validated",
    ("getOrderRefund", "400"): "a malformed refund id is a 404 (no such refund)",
    ("getOrderRefunds", "403"): "read-only scopes may read",
    ("getOrderRefund", "403"): "read-only scopes may read",
    ("getOrdersRefunds", "403"): "read-only scopes may read",
    ("getOrdersRefunds", "404"): "the list of all refunds exists even when empty",
}

#: The whole suite (``pytest conformance``) against these lies, in the quick profile.
WHOLE_SUITE_LIES = (
    ("Refund.payments[].provider_id", "other provider"),
    ("Refund.created", "a day later"),
)


@pytest.fixture(scope="module")
def server() -> Iterator[LyingServer]:
    with lying_server() as served:
        yield served


def test_the_oracle_table_has_a_row_for_every_response_field() -> None:
    rows = table_rows()
    fields = {shape_path(op, status, path) for op, status, path in response_fields()}
    assert sorted(fields - rows.keys()) == [], "response fields without a row in ORACLE.md"
    assert sorted(rows.keys() - fields) == [], "ORACLE.md rows for fields no response has"
    assert all(uncheckable(rows).values()), "a 'cannot be checked' row without a reason"


def _report(outcomes: list[Outcome], reasons: dict[str, str]) -> str:
    fields = response_fields()
    shapes = {shape_path(op, status, path) for op, status, path in fields}
    fields_count = len(fields)
    tally = Counter(outcome.verdict for outcome in outcomes)
    lines = [
        "",
        f"field oracle: {fields_count} field paths in the response schemas "
        f"({len(shapes)} by shape, {len({o.perturbation.path for o in outcomes})} with a "
        "schema-valid lie; objects have none, their members do), "
        f"{len(outcomes)} lies told, {tally['caught']} caught "
        f"({sum(o.named for o in outcomes)} naming the field), {tally['survived']} survived, "
        f"{tally['not applicable']} never heard, {tally['schema-invalid']} schema-invalid",
        "survived (ORACLE.md: cannot be checked from outside):",
    ]
    for outcome in outcomes:
        if outcome.verdict == "survived":
            reason = reasons.get(outcome.perturbation.path, "NOT ON THE LIST")
            lines.append(f"  {outcome.perturbation}: {reason}")
    never = [o for o in outcomes if o.verdict == "not applicable"]
    if never:
        lines.append("never heard (no answer of the tour carries a value it could change):")
        lines += [f"  {outcome.perturbation}" for outcome in never]
    return "\n".join(lines)


def _may_go_unheard(perturbation: Perturbation) -> bool:
    if (perturbation.path, perturbation.kind) in NO_VALID_LIE:
        return True
    return perturbation.response in NOT_PROVOKED


def test_every_lie_about_a_field_is_caught_naming_it(
    server: LyingServer, capsys: pytest.CaptureFixture[str]
) -> None:
    domain = domain_for(server)
    try:
        assert run_tour(domain, None) is None, "the tour fails against the truthful sandbox"
        lies = perturbations() + (per_response_perturbations() if DEEP else [])
        outcomes = [try_perturbation(server, domain, lie) for lie in lies]
    finally:
        domain.api.close()
        if domain.target.control is not None:
            domain.target.control.close()
    reasons = uncheckable(table_rows())
    with capsys.disabled():
        print(_report(outcomes, reasons))
        for (path, kind), why in NO_VALID_LIE.items():
            print(f"  no schema-valid lie: {path} ({kind}): {why}")
    invalid = [f"{o.perturbation}: {o.message}" for o in outcomes if o.verdict == "schema-invalid"]
    assert invalid == [], "a lie broke the schema (the self-test's bug)"
    unnamed = [
        f"{o.perturbation}: {o.message}" for o in outcomes if o.verdict == "caught" and not o.named
    ]
    assert unnamed == [], "caught, but the failure does not name the field"
    survivors = [
        str(o.perturbation)
        for o in outcomes
        if o.verdict == "survived" and o.perturbation.path not in reasons
    ]
    assert survivors == [], "lies that survived, about fields ORACLE.md says are checked"
    unheard = [
        str(o.perturbation)
        for o in outcomes
        if o.verdict == "not applicable" and not _may_go_unheard(o.perturbation)
    ]
    assert unheard == [], "lies the tour never gave a chance to be heard"


def _whole_suite_lies() -> list[Perturbation]:
    every = perturbations()
    if DEEP:
        return every
    return [lie for lie in every if (lie.path, lie.kind) in WHOLE_SUITE_LIES]


@pytest.mark.parametrize("lie", _whole_suite_lies(), ids=str)
def test_the_whole_suite_fails_naming_the_field(
    server: LyingServer, lie: Perturbation, tmp_path: Path
) -> None:
    if lie.path in uncheckable(table_rows()) or (lie.path, lie.kind) in NO_VALID_LIE:
        return  # nothing to prove: the table says this lie may survive
    server.proxy.switch(lie)
    try:
        returncode, output = run_whole_suite(server, tmp_path)
    finally:
        server.proxy.switch(None)
    assert returncode == 1, f"the suite did not catch {lie}:\n{output[-4000:]}"
    assert names_field(output, lie.path), (
        f"the suite failed on {lie}, not naming it:\n{output[-6000:]}"
    )
