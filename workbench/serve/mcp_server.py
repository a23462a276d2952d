"""`hrm-reason mcp`: the workbench's checks, search, planner and answers as MCP tools.

Built on the official SDK's `MCPServer`: each tool's typed signature and pydantic result are
its input and output schemas. Bad input comes back as a tool error carrying the CLI's own
message; `ask` reports the run's progress (plan, subtasks, checks) while it works. The
project's conversations and runs are read-only resources.
"""

from __future__ import annotations

from typing import Annotated, Any

import anyio.to_thread
from mcp.server.mcpserver import Context, MCPServer
from mcp.server.mcpserver.exceptions import ResourceNotFoundError, ToolError
from mcp_types import ToolAnnotations
from pydantic import Field

from workbench.analysis.findings import AnalysisReport
from workbench.domain import DocSource, EventKind
from workbench.serve import history, tools
from workbench.serve.progress import progress_line
from workbench.serve.run_events import run_events
from workbench.serve.schemas import (
    AskResult, DocsSearchResult, FaustCheckResult, JuceCheckResult, PlanResult, SoundSpec,
)
from workbench.serve.services import Workbench

INSTRUCTIONS = (
    "A local FAUST/JUCE workbench. Check FAUST code with faust_check (real compiler, sandboxed render, "
    "spec checks of the sound) and JUCE C++ with juce_check before showing it; search the user's installed "
    "FAUST libraries and JUCE headers with docs_search and cite the passages; ask runs the full pipeline "
    "on the user's local models and stores the conversation."
)
READ_ONLY = ToolAnnotations(read_only_hint=True, open_world_hint=False)
TOKEN_PROGRESS_CHARS = 400  # an answer streaming on its own reports every this many characters

Code = Annotated[str, Field(description="the whole program text")]
FileName = Annotated[str, Field(description="name used in error locations", max_length=200)]


def _tool_input(call: Any, *args: Any, **kwargs: Any) -> Any:
    """`call`, with bad input (`ToolInputError`, the facade's `ValueError`) turned into a
    tool error that carries the message `hrm-reason` prints for it."""
    try:
        return call(*args, **kwargs)
    except ValueError as error:
        raise ToolError(str(error)) from error


def _resource(call: Any, *args: Any) -> str:
    try:
        return call(*args)
    except history.UnknownRecord as error:
        raise ResourceNotFoundError(str(error)) from error


