"""`hrm-reason mcp [--http]`: the workbench as an MCP server for coding agents and editors.

Over stdio by default (what `claude mcp add workbench -- hrm-reason mcp` starts); with
`--http`, streamable HTTP at http://127.0.0.1:PORT/mcp. The SDK is imported when the
command runs, so `--help` stays quick.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from workbench.config import Settings

LOOPBACK = ("127.0.0.1", "localhost", "::1")


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "mcp", help="serve the checks, docs search, planner and answers to MCP clients (stdio or HTTP)",
        description="Exit 0 when the client disconnects, 2 for bad options.")
    parser.add_argument("--http", action="store_true", help="streamable HTTP instead of stdio")
    parser.add_argument("--host", help="with --http: address to bind (default: serve.host, 127.0.0.1)")
    parser.add_argument("--port", type=int, help="with --http: port (default: serve.mcp_port)")
    parser.set_defaults(func=run)


def warn_if_exposed(host: str) -> None:
    """Binding beyond the loopback interface is allowed when asked for, never silently."""
    if host not in LOOPBACK:
        print(f"warning: listening on {host}: every machine that can reach it can use the workbench",
              file=sys.stderr)


def run(args: argparse.Namespace, settings: Settings) -> int:
    if not args.http and (args.host or args.port is not None):
        print("--host and --port apply to --http only (stdio needs neither)", file=sys.stderr)
        return 2
    from workbench.serve.mcp_server import build_server
    from workbench.serve.services import Workbench

    server = build_server(Workbench(settings))
    if not args.http:
        server.run()
        return 0
    host = args.host or settings.serve.host
    port = settings.serve.mcp_port if args.port is None else args.port
    warn_if_exposed(host)
    print(f"MCP server at http://{host}:{port}/mcp", file=sys.stderr)
    server.run("streamable-http", host=host, port=port)
    return 0
