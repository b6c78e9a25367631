"""``bigcommerce-refunds conformance``: the conformance suite, from the installed package.

The suite's source is the top-level ``conformance/`` directory of the project (a pytest
directory with its conftest, as promised); the wheel carries it as
``bigcommerce_refunds/_conformance/conformance`` (see pyproject.toml), and a checkout or an
editable install uses the checkout's own. Either way this command puts that directory's parent on
``sys.path`` and runs ``conformance.runner``, so targets, preflight, exit codes (0 conforms,
1 does not conform, 2 configuration error, 3 target unreachable), progress and reports are the
ones ``make conformance`` has: ``make conformance`` is a call of this command.

Options only choose; secrets never go on the command line: ``--token-env NAME`` names the
environment variable that holds the token. Without options the ``CONFORMANCE_*`` variables of
the environment decide, as in ``make conformance``. Arguments after ``--`` go to pytest.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

__all__ = ["main", "suite_root"]

PROFILES = ("smoke", "quick", "deep")


def suite_root() -> Path | None:
    """The directory that holds the suite's ``conformance`` package, or None if it is absent."""
    here = Path(__file__).resolve().parent
    packaged = here / "_conformance"
    if (packaged / "conformance" / "runner.py").is_file():
        return packaged
    checkout = here.parents[1]
    if (checkout / "conformance" / "runner.py").is_file():
        return checkout
    return None


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="bigcommerce-refunds conformance",
        description=(
            "Run the conformance suite against the embedded sandbox (default), any server "
            "claiming BigCommerce's refund API, or a live store. Exit status: 0 conforms, "
            "1 does not conform, 2 configuration error, 3 target unreachable."
        ),
        epilog=(
            "Without --target or --live the CONFORMANCE_* environment variables decide (see the "
            "README); --live reads BIGCOMMERCE_STORE_HASH, BIGCOMMERCE_ACCESS_TOKEN and "
            "BIGCOMMERCE_API_URL. Arguments after -- go to pytest (e.g. -- -x -k auth)."
        ),
    )
    where = parser.add_mutually_exclusive_group()
    where.add_argument(
        "--target",
        metavar="URL",
        help="the API base URL of a server to test, ending in /stores/<hash>/v3",
    )
    where.add_argument(
        "--live",
        action="store_true",
        help="test a BigCommerce store (safe by default: see CONFORMANCE_ALLOW_REFUNDS)",
    )
    parser.add_argument(
        "--token-env",
        metavar="NAME",
        help="the environment variable holding the target's token (default: CONFORMANCE_TOKEN)",
    )
    parser.add_argument(
        "--read-only-token-env",
        metavar="NAME",
        help="the environment variable holding a read-only token, for the scope tests",
    )
    parser.add_argument(
        "--profile",
        choices=PROFILES,
        help="smoke (at most 300 requests), quick (default) or deep",
    )
    parser.add_argument(
        "--reports",
        type=Path,
        metavar="DIR",
        help="where the JUnit file and Schemathesis' reports go "
        "(default: $CONFORMANCE_REPORTS, else ./conformance-reports)",
    )
    return parser


def _token(name: str, option: str) -> str | None:
    value = os.environ.get(name, "").strip()
    if not value:
        print(
            f"bigcommerce-refunds conformance: the environment variable {name} ({option}) is "
            "not set; export the token in it (tokens never go on the command line)",
            file=sys.stderr,
        )
        return None
    return value


def main(argv: list[str]) -> int:
    own, for_pytest = argv, []
    if "--" in argv:
        split = argv.index("--")
        own, for_pytest = argv[:split], argv[split + 1 :]
    args = _parser().parse_args(own)
    root = suite_root()
    if root is None:
        print(
            "bigcommerce-refunds conformance: the suite is not installed with this package; "
            "reinstall with the extra: pip install 'bigcommerce-refunds[conformance]'",
            file=sys.stderr,
        )
        return 2
    if args.target is not None:
        os.environ["CONFORMANCE_TARGET"] = args.target
    elif args.live:
        os.environ["CONFORMANCE_TARGET"] = "live"
    if args.token_env is not None:
        token = _token(args.token_env, "--token-env")
        if token is None:
            return 2
        os.environ["CONFORMANCE_TOKEN"] = token
    if args.read_only_token_env is not None:
        read_only = _token(args.read_only_token_env, "--read-only-token-env")
        if read_only is None:
            return 2
        os.environ["CONFORMANCE_READ_ONLY_TOKEN"] = read_only
    if args.profile is not None:
        os.environ["CONFORMANCE_PROFILE"] = args.profile
    reports = args.reports or Path(os.environ.get("CONFORMANCE_REPORTS") or "conformance-reports")
    if str(root) not in sys.path:
        sys.path.insert(0, str(root))
    from conformance.runner import main as run_suite

    return run_suite(["--reports", str(reports), *for_pytest])
