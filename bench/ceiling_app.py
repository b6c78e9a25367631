"""The ceiling: a minimal Starlette app that answers every request with one fixed JSON body.

Served under exactly the sandbox's uvicorn settings (:func:`uvicorn_config`, with or without
``fast``), it is what a Python ASGI server can do on this machine with no work per request: the
sandbox's throughput is reported as a fraction of it. The body has the size of Prism's 201 answer
to a refund POST (486 bytes).

    python -m bench.ceiling_app --port 8001 [--fast]
"""

from __future__ import annotations

import argparse

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from bigcommerce_refunds.sandbox.served import SandboxServer, uvicorn_config

#: Prism's 201 example body for createOrderRefund, byte for byte (486 bytes).
BODY = (
    b'{"meta":{},"data":{"id":0,"order_id":0,"user_id":0,"created":"2019-08-24T14:15:22Z",'
    b'"reason":"string","total_amount":1.99,"total_tax":0,"uses_merchant_override_values":true,'
    b'"items":[{"item_type":"PRODUCT","item_id":0,"reason":"string","quantity":0,'
    b'"adjustments":[{"amount":-10.2,"description":"Service fee"}],"requested_amount":10.5}],'
    b'"payments":[{"id":0,"provider_id":"storecredit","amount":1.99,"offline":true,'
    b'"is_declined":true,"declined_message":"string","transaction_id":"1234"}]}}'
)


async def fixed(request: Request) -> Response:
    return Response(
        BODY,
        status_code=201 if request.method == "POST" else 200,
        media_type="application/json",
    )


def create_app() -> Starlette:
    return Starlette(routes=[Route("/{path:path}", fixed, methods=["GET", "POST"])])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.ceiling_app")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--fast", action="store_true", help="httptools on uvloop")
    args = parser.parse_args(argv)
    config = uvicorn_config(
        create_app(), args.host, args.port, "warning", configure_logging=True, fast=args.fast
    )
    SandboxServer(config).run()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
