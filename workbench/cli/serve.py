"""`hrm-reason serve`: an OpenAI-compatible API (`/v1/models`, `/v1/chat/completions`) so Open
WebUI, Continue or any OpenAI client can use the workbench as a model.

FastAPI and uvicorn are imported when the command runs, so `--help` stays quick.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from workbench.cli.mcp_server import warn_if_exposed

if TYPE_CHECKING:
    from workbench.config import Settings


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "serve", help="serve the workbench as an OpenAI-compatible model (models workbench, workbench-direct)",
        description="Exit 0 on Ctrl-C, 2 for bad options.")
    parser.add_argument("--host", help="address to bind (default: serve.host, 127.0.0.1)")
    parser.add_argument("--port", type=int, help="port (default: serve.port, 8765)")
    parser.add_argument("--api-key", help="require 'Authorization: Bearer KEY' (default: serve.api_key)")
    parser.add_argument("--cors-origin", action="append", default=None, metavar="ORIGIN",
                        help="allow browser calls from this origin (repeatable; default: serve.cors_origins, none)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace, settings: Settings) -> int:
    if args.port is not None and not 0 <= args.port <= 65535:
        print(f"--port takes 0 to 65535, got {args.port}", file=sys.stderr)
        return 2
    import uvicorn

    from workbench.serve.openai_app import create_app
    from workbench.serve.services import Workbench

    host = args.host or settings.serve.host
    port = settings.serve.port if args.port is None else args.port
    api_key = args.api_key or settings.serve.api_key
    workbench = Workbench(settings)
    glm = workbench.glm  # built now, so the first request does not wait for it
    if glm.backend_notice:
        print(f"note: {glm.backend_notice}", file=sys.stderr)
    warn_if_exposed(host)
    print(f"OpenAI-compatible API at http://{host}:{port}/v1 (models: workbench, workbench-direct; "
          f"backend {glm.backend_name}; {'API key required' if api_key else 'no API key'})", file=sys.stderr)
    app = create_app(workbench, api_key=api_key, cors_origins=args.cors_origin or settings.serve.cors_origins)
    uvicorn.run(app, host=host, port=port, log_level="warning")
    return 0
