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

import contextlib
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from jsonschema import Draft4Validator

from bigcommerce_refunds.sandbox.explain import AVAILABLE, compiled, enum_fails, meant_branch
from bigcommerce_refunds.sandbox.explain import UNFOLLOWED as _UNFOLLOWED

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
_Path = tuple[Any, ...]


class CompiledExplainer:
    """Explains bodies invalid under one (dereferenced, Draft 4) schema; build once per schema.

    jsonschema-rs reports a failed ``oneOf`` with every branch's errors, and building those
    Python objects was most of its time (a refund item fails four branches). So the ``oneOf``
    nodes reached through ``properties`` and ``items`` (the refund items) are taken out of the
    schema it validates the body against (the *outline*: every other keyword, same paths), and
    each value such a node applies to is checked by itself: proven valid by the node's compiled
    validator, or explained by the compiled validator of the one branch meant (the branch whose
    ``enum`` accepts it, as :func:`explain.enum_fails` works out).
    """

    def __init__(self, schema: dict[str, Any], json_path: Callable[[Sequence[Any]], str]) -> None:
        self._schema = schema
        self._json_path = json_path
        self._wording = Draft4Validator(schema)  # only its type checker is used
        self._iter_errors: Callable[[Any], Any] | None = None
        # Something jsonschema-rs cannot compile leaves _iter_errors None: it never answers.
        with contextlib.suppress(_UnexplainedError):
            self._prepare(schema)

    def _prepare(self, schema: dict[str, Any]) -> None:
        # (path of a node with a oneOf, its branches, the oneOf compiled, each branch compiled,
        # each branch's enum skeleton compiled or None)
        self._choices = [
            (
                path,
                node["oneOf"],
                _compile({"oneOf": node["oneOf"]}),
                [_compile(branch) for branch in node["oneOf"]],
                [_enum_skeleton(branch) for branch in node["oneOf"]],
            )
            for path, node in _choices(schema, ())
        ]
        outline = _outline(schema, {path for path, *_ in self._choices})
        self._iter_errors = _compile(outline).iter_errors

    def explain(self, body: Any, message: Callable[[str], str]) -> dict[str, str] | None:
        """``{json path: message}`` as jsonschema would report it, or None when unsure.

        ``message`` shortens a message the way the 422 does. Empty results are None too: the
        caller only asks about bodies it knows to be invalid.
        """
        if self._iter_errors is None:
            return None
        try:
            ordered = [self._leaves(error, body, (), ()) for error in self._iter_errors(body)]
            for node_path, branches, one_of, compiled, skeletons in self._choices:
                for instance_path, value in _reached(body, node_path, ()):
                    if one_of.is_valid(value):
                        continue
                    meant = _meant(branches, skeletons, value)
                    chosen = self._chosen(
                        (*node_path, "oneOf", meant), compiled[meant], instance_path, value, body
                    )
                    ordered.append(chosen)
        except _UnexplainedError:
            return None
        except Exception:  # anything jsonschema-rs cannot read (lone surrogates, ...)
            return None
        ordered.sort(key=_first)
        found: dict[str, str] = {}
        for _, leaves in ordered:
            for _, path, text in leaves:
                found.setdefault(path, message(text))
            if len(found) >= MAX_PATHS:
                break
        return found or None

    # --------------------------------------------------------------------------------- leaves

    def _chosen(
        self, branch_path: _Path, branch: Any, instance_path: _Path, value: Any, body: Any
    ) -> tuple[tuple[int, ...], Leaves]:
        """The leaves of a ``oneOf`` that ``value`` fails: the errors of the branch meant.

        ``branch`` is the compiled validator of that branch (at ``branch_path``, which ends in
        ``oneOf``, index); jsonschema's oneOf error is reported by that branch's errors only.
        """
        nested = sorted(
            (
                self._leaves(error, body, branch_path, instance_path)
                for error in branch.iter_errors(value)
            ),
            key=_first,
        )
        if not nested:  # the validators disagree: jsonschema decides
            raise _UnexplainedError("a oneOf without errors in its meant branch")
        key = self._key(branch_path[:-1], instance_path)
        return key, [leaf for _, leaves in nested for leaf in leaves]

    def _leaves(
        self, error: Any, body: Any, schema_prefix: _Path, instance_prefix: _Path
    ) -> tuple[tuple[int, ...], Leaves]:
        """Where jsonschema would yield this error, and the (ordered) errors worth reporting.

        The error's paths are relative to the schema at ``schema_prefix`` and the value at
        ``instance_prefix``.
        """
        kind = type(error.kind).__name__
        schema_path = (*schema_prefix, *error.schema_path)
        instance_path = (*instance_prefix, *error.instance_path)
        if kind == "OneOfNotValid":
            key = self._key(schema_path, instance_path)
            return key, self._meant_branch(error, body, schema_prefix, instance_prefix)
        keyword = _LEAF_KEYWORDS.get(kind)
        if keyword is None:
            raise _UnexplainedError(kind)
        leaf = self._worded(error, keyword, schema_path, instance_path, body)
        return leaf[0], [leaf]

    def _meant_branch(
        self, error: Any, body: Any, schema_prefix: _Path, instance_prefix: _Path
    ) -> Leaves:
        """The leaves of the one branch without an ``enum`` error (see ``payloads._leaves``)."""
        branches = error.kind.as_dict()["context"]
        meant = [
            subs
            for subs in branches
            if subs and not any(type(sub.kind).__name__ == "Enum" for sub in subs)
        ]
        if len(meant) != 1:  # jsonschema's best_match decides: leave it to jsonschema
            raise _UnexplainedError("oneOf without a single meant branch")
        # Context errors' paths start where their parent's do (the validator's root).
        nested = sorted(
            (self._leaves(sub, body, schema_prefix, instance_prefix) for sub in meant[0]),
            key=_first,
        )
        return [leaf for _, leaves in nested for leaf in leaves]

    def _worded(
        self, error: Any, keyword: str, schema_path: _Path, instance_path: _Path, body: Any
    ) -> tuple[tuple[int, ...], str, str]:
        """jsonschema's own message for this error: its keyword function, run on the spot."""
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

    def _key(self, schema_path: _Path, instance_path: _Path) -> tuple[int, ...]:
        """Where jsonschema would have yielded this error, as a sortable tuple.

        jsonschema walks a schema's keywords in the schema's order, ``properties`` in theirs,
        ``items`` over the array's elements and the branches of ``oneOf`` in order: the
        positions met on the way, in turn, order the errors as it yields them.
        """
        return _order_key(self._schema, schema_path, instance_path)


