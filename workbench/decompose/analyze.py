"""The rule-based analyzer: domains, complexity, role, strategy and plan steps of a question.

Every decision cites the features it came from (the `reasoning` trace), and the
confidence is derived from how much evidence there was and how clearly one domain won,
so an ambiguous question gets a low confidence the executor can act on (e.g. by asking
the LLM planner). Complexity, 1-10, adds documented points:

    1 base
    + 1 per part asked for beyond the first (max 4)       oscillator, filter, GUI, or a list
    + 2 when two code domains meet (FAUST and JUCE), + 1 per other extra topic domain (max 2)
    + scope words (max 3)                                  complete, production, engine
    + 1 per constraint (max 2)                             low latency, lock-free, SIMD
    + 1 when something is to be built                      build, implement, write (not "should I write")
    + 1 for an investigation (debugging, performance, architecture) of 25+ words
    + 1 over 40 words, + 2 over 80 words
    - 2 for simplicity words                               basic, simple, minimal

Bands as the seed: 1-3 direct; 4-5 decompose only with several components, several code
domains or an investigation; 6-7 decompose; 8-10 hierarchical.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from workbench.decompose.features import QueryFeatures, extract_features
from workbench.domain import Method, PlanStep, QueryAnalysis, Role, Strategy, TaskType

TOPIC_DOMAINS = (TaskType.FAUST, TaskType.JUCE, TaskType.CPP, TaskType.PYTHON, TaskType.MATH, TaskType.PHYSICS)
CODE_DOMAINS = (TaskType.FAUST, TaskType.JUCE, TaskType.CPP, TaskType.PYTHON)
INVESTIGATIONS = (TaskType.DEBUGGING, TaskType.PERFORMANCE, TaskType.ARCHITECTURE, TaskType.PLANNING)
MIN_DOMAIN_SCORE = 2
MIN_SHARE_OF_TOP = 0.25


def select_domains(features: QueryFeatures) -> list[TaskType]:
    """Domains with real evidence (a strong term or two weak ones), strongest first.

    A topic (FAUST, JUCE, C++, ...) must also reach a quarter of the strongest topic; an
    intent (debugging, performance, ...) only needs its own evidence, since a long FAUST
    question is no less a bug report for naming many FAUST functions.
    """
    scores = features.domain_scores
    top = max((s for d, s in scores.items() if d in TOPIC_DOMAINS), default=0)
    chosen = [
        d for d, s in scores.items()
        if s >= MIN_DOMAIN_SCORE and (d not in TOPIC_DOMAINS or s >= MIN_SHARE_OF_TOP * top)
    ]
    chosen.sort(key=lambda d: -scores[d])
    return chosen or [TaskType.GENERAL]


def _score_of(features: QueryFeatures, domains: tuple[TaskType, ...]) -> int:
    return max((features.domain_scores.get(d, 0) for d in domains), default=0)


def choose_role(features: QueryFeatures, domains: list[TaskType]) -> Role:
    """Math for derivations, reasoning for diagnosis/design/decisions/explanations, coder for code."""
    top = domains[0]
    code = _score_of(features, CODE_DOMAINS)
    has_maths = any(d in domains for d in (TaskType.MATH, TaskType.PHYSICS))
    if has_maths and (features.math_intent or (top in (TaskType.MATH, TaskType.PHYSICS) and not features.build_intent)):
        return Role.MATH
    if TaskType.DEBUGGING in domains or features.decision:
        return Role.REASONING
    if any(d in domains for d in (TaskType.ARCHITECTURE, TaskType.PLANNING)) and not features.build_intent:
        return Role.REASONING
    if features.explain_intent and not features.build_intent and not features.how_to:
        return Role.REASONING
    if top is TaskType.PERFORMANCE:
        return Role.CODER if features.build_intent or code else Role.REASONING
    return Role.CODER if code else Role.REASONING


def score_complexity(features: QueryFeatures, domains: list[TaskType]) -> tuple[int, list[str]]:
    """Complexity 1-10 and the points that made it, for the reasoning trace."""
    points: list[tuple[str, int]] = [("base", 1)]
    if features.parts > 1:
        points.append((f"{features.parts} parts asked for", min(4, features.parts - 1)))
    topics = [d for d in domains if d in TOPIC_DOMAINS]
    code_domains = [d for d in topics if d in CODE_DOMAINS]
    if len(code_domains) >= 2:
        points.append((f"{' and '.join(d.value for d in code_domains)} together", 2))
        extra = len(topics) - 2
    else:
        extra = len(topics) - 1
    if extra > 0:
        points.append((f"{extra} more topic domain(s)", min(2, extra)))
    if features.scope and features.build_intent:
        points.append(("scope words", min(3, features.scope)))
    constraints = features.constraints + features.context_constraints
    if constraints:
        points.append((f"constraints ({', '.join(dict.fromkeys(constraints))})", min(2, len(constraints))))
    if features.build_intent and not features.decision:
        points.append(("something to build", 1))
    if any(d in INVESTIGATIONS for d in domains) and features.words >= 25:
        points.append(("an investigation", 1))
    if features.words > 40:
        points.append((f"{features.words} words", 2 if features.words > 80 else 1))
    if features.simple:
        points.append(("simplicity words", -2))
    total = max(1, min(10, sum(p for _, p in points)))
    trace = ", ".join(f"{p:+d} ({why})" for why, p in points[1:])
    return total, [f"complexity {total}: 1 base" + (f", {trace}" if trace else "")]


def should_decompose(features: QueryFeatures, domains: list[TaskType], complexity: int) -> bool:
    if complexity >= 6:
        return True
    if complexity <= 3:
        return False
    code_domains = [d for d in domains if d in CODE_DOMAINS]
    several_code_domains = len(code_domains) >= 2 or (
        bool(code_domains) and any(d in domains for d in (TaskType.MATH, TaskType.PHYSICS))
    )
    investigation = any(d in INVESTIGATIONS for d in domains) and features.words >= 25
    return features.parts >= 2 or several_code_domains or investigation


def choose_strategy(features: QueryFeatures, complexity: int, decompose: bool) -> Strategy:
    if not decompose:
        return Strategy.DIRECT
    if complexity >= 8:
        return Strategy.HIERARCHICAL
    if len(features.all_components) >= 2:
        return Strategy.PARALLEL  # one module per component, side by side
    return Strategy.SEQUENTIAL


def select_steps(features: QueryFeatures, domains: list[TaskType], decompose: bool) -> list[PlanStep]:
    """The plan skeleton: which families of steps this question needs."""
    if not decompose:
        return [PlanStep.ANSWER]
    has = set(domains)
    top_topic = _score_of(features, TOPIC_DOMAINS)
    leads = {d for d in INVESTIGATIONS if d in has and (not features.build_intent or features.domain_scores[d] >= top_topic)}
    if TaskType.DEBUGGING in leads:
        return [PlanStep.REPRODUCE, PlanStep.HYPOTHESES, PlanStep.VERIFY, PlanStep.FIX]
    if TaskType.PERFORMANCE in leads:
        return [PlanStep.PROFILE, PlanStep.BOTTLENECKS, PlanStep.CHANGES, PlanStep.MEASURE]
    if has & {TaskType.ARCHITECTURE, TaskType.PLANNING} and not features.build_intent:
        return [PlanStep.CONSTRAINTS, PlanStep.OPTIONS, PlanStep.TRADE_OFFS, PlanStep.RECOMMENDATION]
    steps: list[PlanStep] = []
    if has & {TaskType.MATH, TaskType.PHYSICS}:
        steps += [PlanStep.MODEL_FORMULATION, PlanStep.DERIVATION, PlanStep.NUMERICAL_CHECK]
    code = [d for d in domains if d in CODE_DOMAINS]  # strongest first
    if TaskType.FAUST in has and TaskType.JUCE in has:
        steps += [PlanStep.SYSTEM_DESIGN, PlanStep.FAUST_DSP]
        if "GUI" in features.all_components or features.domain_scores.get(TaskType.JUCE, 0) >= 3:
            steps.append(PlanStep.GUI)
        steps += [PlanStep.JUCE_INTEGRATION, PlanStep.OPTIMIZATION]
    elif code and code[0] is TaskType.JUCE:
        steps += [PlanStep.PLUGIN_ARCHITECTURE, PlanStep.PARAMETERS, PlanStep.AUDIO_PROCESSING,
                  PlanStep.GUI, PlanStep.INTEGRATION]
    elif code and code[0] is TaskType.FAUST:
        steps += [PlanStep.ALGORITHM_DESIGN, PlanStep.FAUST_IMPLEMENTATION, PlanStep.FAUST_TESTING]
    elif has & {TaskType.CPP, TaskType.PYTHON} or (not steps and features.build_intent):
        steps += [PlanStep.SYSTEM_DESIGN, PlanStep.IMPLEMENTATION, PlanStep.TESTING]
    if steps and TaskType.PERFORMANCE in has and PlanStep.OPTIMIZATION not in steps:
        steps.append(PlanStep.OPTIMIZATION)
    return steps or [PlanStep.CONSTRAINTS, PlanStep.OPTIONS, PlanStep.TRADE_OFFS, PlanStep.RECOMMENDATION]


def confidence_from(features: QueryFeatures, domains: list[TaskType]) -> float:
    """More evidence and a clearer winner give more confidence; nothing recognised gives little."""
    scores = sorted(features.domain_scores.values(), reverse=True)
    if not scores:
        return 0.15
    top, second = scores[0], (scores[1] if len(scores) > 1 else 0)
    strength = 1 - math.exp(-sum(scores) / 5)
    margin = (top - second) / top
    intent = 0.05 if features.build_intent or features.explain_intent or features.how_to else 0.0
    return round(max(0.05, min(0.98, 0.15 + 0.5 * strength + 0.25 * margin + intent)), 3)


def analyze_query(text: str, context: Mapping[str, Any]) -> QueryAnalysis:
    """The rule-based analysis of a normalized question (see the module docstring)."""
    features = extract_features(text, context)
    domains = select_domains(features)
    complexity, complexity_trace = score_complexity(features, domains)
    decompose = should_decompose(features, domains, complexity)
    strategy = choose_strategy(features, complexity, decompose)
    role = choose_role(features, domains)
    hits = "; ".join(
        f"{d.value} {features.domain_scores[d]} ({', '.join(features.domain_hits[d][:4])})"
        for d in domains if d in features.domain_scores
    )
    trace = [
        f"domains: {hits or 'no domain vocabulary found'}",
        f"components: {', '.join(features.all_components) or 'none named'}",
        *complexity_trace,
        f"role {role.value}: " + ("something to build" if features.build_intent else "no code requested"),
        f"strategy {strategy.value}",
    ]
    return QueryAnalysis(
        domains=domains,
        complexity=complexity,
        primary_role=role,
        strategy=strategy,
        confidence=confidence_from(features, domains),
        decompose=decompose,
        steps=select_steps(features, domains, decompose),
        method=Method.RULES,
        reasoning=trace,
    )


class RuleAnalyzer:
    """The analyzer that needs nothing but this module: always available, microseconds fast.

    `fallback_reason` records why a learned analyzer is not in use, for `status()`.
    """

    def __init__(self, fallback_reason: str | None = None) -> None:
        self.fallback_reason = fallback_reason

    def analyze(self, query: str, context: Mapping[str, Any]) -> QueryAnalysis:
        return analyze_query(query, context)

    def status(self) -> dict[str, Any]:
        return {
            "method": Method.RULES.value,
            "model_loaded": False,
            "checkpoint_hash": None,
            "fallback_reason": self.fallback_reason,
        }
