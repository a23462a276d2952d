"""The work behind each MCP tool, as plain functions (the benchmark calls them in-process).

Each does what the matching `hrm-reason` command does and refuses bad input with the
command's own one-line message, raised as `ToolInputError`; the MCP layer turns that into a
tool error the agent reads.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from workbench.config import Settings
from workbench.domain import DocSource
from workbench.serve.schemas import (
    AskResult, Attribution, Diagnostic, DocPassage, DocsSearchResult, FaustCheckResult, JuceCheckResult,
    PlanResult, SoundSpec,
)
from workbench.serve.sound_spec import check_spec

if TYPE_CHECKING:
    from multi_model_system import MultiModelGLMSystem
    from workbench.analysis.findings import AnalysisReport
    from workbench.execute.results import RunResult
    from workbench.retrieval import KnowledgeBase

MAX_RENDER_SECONDS = 10.0
MAX_RESULTS = 50


class ToolInputError(ValueError):
    """Input a tool cannot work on; the message says what to change."""


def _code(code: str, what: str) -> str:
    if not code.strip():
        raise ToolInputError(f"the {what} code is empty: nothing to validate")
    return code


def faust_check(settings: Settings, code: str, *, render_seconds: float = 0.0, spec: SoundSpec | None = None,
                file_name: str = "input.dsp") -> FaustCheckResult:
    """Compile with the real `faust`; render (sandboxed) when asked or when a spec needs a sound."""
    from workbench.validate import validate_code

    if render_seconds < 0 or render_seconds > MAX_RENDER_SECONDS:
        raise ToolInputError(f"render_seconds takes 0 to {MAX_RENDER_SECONDS:g} seconds, got {render_seconds:g}")
    seconds = render_seconds or (settings.validation.render_seconds if spec is not None else 0.0)
    result = validate_code(_code(code, "FAUST"), "faust", settings, render_seconds=seconds or None)
    if result.ok is None:
        raise ToolInputError(f"not checked: {result.tool_status}")
    problems = result.render.problems() if result.render else []
    spec_checks = check_spec(result.render, spec) if spec is not None and result.render else []
    return FaustCheckResult(
        ok=result.ok and all(c.passed for c in spec_checks),
        compiled="compiled" in result.checks,
        summary=result.badge, errors=[Diagnostic.of(e, file_name) for e in result.errors],
        warnings=result.warnings, render=result.render, sound_problems=problems, spec_checks=spec_checks,
        wav_path=result.wav_path, duration_ms=result.duration_ms,
    )


def juce_check(settings: Settings, code: str, *, file_name: str = "input.cpp") -> JuceCheckResult:
    """`g++ -fsyntax-only` against the installed JUCE headers."""
    from workbench.validate import validate_code

    result = validate_code(_code(code, "C++"), "cpp", settings)
    if result.ok is None:
        raise ToolInputError(f"not checked: {result.tool_status}")
    return JuceCheckResult(ok=result.ok, summary=result.badge,
                           errors=[Diagnostic.of(e, file_name) for e in result.errors],
                           duration_ms=result.duration_ms)


def docs_search(knowledge: KnowledgeBase, query: str, *, k: int = 5,
                sources: list[DocSource] | None = None) -> DocsSearchResult:
    """The knowledge base's passages for `query`, each with the label an answer cites."""
    from workbench.retrieval.citations import label

    if not 1 <= k <= MAX_RESULTS:
        raise ToolInputError(f"k must be between 1 and {MAX_RESULTS}, got {k}")
    if not knowledge.entries():
        raise ToolInputError("The index is empty — run `hrm-reason knowledge ingest` first.")
    try:
        passages = knowledge.search(query, k=k, sources=sources)
    except ValueError as error:
        raise ToolInputError(str(error)) from error
    return DocsSearchResult(query=query, mode=knowledge.mode, passages=[
        DocPassage(citation=label(p), title=p.title, source=p.source, location=p.location, path=p.path,
                   score=p.score, text=p.text)
        for p in passages
    ])


def decompose(glm: MultiModelGLMSystem, question: str, context: dict[str, Any] | None = None) -> PlanResult:
    """The plan `hrm-reason decompose` prints: nothing is run or stored."""
    try:
        plan = glm.hrm.decompose_task(question, context)
    except ValueError as error:
        raise ToolInputError(str(error)) from error
    dumped = plan.model_dump(mode="json")
    return PlanResult.model_validate({**dumped, "phases": glm.plan_phases(dumped)})


def analysis_root(path: str) -> Path:
    """The folder or file to analyse; the filesystem root and the home folder itself are
    refused, since reading either would walk everything the server's user owns."""
    target = Path(path).expanduser().resolve()
    if target == Path(target.anchor) or target == Path.home().resolve():
        raise ToolInputError(f"refusing to analyse {target}: give a project folder, not the whole "
                             + ("filesystem" if target == Path(target.anchor) else "home folder"))
    return target


def analyze(settings: Settings, path: str) -> AnalysisReport:
    """`hrm-reason analyze PATH --json`: metrics, patterns and real-time checks, no model.
    The analyzer reads only source files inside `path` and follows no link out of it."""
    from workbench.advisors.assistants import CodeAnalyzer
    from workbench.analysis.errors import AnalysisInputError

    try:
        return CodeAnalyzer(settings=settings).analyze(analysis_root(path))
    except AnalysisInputError as error:
        raise ToolInputError(str(error)) from error


def ask_result(result: RunResult, project: str) -> AskResult:
    """A finished run as the `ask` tool returns it: the answer and who wrote which part."""
    if result.subtasks:
        parts = [Attribution(part=s.id, title=s.title, role=s.role, model=s.model, status=s.status,
                             checks=[a["badge"] for a in s.attempts if a.get("badge")], sources=s.sources)
                 for s in result.subtasks]
    else:
        parts = [Attribution(part="answer", title="direct answer", model=result.model, status=result.status,
                             sources=result.sources)]
    return AskResult(run_id=result.run_id, conversation_id=result.conversation_id, project=project,
                     status=result.status, answer=result.answer, error=result.error, model=result.model,
                     backend=result.backend, attribution=parts, sources=result.sources,
                     duration_ms=result.duration_ms)
