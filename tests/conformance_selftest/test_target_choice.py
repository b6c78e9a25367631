"""Which target a run tests: only CONFORMANCE_TARGET chooses; live mode never implicitly."""

from __future__ import annotations

import pytest

from conformance.outcome import ConfigurationError
from conformance.target import DEFAULT_API_URL, settings_from_env

STORE = {"BIGCOMMERCE_STORE_HASH": "abc123", "BIGCOMMERCE_ACCESS_TOKEN": "live-secret"}


def test_exported_store_credentials_alone_do_not_make_a_run_live() -> None:
    assert settings_from_env(dict(STORE)).kind == "embedded"
    assert settings_from_env({}).kind == "embedded"


def test_live_is_chosen_explicitly_and_defaults_to_bigcommerce() -> None:
    settings = settings_from_env({**STORE, "CONFORMANCE_TARGET": "live"})
    assert settings.kind == "live"
    assert settings.base_url == f"{DEFAULT_API_URL}/stores/abc123/v3"
    assert settings.may_create_refunds is False
    assert settings.may_exhaust_rate_limit is False
    assert "live-secret" not in repr(settings)


def test_live_mode_can_point_at_a_test_server() -> None:
    settings = settings_from_env(
        {
            **STORE,
            "CONFORMANCE_TARGET": "live",
            "BIGCOMMERCE_API_URL": "http://127.0.0.1:4010/",
            "CONFORMANCE_EXHAUST_RATE_LIMIT": "1",
        }
    )
    assert settings.base_url == "http://127.0.0.1:4010/stores/abc123/v3"
    assert settings.may_exhaust_rate_limit is True


def test_live_without_credentials_says_which_is_missing() -> None:
    with pytest.raises(ConfigurationError, match="BIGCOMMERCE_ACCESS_TOKEN is required"):
        settings_from_env({"CONFORMANCE_TARGET": "live", "BIGCOMMERCE_STORE_HASH": "abc"})


def test_an_external_url_needs_its_token_and_keeps_it_out_of_reprs() -> None:
    url = "http://127.0.0.1:4010/stores/sandbox/v3/"
    with pytest.raises(ConfigurationError, match="CONFORMANCE_TOKEN is required"):
        settings_from_env({"CONFORMANCE_TARGET": url})
    settings = settings_from_env({"CONFORMANCE_TARGET": url, "CONFORMANCE_TOKEN": "s3cr3t"})
    assert (settings.kind, settings.base_url) == ("external", url.rstrip("/"))
    assert settings.root_url == "http://127.0.0.1:4010"
    assert "s3cr3t" not in repr(settings)
