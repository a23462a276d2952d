"""`hrm-reason mcp` as a real subprocess, driven over stdio by the MCP SDK's own client:
the real faust, g++ with JUCE, a real BM25 index and the embedded SmolLM2 model."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from anyio.from_thread import BlockingPortal, start_blocking_portal
from mcp import Client
from mcp.client.stdio import StdioServerParameters
from mcp.shared.exceptions import MCPError

from tests.serve.conftest import GOOD_FAUST, REPO, subprocess_env

BAD_FAUST = 'import("stdfaust.lib");\n\nprocess = os.oscx(440) * 0.5;\n'
BAD_JUCE = """#include <juce_audio_basics/juce_audio_basics.h>

void halve (juce::AudioBuffer<float>& buffer)
{
    buffer.applyGainz (0.5f);
}
"""
FIXTURE_PROJECT = REPO / "tests" / "analysis" / "fixture_project"

# FAUST DSP plus its JUCE host: work the router splits (one-language builds are answered directly)
SPLIT_QUESTION = "Write a FAUST reverb and wrap it in a JUCE plugin"


@dataclass
class Session:
    """The SDK client, called from synchronous tests through an anyio portal."""

    portal: BlockingPortal
    client: Client

    def call(self, tool: str, arguments: dict[str, Any], progress: list | None = None) -> Any:
        async def record(value: float, total: float | None, message: str | None) -> None:
            progress.append((value, message))

        return self.portal.call(self.client.call_tool, tool, arguments, None,
                                record if progress is not None else None)

    def read(self, uri: str) -> str:
        return self.portal.call(self.client.read_resource, uri).contents[0].text


@pytest.fixture(scope="module")
def mcp(workbench_env: dict[str, str]) -> Iterator[Session]:
    params = StdioServerParameters(command=sys.executable, args=["-m", "workbench", "mcp"],
                                   env=subprocess_env(workbench_env), cwd=str(REPO))
    with start_blocking_portal() as portal:
        with portal.wrap_async_context_manager(Client(params, read_timeout_seconds=300)) as client:
            yield Session(portal, client)


def test_the_tools_are_listed_with_input_and_output_schemas(mcp):
    tools = {tool.name: tool for tool in mcp.portal.call(mcp.client.list_tools).tools}
    assert set(tools) == {"faust_check", "juce_check", "docs_search", "decompose", "ask", "analyze"}
    assert all(tool.output_schema and tool.description for tool in tools.values())
    faust = tools["faust_check"]
    assert faust.input_schema["required"] == ["code"]
    assert {"render_seconds", "spec", "file_name"} <= set(faust.input_schema["properties"])
    assert "errors" in faust.output_schema["properties"]
    assert tools["faust_check"].annotations.read_only_hint and not tools["ask"].annotations.read_only_hint


def test_faust_check_compiles_a_good_program(mcp):
    result = mcp.call("faust_check", {"code": GOOD_FAUST})
    assert not result.is_error
    assert result.structured_content["ok"] is True and result.structured_content["compiled"] is True
    assert result.structured_content["errors"] == []


def test_faust_check_locates_the_error_of_a_bad_program(mcp):
    result = mcp.call("faust_check", {"code": BAD_FAUST, "file_name": "synth.dsp"})
    out = result.structured_content
    assert out["ok"] is False and out["compiled"] is False
    error = out["errors"][0]
    assert error["line"] == 3 and error["location"] == "synth.dsp:3" and "oscx" in error["message"]


def test_faust_check_renders_and_checks_the_sound_against_a_spec(mcp):
    spec = {"frequency_hz": 1000, "channels": 1, "max_peak": 0.9}
    out = mcp.call("faust_check", {"code": GOOD_FAUST, "render_seconds": 0.5, "spec": spec}).structured_content
    assert out["compiled"] is True and out["render"]["channels"] == 1
    checks = {c["name"]: c for c in out["spec_checks"]}
    assert checks["channels"]["passed"] and checks["max_peak"]["passed"]
    assert not checks["frequency"]["passed"] and checks["frequency"]["measured"].startswith("44")
    assert out["ok"] is False  # the sound is fine, but not the one asked for
    assert Path(out["wav_path"]).is_file()


def test_bad_input_is_a_tool_error_with_the_clis_message(mcp):
    empty = mcp.call("faust_check", {"code": "  \n"})
    assert empty.is_error and "the FAUST code is empty: nothing to validate" in empty.content[0].text
    too_long = mcp.call("faust_check", {"code": GOOD_FAUST, "render_seconds": 60})
    assert too_long.is_error and "render_seconds" in too_long.content[0].text


def test_juce_check_reports_file_line_and_column(mcp):
    out = mcp.call("juce_check", {"code": BAD_JUCE, "file_name": "Gain.cpp"}).structured_content
    assert out["ok"] is False
    error = next(e for e in out["errors"] if "applyGainz" in e["message"])
    assert error["line"] == 5 and error["location"] == f"Gain.cpp:5:{error['column']}"


def test_docs_search_returns_cited_passages_from_the_index(mcp):
    out = mcp.call("docs_search", {"query": "butterworth lowpass filter", "k": 3,
                                   "sources": ["faust_libraries"]}).structured_content
    assert out["mode"] == "bm25" and len(out["passages"]) == 3
    top = out["passages"][0]
    assert top["source"] == "faust_libraries" and top["citation"] == f"{top['title']} — {top['location']}"
    assert any(p["location"].startswith("filters.lib:") for p in out["passages"])
    wrong = mcp.call("docs_search", {"query": "lowpass", "sources": ["manuals"]})
    assert wrong.is_error


def test_decompose_returns_the_plan_with_its_phases(mcp):
    out = mcp.call("decompose", {"question": SPLIT_QUESTION})
    plan = out.structured_content
    ids = [s["id"] for s in plan["subtasks"]]
    assert len(ids) >= 3 and plan["phases"][0] == [ids[0]]
    assert sorted(i for phase in plan["phases"] for i in phase) == sorted(ids)
    assert mcp.call("decompose", {"question": "   "}).is_error


def test_ask_runs_the_pipeline_with_progress_and_stores_the_run(mcp):
    progress: list = []
    question = SPLIT_QUESTION
    out = mcp.call("ask", {"question": question, "project": "agent"}, progress).structured_content
    assert out["status"] == "complete", out["error"]
    roles = [a["role"] for a in out["attribution"]]
    assert len(roles) >= 3 and roles[0] == "reasoning" and "coder" in roles[1:]
    assert all(a["model"] and a["status"] == "complete" for a in out["attribution"])
    messages = [message for _, message in progress]
    assert messages[0].startswith("run started on embedded") and messages[-1] == "run done"
    assert any(m.startswith(f"plan: {len(roles)} subtasks in ") for m in messages)
    assert sum("started:" in m for m in messages) == len(roles)
    assert [value for value, _ in progress] == sorted({value for value, _ in progress})  # increasing
    conversations = json.loads(mcp.read("workbench://projects/agent/conversations"))
    stored = json.loads(mcp.read(f"workbench://conversations/{out['conversation_id']}"))
    assert [c["id"] for c in conversations] == [out["conversation_id"]]
    assert [m["role"] for m in stored] == ["user", "assistant"] and stored[1]["content"] == out["answer"]
    assert question in mcp.read(f"workbench://runs/{out['run_id']}")
    assert [r["id"] for r in json.loads(mcp.read("workbench://projects/agent/runs"))] == [out["run_id"]]


def test_ask_without_decomposition_answers_directly(mcp):
    out = mcp.call("ask", {"question": "What is a low-pass filter?", "project": "agent",
                           "decompose": False}).structured_content
    assert out["status"] == "complete" and out["answer"].strip()
    assert [a["part"] for a in out["attribution"]] == ["answer"]
    assert mcp.call("ask", {"question": ""}).is_error


def test_analyze_reports_a_folder_and_refuses_the_root_and_home(mcp):
    report = mcp.call("analyze", {"path": str(FIXTURE_PROJECT)}).structured_content
    assert report["summary"]["files_analyzed"] > 0 and report["root"] == str(FIXTURE_PROJECT)
    for path in ("/", "~"):
        refused = mcp.call("analyze", {"path": path})
        assert refused.is_error and "refusing to analyse" in refused.content[0].text
    missing = mcp.call("analyze", {"path": str(REPO / "no-such-folder")})
    assert missing.is_error


def test_unknown_records_are_resource_errors_that_say_which(mcp):
    with pytest.raises(MCPError, match="No project named 'nobody'"):
        mcp.read("workbench://projects/nobody/runs")
    with pytest.raises(MCPError, match="No conversation 'abc'"):
        mcp.read("workbench://conversations/abc")
