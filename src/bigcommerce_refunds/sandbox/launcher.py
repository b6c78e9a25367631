"""``bigcommerce-refunds sandbox`` (and ``python -m bigcommerce_refunds.sandbox``).

Runs the sandbox in the foreground with uvicorn, prints the API base URL and the token to use once
the port is bound, and stops cleanly on Ctrl-C or SIGTERM (uvicorn handles both signals in the main
thread). Only that one token is ever printed; no token is logged.
"""

from __future__ import annotations

import argparse
import re
import signal
import socket
import sys
from collections.abc import Callable
from pathlib import Path
from types import FrameType

import uvicorn

from bigcommerce_refunds.sandbox.app import create_app
from bigcommerce_refunds.sandbox.bugs import BUG_PROFILES
from bigcommerce_refunds.sandbox.config import (
    READ_SCOPES,
    WRITE_SCOPES,
    SandboxConfig,
    default_tokens,
)
from bigcommerce_refunds.sandbox.fixtures import FixtureError
from bigcommerce_refunds.sandbox.hostguard import guard, is_loopback
from bigcommerce_refunds.sandbox.served import (
    FAST_EXTRA_HINT,
    SandboxServer,
    fast_available,
    first_write_token,
    resolve_fast,
    server_name,
    url_host,
    uvicorn_config,
)

LOG_LEVELS = ("critical", "error", "warning", "info", "debug")
_INTEGER = re.compile(r"-?[0-9]+")


def _integer(minimum: int, maximum: int | None = None) -> Callable[[str], int]:
    """An argparse type: a plain decimal integer within bounds.

    Not ``type=int``: int() also takes " 4010", "+4010", "40_10" and non-ASCII digits ("٤٠١٠").
    """

    def parse(text: str) -> int:
        if not _INTEGER.fullmatch(text) or len(text) > 20:
            raise argparse.ArgumentTypeError(f"{text!r} is not an integer")
        value = int(text)
        if value < minimum or (maximum is not None and value > maximum):
            bounds = f"from {minimum} to {maximum}" if maximum is not None else f">= {minimum}"
            raise argparse.ArgumentTypeError(f"{value} is out of range (must be {bounds})")
        return value

    return parse


def _bug_list() -> str:
    """The planted bugs, one per line with what each breaks, for the end of ``--help``."""
    width = max(len(name) for name in BUG_PROFILES)
    lines = ["planted bugs (--bug NAME), for proving a conformance suite catches them:"]
    lines += [f"  {name:<{width}}  {BUG_PROFILES[name]}" for name in sorted(BUG_PROFILES)]
    return "\n".join(lines)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="bigcommerce-refunds sandbox",
        description=(
            "Run a stateful sandbox of BigCommerce's Orders V3 refund API. "
            "Control API: /__sandbox/ (see the README)."
        ),
        epilog=_bug_list(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--host", default="127.0.0.1", help="interface to bind (default: 127.0.0.1)"
    )
    parser.add_argument(
        "--port",
        type=_integer(0, 65535),
        default=4010,
        help="port (default: 4010; 0 = any free)",
    )
    parser.add_argument(
        "--store-hash", default="sandbox", help="store hash in URLs (default: sandbox)"
    )
    parser.add_argument(
        "--fixtures",
        type=Path,
        metavar="FILE",
        help="JSON file of seed orders (default: the packaged seed; format in the README)",
    )
    parser.add_argument(
        "--rate-limit",
        type=_integer(1),
        default=150,
        metavar="N",
        help="requests per window (default: 150)",
    )
    parser.add_argument(
        "--rate-limit-window-ms",
        type=_integer(1),
        default=30_000,
        metavar="MS",
        help="rate-limit window in milliseconds (default: 30000)",
    )
    parser.add_argument(
        "--token",
        action="append",
        default=[],
        metavar="TOKEN",
        help="accept TOKEN with write scopes (repeatable; default: the well-known sandbox tokens)",
    )
    parser.add_argument(
        "--read-only-token",
        action="append",
        default=[],
        metavar="TOKEN",
        help="accept TOKEN with read-only scopes (repeatable)",
    )
    parser.add_argument(
        "--bug",
        action="append",
        default=[],
        metavar="NAME",
        choices=sorted(BUG_PROFILES),
        help="switch on a planted bug (repeatable; the list below says what each breaks)",
    )
    parser.add_argument(
        "--seed",
        type=_integer(-(2**63), 2**63),
        default=0,
        help="seed for probabilistic faults (default: 0)",
    )
    parser.add_argument(
        "--no-control",
        dest="control_api",
        action="store_false",
        help="switch the control API off (/__sandbox/ answers 404), so the sandbox poses as a "
        "live store: orders only through the Orders V2 reads, no reset, faults or bugs by HTTP",
    )
    parser.add_argument(
        "--log-level",
        default="info",
        choices=LOG_LEVELS,
        help="uvicorn's log level; the access log shows at info (default: info)",
    )
    parser.add_argument(
        "--allowed-host",
        action="append",
        default=[],
        metavar="NAME",
        help="also answer requests whose Host is NAME (repeatable; default: loopback names only, "
        "which protects a loopback sandbox from DNS rebinding)",
    )
    server = parser.add_mutually_exclusive_group()
    server.add_argument(
        "--fast",
        dest="fast",
        action="store_const",
        const=True,
        default=None,
        help="serve with httptools on uvloop, or fail if they are not installed "
        "(default: them where installed, else h11)",
    )
    server.add_argument(
        "--h11",
        dest="fast",
        action="store_const",
        const=False,
        help="serve with h11 on asyncio (pure Python; about half the requests per second)",
    )
    return parser


