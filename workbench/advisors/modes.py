"""The advisor modes: command name, one-line help, the question's framing and the plan.

Kept apart from `assistants.py` (which pulls in the analyzer, numpy and the validator) so the
CLI can list the advisor commands with their help without importing any of that."""

from __future__ import annotations

from dataclasses import dataclass

from workbench.vocabulary import PlanStep


@dataclass(frozen=True)
class AdvisorMode:
    name: str
    command: str  # the `hrm-reason` subcommand
    summary: str  # one line: the CLI's help and the advisor's docstring
    title: str
    framing: str  # how the question is put to the decomposition engine
    steps: tuple[PlanStep, ...]  # the plan the mode expects, in order
    recommendation_steps: tuple[PlanStep, ...]  # whose output is the recommendation


ARCHITECTURE = AdvisorMode(
    "architecture", "architecture", "Constraints → options → trade-offs → recommendation.", "Architectural Advice",
    "{q} — give architecture advice for this audio project, working through the constraints, the options, "
    "their trade-offs and a recommendation, with reasons drawn from the measured analysis of the project.",
    (PlanStep.CONSTRAINTS, PlanStep.OPTIONS, PlanStep.TRADE_OFFS, PlanStep.RECOMMENDATION),
    (PlanStep.RECOMMENDATION,))
DEBUGGING = AdvisorMode(
    "debugging", "debug", "Reproduce → hypotheses → verify → fix.", "Debug Analysis",
    "{q} — debug this problem in the audio project step by step: reproduce it, list hypotheses about the cause, "
    "verify each one against the sources, and fix it, using the measured analysis of the project.",
    (PlanStep.REPRODUCE, PlanStep.HYPOTHESES, PlanStep.VERIFY, PlanStep.FIX),
    (PlanStep.FIX,))
PERFORMANCE = AdvisorMode(
    "performance", "optimize", "Profile → bottlenecks → changes → measure.", "Performance Optimization Recommendation",
    "{q} — optimize the performance of this audio project step by step: profile it, find the bottlenecks, "
    "propose improvements, and measure them, using the measured analysis of the project.",
    (PlanStep.PROFILE, PlanStep.BOTTLENECKS, PlanStep.CHANGES, PlanStep.MEASURE),
    (PlanStep.CHANGES, PlanStep.MEASURE))

MODES: dict[str, AdvisorMode] = {mode.command: mode for mode in (ARCHITECTURE, DEBUGGING, PERFORMANCE)}
