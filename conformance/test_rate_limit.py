"""Over quota: 429 with X-Retry-After and the rate-limit headers (BigCommerce's documented
behaviour). The test exhausts the quota, so it runs last (see conftest)."""

from __future__ import annotations

import pytest

from conformance.api import RefundApi
from conformance.expect import ConformanceError, conforming
from conformance.target import Target

#: A quota larger than this is not exhausted: the test stays bounded in requests.
MAX_QUOTA_TO_EXHAUST = 300


def _exhaust(api: RefundApi) -> None:
    first = api.all_refunds()
    quota_header = first.headers.get("X-Rate-Limit-Requests-Quota")
    if quota_header is None or not quota_header.isdigit():
        raise ConformanceError("GET all refunds carries no integer X-Rate-Limit-Requests-Quota")
    quota = int(quota_header)
    if quota > MAX_QUOTA_TO_EXHAUST:
        pytest.skip(f"quota {quota} is above {MAX_QUOTA_TO_EXHAUST}: not exhausted by the suite")
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
def test_over_quota_is_429_with_retry_after(target: Target) -> None:
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
    api = target.api()
    try:
        _exhaust(api)
    finally:
        api.close()