def build_server(workbench: Workbench) -> MCPServer:
    """An MCP server over `workbench`; run it with `.run()` (stdio) or `.run("streamable-http")`."""
    mcp = MCPServer("faust-juce-workbench", instructions=INSTRUCTIONS)
    settings = workbench.settings

    @mcp.tool(annotations=READ_ONLY)
    def faust_check(
        code: Code,
        render_seconds: Annotated[float, Field(ge=0, le=tools.MAX_RENDER_SECONDS,
                                               description="0: compile only; else render and check the sound")] = 0.0,
        spec: Annotated[SoundSpec | None, Field(description="what the sound should measure (renders when given)")] = None,
        file_name: FileName = "input.dsp",
    ) -> FaustCheckResult:
        """Compile FAUST code with the real faust compiler; optionally render it offline in a sandbox
        and check the sound (NaN, silence, clipping, DC, peak frequency, the spec). Errors carry their line."""
        return _tool_input(tools.faust_check, settings, code, render_seconds=render_seconds, spec=spec,
                           file_name=file_name)

    @mcp.tool(annotations=READ_ONLY)
    def juce_check(code: Code, file_name: FileName = "input.cpp") -> JuceCheckResult:
        """Syntax-check JUCE C++ with g++ -fsyntax-only against the installed JUCE headers; errors as file:line:col."""
        return _tool_input(tools.juce_check, settings, code, file_name=file_name)

    @mcp.tool(annotations=READ_ONLY)
    def docs_search(
        query: Annotated[str, Field(min_length=1, description="what to look up, e.g. 'butterworth lowpass'")],
        k: Annotated[int, Field(ge=1, le=tools.MAX_RESULTS, description="number of passages")] = 5,
        sources: Annotated[list[DocSource] | None, Field(description="only these sources")] = None,
    ) -> DocsSearchResult:
        """Search the user's installed FAUST libraries, FAUST examples, JUCE headers, primers and project
        files; each passage carries the citation label (name — file:line)."""
        return _tool_input(tools.docs_search, workbench.knowledge, query, k=k, sources=sources)

    @mcp.tool(annotations=READ_ONLY)
    def decompose(
        question: Annotated[str, Field(description="the task or question")],
        context: Annotated[dict[str, Any] | None, Field(
            description='e.g. {"target_platform": "mac_vst", "performance_requirements": "low_latency"}')] = None,
    ) -> PlanResult:
        """Score a question and plan it: complexity, domains, role, and the subtasks in dependency order
        (phases). Nothing is run or stored."""
        return _tool_input(tools.decompose, workbench.glm, question, context)

    @mcp.tool(annotations=ToolAnnotations(read_only_hint=False, destructive_hint=False, open_world_hint=False))
    async def ask(
        question: Annotated[str, Field(description="the question, as you would type it in the workbench")],
        ctx: Context,
        project: Annotated[str, Field(min_length=1, max_length=200,
                                      description="project the conversation is stored in")] = settings.serve.project,
        decompose: Annotated[bool, Field(description="false: one model answers directly")] = True,
    ) -> AskResult:
        """Answer with the full workbench pipeline on the user's local models: routing, decomposition,
        documentation grounding, code checks, attribution. Reports progress while it runs; the conversation
        is stored like one asked in the browser."""
        glm = await anyio.to_thread.run_sync(lambda: workbench.glm)  # built on the first question
        handle = _tool_input(glm.start_run, question, None, decompose, project=project)
        step, streamed = 0, 0
        async for event in run_events(handle):
            line = progress_line(event)
            if event.kind == EventKind.TOKEN and event.subtask_id is None:
                streamed += len(event.text)
                if streamed // TOKEN_PROGRESS_CHARS > (streamed - len(event.text)) // TOKEN_PROGRESS_CHARS:
                    line = f"answer: {streamed} characters so far"
            if line is not None:
                step += 1
                await ctx.report_progress(step, message=line)
        return tools.ask_result(handle.result(), project)

    @mcp.tool(annotations=READ_ONLY)
    def analyze(path: Annotated[str, Field(description="a source file or a project folder")]) -> AnalysisReport:
        """Code analysis of a file or folder (Python, C++/JUCE, FAUST, JS/TS): metrics, hotspots, patterns,
        real-time checks of audio callbacks. Reads only inside the given folder; refuses / and the home folder."""
        return _tool_input(tools.analyze, settings, path)

    @mcp.resource("workbench://projects", mime_type="application/json")
    def projects() -> str:
        """Every project with its number of conversations and messages."""
        return history.projects_json(workbench.glm)

    @mcp.resource("workbench://projects/{project}/conversations", mime_type="application/json")
    def conversations(project: str) -> str:
        """The conversations of a project, newest first."""
        return _resource(history.conversations_json, workbench.glm, project)

    @mcp.resource("workbench://projects/{project}/runs", mime_type="application/json")
    def runs(project: str) -> str:
        """The runs (answered questions) of a project, with status and duration."""
        return _resource(history.runs_json, workbench.glm, project)

    @mcp.resource("workbench://conversations/{conversation_id}", mime_type="application/json")
    def messages(conversation_id: str) -> str:
        """The messages of a conversation, in order."""
        return _resource(history.messages_json, workbench.glm, conversation_id)

    @mcp.resource("workbench://runs/{run_id}", mime_type="text/markdown")
    def run(run_id: str) -> str:
        """One run as Markdown: question, plan, each subtask's output and model, the answer."""
        return _resource(history.run_markdown, workbench.glm, run_id)

    return mcp
