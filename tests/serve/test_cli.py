"""The `mcp` and `serve` commands: registered, quick to parse, and the HTTP transport of MCP."""

from __future__ import annotations

import subprocess
import sys

import anyio
from mcp import Client

from tests.serve.conftest import GOOD_FAUST, free_port, start_server, stop
from workbench import cli

_PROBE = """
import sys
from workbench.cli import build_parser
build_parser()
print(" ".join(sorted(n for n in ("mcp", "fastapi", "uvicorn", "starlette", "workbench.serve") if n in sys.modules)))
"""


def test_the_commands_are_listed_and_parsing_loads_no_server_library():
    assert subprocess.run([sys.executable, "-c", _PROBE], capture_output=True, text=True, check=True).stdout.split() == []
    help_text = subprocess.run([sys.executable, "-m", "workbench", "--help"], capture_output=True, text=True).stdout
    assert "mcp" in help_text and "serve" in help_text


def test_stdio_mcp_refuses_http_options(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("WORKBENCH_DATA_DIR", str(tmp_path))
    assert cli.main(["mcp", "--port", "9000"]) == 2
    assert "apply to --http only" in capsys.readouterr().err
    assert cli.main(["serve", "--port", "70000"]) == 2


def test_mcp_over_streamable_http_on_loopback(workbench_env):
    port = free_port()
    url = f"http://127.0.0.1:{port}/mcp"
    process = start_server(["mcp", "--http", "--port", str(port)], workbench_env, url)

    async def session() -> tuple[list[str], dict]:
        async with Client(url) as client:
            names = [tool.name for tool in (await client.list_tools()).tools]
            checked = await client.call_tool("faust_check", {"code": GOOD_FAUST})
            return names, checked.structured_content

    try:
        names, checked = anyio.run(session)
    finally:
        stop(process)
    assert "faust_check" in names and checked["ok"] is True
