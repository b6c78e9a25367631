"""Money as 2-decimal Decimals: quantize once at the edge, add and compare exactly after that.

Floats cannot represent most cents (0.1 + 0.2 != 0.3), and a refund API that drifts by a cent
rejects payments that "look" right. Every amount the sandbox reads is turned into a Decimal by the
JSON parser itself (``parse_float=Decimal``), and every amount it writes is emitted as an exact JSON
number (see :mod:`bigcommerce_refunds.sandbox.jsonbody`).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
# Amounts at or beyond this are "absurdly large": never quantized or added (Decimal arithmetic on
# 1e400 or 1e99999999 would round, overflow or trap), only compared and rejected.
MAX_AMOUNT = Decimal("1e15")


def quantize(value: Decimal) -> Decimal:
    """Round to cents, half up (the way receipts round)."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def money(value: Any) -> Decimal:
    """A 2-decimal Decimal from an int, a Decimal or a decimal string (never from a float).

    Raises ValueError for floats, booleans, non-finite or absurdly large values: callers that take
    user input use :func:`parse_amount`, which does not raise.
    """
    if isinstance(value, bool | float):
        raise ValueError("money must not be a float or a boolean")
    decimal = value if isinstance(value, Decimal) else Decimal(value)
    if not decimal.is_finite() or decimal.copy_abs() >= MAX_AMOUNT:
        raise ValueError("money must be a finite amount below 1e15")
    return quantize(decimal)


def parse_amount(value: Any) -> Decimal | None:
    """A user-supplied JSON number as money, or None when it is not a usable amount.

    Huge values (``1e400``, ``10**400``) come back unquantized so that rules can still compare them
    ("above what remains") without doing arithmetic on them; see :func:`in_range`.
    """
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        return None
    decimal = value if isinstance(value, Decimal) else Decimal(value)
    if not decimal.is_finite():
        return None
    if decimal.copy_abs() >= MAX_AMOUNT:
        return decimal
    return quantize(decimal)


def decimal_places(value: Decimal) -> int:
    """The decimal places ``value`` needs: ``0.50`` -> 1, ``0.005`` -> 3, ``1E+2`` -> 0.

    Trailing zeros do not count (``5.750`` is 5.75). Integer arithmetic on the digits only, so
    ``1E-400`` or ``1E+99999999`` cost nothing and raise nothing.
    """
    if not value.is_finite():
        return 0
    _, digits, exponent = value.as_tuple()
    assert isinstance(exponent, int)
    trailing = len(digits) - len("".join(map(str, digits)).rstrip("0"))
    if trailing == len(digits):  # zero
        return 0
    return max(0, -(exponent + trailing))


def sub_cent(value: Any) -> str | None:
    """The amount as sent when it has more decimal places than money has (2), else None.

    Money is never rounded silently: a refund of 0.005 is not a refund of 0.01 (more than was
    asked) nor of 0.00. Only numbers are looked at; anything else is someone else's error.
    """
    if isinstance(value, bool) or not isinstance(value, Decimal):
        return None  # ints (and non-numbers) have no fraction
    return str(value) if decimal_places(value) > 2 else None


def in_range(value: Decimal) -> bool:
    """Whether an amount is small enough for arithmetic (see :data:`MAX_AMOUNT`)."""
    return value.is_finite() and value.copy_abs() < MAX_AMOUNT


def total(values: list[Decimal]) -> Decimal:
    """Exact sum of in-range amounts, 2 decimals even for an empty list."""
    return quantize(sum(values, ZERO))


def share(amount: Decimal, part: Decimal, whole: Decimal) -> Decimal:
    """``amount * part / whole`` rounded to cents: a proportional share (e.g. of tax)."""
    if whole == 0:
        return ZERO
    return quantize(amount * part / whole)


__all__ = [
    "CENT",
    "MAX_AMOUNT",
    "ZERO",
    "decimal_places",
    "in_range",
    "money",
    "parse_amount",
    "quantize",
    "share",
    "sub_cent",
]
