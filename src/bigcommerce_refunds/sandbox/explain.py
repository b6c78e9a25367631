"""Explaining an invalid request body quickly, with exactly the errors jsonschema would report.

The 422 path is what negative-mode fuzzing hits most, and explaining a failure with jsonschema's
pure-Python validator walked the whole document: every item of ``items`` through every branch of
its ``oneOf``, every payment, the override. Most of that walk finds nothing: a fuzzed body usually
has one bad value.

:func:`pruning_validator` is jsonschema's own Draft 4 validator with two changes:

* its ``properties`` and ``items`` keywords, before descending into a property value or an array
  element, ask the compiled jsonschema-rs validator of that subschema whether the value is valid,
  and skip it if so. A skipped subtree is one where jsonschema would have yielded no error
  either, so the errors that remain are the same errors, in the same order, with the same paths,
  messages and context (``oneOf`` branches included);
* its ``descend`` reuses one evolved validator per subschema instead of building one (and a
  referencing resource) on every visit: the fragment's request schemas are dereferenced, so the
  resolver an evolved validator carries is never consulted.

The 422 bodies do not change; a property test compares the two on generated invalid bodies.

That "valid for jsonschema-rs means valid for jsonschema" holds only for *plain* values (see
:func:`payloads._plain`: no floats, no Decimal without a fraction); callers use the pruning
validator for plain bodies only. Anything jsonschema-rs cannot read (lone surrogates, ...) is not
skipped. Without jsonschema-rs, :func:`pruning_validator` is plain Draft 4.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from jsonschema import Draft4Validator, validators
from jsonschema._legacy_keywords import ignore_ref_siblings, items_draft3_draft4
from jsonschema._utils import equal
from jsonschema.exceptions import ValidationError

try:  # optional: the compiled validator (the ``fast`` extra; Schemathesis depends on it)
    import jsonschema_rs
except ImportError:  # pragma: no cover - exercised where jsonschema-rs is not installed
    jsonschema_rs = None  # type: ignore[assignment]  # the module, or None where it is missing

AVAILABLE = jsonschema_rs is not None
# id(subschema) -> (subschema, its compiled validator or None): subschemas are the fragment's own
# cached dicts (or copies kept by their users), so their ids are stable; the dict is kept alive
# next to its id.
_COMPILED: dict[int, tuple[Any, Any]] = {}


def compiled(schema: Any) -> Any:
    """jsonschema-rs's Draft 4 validator of ``schema``, compiled once; None if it cannot be."""
    found = _COMPILED.get(id(schema))
    if found is not None and found[0] is schema:
        return found[1]
    validator: Any = None
    if AVAILABLE and isinstance(schema, dict) and schema:
        try:
            validator = jsonschema_rs.Draft4Validator(schema, validate_formats=False)
        except Exception:  # a schema it cannot compile: never skip under it
            validator = None
    _COMPILED[id(schema)] = (schema, validator)
    return validator


def _proven_valid(schema: Any, instance: Any) -> bool:
    """True only when jsonschema-rs says ``instance`` is valid under ``schema``."""
    validator = compiled(schema)
    if validator is None:
        return False
    try:
        return bool(validator.is_valid(instance))
    except Exception:  # anything it cannot read: let jsonschema look
        return False


def meant_branch(verdicts: list[bool | None]) -> int | None:
    """The one branch free of enum errors (``enum_fails`` verdicts per branch), or None."""
    if None in verdicts or verdicts.count(False) != 1:
        return None
    return verdicts.index(False)


def _properties(
    validator: Any, properties: dict[str, Any], instance: Any, schema: Any
) -> Iterator[ValidationError]:
    """jsonschema's ``properties`` keyword, minus the values proven valid."""
    if not validator.is_type(instance, "object"):
        return
    for name, subschema in properties.items():
        if name in instance and not _proven_valid(subschema, instance[name]):
            yield from validator.descend(instance[name], subschema, path=name, schema_path=name)


def _items(validator: Any, items: Any, instance: Any, schema: Any) -> Iterator[ValidationError]:
    """jsonschema's Draft 4 ``items`` keyword, minus the elements proven valid."""
    if not validator.is_type(instance, "array"):
        return
    if not validator.is_type(items, "object"):  # tuple form: as jsonschema does it
        legacy: Any = items_draft3_draft4  # a generator function, typed as returning None
        yield from legacy(validator, items, instance, schema)
        return
    for index, item in enumerate(instance):
        if not _proven_valid(items, item):
            yield from validator.descend(item, items, path=index)


# Keywords whose subschemas may yield enum errors of their own that enum_fails does not follow.
UNFOLLOWED = ("additionalProperties", "patternProperties", "dependencies", "additionalItems")


_Plan = tuple[Any, tuple[tuple[str, Any], ...], Any, tuple[Any, ...]]
# id(schema) -> (schema, its plan or None): what enum_fails reads of a schema, worked out once.
_PLANS: dict[int, tuple[Any, _Plan | None]] = {}


def _plan(schema: dict[str, Any]) -> _Plan | None:
    """(enum values, properties, items schema, allOf) of ``schema``; None if not followable."""
    found = _PLANS.get(id(schema))
    if found is not None and found[0] is schema:
        return found[1]
    plan: _Plan | None = None
    followable = not any(isinstance(schema.get(keyword), dict) for keyword in UNFOLLOWED)
    if followable and "$ref" not in schema and not isinstance(schema.get("items"), list):
        enums = schema.get("enum")
        properties = schema.get("properties")
        plan = (
            enums if isinstance(enums, list) else None,
            tuple(properties.items()) if isinstance(properties, dict) else (),
            schema.get("items") if isinstance(schema.get("items"), dict) else None,
            tuple(schema.get("allOf", ())),
        )
    _PLANS[id(schema)] = (schema, plan)
    return plan


