"""Decomposition with caching (the seed's `HRMLocalWrapper`): score a question and, when it is complex, plan it.

    hrm = HRMLocalWrapper(device="auto", enable_caching=True, model_path=None)
    plan = hrm.decompose_task("Build a JUCE plugin with FAUST reverb", {"target_platform": "mac_vst"})
    hrm.get_execution_order(plan)   # phases of subtasks that can run side by side
    hrm.export_decomposition(plan, "my_task.json"); load_decomposition("my_task.json")

The question is read by an `Analyzer`: the trained HRM network when a checkpoint loads,
otherwise the rules (`get_status()` says which, and why). Either analysis becomes a plan
through the same pure `build_plan`, and plans are cached in memory and on disk.
"""

from __future__ import annotations

import functools
import importlib.util
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from workbench.config import Settings, load_settings
from workbench.decompose.analyze import RuleAnalyzer
from workbench.decompose.analyzer import Analyzer
from workbench.decompose.cache import PlanCache, cache_key
from workbench.decompose.dag import execution_phases
from workbench.decompose.export import export_decomposition as _export
from workbench.decompose.export import load_decomposition as _load
from workbench.decompose.query_input import check_context, normalize_query
from workbench.decompose.templates import ENGINE_VERSION, build_plan
from workbench.domain import PlanStep, QueryAnalysis, Subtask, TaskDecomposition
from workbench.hrm.evaluation_record import routing_shortfalls

DEVICES = ("auto", "mps", "cuda", "cpu")

__all__ = ["HRMLocalWrapper", "load_analyzer", "load_decomposition"]


def load_analyzer(settings: Settings, device: str, model_path: Path | str | None) -> Analyzer:
    """The HRM network when its checkpoint exists, loads and has earned the routing, else the
    rules with the reason. An explicit `model_path` means the caller wants that network."""
    routing = "hrm" if model_path else settings.hrm.routing
    if routing == "rules":
        return RuleAnalyzer(fallback_reason="hrm.routing is 'rules'; using the rules")
    path = Path(model_path) if model_path else settings.hrm.checkpoint
    if not path.is_file():
        return RuleAnalyzer(fallback_reason=f"no HRM checkpoint at {path}; using the rules")
    if routing == "auto" and (short := routing_shortfalls(path)):
        return RuleAnalyzer(fallback_reason=(
            f"the HRM checkpoint {path.name} does not beat the rule engine on its evaluation ("
            + "; ".join(short) + ") — see models/MODEL_CARD.md; set hrm.routing = \"hrm\" to route with it anyway"))
    try:
        from workbench.hrm.analyzer import HRMAnalyzer
    except ImportError as exc:
        return RuleAnalyzer(fallback_reason=f"the HRM network code cannot be imported ({exc}); using the rules")
    try:
        return HRMAnalyzer.load(path, device)
    except Exception as exc:  # any broken checkpoint must leave the workbench usable
        return RuleAnalyzer(fallback_reason=f"the HRM checkpoint {path} did not load ({type(exc).__name__}: {exc}); using the rules")


@functools.cache
def _accelerators() -> dict[str, bool]:
    """Which accelerators torch sees; torch is imported only here, once, and only if installed."""
    if importlib.util.find_spec("torch") is None:
        return {"cuda": False, "mps": False}
    import torch

    mps = getattr(torch.backends, "mps", None)
    return {"cuda": torch.cuda.is_available(), "mps": bool(mps and mps.is_available())}


