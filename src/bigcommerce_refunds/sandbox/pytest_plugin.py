"""pytest fixtures for testing against the sandbox. Enable it explicitly in a conftest.py:

    pytest_plugins = ["bigcommerce_refunds.sandbox.pytest_plugin"]

Fixtures:

* ``refunds_sandbox``: a :class:`~bigcommerce_refunds.sandbox.ServedSandbox` on loopback
  (``.base_url``, ``.token``, ``.sandbox``). One server per test session, reset before every test.
* ``refunds_sandbox_app``: a fresh in-process ASGI app per test, for
  ``httpx.AsyncClient(transport=httpx.ASGITransport(app))``.
* ``refunds_sandbox_config``: the SandboxConfig both use; override it (session scope) in your
  conftest.py to change tokens, rate limits, fixtures or planted bugs.

The plugin is not registered through an entry point: it only runs where a project asks for it.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from starlette.applications import Starlette

from bigcommerce_refunds.sandbox.app import create_app
from bigcommerce_refunds.sandbox.config import SandboxConfig
from bigcommerce_refunds.sandbox.served import ServedSandbox, serve


@pytest.fixture(scope="session")
def refunds_sandbox_config() -> SandboxConfig:
    """The sandbox configuration; override this fixture to customise the sandbox."""
    return SandboxConfig()


@pytest.fixture(scope="session")
def refunds_sandbox_server(refunds_sandbox_config: SandboxConfig) -> Iterator[ServedSandbox]:
    """One served sandbox for the whole session (use ``refunds_sandbox`` for a reset one)."""
    with serve(refunds_sandbox_config) as served:
        yield served


@pytest.fixture
def refunds_sandbox(refunds_sandbox_server: ServedSandbox) -> ServedSandbox:
    """The session's served sandbox, reset to its seeded state for this test."""
    refunds_sandbox_server.sandbox.reset()
    return refunds_sandbox_server


@pytest.fixture
def refunds_sandbox_app(refunds_sandbox_config: SandboxConfig) -> Starlette:
    """A fresh in-process sandbox app (``app.state.sandbox`` is its state)."""
    return create_app(refunds_sandbox_config)


__all__ = [
    "refunds_sandbox",
    "refunds_sandbox_app",
    "refunds_sandbox_config",
    "refunds_sandbox_server",
]
