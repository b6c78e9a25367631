"""Fixtures of the sandbox tests; the served ones come from the sandbox's own pytest plugin."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from starlette.applications import Starlette

from bigcommerce_refunds.sandbox import SandboxConfig, ServedSandbox
from bigcommerce_refunds.sandbox.pytest_plugin import (
    refunds_sandbox,
    refunds_sandbox_app,
    refunds_sandbox_server,
)
from tests.sandbox.helpers import Api, InProcess, sandbox_config

__all__ = ["refunds_sandbox", "refunds_sandbox_app", "refunds_sandbox_server"]


@pytest.fixture(scope="session")
def refunds_sandbox_config() -> SandboxConfig:
    """The plugin's config, overridden the way a user would: fixed clock, roomy rate limits."""
    return sandbox_config()


@pytest.fixture
def app(refunds_sandbox_app: Starlette) -> Starlette:
    return refunds_sandbox_app


@pytest.fixture
def api(app: Starlette) -> Iterator[Api]:
    """An in-process client of a fresh sandbox; every answer is checked against the fragment."""
    client = InProcess(app)
    yield Api(client.send)
    client.close()


@pytest.fixture
def served_api(refunds_sandbox: ServedSandbox) -> Iterator[Api]:
    """A loopback HTTP client of the session's served sandbox, reset for this test."""
    with httpx.Client(base_url=refunds_sandbox.root_url, timeout=30) as client:
        yield Api(client.request, refunds_sandbox.token)
