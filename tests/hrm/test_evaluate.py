"""The metrics and the baselines the HRM is measured against."""

from __future__ import annotations

import json

import pytest

from workbench.domain import Role, TaskType
from workbench.hrm.evaluate import (
    Guess, Target, TfidfBaseline, format_intervals, load_external, metrics, paired_bootstrap, rule_engine,
)


def _guess(domains, role, complexity, decompose):
    return Guess(frozenset(domains), role, complexity, decompose, None)


def test_metrics_on_a_hand_computed_case():
    targets = [
        Target(frozenset({TaskType.FAUST}), Role.CODER, (3, 3), False, None),
        Target(frozenset({TaskType.JUCE, TaskType.DEBUGGING}), Role.REASONING, (4, 6), True, None),
    ]
    guesses = [_guess({TaskType.FAUST, TaskType.MATH}, Role.CODER, 5, True),
               _guess({TaskType.JUCE}, Role.CODER, 6, True)]
    m = metrics(guesses, targets)
    assert m["role_accuracy"] == 0.5
    assert m["domain_f1"] == pytest.approx(2 * 2 / (2 * 2 + 1 + 1))  # tp 2, fp 1, fn 1
    assert m["decompose_f1"] == pytest.approx(2 / 3)  # tp 1, fp 1
    assert m["complexity_mae"] == 1.0  # 2 off the exact label, inside the band
    assert m["steps_f1"] is None


def test_tfidf_baseline_learns_the_training_split(corpus):
    baseline = TfidfBaseline(corpus["train"])
    train = corpus["train"][:200]
    m = metrics(baseline([e.query for e in train]), [Target.of(e) for e in train])
    assert m["role_accuracy"] > 0.9 and m["steps_f1"] > 0.8


def test_the_rule_engine_is_found():
    analyze = rule_engine()
    assert analyze is not None
    assert analyze("write a faust lowpass", {}).primary_role in Role


def test_external_labels_accept_bands_and_name_bad_lines(tmp_path):
    path = tmp_path / "labelled.jsonl"
    rows = [{"query": "q1", "domains": ["faust"], "role": "coder", "complexity_band": [4, 6], "decompose": True},
            {"query": "q2", "domains": ["math"], "role": "math", "complexity_band": "low", "decompose": False}]
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    queries, targets = load_external(path)
    assert queries == ["q1", "q2"] and targets[0].complexity == (4, 6) and targets[1].complexity == (1, 3)
    path.write_text(json.dumps({"query": "q", "domains": ["nope"], "role": "coder", "complexity_band": 3,
                                "decompose": True}) + "\n")
    with pytest.raises(ValueError, match="labelled.jsonl:1"):
        load_external(path)


def test_the_paired_bootstrap_separates_a_real_gain_and_not_a_tie():
    targets = [Target(frozenset({TaskType.FAUST}), Role.CODER, (3, 3), i % 2 == 0, None) for i in range(40)]
    right = [_guess({TaskType.FAUST}, Role.CODER, 3, t.decompose) for t in targets]
    # wrong role on every question of groups g0..g5 (half the groups), right elsewhere
    groups = [f"g{i % 12}" for i in range(40)]
    half_wrong = [_guess({TaskType.FAUST}, Role.REASONING if int(g[1:]) < 6 else Role.CODER, 3, t.decompose)
                  for g, t in zip(groups, targets)]
    gain = paired_bootstrap(right, half_wrong, targets, groups, resamples=300)
    assert gain["role_accuracy"][0] > 0  # the whole interval is a gain
    assert gain["domain_f1"] == (0.0, 0.0) and gain["complexity_mae"] == (0.0, 0.0)
    tie = paired_bootstrap(right, right, targets, groups, resamples=50)
    assert all(interval == (0.0, 0.0) for interval in tie.values())
    assert "HRM better" in format_intervals(gain, "t") and "not separable" in format_intervals(tie, "t")