def _config(args: argparse.Namespace) -> SandboxConfig:
    if args.token or args.read_only_token:
        tokens = dict.fromkeys(args.token, WRITE_SCOPES)
        tokens.update(dict.fromkeys(args.read_only_token, READ_SCOPES))
    else:
        tokens = dict(default_tokens())
    return SandboxConfig(
        store_hash=args.store_hash,
        tokens=tokens,
        rate_limit_quota=args.rate_limit,
        rate_limit_window_ms=args.rate_limit_window_ms,
        fixtures_path=args.fixtures,
        bugs=frozenset(args.bug),
        seed=args.seed,
        control_api=args.control_api,
    )


class _AnnouncingServer(SandboxServer):
    """Prints where to reach the sandbox once the port is bound (port 0 is only known then)."""

    def __init__(self, config: uvicorn.Config, announcement: str) -> None:
        super().__init__(config)
        self.announcement = announcement

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets)
        if self.started:
            root = f"http://{url_host(self.config.host)}:{self.bound_port()}"
            print(self.announcement.format(root=root), flush=True)


def main(argv: list[str]) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        config = _config(args)
        app = guard(create_app(config), args.host, args.allowed_host)
    except FixtureError as error:
        print(f"bigcommerce-refunds sandbox: {error}", file=sys.stderr)
        return 2
    except ValueError as error:
        parser.error(str(error))
    if args.fast is True and not fast_available():
        print(f"bigcommerce-refunds sandbox: {FAST_EXTRA_HINT}", file=sys.stderr)
        return 2
    if not is_loopback(args.host):
        hosts = (
            "any Host name is answered (--allowed-host restricts that)"
            if not args.allowed_host
            else "Host names other than loopback and --allowed-host are refused"
        )
        print(
            f"warning: listening on {args.host}, not loopback: anyone who can reach it can use "
            f"the sandbox's tokens; {hosts}",
            file=sys.stderr,
        )
    token = first_write_token(config)
    fast = resolve_fast(args.fast)
    announcement = (
        "bigcommerce-refunds sandbox\n"
        f"  API base URL:   {{root}}/stores/{config.store_hash}/v3\n"
        f"  server:         {server_name(fast)}\n"
        f"  use this token: X-Auth-Token: {token}\n"
        + (
            "  control API:    {root}/__sandbox/\n"
            if config.control_api
            else "  control API:    off (--no-control): posing as a live store\n"
        )
        + "Press Ctrl-C to stop."
    )
    server = _AnnouncingServer(
        uvicorn_config(
            app, args.host, args.port, args.log_level, configure_logging=True, fast=fast
        ),
        announcement,
    )
    stopped_by: list[int] = []

    def remember(signum: int, frame: FrameType | None) -> None:
        # uvicorn re-raises the signal it caught once it has shut down; note it and exit cleanly.
        stopped_by.append(signum)

    previous = {sig: signal.signal(sig, remember) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        server.run()
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    if not server.started:
        print(
            f"bigcommerce-refunds sandbox: could not listen on {args.host}:{args.port}",
            file=sys.stderr,
        )
        return 1
    print("bigcommerce-refunds sandbox stopped.", flush=True)
    return 0


__all__ = ["main"]
