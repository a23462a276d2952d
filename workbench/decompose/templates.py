"""Plans: a QueryAnalysis (from the rules or the HRM network) becomes a validated DAG.

`build_plan` is pure. It expands the analysis's plan steps into subtasks worded for the
question (its subject and the components it names), gives each the display name of its
role's model, lets the context add the steps it calls for (a target platform → a build
step; low latency → a real-time optimization step) and checks the result with `dag`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from graphlib import TopologicalSorter
from typing import Any

from workbench.config import Settings
from workbench.decompose.dag import execution_phases, validate_plan
from workbench.decompose.features import SCAN_CHARS, extract_features, named_and_implied
from workbench.decompose.lexicon import CODE_VERBS, COMPONENTS, DOMAIN_DOCS, DSP_COMPONENTS
from workbench.decompose.step_specs import SPECS
from workbench.domain import (
    ExpectedOutput,
    PlanStep,
    QueryAnalysis,
    Strategy,
    Subtask,
    TaskDecomposition,
    TaskType,
)

ENGINE_VERSION = "rules-2"  # bumped when the rules route differently, so cached plans are not reused
MAX_COMPONENT_MODULES = 8
SUBJECT_CHARS = 100

_REQUEST_PREFIX = re.compile(
    r"^(?:(?:please|hey|hi|ok|so)[,!]?\s+|(?:can|could|would) you\s+(?:please\s+)?|help me\s+(?:to\s+)?|"
    r"i(?:'d| would) like to\s+|i (?:want|need|have|am trying|'m trying) to\s+|let'?s\s+)*"
    r"(?:build|create|implement|write|make|design|develop|code|generate|prototype|derive|calculate|"
    r"compute|explain|profile|optimi[sz]e|debug|fix|plan)\s+(?:me\s+)?",
    re.IGNORECASE,
)
_THEN = re.compile(rf",?\s+(?:and\s+)?then\s+(?=(?:{CODE_VERBS})\b)", re.IGNORECASE)  # "..., then implement X"
_CODE_OUTPUT = {
    TaskType.FAUST: ExpectedOutput.FAUST_CODE,
    TaskType.JUCE: ExpectedOutput.CPP_CODE,
    TaskType.FAUST_JUCE: ExpectedOutput.CPP_CODE,
    TaskType.CPP: ExpectedOutput.CPP_CODE,
    TaskType.PYTHON: ExpectedOutput.PYTHON_CODE,
    TaskType.MATH: ExpectedOutput.MATH,
    TaskType.PHYSICS: ExpectedOutput.MATH,
}
_PLATFORMS = {
    "mac_vst": "macOS AU and VST3 (FORMATS AU VST3, universal arm64;x86_64 binary, auval check)",
    "mac_au": "macOS Audio Unit (FORMATS AU, auval check)",
    "ios": "iOS AUv3 (FORMATS AUv3 with a standalone host app)",
    "windows_vst": "Windows VST3 (FORMATS VST3, MSVC, pluginval check)",
    "linux_vst": "Linux VST3 and LV2 (FORMATS VST3 LV2)",
}
_HINTS = {c.name: c.faust_hint for c in COMPONENTS}
_LOW_LATENCY = {"low_latency", "low latency", "realtime", "real_time", "real-time"}


def subject_of(query: str) -> str:
    """The thing asked about, in the user's words: the request verb and what is asked after a
    "then" dropped (each step says its own part), length bounded."""
    text = _THEN.split(_REQUEST_PREFIX.sub("", query, count=1), maxsplit=1)[0].rstrip(" ?.!") or query
    if len(text) > 1 and text[0].isupper() and text[1].islower():
        text = text[0].lower() + text[1:]  # "My plugin crashes" reads as "my plugin crashes" mid-sentence
    if len(text) > SUBJECT_CHARS:
        text = text[:SUBJECT_CHARS].rsplit(" ", 1)[0] + "…"
    return text


def _quote(query: str) -> str:
    return query if len(query) <= 600 else query[:600].rsplit(" ", 1)[0] + " …"


def _constraint_text(context: Mapping[str, Any]) -> str:
    notes = []
    wanted = context.get("performance_requirements")
    wanted = wanted if isinstance(wanted, list) else [wanted] if wanted else []
    for value in wanted:
        if str(value).lower() in _LOW_LATENCY:
            notes.append("low latency: real-time audio thread with no allocation, no locks, no I/O, "
                         "bounded work per buffer, latency reported to the host")
        else:
            notes.append(f"performance requirement: {value}")
    if platform := context.get("target_platform"):
        notes.append(f"target {_PLATFORMS.get(str(platform), str(platform))}")
    if project := context.get("project_type"):
        notes.append(f"project type {project}")
    return f" Constraints: {'; '.join(notes)}." if notes else ""


def _with_context_steps(steps: list[PlanStep], context: Mapping[str, Any]) -> list[PlanStep]:
    wanted = context.get("performance_requirements")
    wanted = wanted if isinstance(wanted, list) else [wanted] if wanted else []
    extra = []
    if any(str(v).lower() in _LOW_LATENCY for v in wanted) and not {PlanStep.OPTIMIZATION, PlanStep.PROFILE} & set(steps):
        extra.append(PlanStep.OPTIMIZATION)
    if context.get("target_platform") and PlanStep.BUILD_CONFIGURATION not in steps:
        extra.append(PlanStep.BUILD_CONFIGURATION)
    return steps + extra


def _resolve(step: PlanStep, present: set[PlanStep], seen: frozenset[PlanStep] = frozenset()) -> set[PlanStep]:
    """The prerequisites of `step` present in the plan, looking through absent ones."""
    found: set[PlanStep] = set()
    for before in SPECS[step].after:
        if before in seen:
            continue
        found |= {before} if before in present else _resolve(before, present, seen | {step})
    return found


def _in_dependency_order(steps: list[PlanStep], prerequisites_of: dict[PlanStep, set[PlanStep]]) -> list[PlanStep]:
    """Steps with every prerequisite first, otherwise in the analyzer's order."""
    sorter = TopologicalSorter({step: prerequisites_of[step] for step in steps})
    sorter.prepare()
    ordered: list[PlanStep] = []
    while sorter.is_active():
        ready = sorted(sorter.get_ready(), key=steps.index)
        ordered += ready
        sorter.done(*ready)
    return ordered


