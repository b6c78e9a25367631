"""The README's usage example runs, unchanged, against the sandbox.

The example is the ```python block right after the ``<!-- usage-example -->`` marker in the
project README.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path
from typing import Any

from bigcommerce_refunds.client import refund_total

MARKER = "<!-- usage-example -->"
README = Path(__file__).resolve().parents[2] / "README.md"


def extract_example(markdown: str) -> str:
    """The first ```python block after the marker line."""
    _, marker, after = markdown.partition(MARKER)
    assert marker, f"no {MARKER} line"
    match = re.search(r"^```python\n(.*?)^```", after, flags=re.DOTALL | re.MULTILINE)
    assert match is not None, f"no ```python block after {MARKER}"
    return match.group(1)


def example_source() -> str:
    return extract_example(README.read_text(encoding="utf-8"))


def test_extract_example_takes_the_block_after_the_marker() -> None:
    text = f"intro\n```python\nno()\n```\n{MARKER}\nSome words.\n```python\nyes()\n```\n"
    assert extract_example(text) == "yes()\n"


def test_readme_usage_example_runs_against_the_sandbox(capsys: Any) -> None:
    namespace: dict[str, Any] = {"__name__": "readme_example"}
    exec(compile(example_source(), "README.md <!-- usage-example -->", "exec"), namespace)
    refund = namespace["refund"]
    assert refund.order_id == 100
    assert refund_total(refund) == Decimal("96.34")
    assert "refund " in capsys.readouterr().out
