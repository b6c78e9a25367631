"""Read-only access to the built fragment: operations, and JSON Schemas compiled once.

The sandbox validates every request against these schemas (a hot path, hence compiled once and
cached), the tests validate every response, and the property tests derive Hypothesis strategies
from them. Schemas are fully dereferenced (the fragment has no recursive references) and converted
from OpenAPI 3.0's dialect (``nullable``, ``readOnly``, ``discriminator``...) to plain JSON Schema.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft4Validator, FormatChecker, validators
from jsonschema.exceptions import ValidationError

_PACKAGE_COPY = Path(__file__).resolve().parent.parent / "refunds.yaml"
_CHECKOUT_COPY = Path(__file__).resolve().parents[3] / "openapi" / "refunds.yaml"

# Keywords of OpenAPI 3.0's schema dialect that are annotations, or mean nothing to JSON Schema.
_OAS_ONLY_KEYWORDS = frozenset(
    {
        "nullable",
        "discriminator",
        "readOnly",
        "writeOnly",
        "xml",
        "externalDocs",
        "example",
        "deprecated",
    }
)


def _is_integer(checker: Any, instance: object) -> bool:
    if isinstance(instance, bool):
        return False
    return isinstance(instance, int) or (isinstance(instance, float) and instance.is_integer())


#: Draft 4 with draft 6+ integers: ``1.0`` is an integer. JSON does not distinguish the two
#: spellings, and a validator that rejects ``"item_id": 1.0`` would be stricter than upstream,
#: where some ids were typed ``number``.
FragmentValidator: Any = validators.extend(  # type: ignore[no-untyped-call]
    Draft4Validator,
    type_checker=Draft4Validator.TYPE_CHECKER.redefine("integer", _is_integer),
)


def fragment_path() -> Path:
    """The fragment shipped in the wheel, else the one in this checkout."""
    return _PACKAGE_COPY if _PACKAGE_COPY.exists() else _CHECKOUT_COPY


def to_json_schema(schema: Any) -> Any:
    """Convert a dereferenced OpenAPI 3.0 schema to plain JSON Schema (draft 4)."""
    if isinstance(schema, list):
        return [to_json_schema(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    converted = {
        key: to_json_schema(value)
        for key, value in schema.items()
        if key not in _OAS_ONLY_KEYWORDS and not key.startswith("x-")
    }
    if "properties" in schema:
        converted["properties"] = {
            name: to_json_schema(value) for name, value in schema["properties"].items()
        }
    if schema.get("nullable") is True:
        if "type" in converted:
            converted["type"] = [converted["type"], "null"]
        if "enum" in converted:
            converted["enum"] = [*converted["enum"], None]
    return converted


@dataclass(frozen=True)
class Operation:
    """One operation of the fragment."""

    operation_id: str
    method: str
    path: str
    spec: dict[str, Any]

    @property
    def path_regex(self) -> re.Pattern[str]:
        """Matches concrete paths of this operation; groups are the path parameters."""
        pattern = re.sub(r"\{([^}]+)\}", lambda m: f"(?P<{_group(m.group(1))}>[^/]+)", self.path)
        return re.compile(f"^{pattern}$")


def _group(name: str) -> str:
    return re.sub(r"\W", "_", name)


class Fragment:
    """The fragment, with dereferenced schemas and compiled validators, each built once."""

    def __init__(self, document: dict[str, Any]) -> None:
        self.document = document

    @classmethod
    def load(cls, path: Path | None = None) -> Fragment:
        with (path or fragment_path()).open("rb") as handle:
            return cls(yaml.safe_load(handle))

    # ------------------------------------------------------------------ navigation
    def operations(self) -> Iterator[Operation]:
        for path, item in self.document["paths"].items():
            for method, spec in item.items():
                if isinstance(spec, dict) and "operationId" in spec:
                    yield Operation(spec["operationId"], method.upper(), path, spec)

    def operation(self, operation_id: str) -> Operation:
        for operation in self.operations():
            if operation.operation_id == operation_id:
                return operation
        raise KeyError(f"no operation {operation_id!r} in the fragment")

    def deref(self, node: Any, seen: tuple[str, ...] = ()) -> Any:
        """A deep copy of ``node`` with every local ``$ref`` replaced by its target.

        A reference met again inside its own expansion (a recursive schema) becomes ``{}``: the
        fragment has none, but upstream files read through this (``spec/store_reads.py``) may.
        """
        if isinstance(node, list):
            return [self.deref(item, seen) for item in node]
        if not isinstance(node, dict):
            return node
        ref = node.get("$ref")
        if isinstance(ref, str):
            if ref in seen:
                return {}
            target: Any = self.document
            for part in ref.removeprefix("#/").split("/"):
                target = target[part.replace("~1", "/").replace("~0", "~")]
            return self.deref(target, (*seen, ref))
        return {key: self.deref(value, seen) for key, value in node.items()}

    # ------------------------------------------------------------------ schemas
    def component_schema(self, name: str) -> dict[str, Any]:
        """A component schema as plain JSON Schema."""
        result: dict[str, Any] = to_json_schema(
            self.deref(self.document["components"]["schemas"][name])
        )
        return result

    def request_schema(self, operation_id: str) -> dict[str, Any]:
        """The JSON request body schema of an operation, as plain JSON Schema."""
        body = self.deref(self.operation(operation_id).spec["requestBody"])
        result: dict[str, Any] = to_json_schema(body["content"]["application/json"]["schema"])
        return result

    def response(self, operation_id: str, status: int | str) -> dict[str, Any]:
        """The dereferenced response object declared for ``status`` (KeyError if undeclared)."""
        responses = self.operation(operation_id).spec["responses"]
        result: dict[str, Any] = self.deref(responses[str(status)])
        return result

    def response_schema(self, operation_id: str, status: int | str) -> dict[str, Any]:
        """The JSON body schema declared for a response, as plain JSON Schema."""
        result: dict[str, Any] = to_json_schema(
            self.response(operation_id, status)["content"]["application/json"]["schema"]
        )
        return result

    def required_response_headers(self, operation_id: str, status: int | str) -> list[str]:
        headers = self.response(operation_id, status).get("headers", {})
        return [name for name, header in headers.items() if header.get("required")]

    @functools.cache  # noqa: B019 - one Fragment lives as long as the process; that is the point
    def request_validator(self, operation_id: str) -> Any:
        return FragmentValidator(self.request_schema(operation_id))

    @functools.cache  # noqa: B019
    def component_validator(self, name: str) -> Any:
        return FragmentValidator(self.component_schema(name))

    @functools.cache  # noqa: B019
    def response_validator(self, operation_id: str, status: int | str) -> Any:
        # Responses are checked strictly, formats included (a `created` that is not RFC 3339
        # is drift); requests are never held to formats the API itself may not check.
        return FragmentValidator(
            self.response_schema(operation_id, str(status)), format_checker=FormatChecker()
        )

    def response_errors(self, operation_id: str, status: int, body: Any) -> list[str]:
        """Why ``body`` does not conform to the declared response (empty when it does)."""
        try:
            validator = self.response_validator(operation_id, str(status))
        except KeyError:
            return [f"status {status} is not declared for {operation_id}"]
        return [_describe(error) for error in validator.iter_errors(body)]


def _describe(error: ValidationError) -> str:
    where = "/".join(str(part) for part in error.absolute_path) or "(root)"
    return f"{where}: {error.message}"


@functools.cache
def default_fragment() -> Fragment:
    """The project's fragment, loaded once per process."""
    return Fragment.load()


__all__ = [
    "Fragment",
    "FragmentValidator",
    "Operation",
    "default_fragment",
    "fragment_path",
    "to_json_schema",
]