def _without_implied(dependencies: list[str], ancestors: dict[str, set[str]]) -> list[str]:
    """Drop a dependency another dependency already waits for (a transitive edge)."""
    return [d for d in dependencies if not any(d in ancestors[other] for other in dependencies if other != d)]


def code_domain(domains: list[TaskType]) -> TaskType:
    """The domain a one-step answer is written in: the first that produces code or maths."""
    for domain in domains:
        if domain in _CODE_OUTPUT:
            return domain
    return domains[0]


def _modules(step: PlanStep, components: list[str]) -> list[str | None]:
    if not SPECS[step].per_component:
        return [None]
    dsp = [c for c in components if c in DSP_COMPONENTS]
    return list(dsp[:MAX_COMPONENT_MODULES]) or [None]


def build_plan(query: str, analysis: QueryAnalysis, context: Mapping[str, Any], settings: Settings) -> TaskDecomposition:
    """The validated plan for `query` (already normalized) under `analysis`."""
    components = named_and_implied(query[:SCAN_CHARS])
    modules = extract_features(query, context).asked_components  # only what the code is asked for
    steps = [s for s in dict.fromkeys(analysis.steps) if s is not PlanStep.ANSWER] if analysis.decompose else []
    steps = _with_context_steps(steps, context) if steps else [PlanStep.ANSWER]
    subject = subject_of(query)
    fill = {
        "subject": subject,
        "query": _quote(query),
        "components": ", ".join(c for c in components if c != "GUI") or "its parts",
        "target": str(context.get("target_platform", "")),
        "constraints": _constraint_text(context),
        "platform": _PLATFORMS.get(str(context.get("target_platform")), str(context.get("target_platform", ""))),
    }
    answer_domain = code_domain(analysis.domains)
    present = set(steps)
    prerequisites_of = {step: _resolve(step, present) for step in steps}
    ids: dict[PlanStep, list[str]] = {}
    ancestors: dict[str, set[str]] = {}
    subtasks: list[Subtask] = []
    for step in _in_dependency_order(steps, prerequisites_of):
        spec = SPECS[step]
        task_type = spec.task_type or answer_domain
        role = spec.role or analysis.primary_role
        dependencies = _without_implied([d for before in steps if before in prerequisites_of[step]
                                         for d in ids[before]], ancestors)
        for component in _modules(step, modules):
            sid = step.value if component is None else f"{step.value}.{component.replace(' ', '_').lower()}"
            words = {**fill, "component": component or "DSP", "hint": _HINTS.get(component or "", "") or "stdfaust.lib"}
            subtasks.append(Subtask(
                id=sid,
                title=spec.title.format(**words)[:200],
                description=spec.description.format(**words)[:4000],
                task_type=task_type,
                role=role,
                model_preference=settings.model_for(role).display_name,
                dependencies=dependencies,
                expected_output=spec.output or _CODE_OUTPUT.get(task_type, ExpectedOutput.TEXT),
                context_requirements=list(spec.docs or DOMAIN_DOCS[task_type]),
                step=step,
            ))
            ids.setdefault(step, []).append(sid)
            ancestors[sid] = set(dependencies).union(*(ancestors[d] for d in dependencies))
    validate_plan(subtasks)
    return TaskDecomposition(
        query=query,
        context=dict(context),
        complexity=analysis.complexity,
        domains=analysis.domains,
        primary_role=analysis.primary_role,
        strategy=_reconcile_strategy(analysis.strategy, subtasks),
        confidence=analysis.confidence,
        method=analysis.method,
        reasoning=analysis.reasoning,
        subtasks=subtasks,
        act_steps=analysis.act_steps,
        engine_version=ENGINE_VERSION,
    )


def _reconcile_strategy(strategy: Strategy, subtasks: list[Subtask]) -> Strategy:
    """Hierarchical stays as the analysis said; otherwise the plan's shape decides:
    one subtask is direct, a phase of several is parallel, a chain is sequential."""
    if len(subtasks) == 1:
        return Strategy.DIRECT
    if strategy is Strategy.HIERARCHICAL:
        return strategy
    wide = any(len(phase) > 1 for phase in execution_phases(subtasks))
    return Strategy.PARALLEL if wide else Strategy.SEQUENTIAL
