"""Check a freshly synced client: does it type-check, and does it parse the spec's own examples?

A sync that regenerates a client nobody can import or type-check is worse than no sync. Two
checks run on a project directory (the real checkout or a scratch copy):

* ``mypy --strict`` on the generated package, the check openapi-python-client runs on its own
  output;
* a round trip of every example in the fragment (request bodies and responses) that is valid
  against its own schema: the generated model parses it (``from_dict``, or the operation's own
  ``_parse_response`` for responses), and ``to_dict`` then ``from_dict`` gives the same dict.
  Examples that contradict their schema (upstream has several) are listed, not failed.

The round trip imports the generated package, so it runs in a subprocess with the project's
``generated/`` first on ``sys.path``: the interpreter running the sync may already have another
version of the package imported (the checkout's own, installed in editable mode).
"""

from __future__ import annotations

import importlib
import json
import os
import pkgutil
import re
import subprocess
import sys
import tempfile
import time
import typing
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

__all__ = ["Check", "Verification", "run_mypy", "run_roundtrip", "verify_project"]


@dataclass(frozen=True)
class Check:
    """One verification step: what ran, whether it passed, and its (trimmed) output."""

    name: str
    command: str
    ok: bool
    summary: str
    seconds: float
    output: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "command": self.command,
            "ok": self.ok,
            "summary": self.summary,
            "seconds": round(self.seconds, 2),
            "output": self.output,
        }


@dataclass(frozen=True)
class Verification:
    checks: tuple[Check, ...] = field(default_factory=tuple)

    @property
    def ok(self) -> bool:
        return all(check.ok for check in self.checks)

    def to_json(self) -> dict[str, Any]:
        return {"ok": self.ok, "checks": [check.to_json() for check in self.checks]}


def _tail(text: str, lines: int = 40) -> str:
    return "\n".join(text.strip().splitlines()[-lines:])


def run_mypy(generated: Path, package: str, *, cache_dir: Path | None = None) -> Check:
    """``mypy --strict`` on ``generated/<package>`` (run from ``generated/`` so it resolves)."""
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="bcr-mypy-") as scratch:
        cache = cache_dir or Path(scratch)
        command = [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--no-color-output",
            "--cache-dir",
            str(cache),
            package,
        ]
        completed = subprocess.run(
            command, cwd=generated, capture_output=True, text=True, check=False
        )
    output = (completed.stdout + completed.stderr).strip()
    last = output.splitlines()[-1] if output else ""
    return Check(
        "mypy --strict",
        f"(cd generated && mypy --strict {package})",
        completed.returncode == 0,
        last,
        time.perf_counter() - started,
        "" if completed.returncode == 0 else _tail(output),
    )


#: Runs this module as ``__main__`` without executing ``bigcommerce_refunds/__init__.py``: that
#: imports the hand-written façade, which imports generated models by name, so a synced client
#: the façade no longer fits would crash the round trip before it tested anything (the façade
#: is what `make test` checks). The package is registered as a bare module over its directory.
_BOOTSTRAP = """
import importlib.util, runpy, sys, types
found = importlib.util.find_spec("bigcommerce_refunds")
package = types.ModuleType("bigcommerce_refunds")
package.__path__ = list(found.submodule_search_locations)
sys.modules["bigcommerce_refunds"] = package
runpy.run_module("bigcommerce_refunds.spec.verify", run_name="__main__", alter_sys=True)
"""


