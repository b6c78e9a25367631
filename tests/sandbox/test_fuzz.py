"""Fuzzing: Schemathesis negative-mode cases plus hand-made garbage; no 5xx, ledger intact.

The request count comes from ``SANDBOX_FUZZ_REQUESTS`` (default 2,000, about 30 s). The full run:

    SANDBOX_FUZZ_REQUESTS=10000 .venv/bin/pytest tests/sandbox/test_fuzz.py -q

40% of the requests are Schemathesis negative-mode cases (in-process, through its ASGI
transport), 60% come from :mod:`tests.sandbox.garbage` (cheaper to make, and they move the
ledger). Every answer must conform to the fragment (declared status and schema, or one of
400/405/413/415 with an ErrorResponse body) and none may be a 5xx; afterwards the ledger
invariants must hold.
"""

from __future__ import annotations

import functools
import os
from collections import Counter
from collections.abc import Callable
from typing import Any

import httpx
import schemathesis
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.core.result import Ok
from schemathesis.python import asgi
from starlette.applications import Starlette

from bigcommerce_refunds.sandbox import DEFAULT_TOKEN
from bigcommerce_refunds.spec.fragment import fragment_path
from tests.sandbox import garbage
from tests.sandbox.helpers import (
    BASE,
    Api,
    InProcess,
    assert_ledger_invariants,
    conformance_problems,
    operation_for,
)

REQUESTS = int(os.environ.get("SANDBOX_FUZZ_REQUESTS", "2000"))
SCHEMATHESIS_SHARE = 0.4
SEED = int(os.environ.get("SANDBOX_FUZZ_SEED", "20261128"))
BATCH = 100


class Findings:
    """What the fuzzer saw: statuses per operation, and every contract problem (with a repro)."""

    def __init__(self) -> None:
        self.statuses: Counter[tuple[str, int]] = Counter()
        self.problems: list[str] = []
        self.sent = 0

    def check(
        self, method: str, path: str, response: httpx.Response, repro: Callable[[], str]
    ) -> None:
        self.sent += 1
        operation = operation_for(method, path)
        self.statuses[(operation or "other", response.status_code)] += 1
        found = [] if method == "HEAD" else conformance_problems(operation, response)
        if response.status_code >= 500:
            found.append(f"server error {response.status_code}")
        if found and len(self.problems) < 50:
            self.problems.append(f"{method} {path} -> {response.status_code}: {found}\n  {repro()}")

    def summary(self) -> str:
        lines = [f"{self.sent} requests"]
        lines += [f"  {op} {status}: {n}" for (op, status), n in sorted(self.statuses.items())]
        return "\n".join(lines)


def _schemathesis(app: Starlette, count: int, findings: Findings) -> None:
    schema = schemathesis.openapi.from_path(fragment_path())
    operations = [result.ok() for result in schema.get_all_operations() if isinstance(result, Ok)]
    fixed_token = {"X-Auth-Token": DEFAULT_TOKEN}
    strategies = []
    for operation in operations:
        # Mostly with a valid token, so the mutations reach bodies, paths and queries; some cases
        # keep Schemathesis' own header mutations (missing token).
        strategies.append(operation.as_strategy(generation_mode=GenerationMode.NEGATIVE))
        for _ in range(3):
            strategies.append(
                operation.as_strategy(generation_mode=GenerationMode.NEGATIVE, headers=fixed_token)
            )
        if "{order_id}" in operation.path:
            for order_id in (100, 102, 103, 106):
                strategies.append(
                    operation.as_strategy(
                        generation_mode=GenerationMode.NEGATIVE,
                        headers=fixed_token,
                        path_parameters={"order_id": order_id},
                    )
                )
    base_url = f"http://{asgi.HOST}{BASE}"

    def send(case: Any) -> None:
        sent = case.call(base_url=base_url, session=session, headers=fixed_token)
        headers = [(name, value) for name, values in sent.headers.items() for value in values]
        response = httpx.Response(sent.status_code, headers=headers, content=sent.content)
        path = httpx.URL(sent.request.url).path
        findings.check(case.method, path, response, case.as_curl_command)

    strategy = st.one_of(strategies)
    asgi_app: Any = app
    with asgi.get_client(asgi_app) as session:
        # Small batches with distinct fixed seeds: Hypothesis spends more per example the longer one
        # run goes (it mutates earlier examples), and fixed seeds keep every run reproducible.
        for batch, start in enumerate(range(0, count, BATCH)):
            size = min(BATCH, count - start)
            run = seed(SEED + batch)(
                settings(
                    max_examples=size,
                    deadline=None,
                    database=None,
                    derandomize=False,  # the explicit seed() decides, whatever the profile says
                    phases=[Phase.generate],
                    suppress_health_check=list(HealthCheck),
                )(given(case=strategy)(send))
            )
            run()


def _garbage_count(total: int) -> int:
    return total - round(total * SCHEMATHESIS_SHARE)


def _garbage(app: Starlette, count: int, findings: Findings) -> None:
    client = InProcess(app)
    api = Api(client.send)
    try:
        for index, request in enumerate(garbage.requests(SEED, count, DEFAULT_TOKEN)):
            repro = functools.partial(str, f"garbage seed={SEED} index={index}")
            if request.flow is not None:
                quote = api.raw(
                    "POST",
                    request.path.replace("/refunds", "/refund_quotes"),
                    json={"items": request.flow["items"]},
                )
                findings.check(
                    "POST", request.path.replace("/refunds", "/refund_quotes"), quote, repro
                )
                if quote.status_code != 201:
                    continue
                methods = quote.json()["data"]["refund_methods"]
                chosen = methods[index % len(methods)]
                payments = [
                    {"provider_id": o["provider_id"], "amount": o["amount"]} for o in chosen
                ]
                body = {"items": request.flow["items"], "payments": payments}
                path = f"{BASE}/orders/{request.flow['order_id']}/payment_actions/refunds"
                findings.check("POST", path, api.raw("POST", path, json=body), repro)
                continue
            response = client.send(
                request.method, request.path, headers=request.headers, content=request.content
            )
            findings.check(request.method, httpx.URL(request.path).path, response, repro)
    finally:
        client.close()


def test_fuzz_never_5xx_and_ledger_holds(app: Starlette, api: Api) -> None:
    garbage_count = _garbage_count(REQUESTS)
    findings = Findings()

    _garbage(app, garbage_count // 2, findings)
    _schemathesis(app, REQUESTS - garbage_count, findings)
    _garbage(app, garbage_count - garbage_count // 2, findings)

    print(findings.summary())
    assert findings.problems == [], "\n".join(findings.problems[:20])
    assert findings.sent >= REQUESTS
    assert_ledger_invariants(api)
    created = sum(
        n
        for (op, status), n in findings.statuses.items()
        if status == 201 and op == "createOrderRefund"
    )
    assert created > 0, "the fuzz run never created a refund: the garbage is too garbled"
