"""`make spec`: the fragment is deterministic, valid, complete, and what is checked in."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from openapi_spec_validator import validate

from bigcommerce_refunds.spec.cut import REFUND_OPERATIONS, CutError, cut_fragment
from bigcommerce_refunds.spec.overlay import OverlayError, apply_overlay, parse_overlay
from bigcommerce_refunds.spec.project import ProjectPaths, build_project_fragment

ROOT = Path(__file__).resolve().parents[2]
PATHS = ProjectPaths(ROOT)


def test_two_builds_give_identical_bytes() -> None:
    assert build_project_fragment(PATHS).text == build_project_fragment(PATHS).text


def test_checked_in_fragment_is_what_the_build_produces() -> None:
    assert PATHS.fragment.read_text(encoding="utf-8") == build_project_fragment(PATHS).text


def test_fragment_is_a_valid_openapi_document() -> None:
    validate(yaml.safe_load(PATHS.fragment.read_text(encoding="utf-8")))


def test_every_overlay_action_matches_and_says_why() -> None:
    result = build_project_fragment(PATHS)
    assert result.unmatched == ()
    raw = yaml.safe_load(PATHS.overlay.read_text(encoding="utf-8"))
    assert all(len(action["description"].split()) >= 4 for action in raw["actions"])


def test_fragment_has_exactly_the_five_refund_operations() -> None:
    fragment = yaml.safe_load(PATHS.fragment.read_text(encoding="utf-8"))
    found = {
        (path, method, op["operationId"])
        for path, item in fragment["paths"].items()
        for method, op in item.items()
        if isinstance(op, dict) and "operationId" in op
    }
    assert found == set(REFUND_OPERATIONS)


def test_every_operation_declares_auth_rate_limit_and_not_found_errors() -> None:
    fragment = yaml.safe_load(PATHS.fragment.read_text(encoding="utf-8"))
    for item in fragment["paths"].values():
        for op in (v for v in item.values() if isinstance(v, dict) and "responses" in v):
            assert {"401", "403", "404", "429"} <= set(op["responses"]), op["operationId"]
    for name, response in fragment["components"]["responses"].items():
        assert "X-Rate-Limit-Requests-Left" in response["headers"], name


def test_transaction_id_filters_gets_only() -> None:
    fragment = yaml.safe_load(PATHS.fragment.read_text(encoding="utf-8"))
    item = fragment["paths"]["/orders/{order_id}/payment_actions/refunds"]
    assert all(p.get("name") != "transaction_id" for p in item["parameters"])
    assert [p["name"] for p in item["get"]["parameters"]] == ["transaction_id"]
    assert "parameters" not in item["post"] or item["post"]["parameters"] == []


def test_refund_links_lead_to_the_reads() -> None:
    fragment = yaml.safe_load(PATHS.fragment.read_text(encoding="utf-8"))
    links = fragment["components"]["responses"]["Refund_Resp"]["links"]
    assert links["GetRefundById"]["operationId"] == "getOrderRefund"
    assert links["GetRefundById"]["parameters"] == {"refund_id": "$response.body#/data/id"}
    assert links["GetRefundsForOrder"]["parameters"] == {"order_id": "$request.path.order_id"}


def test_cut_fails_clearly_when_an_operation_is_missing() -> None:
    upstream = yaml.safe_load(PATHS.upstream.read_text(encoding="utf-8"))
    del upstream["paths"]["/orders/payment_actions/refunds"]
    with pytest.raises(CutError, match="getOrdersRefunds"):
        cut_fragment(upstream)


# --------------------------------------------------------------------- overlay semantics


def _overlay(*actions: dict[str, Any]) -> Any:
    return parse_overlay({"overlay": "1.0.0", "info": {"title": "t"}, "actions": list(actions)})


def test_update_merges_objects_recursively_and_replaces_lists() -> None:
    document: dict[str, Any] = {"a": {"b": {"c": 1, "keep": True}, "enum": [1, 2]}}
    overlay = _overlay(
        {"target": "$.a", "description": "why", "update": {"b": {"c": 2}, "enum": [3]}}
    )
    assert apply_overlay(document, overlay) == []
    assert document == {"a": {"b": {"c": 2, "keep": True}, "enum": [3]}}


def test_update_appends_to_array_targets() -> None:
    document: dict[str, Any] = {"servers": [{"url": "a"}]}
    apply_overlay(
        document, _overlay({"target": "$.servers", "description": "w", "update": {"url": "b"}})
    )
    assert document == {"servers": [{"url": "a"}, {"url": "b"}]}


def test_remove_deletes_every_match() -> None:
    document: dict[str, Any] = {"p": [{"n": "x"}, {"n": "y"}, {"n": "x"}], "q": 1}
    overlay = _overlay(
        {"target": '$.p[?(@.n == "x")]', "description": "w", "remove": True},
        {"target": "$.q", "description": "w", "remove": True},
    )
    assert apply_overlay(document, overlay) == []
    assert document == {"p": [{"n": "y"}]}


def test_an_action_that_matches_nothing_is_reported() -> None:
    overlay = _overlay({"target": "$.nowhere", "description": "renamed upstream", "remove": True})
    unmatched = apply_overlay({"a": 1}, overlay)
    assert [action.target for action in unmatched] == ["$.nowhere"]
    assert "renamed upstream" in unmatched[0].label


@pytest.mark.parametrize(
    ("action", "message"),
    [
        ({"target": "$.a", "update": {}}, "description"),
        ({"target": "$.a", "description": "w"}, "exactly one of update/remove"),
        ({"target": "$.a", "description": "w", "update": {}, "remove": True}, "exactly one"),
        ({"description": "w", "remove": True}, "target"),
    ],
)
def test_malformed_actions_are_refused(action: dict[str, Any], message: str) -> None:
    with pytest.raises(OverlayError, match=message):
        _overlay(action)


def test_bad_jsonpath_is_reported_with_the_action() -> None:
    overlay = _overlay({"target": "$[[[", "description": "w", "remove": True})
    with pytest.raises(OverlayError, match=r"action 0 \(\$\[\[\[\)"):
        apply_overlay({}, overlay)


def _refs_with_siblings(node: Any, where: str = "$") -> list[str]:
    found: list[str] = []
    if isinstance(node, dict):
        if "$ref" in node and set(node) - {"$ref"}:
            found.append(f"{where}: {sorted(set(node) - {'$ref'})}")
        for key, value in node.items():
            found += _refs_with_siblings(value, f"{where}.{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += _refs_with_siblings(value, f"{where}[{index}]")
    return found


def test_no_ref_has_sibling_keywords_that_oas30_would_ignore() -> None:
    fragment = yaml.safe_load(PATHS.fragment.read_text(encoding="utf-8"))
    assert _refs_with_siblings(fragment) == []


def test_refund_item_requested_amount_is_nullable() -> None:
    from bigcommerce_refunds.spec.fragment import default_fragment

    validator = default_fragment().component_validator("RefundItem")
    assert validator.is_valid({"item_type": "PRODUCT", "item_id": 1, "requested_amount": None})
    assert validator.is_valid({"item_type": "SHIPPING", "item_id": 1, "requested_amount": 1.5})
    assert not validator.is_valid({"item_type": "SHIPPING", "item_id": 1, "requested_amount": "1"})
