"""The seed's Python API: `CodeAnalyzer`, `ArchitectureAdvisor`, `DebugAssistant`,
`PerformanceOptimizer`. The CLI and the page call exactly these.

An advisor asks the execution engine (`System`) the question framed for its
mode, with the context folder's measured analysis and its most relevant files as context,
so the decomposition engine plans the mode's steps (e.g. reproduce → hypotheses → verify →
fix) and each step runs on its role's model. Pass `glm` to use a given engine (tests inject
one built on a fake backend); without it one is built from `settings` on first use."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workbench.advisors.advice import (
    AdvisorReport, PlanStepResult, implementation_steps, measure_confidence,
)
from workbench.advisors.modes import ARCHITECTURE, DEBUGGING, PERFORMANCE, AdvisorMode
from workbench.analysis.analyzer import analyze_contents, analyze_path, build_report
from workbench.analysis.context_reader import FolderContents, read_sources
from workbench.analysis.errors import AnalysisInputError
from workbench.analysis.findings import AnalysisReport
from workbench.analysis.recommendations import findings_brief
from workbench.analysis.relevance import excerpt, rank_files
from workbench.analysis.report import to_markdown
from workbench.config import Settings, load_settings
from workbench.domain import RunEvent, RunResult

if TYPE_CHECKING:  # the system is imported when an advisor first asks, not with the CLI's help
    from workbench.system import System

CONTEXT_FILES = 3
EXCERPT_CHARS = 1500
ADVISOR_PROJECT = "code-analysis"


def _engine(settings: Settings, model_path: str | Path | None) -> System:
    """The execution engine, with the HRM checkpoint at `model_path` when one is given."""
    from workbench.system import System

    if model_path is None:
        return System(settings)
    path = Path(model_path).expanduser()
    if not path.is_file():
        raise AnalysisInputError(f"No HRM checkpoint at {path} — train one with `hrm-reason train` or leave --model out")
    from workbench.decomposer import HRMLocalWrapper

    return System(settings, hrm=HRMLocalWrapper(settings.hrm.device, settings.hrm.enable_caching, str(path), settings))


def write_with_model(report: AnalysisReport, glm: System) -> tuple[list[str], str]:
    """Recommendations written by the active model from the findings; falls back to the rule
    recommendations (and says so) when the model fails or answers with nothing usable."""
    question = ("You review audio plugin code. From these measured findings, write 3 to 6 concrete "
                "recommendations as a bulleted list, most important first.\n\n" + findings_brief(report))
    result = glm.chat_with_model_enhanced(question, use_hrm_decomposition=False, project="code-analysis")
    items = [line.strip().lstrip("-*0123456789.) ").strip() for line in result.answer.splitlines()]
    items = [item for item in items if len(item) > 8]
    if result.status != "complete" or not items:
        reason = result.error or "the model gave no recommendations"
        return report.recommendations, f"rules (model failed: {reason})"
    return items, f"model {result.model or glm.backend_name}"


class _UsesEngine:
    def __init__(self, model_path: str | Path | None = None, *, settings: Settings | None = None,
                 glm: System | None = None) -> None:
        self.settings = settings or (glm.settings if glm is not None else load_settings())
        self.model_path = model_path
        self._glm = glm

    @property
    def glm(self) -> System:
        if self._glm is None:
            self._glm = _engine(self.settings, self.model_path)
        return self._glm


class CodeAnalyzer(_UsesEngine):
    """Metrics, patterns, real-time checks and recommendations for files and folders.

    With `use_model=True` (or a `glm` given) the recommendations are written by the active
    model from the measured findings; otherwise no model is touched at all."""

    def __init__(self, model_path: str | Path | None = None, *, settings: Settings | None = None,
                 glm: System | None = None, use_model: bool | None = None, progress: bool = False) -> None:
        super().__init__(model_path, settings=settings, glm=glm)
        self.use_model = use_model if use_model is not None else (glm is not None or model_path is not None)
        self.progress = progress

    def _finish(self, report: AnalysisReport) -> AnalysisReport:
        if self.use_model:
            report.recommendations, report.recommendations_by = write_with_model(report, self.glm)
        return report

    def analyze_file(self, path: str | Path) -> AnalysisReport:
        if Path(path).expanduser().is_dir():
            raise AnalysisInputError(f"Not a file: {path} — give a source file, or use analyze_directory for a folder")
        return self._finish(analyze_path(path, self.settings))

    def analyze_directory(self, path: str | Path) -> AnalysisReport:
        if Path(path).expanduser().is_file():
            raise AnalysisInputError(f"Not a folder: {path} — give a folder, or use analyze_file for one file")
        return self._finish(analyze_path(path, self.settings, progress=self.progress))

    def analyze(self, path: str | Path) -> AnalysisReport:
        """A file or a folder, whichever `path` is."""
        return self._finish(analyze_path(path, self.settings, progress=self.progress))

    def generate_report(self, results: AnalysisReport | Sequence[AnalysisReport]) -> str:
        """Markdown for one report, or for several merged into one."""
        if isinstance(results, AnalysisReport):
            return to_markdown(results)
        if not results:
            raise AnalysisInputError("Nothing to report — analyse a file or a folder first")
        if len(results) == 1:
            return to_markdown(results[0])
        roots = [Path(r.root) for r in results]
        common = Path(*Path(roots[0]).parts[:min(len(p.parts) for p in roots)])
        while any(common not in (p, *p.parents) for p in roots):
            common = common.parent
        merged = FolderContents(root=common, skipped=[s for r in results for s in r.skipped])
        return to_markdown(build_report(merged, [f for r in results for f in r.files], []))


class _Advisor(_UsesEngine):
    mode: AdvisorMode

    def _context(self, question: str, context_path: str | Path | None) -> tuple[dict[str, Any], str, list[str]]:
        """The context dict for the engine, the measured summary, and the files sent."""
        context: dict = {"advisor_mode": self.mode.name, "plan_steps": [step.value for step in self.mode.steps]}
        if context_path is None:
            return context, "", []
        contents = read_sources(context_path)
        report = analyze_contents(contents, self.settings)
        ranked = rank_files(question, contents.files, report)[:CONTEXT_FILES]
        summary = findings_brief(report)
        context["code_analysis"] = summary
        context["relevant_files"] = "\n\n".join(excerpt(f, EXCERPT_CHARS) for f in ranked)
        return context, summary, [f.relative for f in ranked]

    def ask(self, question: str, context_path: str | Path | None = None,
            on_event: Callable[[RunEvent], None] | None = None,
            cancel: threading.Event | None = None) -> AdvisorReport:
        """Run the mode's plan on `question`; bad input raises AnalysisInputError, a failed
        run comes back as a report whose `status` and `error` say what happened. Setting
        `cancel` stops the run (the page's Stop button); the report then says "cancelled"."""
        if not isinstance(question, str) or not question.strip():
            raise AnalysisInputError(f"Describe the {self.mode.name} question first — the text was empty")
        context, summary, files = self._context(question, context_path)
        result = self.glm.chat_with_model_enhanced(
            self.mode.framing.format(q=question.strip()), use_hrm_decomposition=True,
            project=ADVISOR_PROJECT, context=context, on_event=on_event, cancel=cancel)
        return _advice_from_run(self.mode, question, context_path, summary, files, result, self.glm.backend_name)


def _advice_from_run(mode: AdvisorMode, question: str, context_path: str | Path | None, summary: str,
                     files: list[str], result: RunResult, backend: str) -> AdvisorReport:
    steps = {s["id"]: s.get("step") for s in (result.decomposition or {}).get("subtasks", [])}
    done = [PlanStepResult(id=s.id, title=s.title, step=steps.get(s.id), status=s.status, model=s.model,
                           output=s.output, error=s.error) for s in result.subtasks]
    wanted = {step.value for step in mode.recommendation_steps}
    chosen = [s for s in done if s.step in wanted]
    recommendation = "\n\n".join(s.output for s in chosen if s.output.strip()) or result.answer
    return AdvisorReport(
        mode=mode.name, title=mode.title, question=question,
        context_path=str(context_path) if context_path is not None else None,
        context_summary=summary, context_files=files,
        analysis=[s for s in done if s not in chosen], recommendation_steps=chosen, recommendations=recommendation,
        implementation_steps=implementation_steps(recommendation),
        confidence=measure_confidence(result.decomposition, result.subtasks, mode.steps),
        status=result.status, error=result.error, run_id=result.run_id, backend=backend)


class ArchitectureAdvisor(_Advisor):
    """Architecture advice for an audio project (plan and help: `ARCHITECTURE`)."""

    mode = ARCHITECTURE

    def get_advice(self, question: str, context_path: str | Path | None = None,
                   on_event: Callable[[RunEvent], None] | None = None) -> AdvisorReport:
        return self.ask(question, context_path, on_event)


class DebugAssistant(_Advisor):
    """Step-by-step debugging of a problem (plan and help: `DEBUGGING`)."""

    mode = DEBUGGING

    def debug_problem(self, problem: str, context_path: str | Path | None = None,
                      on_event: Callable[[RunEvent], None] | None = None) -> AdvisorReport:
        return self.ask(problem, context_path, on_event)


class PerformanceOptimizer(_Advisor):
    """Performance work on an audio project (plan and help: `PERFORMANCE`)."""

    mode = PERFORMANCE

    def optimize(self, problem: str, context_path: str | Path | None = None,
                 on_event: Callable[[RunEvent], None] | None = None) -> AdvisorReport:
        return self.ask(problem, context_path, on_event)


ADVISORS: dict[str, type[_Advisor]] = {
    advisor.mode.command: advisor for advisor in (ArchitectureAdvisor, DebugAssistant, PerformanceOptimizer)
}
