"""Explaining an invalid request body from jsonschema-rs's errors, worded as jsonschema words them.

The 422 path is what negative-mode fuzzing hits most. :mod:`explain` already skips what
jsonschema-rs proves valid, but still walks the failing item through jsonschema's pure-Python
keywords and error objects (~30 µs for a body with one bad value). Here the compiled validator
finds the errors (``iter_errors``, a few µs) and jsonschema only words them:

* each leaf error of jsonschema-rs names a schema location and an instance location; jsonschema's
  own keyword function (``type``, ``enum``, ``required``, ...) is run on exactly that subschema and
  value, so the message is jsonschema's, character for character (the instance's repr included:
  the value is read from the parsed body, Decimals and all, not from jsonschema-rs's copy);
* a ``oneOf`` over refund items reports the branch the caller meant (the one without an ``enum``
  error: the ``item_type`` discriminator), as :func:`payloads._leaves` does with jsonschema's
  errors;
* the errors are put in the order jsonschema would have yielded them (schema keywords in the
  schema's order, properties in the schema's order, array elements in the body's order), so the
  first message per path and the 20-path cap pick the same ones.

Whenever the two could differ, :func:`explain` answers None and the caller uses :mod:`explain`
(jsonschema's own errors): a keyword outside the small set above, a ``oneOf`` whose meant
branch is not unique (jsonschema's ``best_match`` decides there), a keyword function that does
not confirm jsonschema-rs's error (the two validators disagree), anything jsonschema-rs cannot
read. Like :mod:`explain`, it is only for *plain* bodies (:func:`payloads._plain`). A property
test compares its answers with plain jsonschema's on generated invalid bodies.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from jsonschema import Draft4Validator

try:  # optional: the compiled validator (the ``fast`` extra; Schemathesis depends on it)
    import jsonschema_rs
except ImportError:  # pragma: no cover - exercised where jsonschema-rs is not installed
    jsonschema_rs = None  # type: ignore[assignment]  # the module, or None where it is missing

AVAILABLE = jsonschema_rs is not None
#: At most this many paths are reported (the rest of a badly broken body adds nothing).
MAX_PATHS = 20

# jsonschema-rs kind name -> the Draft 4 keyword whose function words it. Draft 4 has no
# exclusiveMaximum/Minimum keywords of its own: ``maximum`` reads its ``exclusiveMaximum`` flag.
_LEAF_KEYWORDS = {
    "Type": "type",
    "Enum": "enum",
    "Required": "required",
    "MaxLength": "maxLength",
    "MinLength": "minLength",
    "Maximum": "maximum",
    "ExclusiveMaximum": "maximum",
    "Minimum": "minimum",
    "ExclusiveMinimum": "minimum",
    "MaxItems": "maxItems",
    "MinItems": "minItems",
}
_BRANCHING = ("oneOf", "anyOf", "allOf")
_KEYWORDS: dict[str, Callable[..., Any]] = dict(Draft4Validator.VALIDATORS)


class _UnexplainedError(Exception):
    """jsonschema-rs's errors cannot be worded here with certainty: use jsonschema's."""


Leaves = list[tuple[tuple[int, ...], str, str]]  # (order key, json path, message)


class CompiledExplainer:
    """Explains bodies invalid under one (dereferenced, Draft 4) schema; build once per schema."""

    def __init__(self, schema: dict[str, Any], json_path: Callable[[Sequence[Any]], str]) -> None:
        assert jsonschema_rs is not None
        self._schema = schema
        self._iter_errors = jsonschema_rs.Draft4Validator(
            schema, validate_formats=False
        ).iter_errors
        self._wording = Draft4Validator(schema)  # only its type checker is used
        self._json_path = json_path

    def explain(self, body: Any, message: Callable[[str], str]) -> dict[str, str] | None:
        """``{json path: message}`` as jsonschema would report it, or None when unsure.

        ``message`` shortens a message the way the 422 does. Empty results are None too: the
        caller only asks about bodies it knows to be invalid.
        """
        try:
            ordered = sorted(
                (self._leaves(error, body) for error in self._iter_errors(body)), key=_first
            )
        except _UnexplainedError:
            return None
        except Exception:  # anything jsonschema-rs cannot read (lone surrogates, ...)
            return None
        found: dict[str, str] = {}
        for _, leaves in ordered:
            for _, path, text in leaves:
                found.setdefault(path, message(text))
            if len(found) >= MAX_PATHS:
                break
        return found or None

    # --------------------------------------------------------------------------------- leaves

    def _leaves(self, error: Any, body: Any) -> tuple[tuple[int, ...], Leaves]:
        """Where jsonschema would yield this error, and the (ordered) errors worth reporting."""
        kind = type(error.kind).__name__
        if kind == "OneOfNotValid":
            key = self._key(error.schema_path, error.instance_path)
            return key, self._meant_branch(error, body)
        keyword = _LEAF_KEYWORDS.get(kind)
        if keyword is None:
            raise _UnexplainedError(kind)
        leaf = self._worded(error, keyword, body)
        return leaf[0], [leaf]

    def _meant_branch(self, error: Any, body: Any) -> Leaves:
        """The leaves of the one branch without an ``enum`` error (see ``payloads._leaves``)."""
        branches = error.kind.as_dict()["context"]
        meant = [
            subs
            for subs in branches
            if subs and not any(type(sub.kind).__name__ == "Enum" for sub in subs)
        ]
        if len(meant) != 1:  # jsonschema's best_match decides: leave it to jsonschema
            raise _UnexplainedError("oneOf without a single meant branch")
        nested = sorted((self._leaves(sub, body) for sub in meant[0]), key=_first)
        return [leaf for _, leaves in nested for leaf in leaves]

    def _worded(self, error: Any, keyword: str, body: Any) -> tuple[tuple[int, ...], str, str]:
        """jsonschema's own message for this error: its keyword function, run on the spot."""
        schema_path = error.schema_path
        instance_path = error.instance_path
        subschema = self._subschema(schema_path[:-1])
        instance = _at(body, instance_path)
        value = subschema.get(keyword)
        if value is None:
            raise _UnexplainedError(f"{keyword} not at {schema_path}")
        key = self._key(schema_path, instance_path)
        if keyword == "required":
            missing = error.kind.as_dict()["property"]
            if missing not in value:
                raise _UnexplainedError("required property not in the schema's list")
            key = (*key, value.index(missing))
            value = [missing]
        worded = list(_KEYWORDS[keyword](self._wording, value, instance, subschema) or ())
        if len(worded) != 1:  # the validators disagree about this value: jsonschema decides
            raise _UnexplainedError(f"{keyword} at {schema_path}")
        return key, self._json_path(instance_path), worded[0].message

    # ------------------------------------------------------------------------ schema walking

    def _subschema(self, schema_path: Sequence[Any]) -> dict[str, Any]:
        node: Any = self._schema
        for step in schema_path:
            node = node[step]
        if not isinstance(node, dict):
            raise _UnexplainedError(f"no subschema at {schema_path}")
        return node

    def _key(self, schema_path: Sequence[Any], instance_path: Sequence[Any]) -> tuple[int, ...]:
        """Where jsonschema would have yielded this error, as a sortable tuple.

        jsonschema walks a schema's keywords in the schema's order, ``properties`` in theirs,
        ``items`` over the array's elements and the branches of ``oneOf`` in order: the
        positions met on the way, in turn, order the errors as it yields them.
        """
        return _order_key(self._schema, tuple(schema_path), tuple(instance_path))


