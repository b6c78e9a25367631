"""What `make dist` ships: one distribution carrying the generated client, with a lean core.

Builds the wheel from the checkout (through the sdist, as `uv build` does, so the sdist is proved
complete too) and reads its contents and metadata.
"""

from __future__ import annotations

import email
import os
import shutil
import subprocess
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SERVER_SIDE = {"starlette", "uvicorn", "pyyaml", "jsonschema", "schemathesis", "hypothesis"}


def _uv() -> str:
    found = shutil.which("uv") or str(ROOT / ".tools" / "bin" / "uv")
    assert Path(found).exists(), "uv is needed to build the wheel (make install provides it)"
    return found


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Iterator[zipfile.ZipFile]:
    out = tmp_path_factory.mktemp("dist")
    built_by = subprocess.run(
        [_uv(), "build", "--out-dir", str(out), "--quiet", str(ROOT)],
        capture_output=True,
        text=True,
        env={**os.environ, "UV_PYTHON_DOWNLOADS": "never"},
        check=False,
    )
    assert built_by.returncode == 0, built_by.stderr
    (built,) = out.glob("*.whl")
    assert len(list(out.glob("*.tar.gz"))) == 1
    with zipfile.ZipFile(built) as archive:
        yield archive


def _metadata(wheel: zipfile.ZipFile) -> email.message.Message:
    (name,) = [n for n in wheel.namelist() if n.endswith(".dist-info/METADATA")]
    return email.message_from_bytes(wheel.read(name))


def test_the_generated_client_ships_inside_the_one_distribution(wheel: zipfile.ZipFile) -> None:
    names = set(wheel.namelist())
    assert "bigcommerce_refunds_client/__init__.py" in names
    assert "bigcommerce_refunds_client/models/refund.py" in names
    assert "bigcommerce_refunds/refunds.yaml" in names
    assert "bigcommerce_refunds/upstream/orders.v2.oas2.yml" in names
    tops = {name.split("/")[0] for name in names if not name.endswith(".dist-info/")}
    assert {t for t in tops if not t.endswith(".dist-info")} == {
        "bigcommerce_refunds",
        "bigcommerce_refunds_client",
    }


def test_the_core_requires_nothing_of_the_server_side(wheel: zipfile.ZipFile) -> None:
    meta = _metadata(wheel)
    requires = meta.get_all("Requires-Dist") or []
    core = [r for r in requires if "extra ==" not in r]
    core_names = {
        r.split(">")[0].split("<")[0].split("=")[0].split("[")[0].strip().lower() for r in core
    }
    assert core_names == {"httpx", "attrs"}
    assert not any("bigcommerce-refunds-client" in r for r in requires)
    extras = set(meta.get_all("Provides-Extra") or [])
    assert {"sandbox", "conformance", "fast"} <= extras
    sandbox = [r for r in requires if "extra == 'sandbox'" in r or 'extra == "sandbox"' in r]
    assert {r.split(">")[0].strip().lower() for r in sandbox} & SERVER_SIDE


def test_python_3_11_to_3_13_are_declared(wheel: zipfile.ZipFile) -> None:
    meta = _metadata(wheel)
    assert meta["Requires-Python"] == ">=3.11"
    classifiers = set(meta.get_all("Classifier") or [])
    for minor in ("3.11", "3.12", "3.13"):
        assert f"Programming Language :: Python :: {minor}" in classifiers
