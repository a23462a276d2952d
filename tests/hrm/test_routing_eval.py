"""`hrm-reason eval-routing`: three analyzers on the real-question corpus, with intervals."""

from __future__ import annotations

import json

import pytest

from workbench.cli import main
from workbench.domain import PlanStep, Role, TaskType
from workbench.hrm.evaluate import Guess, Target, analysis_guesser, rule_engine
from workbench.hrm.real_questions import load_real_questions
from workbench.hrm.recipe import EXTERNAL_SET
from workbench.hrm.routing_eval import (
    FIGURES, bootstrap_intervals, compare, format_comparison, meets_targets, project_set, real_example,
)


def _target(role: Role, split: bool) -> Target:
    return Target(frozenset({TaskType.FAUST}), role, (4, 4), split, None)


def test_intervals_resample_whole_threads_and_hold_the_estimate():
    targets = [_target(Role.CODER, i % 5 == 0) for i in range(60)]
    right = [Guess(frozenset({TaskType.FAUST}), Role.CODER, 4, t.decompose, None) for t in targets]
    assert bootstrap_intervals(right, targets, [f"t{i // 3}" for i in range(60)], resamples=50)["role_accuracy"] == (1, 1)
    # one thread of six questions all wrong: the interval is wide, and holds the point estimate 0.9
    half = [Guess(frozenset({TaskType.FAUST}), Role.REASONING if i < 6 else Role.CODER, 4, False, None)
            for i in range(60)]
    low, high = bootstrap_intervals(half, targets, ["bad"] * 6 + [f"t{i}" for i in range(54)],
                                    resamples=300)["role_accuracy"]
    assert low < 0.9 < high and high == 1.0
    assert meets_targets({"role_accuracy": 0.9, "decompose_f1": 0.5, "complexity_mae": 1.0, "wrongly_split": 0.0}) \
        == {"role_accuracy": True, "decompose_f1": False, "complexity_mae": True, "wrongly_split": True}


def test_a_real_question_becomes_a_training_example_with_the_rules_plan_steps():
    rows = load_real_questions("train")
    split = next(q for q in rows if q.decompose)
    direct = next(q for q in rows if not q.decompose)
    assert real_example(direct, lambda text: [PlanStep.FIX]).steps == (PlanStep.ANSWER,)
    example = real_example(split, lambda text: [PlanStep.SYSTEM_DESIGN, PlanStep.IMPLEMENTATION])
    assert example.steps == (PlanStep.SYSTEM_DESIGN, PlanStep.IMPLEMENTATION) and example.decompose
    assert example.group == f"real:{split.thread}" and example.role is split.role


def test_the_project_set_compares_like_the_real_one():
    labelled = project_set(EXTERNAL_SET)
    results = compare(labelled, {"rules": analysis_guesser(rule_engine())}, resamples=30)
    assert set(results["rules"]["figures"]) == set(FIGURES)
    assert "project set labelled_queries.jsonl: 72 questions" in format_comparison(labelled, results)


def test_eval_routing_prints_rules_tfidf_and_hrm_with_intervals(capsys):
    assert main(["eval-routing", "--split", "validation", "--json", "--resamples", "20"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["set"] == "real validation split" and report["questions"] >= 40
    assert set(report["analyzers"]) == {"rules", "tfidf+logreg", "hrm"}
    for result in report["analyzers"].values():
        low, high = result["intervals"]["role_accuracy"]
        assert low <= result["figures"]["role_accuracy"] <= high


@pytest.mark.parametrize("argv, message", [
    (["eval-routing", "--checkpoint", "/no/such.pt"], "no checkpoint at /no/such.pt"),
    (["eval-routing", "--resamples", "3"], "--resamples must be at least 10"),
])
def test_bad_eval_routing_arguments_are_usage_errors(argv, message, capsys):
    assert main(argv) == 2
    assert message in capsys.readouterr().err
