"""Request bodies of the quote and refund operations, checked against the fragment and typed.

The fragment's bodies are ``anyOf(Items, Tax Adjustment)`` with no ``additionalProperties`` limits,
so a body can match both branches (upstream's own "Multiple Items" example sends ``items`` *and*
``tax_adjustment_amount: 0``). The sandbox decides which refund the caller meant:

* a body with ``items`` is an items refund; it must satisfy the items branch, and a
  ``tax_adjustment_amount`` next to it must be ``0`` ("no tax adjustment"), else 422;
* a body without ``items`` is a tax adjustment refund (``payments`` are then ignored: the refund is
  paid to the order's first refund method, see :mod:`bigcommerce_refunds.sandbox.rules`).

Schema problems become ``{json path: message}`` maps for the operation's 422 body.

Speed: when jsonschema-rs is installed (a compiled validator; the ``fast`` extra, and a dependency
of Schemathesis), a body it finds valid is accepted without the pure-Python validator, which then
runs only to explain a failure (its messages and paths are the ones the 422 reports). The fast
path is only taken where the two cannot disagree: the branch validators are plain draft 4 on both
sides, and a body holding a Decimal written without a fraction or exponent (``1e0`` parses to
``Decimal("1")``, which jsonschema-rs would count as an integer and jsonschema does not), or
anything jsonschema-rs cannot read, goes the pure-Python way. An invalid plain body is explained
from jsonschema-rs's own errors, worded by jsonschema's keyword functions and put in jsonschema's
order (:mod:`compiled_explain`); where that cannot be certain, by :mod:`explain`'s pruning
validator: jsonschema's own errors, without walking the subtrees that jsonschema-rs proves valid.
Either way the 422 says what jsonschema alone would say (the 422 path is what negative-mode
fuzzing hits most).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

from jsonschema import Draft4Validator
from jsonschema.exceptions import ValidationError, best_match

from bigcommerce_refunds.sandbox.compiled_explain import CompiledExplainer
from bigcommerce_refunds.sandbox.explain import pruning_validator
from bigcommerce_refunds.spec.fragment import default_fragment

try:  # optional: a compiled validator for the common case of a valid body
    import jsonschema_rs
except ImportError:  # pragma: no cover - exercised where jsonschema-rs is not installed
    jsonschema_rs = None  # type: ignore[assignment]  # the module, or None where it is missing

#: Whether valid bodies may be recognised by jsonschema-rs (tests switch it off to compare).
FAST_VALIDATION = jsonschema_rs is not None
#: Whether invalid plain bodies are explained from jsonschema-rs's errors first (tests switch it
#: off to compare); see :mod:`compiled_explain`.
COMPILED_EXPLAINING = jsonschema_rs is not None

QUOTE_OPERATION = "createOrderRefundQuotes"
REFUND_OPERATION = "createOrderRefund"
_MAX_MESSAGE = 300


@dataclass(frozen=True)
class RefundPayload:
    """A schema-valid quote or refund body, with the branch the caller meant."""

    kind: Literal["items", "tax_adjustment"]
    items: list[Any]
    payments: list[Any]
    tax_adjustment_amount: Any
    merchant_calculated_override: Any


class SchemaViolationError(ValueError):
    """The body does not match the operation's request schema; ``errors`` maps paths to reasons."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{path}: {message}" for path, message in errors.items()))
        self.errors = errors


class AmbiguousRefundError(ValueError):
    """Both ``items`` and a non-zero ``tax_adjustment_amount`` were sent."""


@functools.cache
def _validators(operation_id: str) -> tuple[Draft4Validator, Draft4Validator, Draft4Validator]:
    """(whole body, items branch, tax branch) validators, compiled once per process."""
    fragment = default_fragment()
    whole = fragment.request_validator(operation_id)
    items_branch, tax_branch = fragment.request_schema(operation_id)["anyOf"]
    return whole, Draft4Validator(items_branch), Draft4Validator(tax_branch)


@functools.cache
def _explainers(operation_id: str) -> tuple[Draft4Validator, Draft4Validator]:
    """(items branch, tax branch) validators that explain a *plain* body's errors fast.

    They yield exactly the errors of the plain branch validators, skipping the subtrees that
    jsonschema-rs proves valid (see :mod:`explain`); without jsonschema-rs they are the same.
    """
    items_branch, tax_branch = default_fragment().request_schema(operation_id)["anyOf"]
    return pruning_validator(items_branch), pruning_validator(tax_branch)


@functools.cache
def _compiled_explainers(operation_id: str) -> tuple[CompiledExplainer, CompiledExplainer]:
    """(items branch, tax branch) explainers working from jsonschema-rs's errors."""
    items_branch, tax_branch = default_fragment().request_schema(operation_id)["anyOf"]
    return CompiledExplainer(items_branch, json_path), CompiledExplainer(tax_branch, json_path)


@functools.cache
def _fast_validators(operation_id: str) -> tuple[Callable[[Any], bool], Callable[[Any], bool]]:
    """jsonschema-rs ``is_valid`` of the (items, tax) branches, compiled once per process."""
    assert jsonschema_rs is not None
    items_branch, tax_branch = default_fragment().request_schema(operation_id)["anyOf"]
    return (
        jsonschema_rs.Draft4Validator(items_branch, validate_formats=False).is_valid,
        jsonschema_rs.Draft4Validator(tax_branch, validate_formats=False).is_valid,
    )


