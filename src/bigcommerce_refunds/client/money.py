"""Money in Decimal, on the wire and back.

Requests: amounts are :class:`~decimal.Decimal` from the caller to the socket. The body is
serialized here (:func:`dumps_json`, the project's one Decimal-exact writer from
:mod:`bigcommerce_refunds.decimal_json`, in its UTF-8 form) so that ``Decimal("37.89")`` is
written as the JSON number ``37.89`` with exactly its digits; the generated models would pass
amounts through ``float`` and ``json=``, and a float cannot hold most cent values exactly.

Responses: the generated models are kept type-honest (their amount fields are ``float`` and
hold floats). Parsing with ``json.loads(parse_float=Decimal)`` was considered and rejected: the
generated ``from_dict`` copies whatever it is given, so the models would hold ``Decimal`` (or
``int``) in fields annotated ``float``; ``refund.total_amount * 1.1`` would then raise
TypeError and ``json.dumps(refund.to_dict())`` would fail. Instead :func:`to_decimal` recovers
the exact decimal the server sent: a JSON number with at most 15 significant digits (every
2-decimal amount below 10**13) survives the trip through a double, and ``repr`` of a float is the
shortest string that maps back to it, which is then that same number. Trailing zeros are not
kept (``10.50`` reads back as ``Decimal("10.5")``, which compares equal).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import TypeAlias

from bigcommerce_refunds_client.models import PaymentOption, Refund, RefundQuoteFull

from bigcommerce_refunds.decimal_json import writer

__all__ = [
    "JSONValue",
    "as_amount",
    "dumps_json",
    "method_total",
    "quote_total",
    "refund_tax",
    "refund_total",
    "to_decimal",
]

JSONValue: TypeAlias = (
    "bool | int | str | Decimal | Sequence[JSONValue] | Mapping[str, JSONValue] | None"
)
"""What :func:`dumps_json` accepts: JSON, with Decimal for every non-integer number."""


def as_amount(value: Decimal | int | str, *, what: str = "amount") -> Decimal:
    """Validate a caller's amount: Decimal, int or a numeric string; never float.

    A float is refused (TypeError) because the damage is already done by the time it arrives:
    ``0.1 + 0.2`` is not ``0.3``. NaN and infinities are refused because JSON cannot carry them.
    Sign and scale are left to the API (it answers 422), so that the client is never stricter
    than the server.
    """
    if isinstance(value, bool) or not isinstance(value, Decimal | int | str):
        raise TypeError(
            f"{what} must be a Decimal (e.g. Decimal('9.99')), an int or a numeric string, "
            f"not {type(value).__name__}: floats cannot hold most cent values exactly"
        )
    try:
        amount = value if isinstance(value, Decimal) else Decimal(value)
    except ArithmeticError as exc:  # decimal.InvalidOperation for a non-numeric string
        raise ValueError(f"{what} {value!r} is not a number") from exc
    if not amount.is_finite():
        raise ValueError(f"{what} must be finite, got {amount}")
    return amount


def to_decimal(value: float | int | Decimal) -> Decimal:
    """The exact decimal a response carried, from the float (or int) a generated model holds.

    See the module docstring for why ``Decimal(repr(value))`` is exact for money.
    """
    if isinstance(value, bool):
        raise TypeError("a bool is not an amount")
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    raise TypeError(f"not an amount: {type(value).__name__}")


def refund_total(refund: Refund) -> Decimal:
    """``refund.total_amount`` as the exact Decimal the server sent."""
    return to_decimal(refund.total_amount)


def refund_tax(refund: Refund) -> Decimal:
    """``refund.total_tax`` as the exact Decimal the server sent."""
    return to_decimal(refund.total_tax)


def quote_total(quote: RefundQuoteFull) -> Decimal:
    """``quote.total_refund_amount`` as the exact Decimal the server sent."""
    return to_decimal(quote.total_refund_amount)


def method_total(method: Sequence[PaymentOption]) -> Decimal:
    """The sum of one refund method's payment options (one alternative of ``refund_methods``)."""
    return sum((to_decimal(option.amount) for option in method), Decimal(0))


_dumps = writer(ascii_only=False)


def dumps_json(value: JSONValue) -> bytes:
    """Serialize a request body; Decimal becomes a JSON number with exactly its digits.

    Floats are refused (TypeError) so that no amount can reach the wire through binary rounding.
    """
    return _dumps(value).encode("utf-8")