def _first(pair: tuple[tuple[int, ...], Leaves]) -> tuple[int, ...]:
    return pair[0]


# id(schema node) -> (node, {key: its position}); the nodes are the fragment's cached dicts.
_POSITIONS: dict[int, tuple[Any, dict[str, int]]] = {}


def _position(node: dict[str, Any], key: str) -> int:
    found = _POSITIONS.get(id(node))
    if found is None or found[0] is not node:
        found = (node, {name: index for index, name in enumerate(node)})
        _POSITIONS[id(node)] = found
    index = found[1].get(key)
    if index is None:
        raise _UnexplainedError(f"{key} not in the schema")
    return index


# (id(schema), schema path) -> (schema, the key's template, which of its slots take an array
# index, and from which position of the instance path): schema paths are finitely many.
_Slots = tuple[tuple[int, int], ...]
_TEMPLATES: dict[tuple[int, tuple[Any, ...]], tuple[Any, tuple[int, ...], _Slots]] = {}


def _order_key(
    schema: dict[str, Any], schema_path: tuple[Any, ...], instance_path: tuple[Any, ...]
) -> tuple[int, ...]:
    found = _TEMPLATES.get((id(schema), schema_path))
    if found is None or found[0] is not schema:
        found = (schema, *_template(schema, schema_path))
        _TEMPLATES[(id(schema), schema_path)] = found
    _, template, slots = found
    if not slots:
        return template
    key = list(template)
    for slot, element in slots:
        if element >= len(instance_path) or type(instance_path[element]) is not int:
            raise _UnexplainedError("items without an array index")
        key[slot] = instance_path[element]
    return tuple(key)


def _template(
    schema: dict[str, Any], schema_path: tuple[Any, ...]
) -> tuple[tuple[int, ...], _Slots]:
    """The positions met on the way down ``schema_path``; array indices left as slots."""
    key: list[int] = []
    slots: list[tuple[int, int]] = []
    node: Any = schema
    step = 0
    element = 0  # how much of the instance path the walk has consumed
    while step < len(schema_path):
        if not isinstance(node, dict) or "$ref" in node:
            raise _UnexplainedError("a $ref or non-object schema on the way")
        keyword = schema_path[step]
        if keyword in ("exclusiveMaximum", "exclusiveMinimum") and step == len(schema_path) - 1:
            keyword = "maximum" if keyword == "exclusiveMaximum" else "minimum"
        key.append(_position(node, keyword))
        if keyword == "properties":
            name = schema_path[step + 1]
            key.append(_position(node["properties"], name))
            node = node["properties"][name]
            element += 1
            step += 2
        elif keyword == "items" and isinstance(node["items"], dict):
            slots.append((len(key), element))
            key.append(0)
            node = node["items"]
            element += 1
            step += 1
        elif keyword in _BRANCHING and step + 1 < len(schema_path):
            branch = schema_path[step + 1]
            key.append(branch)
            node = node[keyword][branch]
            step += 2
        else:  # the keyword that failed
            step += 1
            if step != len(schema_path):
                raise _UnexplainedError(f"unexpected schema path {schema_path}")
    return tuple(key), tuple(slots)


def _at(body: Any, instance_path: Sequence[Any]) -> Any:
    value = body
    for part in instance_path:
        value = value[part]
    return value


__all__ = ["AVAILABLE", "MAX_PATHS", "CompiledExplainer"]