def _plain(value: Any) -> bool:
    """Whether every validator involved reads ``value`` alike.

    Not plain: a float (parsed JSON has none, but Python callers may pass them; the whole-body
    validator counts ``1.0`` as an integer, the branch validators do not) and a Decimal without a
    fraction digit (jsonschema-rs counts ``Decimal("1")`` as an integer, jsonschema does not).
    """
    pending = [value]
    while pending:
        item = pending.pop()
        kind = type(item)
        if kind is str or kind is int or kind is bool or item is None:
            continue
        if isinstance(item, dict):
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
        elif isinstance(item, Decimal):
            exponent = item.as_tuple().exponent
            if not (isinstance(exponent, int) and exponent < 0):
                return False
        elif isinstance(item, float):
            return False
    return True


def _fast_valid(operation_id: str, items: bool, body: dict[str, Any]) -> bool:
    """True only when jsonschema-rs proves a plain body valid (False means: ask jsonschema)."""
    if not FAST_VALIDATION:
        return False
    items_valid, tax_valid = _fast_validators(operation_id)
    try:
        return (items_valid if items else tax_valid)(body)
    except Exception:  # anything it cannot read (lone surrogates, ...): the pure-Python way
        return False


def json_path(parts: Any) -> str:
    """``items[0].quantity`` style path of a jsonschema error location (``$`` for the root)."""
    path = "$"
    for part in parts:
        path += f"[{part}]" if isinstance(part, int) else f".{part}"
    return path.removeprefix("$.") if path != "$" else path


def _shorten(message: str) -> str:
    return message if len(message) <= _MAX_MESSAGE else message[: _MAX_MESSAGE - 3] + "..."


def _message(error: ValidationError) -> str:
    return _shorten(error.message)


def _leaves(error: ValidationError) -> list[ValidationError]:
    """The errors worth reporting for ``error``.

    For a oneOf/anyOf over refund items, the branch the caller meant is the one whose ``item_type``
    enum accepted the item (the discriminator): report that branch's errors, not "is not valid
    under any of the given schemas". Otherwise fall back to jsonschema's best match.
    """
    if not error.context:
        return [error]
    branches: dict[Any, list[ValidationError]] = {}
    for sub in error.context:
        branches.setdefault(sub.relative_schema_path[0], []).append(sub)
    meant = [subs for subs in branches.values() if not any(s.validator == "enum" for s in subs)]
    if len(meant) == 1:
        return [leaf for sub in meant[0] for leaf in _leaves(sub)]
    return [best_match([error]) or error]


def _errors(validator: Draft4Validator, body: Any) -> dict[str, str]:
    found: dict[str, str] = {}
    for error in validator.iter_errors(body):
        for leaf in _leaves(error):
            found.setdefault(json_path(leaf.absolute_path), _message(leaf))
        if len(found) >= 20:
            break
    return found


def _branch_errors(operation_id: str, branch: int, fast: bool, body: Any) -> dict[str, str]:
    """The 422 errors of ``body`` under one branch (0: items, 1: tax adjustment), {} if valid.

    ``fast`` (a plain body, jsonschema-rs installed): jsonschema-rs decides validity, then
    explains from its own errors where it can (:mod:`compiled_explain`), else the pruning
    validator explains (:mod:`explain`). Otherwise jsonschema alone. All give the same errors.
    """
    if not fast:
        return _errors(_validators(operation_id)[1 + branch], body)
    if _fast_valid(operation_id, branch == 0, body):
        return {}
    if COMPILED_EXPLAINING:
        found = _compiled_explainers(operation_id)[branch].explain(body, _shorten)
        if found is not None:
            return found
    return _errors(_explainers(operation_id)[branch], body)


def _is_zero(value: Any) -> bool:
    return not isinstance(value, bool) and isinstance(value, int | Decimal) and value == 0


def parse_payload(operation_id: str, body: Any) -> RefundPayload:
    """Validate ``body`` (already parsed JSON) and say which refund it asks for.

    Raises SchemaViolationError (422) or AmbiguousRefundError (422, business rule).
    """
    if not isinstance(body, dict):
        raise SchemaViolationError({"$": "The request body must be a JSON object."})
    # The branch the caller meant explains a failure better than anyOf's "not valid under any".
    plain = _plain(body)
    fast = plain and FAST_VALIDATION
    if "items" in body:
        errors = _branch_errors(operation_id, 0, fast, body)
    elif "tax_adjustment_amount" in body:
        errors = _branch_errors(operation_id, 1, fast, body)
    else:
        errors = {"$": "Send items (an items refund) or tax_adjustment_amount."}
    # The whole body is anyOf(items branch, tax branch) and nothing else (a test pins that): on a
    # plain body, where its validator and the branch validators agree, a body valid under its
    # branch is valid, and the second pass over the whole schema is skipped.
    if not errors and not plain:
        whole = _validators(operation_id)[0]
        if not whole.is_valid(body):
            errors = _errors(whole, body)
    if errors:
        raise SchemaViolationError(errors)
    override = body.get("merchant_calculated_override")
    if "items" in body:
        if "tax_adjustment_amount" in body and not _is_zero(body["tax_adjustment_amount"]):
            raise AmbiguousRefundError("items and a non-zero tax_adjustment_amount")
        payments = body.get("payments", [])
        return RefundPayload(
            kind="items",
            items=list(body["items"]),
            payments=list(payments) if isinstance(payments, list) else [],
            tax_adjustment_amount=None,
            merchant_calculated_override=override,
        )
    return RefundPayload(
        kind="tax_adjustment",
        items=[],
        payments=[],
        tax_adjustment_amount=body["tax_adjustment_amount"],
        merchant_calculated_override=override,
    )


__all__ = [
    "FAST_VALIDATION",
    "QUOTE_OPERATION",
    "REFUND_OPERATION",
    "AmbiguousRefundError",
    "RefundPayload",
    "SchemaViolationError",
    "json_path",
    "parse_payload",
]
