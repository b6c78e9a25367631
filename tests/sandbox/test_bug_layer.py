"""Planted bugs are one layer: the sandbox's own modules name none, and plug-in happens at seams."""

from __future__ import annotations

import ast
import io
import re
import tokenize
from decimal import Decimal
from pathlib import Path

import pytest

import bigcommerce_refunds.sandbox as sandbox_package
from bigcommerce_refunds.sandbox import BUG_PROFILES, SandboxConfig, create_app
from bigcommerce_refunds.sandbox.bugs import CATALOG, seams_for
from bigcommerce_refunds.sandbox.seams import PLAIN
from bigcommerce_refunds.sandbox.violations import CATEGORIES
from tests.sandbox.helpers import BASE, in_process, parse, sandbox_config

SANDBOX = Path(sandbox_package.__file__).parent
ROOT = Path(__file__).resolve().parents[2]
BUG_LAYER = SANDBOX / "bugs"
#: The modules that may import the bug layer: the registry's readers (names, descriptions,
#: validation) and the state that turns active names into seams. None of them names a profile.
MAY_IMPORT_BUGS = {"__init__.py", "config.py", "control.py", "launcher.py", "state.py"}
NAME = re.compile("|".join(rf"\b{re.escape(name)}\b" for name in sorted(BUG_PROFILES)))


def _modules() -> list[Path]:
    found = sorted(p for p in SANDBOX.rglob("*.py") if BUG_LAYER not in p.parents)
    assert len(found) > 30  # the walk found the sandbox, not an empty directory
    return found


def _mentions(path: Path) -> list[str]:
    """Every bug name in the module's comments, docstrings, strings and identifiers, except a
    string that is exactly a 422 violation code (three codes share a profile's name: the profile
    breaks the rule whose violation has that code)."""
    source = path.read_text()
    found: list[str] = []
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type in (tokenize.COMMENT, tokenize.NAME) and NAME.search(token.string):
            found.append(f"{path.name}:{token.start[0]}: {token.string}")
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            if node.value in CATEGORIES:
                continue
            if NAME.search(node.value):
                found.append(f"{path.name}:{node.lineno}: {node.value!r}")
    return found


def test_no_sandbox_module_outside_the_bug_layer_names_a_bug_profile() -> None:
    mentions = [mention for path in _modules() for mention in _mentions(path)]
    assert mentions == []


def test_the_check_finds_a_bug_name_where_there_is_one(tmp_path: Path) -> None:
    planted = tmp_path / "planted.py"
    planted.write_text('if "wrong_status" in bugs:  # lost_write too\n    pass\n')
    assert len(_mentions(planted)) == 2
    code = tmp_path / "code.py"
    code.write_text('fail("over_refund", {})\n')  # a violation code, not the profile
    assert _mentions(code) == []


def test_only_the_registry_and_the_state_import_the_bug_layer() -> None:
    importers = set()
    for path in _modules():
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(
                "bigcommerce_refunds.sandbox.bugs"
            ):
                importers.add(path.name)
    assert importers
    assert importers <= MAY_IMPORT_BUGS


def test_every_profile_is_in_the_catalog_and_changes_a_seam() -> None:
    assert [profile.name for profile in CATALOG] == list(BUG_PROFILES)
    for profile in CATALOG:
        assert BUG_PROFILES[profile.name] == profile.breaks
        assert seams_for({profile.name}) != PLAIN, profile.name


def test_a_sandbox_without_bugs_runs_on_the_plain_seams() -> None:
    app = create_app(SandboxConfig())
    assert app.state.sandbox.seams is PLAIN
    app.state.sandbox.set_bugs({"wrong_status"})
    assert app.state.sandbox.seams.responses
    app.state.sandbox.set_bugs(())
    assert app.state.sandbox.seams is PLAIN


def test_an_unknown_name_changes_neither_the_names_nor_the_seams() -> None:
    app = create_app(SandboxConfig(bugs=frozenset({"lost_write"})))
    before = app.state.sandbox.seams
    with pytest.raises(ValueError, match="unknown bug profile"):
        app.state.sandbox.set_bugs({"lost_write", "nope"})
    assert app.state.sandbox.bugs == frozenset({"lost_write"})
    assert app.state.sandbox.seams is before


@pytest.mark.parametrize(
    "readme", [ROOT / "README.md", SANDBOX / "README.md"], ids=["top", "sandbox"]
)
def test_the_readme_lists_every_profile_once_by_its_seam(readme: Path) -> None:
    text = readme.read_text()
    section = text[text.index("### Planted bugs") : text.index("### What it does not model")]
    table = [line for line in section.splitlines() if line.startswith("| ") and "`" in line]
    listed = [name for line in table for name in re.findall(r"`([a-z_]+)`", line.split("|")[2])]
    assert sorted(listed) == sorted(BUG_PROFILES)


def test_view_bugs_compose_as_they_always_did() -> None:
    """total_not_sum adds its cent before renamed_field renames the total."""
    with in_process(sandbox_config(bugs=frozenset({"total_not_sum", "renamed_field"}))) as (
        api,
        _,
    ):
        body = {
            "items": [{"item_type": "FEE", "item_id": 401, "amount": 1}],
            "payments": [{"provider_id": "braintree", "amount": 1}],
        }
        response = api.raw("POST", f"{BASE}/orders/100/payment_actions/refunds", json=body)
        assert response.status_code == 201
        data = parse(response)["data"]
        assert "total_amount" not in data
        assert data["amount_total"] == Decimal("1.01")
