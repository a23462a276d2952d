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
    usage          coder (reasoning w/o code)  4            no*    "how do I set X", "what do I change",
                                                                  "how do I compute X" with a JUCE/C++ API
    artifact       coder                       4            no*    "write / add / implement X"
    diagnosis      reasoning                   5            no     a bug report: "why", "what could cause"
    decision       reasoning                   4            no*    "should I", "which", "how should I structure"
    derivation     math                        4            no*    a formula, coefficients, a mapping,
                                                                  "why / is it right" of a written formula
    system         coder                       7            yes    build across FAUST and JUCE

    + 1 for three or more questions in the ask, + 1 for three or more topics (not for a system)
    - 1 for a one-line question (15 words or fewer; not for a system)
    system: + 1 for scope words (complete, production), + 1 for three or more parts
    artifact or system: - 1 for simplicity words (basic, simple, minimal)
    + 2 for a split that is not a system (separate pieces of work: several components)

A diagnosis is answered in one go however long the report is; an artifact is one program in
one language however many features it lists. A system is something to build across two code
frameworks the question names by terms of their own (FAUST DSP in a JUCE plugin with its
GUI): its parts feed each other, so it is split. (*) The other kinds split only when the work
itself comes in pieces that feed each other (`split_reason`): a design and then the code
("design the architecture, then implement the voice class"; "how should it be structured and
implemented"), a decision and the code that follows it asked as two questions, or a new build
of several parts whose ask wants it planned as a whole ("I want X: a, b, c, d, e. How should
this be built?"). Two things to build side by side (an analyzer and a scope) do not feed each
other, and an ask for a design, a starting point or a plan alone is answered by that design.

A split plan has only the parts the question asks for: a design step when it asks for a
design (or spans two frameworks), then the code it names, read after its "then" (a GUI step
only for a GUI, a parameters step only for parameters, presets or state, an optimization only
when speed is asked about). Forcing a split (`split_steps`) gives every kind its own plan
skeleton (reproduce → hypotheses → verify → fix for a diagnosis, a design and its code for a
build, ...).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from enum import Enum
from typing import Any

from workbench.decompose.features import QueryFeatures, extract_features
from workbench.decompose.lexicon import DSP_COMPONENTS, STATE_TERMS, TEST_TERMS, word_pattern
from workbench.domain import Method, PlanStep, QueryAnalysis, Role, Strategy, TaskType

TOPIC_DOMAINS = (TaskType.FAUST, TaskType.JUCE, TaskType.CPP, TaskType.PYTHON, TaskType.MATH, TaskType.PHYSICS)
CODE_DOMAINS = (TaskType.FAUST, TaskType.JUCE, TaskType.CPP, TaskType.PYTHON)
INVESTIGATIONS = (TaskType.DEBUGGING, TaskType.PERFORMANCE, TaskType.ARCHITECTURE, TaskType.PLANNING)
MIN_DOMAIN_SCORE = 2
MIN_SHARE_OF_TOP = 0.25
SHORT_WORDS = 15
MIN_PLANNED_PARTS = 5
SPLIT_POINTS = 2
SPEED_ASKED = 3  # a performance term that says it alone (optimize, CPU usage, too slow), not a latency to report
_STATE = word_pattern(STATE_TERMS)
_TESTS = word_pattern(TEST_TERMS)


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
    "faust"), not only by words any of them shares (a slider, a GUI, a reverb). C++ and Python
    do not count next to another one: FAUST and JUCE questions name C++ as what they compile
    to, and Python as the binding a C++ engine is driven from (glue, not a second system)."""
    named = [d for d in domains if d in CODE_DOMAINS and features.strongest_term.get(d, 0) >= 3]
    return [d for d in named if d not in (TaskType.CPP, TaskType.PYTHON) or len(named) == 1]


def asks_maths(features: QueryFeatures, domains: list[TaskType]) -> bool:
    """Whether the ask wants maths: a formula, or a computation that is not the code of a JUCE or
    C++ API the question names ("how do I compute the per-block sample positions" for a
    MidiMessageCollector wants the code that computes them)."""
    api = set(named_frameworks(features, domains)) & {TaskType.JUCE, TaskType.CPP}
    return features.ask_math and not (features.ask_computation_only and api)


def kind_of_work(features: QueryFeatures, domains: list[TaskType]) -> Work:
    """What the question's ask wants done; the body only names where (domains, parts).

    A question with no recognisable ask is most often a report that wants a diagnosis (or
    a judgement); an imperative ("Write a chorus in C ...") is something to build."""
    has = set(domains)
    maths = bool(has & {TaskType.MATH, TaskType.PHYSICS})
    debugging = TaskType.DEBUGGING in has
    ask_maths = asks_maths(features, domains)
    if maths and ask_maths:
        return Work.DERIVATION
    if features.ask_reasoning and features.formula and not debugging:
        return Work.DERIVATION  # "why do they use left = sqrt(1-p)", "is delay * (1 - g*g) correct"
    if features.ask_reasoning or (debugging and features.ask_generic_fix):
        return Work.DIAGNOSIS if debugging else Work.DECISION
    stated = (features.build_intent or features.goal) and not features.asks  # "Write X", "I want X: ..."
    if features.ask_coder or features.ask_build or stated:
        building = features.ask_build or stated
        reported = debugging and not stated  # error words in a request that asks nothing name features, not a bug
        if building and not reported and not features.how_to and len(named_frameworks(features, domains)) >= 2:
            return Work.SYSTEM
        if not building and ask_maths:
            return Work.DERIVATION  # "how should the pole be computed": the formula is the answer
        return Work.ARTIFACT if building else Work.USAGE
    if debugging:
        return Work.DIAGNOSIS
    if ask_maths or (maths and (features.math_intent or domains[0] in (TaskType.MATH, TaskType.PHYSICS))):
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


def score_complexity(features: QueryFeatures, domains: list[TaskType], work: Work,
                     split: bool) -> tuple[int, list[str]]:
    """Complexity 1-10 from the kind of work and what makes that work bigger, for the trace;
    pieces of work that feed each other (`split`) are several components (LABELLING.md: 6-7)."""
    points: list[tuple[str, int]] = [(work.value, BASE_COMPLEXITY[work])]
    if split and work is not Work.SYSTEM:
        points.append(("pieces of work that feed each other", SPLIT_POINTS))
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


def split_reason(features: QueryFeatures, work: Work) -> str | None:
    """Why the question needs separate pieces of work that feed each other, or None.

    A system across two frameworks; a design and the code that follows it, or one piece of
    code and the next, asked in sequence; a decision and its code asked as two questions; a new
    build with several parts whose ask wants it planned as a whole. A diagnosis is one answer
    however long the report (the fix follows from it), and so are a formula and a list of
    features of one artifact."""
    planned = features.goal and features.ask_whole_build and features.goal_items >= MIN_PLANNED_PARTS
    if work is Work.SYSTEM:
        return "a system across frameworks"
    if work is Work.DIAGNOSIS and not planned:
        return None
    if features.sequenced:
        return f"work in sequence ({features.sequenced!r})"
    if features.decision_then_code:
        return "a decision and the code that follows it"
    if planned and work is not Work.DERIVATION:
        return f"a new build of {features.goal_items} parts to plan as a whole"
    return None


def choose_strategy(features: QueryFeatures, complexity: int, decompose: bool) -> Strategy:
    if not decompose:
        return Strategy.DIRECT
    if complexity >= 8:
        return Strategy.HIERARCHICAL
    if len(features.all_components) >= 2:
        return Strategy.PARALLEL  # one module per component, side by side
    return Strategy.SEQUENTIAL


def asks_for_pieces(features: QueryFeatures, work: Work) -> bool:
    """Whether the question itself names pieces of work ending in code (a system, a design and
    then its code, a decision and its code, a build to plan)."""
    return (work is Work.SYSTEM or bool(features.sequenced) or features.decision_then_code
            or (features.goal and features.ask_whole_build))


def select_steps(features: QueryFeatures, domains: list[TaskType], work: Work, decompose: bool) -> list[PlanStep]:
    """The plan skeleton: which families of steps this question needs.

    A build gets a design step only when it asks for one (or spans two frameworks, whose
    interface is a design the code follows) and then only the parts it names: a GUI, its
    parameters and state, DSP, tests or an optimization nobody asked for are left out. A
    diagnosis, a performance hunt or a decision gets its own investigation skeleton."""
    if not decompose:
        return [PlanStep.ANSWER]
    if asks_for_pieces(features, work):
        return _build_steps(features, domains, work)
    has = set(domains)
    top_topic = _score_of(features, TOPIC_DOMAINS)
    leads = {d for d in INVESTIGATIONS if d in has and (not features.build_intent or features.domain_scores[d] >= top_topic)}
    if TaskType.DEBUGGING in leads:
        return [PlanStep.REPRODUCE, PlanStep.HYPOTHESES, PlanStep.VERIFY, PlanStep.FIX]
    if TaskType.PERFORMANCE in leads:
        return [PlanStep.PROFILE, PlanStep.BOTTLENECKS, PlanStep.CHANGES, PlanStep.MEASURE]
    if work is Work.ARTIFACT or (work is Work.USAGE and _score_of(features, CODE_DOMAINS)):
        return _build_steps(features, domains, work)
    if work is Work.DERIVATION or (has & {TaskType.MATH, TaskType.PHYSICS} and work is not Work.DECISION):
        return [PlanStep.MODEL_FORMULATION, PlanStep.DERIVATION, PlanStep.NUMERICAL_CHECK]
    return [PlanStep.CONSTRAINTS, PlanStep.OPTIONS, PlanStep.TRADE_OFFS, PlanStep.RECOMMENDATION]


def _build_steps(features: QueryFeatures, domains: list[TaskType], work: Work) -> list[PlanStep]:
    """A design step when the question asks for one, then the code it asks for; a split of a
    single piece of code (one the user asked for) designs it first, so it has two pieces."""
    code = _code_steps(features, domains)
    asks_design = (work in (Work.DECISION, Work.DERIVATION, Work.SYSTEM) or features.decision_then_code
                   or features.ask_whole_build or bool(features.sequenced and features.code_part != features.ask))
    return (_design_step(features, domains, work) if asks_design or len(code) < 2 else []) + code


def _design_step(features: QueryFeatures, domains: list[TaskType], work: Work) -> list[PlanStep]:
    """The one design step of a build: the maths, the FAUST/JUCE split, the plugin's
    architecture, the DSP algorithm or the design of whatever else it builds."""
    has = set(domains)
    if work is Work.DERIVATION or (features.ask_math and has & {TaskType.MATH, TaskType.PHYSICS}):
        return [PlanStep.DERIVATION]
    code = [d for d in domains if d in CODE_DOMAINS]
    if {TaskType.FAUST, TaskType.JUCE} <= has:
        return [PlanStep.SYSTEM_DESIGN]
    if code and code[0] is TaskType.JUCE:
        return [PlanStep.PLUGIN_ARCHITECTURE]
    if code and code[0] is TaskType.FAUST:
        return [PlanStep.ALGORITHM_DESIGN]
    return [PlanStep.SYSTEM_DESIGN]


def _code_steps(features: QueryFeatures, domains: list[TaskType]) -> list[PlanStep]:
    """The code a build asks for, read in the part of the question that asks for it."""
    has = set(domains)
    asked, parts = features.code_part, features.asked_components
    dsp = [c for c in parts if c in DSP_COMPONENTS]
    gui = "GUI" in parts
    state = bool(_STATE.search(asked)) or "preset manager" in parts
    code = [d for d in domains if d in CODE_DOMAINS]
    steps: list[PlanStep] = []
    if {TaskType.FAUST, TaskType.JUCE} <= has:
        steps += [PlanStep.FAUST_DSP] + [PlanStep.GUI] * gui + [PlanStep.PARAMETERS] * state
        steps.append(PlanStep.JUCE_INTEGRATION)
    elif code and code[0] is TaskType.JUCE:
        parts_asked = [PlanStep.PARAMETERS] * state + [PlanStep.AUDIO_PROCESSING] * bool(dsp) + [PlanStep.GUI] * gui
        if len(parts_asked) >= 2:
            parts_asked.append(PlanStep.INTEGRATION)  # two parts of one plugin are wired together
        steps += parts_asked or [PlanStep.IMPLEMENTATION]
    elif code and code[0] is TaskType.FAUST:
        steps += [PlanStep.FAUST_IMPLEMENTATION] + [PlanStep.FAUST_TESTING] * bool(_TESTS.search(asked))
    else:
        steps += [PlanStep.IMPLEMENTATION] + [PlanStep.TESTING] * bool(_TESTS.search(asked))
    if features.domain_scores.get(TaskType.PERFORMANCE, 0) >= SPEED_ASKED:
        steps.append(PlanStep.OPTIMIZATION)
    return steps


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
    reason = split_reason(features, work)
    decompose = reason is not None
    complexity, complexity_trace = score_complexity(features, domains, work, decompose)
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
        f"split: {reason}" if reason else "answered directly",
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
        steps=select_steps(features, domains, work, decompose),
        method=Method.RULES,
        reasoning=trace,
    )


def split_steps(text: str, context: Mapping[str, Any]) -> list[PlanStep]:
    """The steps the rules would plan for `text` if it were split: for a user who asked to
    split a question the router answers directly, and as the plan-step label of a real
    question its labeller split."""
    features = extract_features(text, context)
    domains = select_domains(features)
    return select_steps(features, domains, kind_of_work(features, domains), True)


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
