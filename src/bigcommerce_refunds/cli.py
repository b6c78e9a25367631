"""The one console script: ``bigcommerce-refunds sandbox | spec ...``.

Each subcommand lives in its own module with a ``main(argv) -> int``; this module only dispatches,
importing lazily so that ``bigcommerce-refunds sandbox`` does not pay for the spec tooling.
"""

from __future__ import annotations

import importlib
import sys

SUBCOMMANDS: dict[str, tuple[str, str]] = {
    "sandbox": ("bigcommerce_refunds.sandbox.launcher", "run the stateful refunds sandbox server"),
    "spec": ("bigcommerce_refunds.spec.cli", "sync the upstream spec, report changes, regenerate"),
}


def _usage() -> str:
    lines = ["usage: bigcommerce-refunds <command> [options]", "", "commands:"]
    lines += [f"  {name:<10} {summary}" for name, (_, summary) in SUBCOMMANDS.items()]
    lines.append("\nRun `bigcommerce-refunds <command> --help` for a command's options.")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if not args or args[0] in {"-h", "--help"}:
        print(_usage())
        return 0
    name, rest = args[0], args[1:]
    if name not in SUBCOMMANDS:
        print(f"bigcommerce-refunds: unknown command {name!r}\n\n{_usage()}", file=sys.stderr)
        return 2
    module = importlib.import_module(SUBCOMMANDS[name][0])
    result: int = module.main(rest)
    return result


if __name__ == "__main__":
    sys.exit(main())