def _meant(branches: list[Any], skeletons: list[Any], value: Any) -> int:
    """The index of the one branch whose enums accept ``value`` (see :func:`enum_fails`)."""
    meant = meant_branch(
        [
            enum_fails(branch, value) if skeleton is None else not skeleton.is_valid(value)
            for branch, skeleton in zip(branches, skeletons, strict=True)
        ]
    )
    if meant is None:
        raise _UnexplainedError("oneOf without a single meant branch")
    return meant


def _enum_skeleton(branch: Any) -> Any:
    """A compiled validator that fails exactly where :func:`enum_fails` is True, or None.

    The branch cut down to its ``enum`` keywords and the ``properties``, ``items`` and ``allOf``
    leading to them, which is what :func:`enum_fails` follows: valid iff no enum there rejects
    its value. Only for string enums (where jsonschema's and jsonschema-rs's equality are plain
    string equality) and branches :func:`enum_fails` can follow; else None (use enum_fails).
    """
    skeleton = _skeleton(branch)
    return None if skeleton is None else compiled(skeleton)


def _skeleton(node: Any) -> dict[str, Any] | None:
    if not isinstance(node, dict):
        return None
    if "$ref" in node or any(isinstance(node.get(key), dict) for key in _UNFOLLOWED):
        return None
    skeleton: dict[str, Any] = {}
    enums = node.get("enum")
    if enums is not None:
        if not isinstance(enums, list) or not all(type(each) is str for each in enums):
            return None
        skeleton["enum"] = enums
    properties = node.get("properties")
    if isinstance(properties, dict):
        subs = {name: _skeleton(sub) for name, sub in properties.items()}
        if any(sub is None for sub in subs.values()):
            return None
        skeleton["properties"] = subs
    items = node.get("items")
    if isinstance(items, list):
        return None
    if isinstance(items, dict):
        sub = _skeleton(items)
        if sub is None:
            return None
        skeleton["items"] = sub
    all_of = node.get("allOf")
    if all_of is not None:
        subs_all = [_skeleton(sub) for sub in all_of] if isinstance(all_of, list) else [None]
        if any(sub is None for sub in subs_all):
            return None
        skeleton["allOf"] = subs_all
    return skeleton


def _choices(node: Any, path: _Path) -> Iterator[tuple[_Path, dict[str, Any]]]:
    """The nodes with a ``oneOf`` reached from ``node`` through ``properties`` and ``items``."""
    if not isinstance(node, dict) or "$ref" in node:
        return
    if isinstance(node.get("oneOf"), list):
        yield path, node
    properties = node.get("properties")
    if isinstance(properties, dict):
        for name, sub in properties.items():
            yield from _choices(sub, (*path, "properties", name))
    if isinstance(node.get("items"), dict):
        yield from _choices(node["items"], (*path, "items"))


def _outline(node: Any, cut: set[_Path], path: _Path = ()) -> Any:
    """``node`` without the ``oneOf`` of the nodes at the paths in ``cut`` (a copy)."""
    if not isinstance(node, dict):
        return node
    copy = {key: value for key, value in node.items() if not (key == "oneOf" and path in cut)}
    if isinstance(copy.get("properties"), dict):
        copy["properties"] = {
            name: _outline(sub, cut, (*path, "properties", name))
            for name, sub in copy["properties"].items()
        }
    if isinstance(copy.get("items"), dict):
        copy["items"] = _outline(copy["items"], cut, (*path, "items"))
    return copy


def _reached(value: Any, node_path: _Path, instance_path: _Path) -> Iterator[tuple[_Path, Any]]:
    """The values the schema node at ``node_path`` applies to, as jsonschema descends to them.

    ``properties`` descends into an object's present property, ``items`` (one schema) into
    each element of an array; other types are not descended into.
    """
    if not node_path:
        yield instance_path, value
    elif node_path[0] == "properties":
        name = node_path[1]
        if isinstance(value, dict) and name in value:
            yield from _reached(value[name], node_path[2:], (*instance_path, name))
    elif isinstance(value, list):  # "items"
        for index, element in enumerate(value):
            yield from _reached(element, node_path[1:], (*instance_path, index))


def _compile(schema: Any) -> Any:
    """The shared compiled validator of ``schema`` (:func:`explain.compiled`); it must compile."""
    validator = compiled(schema)
    if validator is None:
        raise _UnexplainedError("a schema jsonschema-rs cannot compile")
    return validator


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