class HRMLocalWrapper:
    """Decomposition with caching; safe to share between threads."""

    def __init__(
        self,
        device: str = "auto",
        enable_caching: bool = True,
        model_path: Path | str | None = None,
        settings: Settings | None = None,
    ) -> None:
        if device not in DEVICES:
            raise ValueError(f"device must be one of {', '.join(DEVICES)}, not {device!r}.")
        self.settings = settings or load_settings()
        self.requested_device = device
        self._rules = RuleAnalyzer()
        self.analyzer = load_analyzer(self.settings, device, model_path)
        self._checksum = self.analyzer.status().get("checkpoint_hash")
        self._cache = PlanCache(self.settings.cache_dir / "decompositions") if enable_caching else None

    # -- the seed's API
    def decompose_task(self, query: str, context: Mapping[str, Any] | None = None) -> TaskDecomposition:
        """The plan for `query`; ValueError says what is wrong with a bad question or context.

        The returned plan may be shared with other callers through the cache: copy it
        (`model_copy(deep=True)`) before changing it.
        """
        text = normalize_query(query, self.settings.limits.max_question_chars)
        ctx = check_context(context)
        key = cache_key(text, ctx, ENGINE_VERSION, self._checksum)
        if self._cache is not None and (cached := self._cache.get(key)) is not None:
            return cached
        plan = build_plan(text, _with_requested_steps(self._analyze(text, ctx), ctx), ctx, self.settings)
        if self._cache is not None:
            self._cache.put(key, plan)
        return plan

    def analyze(self, query: str, context: Mapping[str, Any] | None = None) -> QueryAnalysis:
        text = normalize_query(query, self.settings.limits.max_question_chars)
        return self._analyze(text, check_context(context))

    def get_execution_order(self, decomposition: TaskDecomposition) -> list[list[Subtask]]:
        """Phases of subtasks: each phase's subtasks depend only on earlier phases."""
        by_id = {s.id: s for s in decomposition.subtasks}
        return [[by_id[i] for i in phase] for phase in execution_phases(decomposition.subtasks)]

    def export_decomposition(self, decomposition: TaskDecomposition, path: Path | str) -> Path:
        return _export(decomposition, path)

    def get_status(self) -> dict[str, Any]:
        analyzer = self.analyzer.status()
        accelerators = _accelerators()
        return {
            "device": self._resolved_device(),
            "requested_device": self.requested_device,
            "hrm_available": analyzer["method"] == "hrm",
            "model_loaded": bool(analyzer.get("model_loaded")),
            "analyzer": analyzer["method"],
            "checkpoint_hash": analyzer.get("checkpoint_hash"),
            "fallback_reason": analyzer.get("fallback_reason"),
            "cache_enabled": self._cache is not None,
            "cached_queries": len(self._cache) if self._cache is not None else 0,
            "cuda_available": accelerators["cuda"],
            "mps_available": accelerators["mps"],
            "engine_version": ENGINE_VERSION,
        }

    def clear_cache(self) -> None:
        if self._cache is not None:
            self._cache.clear()

    # -- internals
    def _analyze(self, text: str, ctx: dict[str, Any]) -> QueryAnalysis:
        if isinstance(self.analyzer, RuleAnalyzer):
            return self.analyzer.analyze(text, ctx)
        try:
            return self.analyzer.analyze(text, ctx)
        except Exception as exc:  # a failing network must not fail the question
            analysis = self._rules.analyze(text, ctx)
            analysis.reasoning.insert(0, f"HRM analysis failed ({type(exc).__name__}: {exc}); rules used")
            return analysis

    def _resolved_device(self) -> str:
        accelerators = _accelerators()
        if self.requested_device == "auto":
            return "cuda" if accelerators.get("cuda") else "mps" if accelerators.get("mps") else "cpu"
        if not accelerators.get(self.requested_device, self.requested_device == "cpu"):
            return "cpu"
        return self.requested_device


def load_decomposition(path: Path | str, settings: Settings | None = None) -> TaskDecomposition:
    """Import a plan written by `export_decomposition`; DecompositionFileError (a ValueError) says why not."""
    limits = (settings or Settings()).limits
    return _load(path, max_bytes=limits.max_import_bytes)


def _with_requested_steps(analysis: QueryAnalysis, ctx: dict[str, Any]) -> QueryAnalysis:
    """`context["plan_steps"]` (e.g. the advisor modes' reproduce → hypotheses → verify → fix)
    replaces the analysis's steps; everything else the analysis found stays."""
    wanted = ctx.get("plan_steps")
    if not wanted:
        return analysis
    try:
        steps = [PlanStep(step) for step in wanted]
    except ValueError as exc:
        names = ", ".join(step.value for step in PlanStep)
        raise ValueError(f"context plan_steps must name plan steps ({names}): {exc}") from None
    return analysis.model_copy(update={"steps": steps, "decompose": True,
                                       "reasoning": [*analysis.reasoning, "steps requested by the caller"]})