def run_roundtrip(fragment: Path, generated: Path, package: str) -> Check:
    """Round-trip the fragment's examples through the generated package, in a subprocess."""
    started = time.perf_counter()
    command = [sys.executable, "-c", _BOOTSTRAP, str(fragment), str(generated), package]
    completed = subprocess.run(
        command,
        capture_output=True,
        text=True,
        check=False,
        env={
            **os.environ,
            # The project's generated/ first, before any installed copy of the package, from
            # interpreter start.
            "PYTHONPATH": os.pathsep.join(
                part for part in (str(generated), os.environ.get("PYTHONPATH", "")) if part
            ),
            "PYTHONDONTWRITEBYTECODE": "1",  # leave generated/ as generated
        },
    )
    seconds = time.perf_counter() - started
    command_text = f"python -m bigcommerce_refunds.spec.verify {fragment.name} generated {package}"
    try:
        outcome = json.loads(completed.stdout)
    except json.JSONDecodeError:
        return Check(
            "example round trip",
            command_text,
            False,
            "the round-trip script crashed",
            seconds,
            _tail(completed.stdout + completed.stderr),
        )
    failures: list[str] = outcome["failures"]
    skipped: list[str] = outcome["skipped"]
    summary = (
        f"{outcome['passed']} examples round-tripped, {len(failures)} failed, "
        f"{len(skipped)} skipped (invalid against their own schema)"
    )
    details = [f"FAILED {item}" for item in failures] + [f"skipped {item}" for item in skipped]
    return Check(
        "example round trip", command_text, not failures, summary, seconds, "\n".join(details)
    )


def verify_project(root: Path, package: str, *, mypy_cache_dir: Path | None = None) -> Verification:
    """Run both checks on ``root/generated`` against ``root/openapi/refunds.yaml``.

    Both are subprocesses, independent of each other, so they run side by side.
    """
    generated = root / "generated"
    with ThreadPoolExecutor(max_workers=2) as pool:
        mypy = pool.submit(run_mypy, generated, package, cache_dir=mypy_cache_dir)
        roundtrip = pool.submit(
            run_roundtrip, root / "openapi" / "refunds.yaml", generated, package
        )
        return Verification((mypy.result(), roundtrip.result()))


# ---------------------------------------------------------------------------------- subprocess
def _snake(name: str) -> str:
    """openapi-python-client's module name for an operationId: ``createOrderRefund`` ->
    ``create_order_refund``."""
    text = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1_\2", name)
    text = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", text)
    return re.sub(r"\W+", "_", text).lower()


def _examples(node: Any) -> Iterator[tuple[str, Any]]:
    """Named examples of a request body or response media type (every form upstream uses)."""
    if not isinstance(node, dict):
        return
    if "example" in node:
        yield "example", node["example"]
    for name, example in (node.get("examples") or {}).items():
        if isinstance(example, dict) and "value" in example:
            yield str(name), example["value"]
    for name, value in (node.get("x-examples") or {}).items():
        yield str(name), value


