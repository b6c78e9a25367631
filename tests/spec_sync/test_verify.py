"""The verify step fails, naming the problem, when the regenerated client is broken."""

from __future__ import annotations

from pathlib import Path

from bigcommerce_refunds.spec.verify import run_roundtrip, verify_project
from tests.spec_sync.projects import CHECKOUT, copy_project

PACKAGE = "bigcommerce_refunds_client"


def test_a_type_error_and_a_parse_failure_fail_verification(
    tmp_path: Path, mypy_cache: Path
) -> None:
    root = copy_project(CHECKOUT, tmp_path)
    models = root / "generated" / PACKAGE / "models"
    with (models / "error_base.py").open("a", encoding="utf-8") as handle:
        handle.write('\nBROKEN: int = "not an int"\n')
    response = models / "refund_collection_response.py"
    response.write_text(
        response.read_text(encoding="utf-8").replace(
            "        from ..models.refund import Refund  # noqa: PLC0415\n",
            '        raise ValueError("broken on purpose")\n',
            1,
        ),
        encoding="utf-8",
    )
    verification = verify_project(root, PACKAGE, mypy_cache_dir=mypy_cache)
    mypy, roundtrip = verification.checks
    assert not verification.ok
    assert not mypy.ok
    assert "error_base.py" in mypy.output
    assert not roundtrip.ok
    assert "ValueError: broken on purpose" in roundtrip.output
    assert "getOrderRefunds 200" in roundtrip.output
    assert "synthesized from the schema's examples" in roundtrip.output


def test_the_checkout_verifies(tmp_path: Path, mypy_cache: Path) -> None:
    """The round trip imports the scratch project's package, not the installed one."""
    root = copy_project(CHECKOUT, tmp_path)
    verification = verify_project(root, PACKAGE, mypy_cache_dir=mypy_cache)
    assert verification.ok, verification.to_json()


def test_the_round_trip_does_not_depend_on_the_facade(tmp_path: Path) -> None:
    """A synced client the hand-written façade no longer fits (a 2022-era upstream has no
    `RefundResponse`): the round trip still tests the generated package, instead of crashing
    on the façade's imports (the façade is `make test`'s business)."""
    root = copy_project(CHECKOUT, tmp_path)
    models = root / "generated" / PACKAGE / "models" / "__init__.py"
    text = models.read_text(encoding="utf-8")
    text = text.replace("from .refund_response import RefundResponse\n", "")
    models.write_text(text.replace('    "RefundResponse",\n', ""), encoding="utf-8")
    check = run_roundtrip(root / "openapi" / "refunds.yaml", root / "generated", PACKAGE)
    assert check.ok, check.output
    assert "crashed" not in check.summary
