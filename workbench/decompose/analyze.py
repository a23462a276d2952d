"""The rule-based analyzer: domains, complexity, role, strategy and plan steps of a question.

Every decision cites the features it came from (the `reasoning` trace), and the
confidence is derived from how much evidence there was and how clearly one domain won,
so an ambiguous question gets a low confidence the executor can act on (e.g. by asking
the LLM planner).

The decisions follow what the work is (`../shared/LABELLING.md`), not how many keywords or
words the question has, and were calibrated on the train split of the real-question corpus
(`data/real_questions/`; validation split to choose, test split never looked at). The kind of
work is read from the question's ask (its sentences with a question mark, else the last one),
where the body only says where (domains, parts):

    kind of work   role                        complexity   split
    usage          coder (reasoning w/o code)  4            no     "how do I set X", "what do I change"
    artifact       coder                       4            no     "write / add / implement X"
    diagnosis      reasoning                   5            no     a bug report: "why", "what could cause"
    decision       reasoning                   4            no     "should I", "which", "how should I structure"
    derivation     math                        4            no     a formula, coefficients, a mapping
    system         coder                       7            yes    build across FAUST and JUCE

    + 1 for three or more questions in the ask, + 1 for three or more topics (not for a system)
    - 1 for a one-line question (15 words or fewer; not for a system)
    system: + 1 for scope words (complete, production), + 1 for three or more parts
    artifact or system: - 1 for simplicity words (basic, simple, minimal)

A diagnosis is answered in one go however long the report is; an artifact is one program in
one language however many features it lists. A system is something to build across two code
frameworks the question names by terms of their own (FAUST DSP in a JUCE plugin with its
GUI): its parts feed each other, so it is split. Forcing a split (`split_steps`) gives every
kind its own plan skeleton (reproduce → hypotheses → verify → fix for a diagnosis, ...).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from enum import Enum
from typing import Any

from workbench.decompose.features import QueryFeatures, extract_features
from workbench.domain import Method, PlanStep, QueryAnalysis, Role, Strategy, TaskType

TOPIC_DOMAINS = (TaskType.FAUST, TaskType.JUCE, TaskType.CPP, TaskType.PYTHON, TaskType.MATH, TaskType.PHYSICS)
CODE_DOMAINS = (TaskType.FAUST, TaskType.JUCE, TaskType.CPP, TaskType.PYTHON)
INVESTIGATIONS = (TaskType.DEBUGGING, TaskType.PERFORMANCE, TaskType.ARCHITECTURE, TaskType.PLANNING)
MIN_DOMAIN_SCORE = 2
MIN_SHARE_OF_TOP = 0.25
SHORT_WORDS = 15


class Work(str, Enum):
    """What answering the question takes; it decides role, complexity and splitting."""

    USAGE = "usage"  # one fact, one call, one setting, how to use an API
    ARTIFACT = "artifact"  # one program, class or fix in one language
    DIAGNOSIS = "diagnosis"  # why does it crash / click / fail
    DECISION = "decision"  # how to structure it, which is better, trade-offs
    DERIVATION = "derivation"  # a formula, coefficients, a mapping
    SYSTEM = "system"  # parts in more than one code framework, wired together


def select_domains(features: QueryFeatures) -> list[TaskType]:
    """Domains with real evidence (a strong term or two weak ones), strongest first.

    A topic (FAUST, JUCE, C++, ...) must also reach a quarter of the strongest topic; an
    intent (debugging, performance, ...) only needs its own evidence, since a long FAUST
    question is no less a bug report for naming many FAUST functions. A code framework also
    needs one term of its own: sliders and a GUI alone do not make a FAUST synth a JUCE one.
    """
    scores = features.domain_scores
    top = max((s for d, s in scores.items() if d in TOPIC_DOMAINS), default=0)
    chosen = [
        d for d, s in scores.items()
        if s >= MIN_DOMAIN_SCORE and (d not in TOPIC_DOMAINS or s >= MIN_SHARE_OF_TOP * top)
        and (d not in CODE_DOMAINS or d not in features.strongest_term or features.strongest_term[d] >= 2)
    ]
    chosen.sort(key=lambda d: -scores[d])
    return chosen or [TaskType.GENERAL]


def _score_of(features: QueryFeatures, domains: tuple[TaskType, ...]) -> int:
    return max((features.domain_scores.get(d, 0) for d in domains), default=0)


def named_frameworks(features: QueryFeatures, domains: list[TaskType]) -> list[TaskType]:
    """Code frameworks the question names by a term of their own ("JUCE", "processBlock",
    "faust"), not only by words any of them shares (a slider, a GUI, a reverb). C++ does not
    count next to another one: FAUST and JUCE questions name C++ as what they compile to."""
    named = [d for d in domains if d in CODE_DOMAINS and features.strongest_term.get(d, 0) >= 3]
    return [d for d in named if d is not TaskType.CPP or len(named) == 1]


def kind_of_work(features: QueryFeatures, domains: list[TaskType]) -> Work:
    """What the question's ask wants done; the body only names where (domains, parts).

    A question with no recognisable ask is most often a report that wants a diagnosis (or
    a judgement); an imperative ("Write a chorus in C ...") is something to build."""
    has = set(domains)
    maths = bool(has & {TaskType.MATH, TaskType.PHYSICS})
    debugging = TaskType.DEBUGGING in has
    if maths and features.ask_math:
        return Work.DERIVATION
    if features.ask_reasoning or (debugging and features.ask_generic_fix):
        return Work.DIAGNOSIS if debugging else Work.DECISION
    if features.ask_coder or features.ask_build or (features.build_intent and not features.asks):
        building = features.ask_build or (features.build_intent and not features.asks)
        if building and not debugging and not features.how_to and len(named_frameworks(features, domains)) >= 2:
            return Work.SYSTEM
        return Work.ARTIFACT if building else Work.USAGE
    if debugging:
        return Work.DIAGNOSIS
    if maths and (features.math_intent or domains[0] in (TaskType.MATH, TaskType.PHYSICS)):
        return Work.DERIVATION
    return Work.DECISION if features.asks else Work.USAGE


def choose_role(features: QueryFeatures, domains: list[TaskType], work: Work) -> Role:
    """Math for derivations, reasoning for diagnosis and decisions, coder for code."""
    if work is Work.DERIVATION:
        return Role.MATH
    if work in (Work.DIAGNOSIS, Work.DECISION):
        return Role.REASONING
    if work is Work.USAGE and not _score_of(features, CODE_DOMAINS):
        return Role.REASONING
    return Role.CODER


BASE_COMPLEXITY = {Work.USAGE: 4, Work.ARTIFACT: 4, Work.DIAGNOSIS: 5, Work.DECISION: 4, Work.DERIVATION: 4,
                   Work.SYSTEM: 7}


def score_complexity(features: QueryFeatures, domains: list[TaskType], work: Work) -> tuple[int, list[str]]:
    """Complexity 1-10 from the kind of work and what makes that work bigger, for the trace."""
    points: list[tuple[str, int]] = [(work.value, BASE_COMPLEXITY[work])]
    topics = [d for d in domains if d in TOPIC_DOMAINS]
    if work is Work.SYSTEM:
        if features.scope >= 2:
            points.append(("scope words", 1))
        if features.parts >= 3:
            points.append((f"{features.parts} parts asked for", 1))
    else:
        if features.words <= SHORT_WORDS:
            points.append(("a one-line question", -1))
        if features.questions_asked >= 3:
            points.append((f"{features.questions_asked} questions asked", 1))
        if len(topics) >= 3:
            points.append((f"{len(topics)} topics", 1))
    if features.simple and work in (Work.ARTIFACT, Work.SYSTEM):
        points.append(("simplicity words", -1))
    total = max(1, min(10, sum(p for _, p in points)))
    trace = ", ".join(f"{p:+d} ({why})" for why, p in points[1:])
    return total, [f"complexity {total}: {points[0][1]} for {work.value}" + (f", {trace}" if trace else "")]


def should_decompose(work: Work) -> bool:
    """Split only a system: pieces of work in different frameworks that feed each other."""
    return work is Work.SYSTEM


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
    work = kind_of_work(features, domains)
    complexity, complexity_trace = score_complexity(features, domains, work)
    decompose = should_decompose(work)
    strategy = choose_strategy(features, complexity, decompose)
    role = choose_role(features, domains, work)
    hits = "; ".join(
        f"{d.value} {features.domain_scores[d]} ({', '.join(features.domain_hits[d][:4])})"
        for d in domains if d in features.domain_scores
    )
    trace = [
        f"domains: {hits or 'no domain vocabulary found'}",
        f"components: {', '.join(features.all_components) or 'none named'}",
        f"work: {work.value}" + (f" across {', '.join(d.value for d in named_frameworks(features, domains))}"
                                 if work is Work.SYSTEM else ""),
        *complexity_trace,
        f"role {role.value}",
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


def split_steps(text: str, context: Mapping[str, Any]) -> list[PlanStep]:
    """The steps the rules would plan for `text` if it were split: for a user who asked to
    split a question the router answers directly, and as the plan-step label of a real
    question its labeller split."""
    features = extract_features(text, context)
    return select_steps(features, select_domains(features), True)


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
