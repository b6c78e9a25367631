"""The generated client's public API, read with ``ast``, and what changed in it between two trees.

The semantic spec diff says what changes on the wire; users of the generated client also need to
know which of their imports, constructor calls and attribute reads stop type-checking. That is a
property of the generated code, not of the spec (titles decide class names, a schema turning into
``anyOf`` removes a class), so it is read from the code: classes in ``models/`` (attrs fields with
their annotations and whether the constructor needs them; enum members) and the module-level
functions in ``api/`` (``sync``, ``sync_detailed``, ``asyncio``, ``asyncio_detailed``: parameters
and return annotations). The code is parsed, never imported, so two versions of the same package
can be compared in one process.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = [
    "ApiChange",
    "ApiDiff",
    "ApiSnapshot",
    "Function",
    "Model",
    "ModelField",
    "Parameter",
    "diff_api",
    "snapshot",
]

_ENUM_BASES = frozenset({"Enum", "StrEnum", "IntEnum", "IntFlag", "Flag"})


@dataclass(frozen=True)
class ModelField:
    """An attrs field: ``init`` is false for fields the constructor does not take."""

    name: str
    annotation: str
    has_default: bool
    init: bool = True

    @property
    def constructor_required(self) -> bool:
        return self.init and not self.has_default


@dataclass(frozen=True)
class Model:
    """A public class of ``models/``: an attrs model (fields) or an enum (members)."""

    name: str
    module: str
    kind: str  # "model" | "enum"
    fields: tuple[ModelField, ...] = ()
    members: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Parameter:
    name: str
    kind: str  # "positional" | "keyword"
    annotation: str
    has_default: bool


@dataclass(frozen=True)
class Function:
    """A public module-level function of ``api/``."""

    module: str
    name: str
    parameters: tuple[Parameter, ...]
    returns: str
    is_async: bool

    @property
    def qualname(self) -> str:
        return f"{self.module}.{self.name}"


@dataclass(frozen=True)
class ApiSnapshot:
    """Everything public in one generated package, keyed for comparison."""

    models: dict[str, Model]
    modules: dict[str, tuple[Function, ...]]

    @classmethod
    def empty(cls) -> ApiSnapshot:
        return cls({}, {})


@dataclass(frozen=True)
class ApiChange:
    """One change to the public API; ``name`` is e.g. ``QuantityBoundItem.adjustments``."""

    kind: str
    name: str
    detail: str
    breaking: bool

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "name": self.name,
            "detail": self.detail,
            "breaking": self.breaking,
        }


@dataclass(frozen=True)
class ApiDiff:
    changes: tuple[ApiChange, ...]

    @property
    def breaking(self) -> bool:
        return any(change.breaking for change in self.changes)

    def find(self, kind: str | None = None, name: str | None = None) -> list[ApiChange]:
        return [
            change
            for change in self.changes
            if (kind is None or change.kind == kind) and (name is None or change.name == name)
        ]

    def to_json(self) -> dict[str, Any]:
        return {
            "breaking": self.breaking,
            "changes": [change.to_json() for change in self.changes],
        }


# ---------------------------------------------------------------------------------- reading
def _normalise(node: ast.expr | None) -> str:
    """Annotation text with union members sorted: ``B | A`` and ``A | B`` are the same type."""
    if node is None:
        return ""
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        members: list[str] = []
        stack: list[ast.expr] = [node]
        while stack:
            item = stack.pop()
            if isinstance(item, ast.BinOp) and isinstance(item.op, ast.BitOr):
                stack.extend((item.left, item.right))
            else:
                members.append(_normalise(item))
        return " | ".join(sorted(members))
    if isinstance(node, ast.Subscript):
        return f"{_normalise(node.value)}[{_normalise(node.slice)}]"
    if isinstance(node, ast.Tuple):
        return ", ".join(_normalise(element) for element in node.elts)
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        try:
            return _normalise(ast.parse(node.value, mode="eval").body)
        except SyntaxError:
            return node.value
    return ast.unparse(node)


def _base_names(node: ast.ClassDef) -> set[str]:
    names = set()
    for base in node.bases:
        if isinstance(base, ast.Name):
            names.add(base.id)
        elif isinstance(base, ast.Attribute):
            names.add(base.attr)
    return names


def _is_no_init(value: ast.expr | None) -> bool:
    """``_attrs_field(init=False, ...)``: not a constructor argument."""
    if not isinstance(value, ast.Call):
        return False
    return any(
        keyword.arg == "init"
        and isinstance(keyword.value, ast.Constant)
        and keyword.value.value is False
        for keyword in value.keywords
    )


def _read_class(node: ast.ClassDef, module: str) -> Model:
    if _base_names(node) & _ENUM_BASES:
        members = []
        for statement in node.body:
            if isinstance(statement, ast.Assign) and len(statement.targets) == 1:
                target = statement.targets[0]
                if isinstance(target, ast.Name) and not target.id.startswith("_"):
                    members.append((target.id, ast.unparse(statement.value)))
        return Model(node.name, module, "enum", members=tuple(members))
    fields = []
    for statement in node.body:
        if isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name):
            name = statement.target.id
            if name.startswith("_"):
                continue
            fields.append(
                ModelField(
                    name,
                    _normalise(statement.annotation),
                    statement.value is not None,
                    not _is_no_init(statement.value),
                )
            )
    return Model(node.name, module, "model", fields=tuple(fields))


def _read_function(node: ast.FunctionDef | ast.AsyncFunctionDef, module: str) -> Function:
    arguments = node.args
    positional = [*arguments.posonlyargs, *arguments.args]
    defaults_from = len(positional) - len(arguments.defaults)
    parameters = [
        Parameter(arg.arg, "positional", _normalise(arg.annotation), index >= defaults_from)
        for index, arg in enumerate(positional)
    ]
    parameters += [
        Parameter(arg.arg, "keyword", _normalise(arg.annotation), default is not None)
        for arg, default in zip(arguments.kwonlyargs, arguments.kw_defaults, strict=True)
    ]
    return Function(
        module,
        node.name,
        tuple(parameters),
        _normalise(node.returns),
        isinstance(node, ast.AsyncFunctionDef),
    )


def _module_name(package: Path, path: Path) -> str:
    return ".".join(path.relative_to(package).with_suffix("").parts)


def snapshot(package: Path) -> ApiSnapshot:
    """Read the public API of a generated package directory (``.../bigcommerce_refunds_client``).

    A missing directory is an empty API, so a first sync reports everything as added.
    """
    models: dict[str, Model] = {}
    modules: dict[str, tuple[Function, ...]] = {}
    if not package.is_dir():
        return ApiSnapshot.empty()
    for path in sorted((package / "models").glob("*.py")):
        if path.name == "__init__.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        module = _module_name(package, path)
        for node in tree.body:
            if isinstance(node, ast.ClassDef) and not node.name.startswith("_"):
                models[node.name] = _read_class(node, module)
    for path in sorted((package / "api").rglob("*.py")):
        if path.name == "__init__.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        module = _module_name(package, path)
        modules[module] = tuple(
            _read_function(node, module)
            for node in tree.body
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
            and not node.name.startswith("_")
        )
    return ApiSnapshot(models, modules)


# ---------------------------------------------------------------------------------- comparing
def _without_unset(annotation: str) -> str:
    return " | ".join(part for part in annotation.split(" | ") if part != "Unset")


def _diff_model(old: Model, new: Model, out: list[ApiChange]) -> None:
    if old.kind != new.kind:
        out.append(ApiChange("model-kind-changed", new.name, f"{old.kind} -> {new.kind}", True))
        return
    if new.kind == "enum":
        old_values = {value for _, value in old.members}
        new_values = {value for _, value in new.members}
        for name, value in new.members:
            if value not in old_values:
                out.append(ApiChange("enum-member-added", f"{new.name}.{name}", value, False))
        for name, value in old.members:
            if value not in new_values:
                out.append(ApiChange("enum-member-removed", f"{old.name}.{name}", value, True))
        return
    old_fields = {item.name: item for item in old.fields}
    new_fields = {item.name: item for item in new.fields}
    for name, item in new_fields.items():
        qualified = f"{new.name}.{name}"
        if name not in old_fields:
            required = item.constructor_required
            detail = f"{item.annotation}" + (" (required constructor argument)" if required else "")
            out.append(ApiChange("field-added", qualified, detail, required))
            continue
        before = old_fields[name]
        # `X | Unset` vs `X` is the required flag, reported below; only report real type changes.
        if _without_unset(before.annotation) != _without_unset(item.annotation):
            out.append(
                ApiChange(
                    "field-type-changed",
                    qualified,
                    f"{before.annotation} -> {item.annotation}",
                    True,
                )
            )
        if before.constructor_required != item.constructor_required:
            now = item.constructor_required
            out.append(
                ApiChange(
                    "field-required" if now else "field-optional",
                    qualified,
                    "constructor argument now required"
                    if now
                    else "constructor argument now optional",
                    now,
                )
            )
    for name, item in old_fields.items():
        if name not in new_fields:
            out.append(ApiChange("field-removed", f"{old.name}.{name}", item.annotation, True))


def _diff_function(old: Function, new: Function, out: list[ApiChange]) -> None:
    old_params = {param.name: param for param in old.parameters}
    new_params = {param.name: param for param in new.parameters}
    for name, param in new_params.items():
        qualified = f"{new.qualname}({name})"
        if name not in old_params:
            required = not param.has_default
            detail = param.annotation + (" (required)" if required else "")
            out.append(ApiChange("parameter-added", qualified, detail, required))
            continue
        before = old_params[name]
        if before.annotation != param.annotation:
            out.append(
                ApiChange(
                    "parameter-type-changed",
                    qualified,
                    f"{before.annotation} -> {param.annotation}",
                    True,
                )
            )
        if before.kind != param.kind:
            out.append(
                ApiChange(
                    "parameter-kind-changed", qualified, f"{before.kind} -> {param.kind}", True
                )
            )
        if before.has_default != param.has_default:
            out.append(
                ApiChange(
                    "parameter-optional" if param.has_default else "parameter-required",
                    qualified,
                    "now has a default" if param.has_default else "default removed",
                    not param.has_default,
                )
            )
    for name, param in old_params.items():
        if name not in new_params:
            out.append(
                ApiChange("parameter-removed", f"{old.qualname}({name})", param.annotation, True)
            )
    old_positional = [p.name for p in old.parameters if p.kind == "positional"]
    new_positional = [p.name for p in new.parameters if p.kind == "positional"]
    common = [name for name in new_positional if name in old_positional]
    if common != [name for name in old_positional if name in new_positional]:
        out.append(
            ApiChange(
                "parameter-order-changed",
                new.qualname,
                f"{', '.join(old_positional)} -> {', '.join(new_positional)}",
                True,
            )
        )
    if old.returns != new.returns:
        out.append(
            ApiChange("return-type-changed", new.qualname, f"{old.returns} -> {new.returns}", True)
        )


def diff_api(old: ApiSnapshot, new: ApiSnapshot) -> ApiDiff:
    """Compare two snapshots; a change is breaking when code written for ``old`` may stop
    working (a removed name, a changed annotation, a new required argument)."""
    out: list[ApiChange] = []
    for name, model in new.models.items():
        if name not in old.models:
            out.append(ApiChange("model-added", name, model.module, False))
        else:
            _diff_model(old.models[name], model, out)
    for name, model in old.models.items():
        if name not in new.models:
            out.append(ApiChange("model-removed", name, model.module, True))
    for module, functions in new.modules.items():
        names = ", ".join(function.name for function in functions)
        if module not in old.modules:
            out.append(ApiChange("module-added", module, names, False))
            continue
        before = {function.name: function for function in old.modules[module]}
        for function in functions:
            if function.name not in before:
                out.append(ApiChange("function-added", function.qualname, "", False))
            else:
                _diff_function(before[function.name], function, out)
        current = {function.name for function in functions}
        out.extend(
            ApiChange("function-removed", function.qualname, "", True)
            for function in old.modules[module]
            if function.name not in current
        )
    for module, functions in old.modules.items():
        if module not in new.modules:
            names = ", ".join(function.name for function in functions)
            out.append(ApiChange("module-removed", module, names, True))
    out.sort(key=lambda change: (not change.breaking, change.name, change.kind))
    return ApiDiff(tuple(out))