def enum_fails(schema: Any, instance: Any) -> bool | None:
    """Whether jsonschema, validating ``instance``, would yield an ``enum`` error from ``schema``.

    Follows what yields errors directly (``enum``, ``properties``, ``items``, ``allOf``); errors
    under ``oneOf``/``anyOf``/``not`` come wrapped in another keyword and do not count. None when
    the schema has keywords this walk does not follow (then nobody may rely on the answer).
    """
    if not isinstance(schema, dict):
        return False
    plan = _plan(schema)
    if plan is None:
        return None
    enums, properties, items, all_of = plan
    if enums is not None and all(not equal(each, instance) for each in enums):
        return True
    unsure = False
    if properties and isinstance(instance, dict):
        for name, sub in properties:
            if name in instance:
                verdict = enum_fails(sub, instance[name])
                if verdict:
                    return True
                unsure = unsure or verdict is None
    if items is not None and isinstance(instance, list):
        for item in instance:
            verdict = enum_fails(items, item)
            if verdict:
                return True
            unsure = unsure or verdict is None
    for sub in all_of:
        verdict = enum_fails(sub, instance)
        if verdict:
            return True
        unsure = unsure or verdict is None
    return None if unsure else False


def _one_of(validator: Any, one_of: Any, instance: Any, schema: Any) -> Iterator[ValidationError]:
    """jsonschema's ``oneOf``, walking only the branch the caller meant when that is certain.

    The branch meant is the only one whose ``enum`` (the refund items' ``item_type``, their
    discriminator) accepts the instance; :func:`payloads._leaves` then reports that branch's
    errors and nothing else. So when exactly one branch is free of enum errors, only that branch
    is validated: the error's context holds its errors in full and, for every other branch, one
    ``enum`` error standing for the ones it has (a consumer that looks past the discriminator
    must use plain jsonschema). In every other case this is jsonschema's own ``oneOf``.
    """
    meant = meant_branch([enum_fails(branch, instance) for branch in one_of])
    if meant is None:
        yield from _ONE_OF(validator, one_of, instance, schema)
        return
    errors = list(validator.descend(instance, one_of[meant], schema_path=meant))
    if not errors:  # valid under the meant branch, and every other branch fails its enum
        return
    context: list[ValidationError] = []
    for index in range(len(one_of)):
        if index == meant:
            context += errors
        else:
            context.append(
                ValidationError(
                    f"not one of the enum values of branch {index}",
                    validator="enum",
                    schema_path=[index, "enum"],
                )
            )
    yield ValidationError(
        f"{instance!r} is not valid under any of the given schemas", context=context
    )


_ONE_OF: Any = Draft4Validator.VALIDATORS["oneOf"]
PruningDraft4Validator: Any = validators.extend(  # type: ignore[no-untyped-call]
    Draft4Validator, {"properties": _properties, "items": _items, "oneOf": _one_of}
)
# Evolved validators per subschema, reused: jsonschema's descend builds one (and a referencing
# resource) for every subschema it enters, which was most of the explaining time.
_EVOLVED: dict[int, tuple[Any, Any]] = {}


def _descend(
    self: Any,
    instance: Any,
    schema: Any,
    path: Any = None,
    schema_path: Any = None,
    resolver: Any = None,
) -> Iterator[ValidationError]:
    """jsonschema's ``descend`` with the evolved validator cached per subschema."""
    if not isinstance(schema, dict):  # True/False schemas: jsonschema's own handling
        yield from _ORIGINAL_DESCEND(self, instance, schema, path, schema_path, resolver)
        return
    cached = _EVOLVED.get(id(schema))
    if cached is not None and cached[0] is schema:
        evolved = cached[1]
    else:
        evolved = self.evolve(schema=schema)
        _EVOLVED[id(schema)] = (schema, evolved)
    for keyword, value in ignore_ref_siblings(schema):  # Draft 4's applicable_validators
        validator = evolved.VALIDATORS.get(keyword)
        if validator is None:
            continue
        for error in validator(evolved, value, instance, schema) or ():
            error._set(
                validator=keyword,
                validator_value=value,
                instance=instance,
                schema=schema,
                type_checker=evolved.TYPE_CHECKER,
            )
            if keyword not in {"if", "$ref"}:
                error.schema_path.appendleft(keyword)
            if path is not None:
                error.path.appendleft(path)
            if schema_path is not None:
                error.schema_path.appendleft(schema_path)
            yield error


_ORIGINAL_DESCEND = PruningDraft4Validator.descend
PruningDraft4Validator.descend = _descend


def pruning_validator(schema: dict[str, Any]) -> Draft4Validator:
    """A validator for ``schema`` whose ``iter_errors`` skips subtrees jsonschema-rs proves valid.

    Plain Draft 4 when jsonschema-rs is not installed (nothing could be proven valid anyway).
    Build it once per schema: the subschemas' compiled validators are cached by identity.
    """
    validator: Draft4Validator = (
        PruningDraft4Validator(schema) if AVAILABLE else Draft4Validator(schema)
    )
    return validator


__all__ = [
    "AVAILABLE",
    "UNFOLLOWED",
    "PruningDraft4Validator",
    "compiled",
    "enum_fails",
    "meant_branch",
    "pruning_validator",
]
