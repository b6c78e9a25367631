"""Over quota: 429 with X-Retry-After and the rate-limit headers (BigCommerce's documented
behaviour). The test exhausts the quota, so it runs last (see conftest).

It is the one test that sees 429s: its requests are exempt from the choke point's pacing and
retries (``RefundApi.unpaced``). On a live store it runs only with
``CONFORMANCE_EXHAUST_RATE_LIMIT=1``: an exhausted quota blocks the merchant's other integrations
until the window resets. Under a request budget (``smoke``) it runs only if the quota fits.
"""

from __future__ import annotations

import pytest

from conformance.api import RefundApi
from conformance.expect import ConformanceError, conforming
from conformance.session import Run
from conformance.target import Target

#: A quota larger than this is not exhausted: the test stays bounded in requests.
MAX_QUOTA_TO_EXHAUST = 300


def _exhaust(api: RefundApi, run: Run | None = None) -> None:
    first = api.all_refunds()
    quota_header = first.headers.get("X-Rate-Limit-Requests-Quota")
    if quota_header is None or not quota_header.isdigit():
        raise ConformanceError("GET all refunds carries no integer X-Rate-Limit-Requests-Quota")
    quota = int(quota_header)
    if quota > MAX_QUOTA_TO_EXHAUST:
        pytest.skip(f"quota {quota} is above {MAX_QUOTA_TO_EXHAUST}: not exhausted by the suite")
    if run is not None and run.budget is not None:
        left = run.budget.limit - run.budget.admitted
        if quota + 5 > left:
            pytest.skip(
                f"exhausting a quota of {quota} needs up to {quota + 5} requests; "
                f"{left} are left of the profile's budget of {run.budget.limit}"
            )
    for _ in range(quota + 5):
        response = api.all_refunds()
        if response.status_code == 429:
            error = conforming(response, "getOrdersRefunds", status=429)
            assert error["status"] == 429
            assert response.headers["X-Rate-Limit-Requests-Left"] == "0", (
                "a 429 says requests are left: " + response.headers["X-Rate-Limit-Requests-Left"]
            )
            return
        conforming(response, "getOrdersRefunds", status=200)
    raise ConformanceError(f"{quota + 5} requests within a window of quota {quota}: no 429")


@pytest.mark.exhausts_rate_limit
def test_over_quota_is_429_with_retry_after(target: Target, run: Run) -> None:
    if target.kind == "embedded":
        # The embedded sandbox runs with an unbounded quota for fuzzing; a second one, with a
        # small quota, shows the same code's rate limiting.
        from bigcommerce_refunds.sandbox import SandboxConfig, serve

        with serve(SandboxConfig(rate_limit_quota=5)) as small:
            api = RefundApi(small.base_url, small.token)
            try:
                _exhaust(api)
            finally:
                api.close()
        return
    if not target.may_exhaust_rate_limit:
        pytest.skip(
            "live store: exhausting the quota blocks the merchant's other integrations for a "
            "window; opt in with CONFORMANCE_EXHAUST_RATE_LIMIT=1"
        )
    api = RefundApi(target.base_url, target.token, transport=target.transport, unpaced=True)
    try:
        _exhaust(api, run)
    finally:
        api.close()