def _clip(text: str, limit: int = 160) -> str:
    """Validation messages quote whole schemas; the start says enough."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


_SYNTHESIZED = "synthesized from the schema's examples"
_PLACEHOLDERS: dict[str, Any] = {
    "string": "text",
    "integer": 1,
    "number": 1.5,
    "boolean": True,
}


def _synthesize(schema: Any, depth: int = 0) -> Any:
    """An instance built from a (dereferenced) schema's own ``example`` values, every declared
    property included, first variant of a union; placeholders where no example is given.

    Upstream documents few whole success bodies, so without this the success responses (the
    models users read most) would hardly be exercised.
    """
    if not isinstance(schema, dict) or depth > 12:
        return None
    if "example" in schema:
        return schema["example"]
    for key in ("oneOf", "anyOf"):
        if isinstance(schema.get(key), list) and schema[key]:
            return _synthesize(schema[key][0], depth + 1)
    if isinstance(schema.get("allOf"), list):
        merged: dict[str, Any] = {}
        for part in schema["allOf"]:
            value = _synthesize(part, depth + 1)
            if isinstance(value, dict):
                merged.update(value)
        return merged
    if isinstance(schema.get("enum"), list) and schema["enum"]:
        return schema["enum"][0]
    kind = schema.get("type")
    if kind == "object" or "properties" in schema:
        return {
            name: _synthesize(prop, depth + 1)
            for name, prop in (schema.get("properties") or {}).items()
        }
    if kind == "array":
        return [_synthesize(schema.get("items"), depth + 1)]
    if kind == "string" and schema.get("format") == "date-time":
        return "2024-08-20T12:34:56+00:00"
    return _PLACEHOLDERS.get(str(kind))


def _api_modules(package: str) -> dict[str, ModuleType]:
    api = importlib.import_module(f"{package}.api")
    found: dict[str, ModuleType] = {}
    for info in pkgutil.walk_packages(api.__path__, prefix=f"{package}.api."):
        if not info.ispkg:
            found[info.name.rsplit(".", 1)[-1]] = importlib.import_module(info.name)
    return found


def _stable(model: Any) -> str | None:
    """None when ``to_dict`` -> ``from_dict`` -> ``to_dict`` is stable, else why not."""
    first = model.to_dict()
    json.dumps(first)
    second = type(model).from_dict(first).to_dict()
    return None if first == second else f"to_dict/from_dict not stable: {first!r} != {second!r}"


def _roundtrip_main(fragment_path: Path, generated: Path, package: str) -> dict[str, Any]:
    sys.path.insert(0, str(generated))
    import httpx

    from bigcommerce_refunds.spec.fragment import Fragment

    fragment = Fragment.load(fragment_path)
    client_module = importlib.import_module(f"{package}.client")
    imported_from = Path(client_module.__file__ or "").resolve()
    if not imported_from.is_relative_to(generated.resolve()):
        return {
            "passed": 0,
            "failures": [f"imported {package} from {imported_from}, not from {generated}"],
            "skipped": [],
        }
    client = client_module.Client(base_url="http://sandbox.invalid")
    modules = _api_modules(package)
    passed = 0
    failures: list[str] = []
    skipped: list[str] = []
    for operation in fragment.operations():
        module = modules.get(_snake(operation.operation_id))
        if module is None:
            failures.append(f"{operation.operation_id}: no generated module")
            continue
        body = fragment.deref(operation.spec.get("requestBody") or {})
        body_media = (body.get("content") or {}).get("application/json")
        body_examples = [*_examples(body), *_examples(body_media)]
        if isinstance(body_media, dict):
            body_examples.append((_SYNTHESIZED, _synthesize(body_media.get("schema"))))
        for name, example in body_examples:
            label = f"{operation.operation_id} request example {name!r}"
            validator = fragment.request_validator(operation.operation_id)
            errors = [
                "/".join(str(part) for part in error.absolute_path) + f": {error.message}"
                for error in validator.iter_errors(example)
            ]
            if errors:
                skipped.append(f"{label}: {_clip(errors[0])}")
                continue
            hints = typing.get_type_hints(module.sync_detailed)
            candidates = typing.get_args(hints["body"]) or (hints["body"],)
            problem: str | None = "no body class parses it"
            for candidate in candidates:
                try:
                    problem = _stable(candidate.from_dict(example))
                    break
                except Exception:  # try the next class of the union, as the client would
                    continue
            if problem:
                failures.append(f"{label}: {problem}")
            else:
                passed += 1
        for status, response in (operation.spec.get("responses") or {}).items():
            if not str(status).isdigit():
                continue
            media = (fragment.deref(response).get("content") or {}).get("application/json")
            examples = list(_examples(media))
            if isinstance(media, dict) and "schema" in media:
                examples.append((_SYNTHESIZED, _synthesize(media["schema"])))
            for name, example in examples:
                label = f"{operation.operation_id} {status} example {name!r}"
                errors = fragment.response_errors(operation.operation_id, int(status), example)
                if errors:
                    skipped.append(f"{label}: {_clip(errors[0])}")
                    continue
                try:
                    parsed = module._parse_response(
                        client=client, response=httpx.Response(int(status), json=example)
                    )
                    problem = "not parsed" if parsed is None else _stable(parsed)
                except Exception as error:  # the point is to report any failure, named
                    problem = f"{type(error).__name__}: {error}"
                if problem:
                    failures.append(f"{label}: {problem}")
                else:
                    passed += 1
    return {"passed": passed, "failures": failures, "skipped": skipped}


if __name__ == "__main__":
    # python -m bigcommerce_refunds.spec.verify FRAGMENT GENERATED_DIR PACKAGE (see run_roundtrip)
    fragment_arg, generated_arg, package_arg = sys.argv[1:4]
    print(json.dumps(_roundtrip_main(Path(fragment_arg), Path(generated_arg), package_arg)))
