"""The one console script: ``bigcommerce-refunds sandbox | spec ...``.

Each subcommand lives in its own module with a ``main(argv) -> int``; this module only dispatches,
importing lazily so that ``bigcommerce-refunds sandbox`` does not pay for the spec tooling, and so
that a core install (the client only) can still say which extra a command needs instead of
failing with an ImportError.
"""

from __future__ import annotations

import importlib
import sys
from dataclasses import dataclass
from importlib import metadata

DISTRIBUTION = "bigcommerce-refunds"


@dataclass(frozen=True)
class Subcommand:
    module: str
    summary: str
    #: The extra whose packages the command needs (``pip install 'bigcommerce-refunds[x]'``).
    extra: str


SUBCOMMANDS: dict[str, Subcommand] = {
    "sandbox": Subcommand(
        "bigcommerce_refunds.sandbox.launcher", "run the stateful refunds sandbox server", "sandbox"
    ),
    "conformance": Subcommand(
        "bigcommerce_refunds.conformance_cli",
        "run the conformance suite against the sandbox, any server or a live store",
        "conformance",
    ),
    "spec": Subcommand(
        "bigcommerce_refunds.spec.cli",
        "sync the upstream spec, report changes, regenerate (in a checkout)",
        "spec",
    ),
}


def version() -> str:
    """The installed distribution's version (``0+unknown`` when run from an uninstalled tree)."""
    try:
        return metadata.version(DISTRIBUTION)
    except metadata.PackageNotFoundError:
        return "0+unknown"


def _usage() -> str:
    lines = [
        "usage: bigcommerce-refunds [--version] <command> [options]",
        "",
        "commands:",
    ]
    lines += [f"  {name:<10} {command.summary}" for name, command in SUBCOMMANDS.items()]
    lines.append("\nRun `bigcommerce-refunds <command> --help` for a command's options.")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if not args:
        print(_usage(), file=sys.stderr)
        return 2
    if args[0] in {"-h", "--help"}:
        print(_usage())
        return 0
    if args[0] == "--version":
        print(f"{DISTRIBUTION} {version()}")
        return 0
    name, rest = args[0], args[1:]
    command = SUBCOMMANDS.get(name)
    if command is None:
        print(f"bigcommerce-refunds: unknown command {name!r}\n\n{_usage()}", file=sys.stderr)
        return 2
    try:
        module = importlib.import_module(command.module)
        result: int = module.main(rest)
    except ModuleNotFoundError as error:
        # Subcommands import their third-party packages lazily, so a missing extra can show
        # up late; our own modules missing is a broken install, and is raised as such.
        if error.name is None or error.name.split(".")[0] in {"bigcommerce_refunds", "conformance"}:
            raise
        print(
            f"bigcommerce-refunds {name}: needs the '{command.extra}' extra "
            f"(missing module {error.name!r}): pip install '{DISTRIBUTION}[{command.extra}]'",
            file=sys.stderr,
        )
        return 2
    return result


if __name__ == "__main__":
    sys.exit(main())
