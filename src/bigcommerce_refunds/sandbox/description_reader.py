"""Reading a JSON description field by field, collecting every problem with its JSON path.

The control API answers an invalid order description with one 422 that names every bad field
(``{"$.products[0].quantity": "must be an integer >= 1", ...}``), so the reader records a problem
and carries on with a harmless default instead of stopping at the first one.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from bigcommerce_refunds.sandbox.money import ZERO, quantize
from bigcommerce_refunds.sandbox.rfc3339 import parse_datetime


class OrderDescriptionError(ValueError):
    """An order description is invalid; ``errors`` maps JSON paths to what is wrong there."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{path}: {message}" for path, message in errors.items()))
        self.errors = errors


class DescriptionReader:
    """Reads a JSON description field by field, collecting errors instead of stopping at one."""

    def __init__(self) -> None:
        self.errors: dict[str, str] = {}

    def fail(self, path: str, message: str) -> None:
        self.errors.setdefault(path, message)

    def obj(self, value: Any, path: str, allowed: set[str]) -> dict[str, Any]:
        if not isinstance(value, dict):
            self.fail(path, "must be an object")
            return {}
        for key in sorted(set(value) - allowed):
            self.fail(f"{path}.{key}", f"unknown field (allowed: {', '.join(sorted(allowed))})")
        return value

    def list_(self, parent: dict[str, Any], key: str, path: str) -> list[Any]:
        value = parent.get(key, [])
        if not isinstance(value, list):
            self.fail(f"{path}.{key}", "must be an array")
            return []
        return value

    def integer(
        self, parent: dict[str, Any], key: str, path: str, *, minimum: int, default: int | None
    ) -> int:
        value = parent.get(key, default)
        if value is None:
            self.fail(f"{path}.{key}", "is required")
            return minimum
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            self.fail(f"{path}.{key}", f"must be an integer >= {minimum}")
            return minimum
        if value > 2**53:
            self.fail(f"{path}.{key}", "is too large")
            return minimum
        return value

    def optional_id(self, parent: dict[str, Any], path: str) -> int | None:
        if parent.get("id") is None:
            return None
        return self.integer(parent, "id", path, minimum=1, default=None)

    def amount(
        self, parent: dict[str, Any], key: str, path: str, *, default: Decimal | None = ZERO
    ) -> Decimal:
        value = parent.get(key, default)
        if value is None:
            self.fail(f"{path}.{key}", "is required")
            return ZERO
        if isinstance(value, bool) or not isinstance(value, int | Decimal):
            self.fail(f"{path}.{key}", "must be a number")
            return ZERO
        decimal = Decimal(value)
        if not decimal.is_finite() or decimal < 0 or decimal >= Decimal("1e9"):
            self.fail(f"{path}.{key}", "must be a number from 0 to 999999999.99")
            return ZERO
        if quantize(decimal) != decimal:
            self.fail(f"{path}.{key}", "must have at most 2 decimal places")
            return ZERO
        return quantize(decimal)

    def string(self, parent: dict[str, Any], key: str, path: str, default: str) -> str:
        value = parent.get(key, default)
        if not isinstance(value, str) or len(value) > 255:
            self.fail(f"{path}.{key}", "must be a string of at most 255 characters")
            return default
        return value

    def boolean(self, parent: dict[str, Any], key: str, path: str, default: bool) -> bool:
        value = parent.get(key, default)
        if not isinstance(value, bool):
            self.fail(f"{path}.{key}", "must be true or false")
            return default
        return value


def tax(
    read: DescriptionReader,
    item: dict[str, Any],
    key: str,
    price: Decimal,
    inclusive: bool,
    where: str,
) -> Decimal:
    """The tax at ``item[key]`` on ``price``: 0 on a free line, within a tax-inclusive price."""
    amount = read.amount(item, key, where)
    if price == 0 and amount != 0:
        read.fail(f"{where}.{key}", "must be 0 when the price is 0")
    if inclusive and amount > price:
        read.fail(f"{where}.{key}", "cannot exceed the tax-inclusive price")
    return amount


def created(read: DescriptionReader, data: dict[str, Any], path: str, default: datetime) -> str:
    value = data.get("created")
    if value is None:
        return default.astimezone(UTC).isoformat()
    if not isinstance(value, str):
        read.fail(f"{path}.created", "must be an RFC 3339 date-time string")
        return default.isoformat()
    try:
        parsed = parse_datetime(value)
    except ValueError:
        read.fail(
            f"{path}.created",
            "must be an RFC 3339 date-time with a UTC offset, e.g. 2026-11-28T10:00:00Z",
        )
        return default.isoformat()
    return parsed.astimezone(UTC).isoformat()


__all__ = ["DescriptionReader", "OrderDescriptionError", "created", "tax"]
