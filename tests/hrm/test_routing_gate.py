"""The network routes questions only when its recorded evaluation beats the rule engine on the
test split of the real-question corpus."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest

from hrm_local_wrapper import HRMLocalWrapper, load_analyzer
from workbench.config import PROJECT_ROOT, Settings
from workbench.decompose.analyze import RuleAnalyzer
from workbench.domain import Method
from workbench.hrm.analyzer import HRMAnalyzer
from workbench.hrm.evaluate import analysis_guesser, hrm_guesser, metrics, rule_engine
from workbench.hrm.evaluation_record import (
    GATE_SPLIT, ROUTING_FIGURES, evaluation_path, routing_shortfalls, shortfalls, write_evaluation,
)
from workbench.hrm.routing_eval import real_set

SHIPPED = PROJECT_ROOT / "models" / "hrm.pt"
QUESTION = "Build a JUCE audio plugin with FAUST reverb processing"
AHEAD = {"role_accuracy": 0.9, "domain_f1": 0.9, "decompose_f1": 0.9, "complexity_mae": 0.5}
BEHIND = {"role_accuracy": 0.8, "domain_f1": 0.95, "decompose_f1": 0.8, "complexity_mae": 0.7}


@pytest.fixture
def checkpoint_copy(tmp_path: Path) -> Path:
    copy = tmp_path / "hrm.pt"
    shutil.copyfile(SHIPPED, copy)
    return copy


def test_the_shipped_record_matches_the_shipped_checkpoint_and_names_what_falls_short():
    short = routing_shortfalls(SHIPPED)
    assert short and not any("another checkpoint" in s or "no evaluation" in s for s in short)
    assert any("role accuracy" in s for s in short)


def test_the_shipped_record_holds_what_the_rules_and_the_checkpoint_score_on_the_real_test_split_now():
    """The gate decides on recorded figures: a record left behind by relabelled rows or
    recalibrated rules would route on a comparison that no longer holds."""
    recorded = json.loads(evaluation_path(SHIPPED).read_text())["figures"]
    labelled = real_set("test")
    analyzers = {"rules": analysis_guesser(rule_engine()), "hrm": hrm_guesser(HRMAnalyzer.load(SHIPPED, "cpu"))}
    for name, guess in analyzers.items():
        now = metrics(guess(labelled.queries), labelled.targets)
        for figure in [*ROUTING_FIGURES, "wrongly_split"]:
            assert now[figure] == pytest.approx(recorded[f"{GATE_SPLIT}/{name}"][figure]), (name, figure)


def test_auto_routing_keeps_the_rules_while_the_network_is_behind(settings: Settings):
    status = HRMLocalWrapper(device="cpu", settings=settings).get_status()
    assert status["analyzer"] == "rules"
    assert "does not beat the rule engine" in status["fallback_reason"] and "role accuracy" in status["fallback_reason"]


def test_routing_hrm_or_an_explicit_model_path_uses_the_network(settings: Settings):
    settings.hrm.routing = "hrm"
    assert HRMLocalWrapper(device="cpu", settings=settings).decompose_task(QUESTION).method is Method.HRM
    settings.hrm.routing = "auto"
    assert load_analyzer(settings, "cpu", SHIPPED).status()["method"] == "hrm"
    settings.hrm.routing = "rules"
    assert isinstance(load_analyzer(settings, "cpu", None), RuleAnalyzer)


def test_a_record_that_beats_the_rules_everywhere_earns_the_routing(settings: Settings, checkpoint_copy: Path):
    sha = hashlib.sha256(checkpoint_copy.read_bytes()).hexdigest()
    write_evaluation(checkpoint_copy, sha, {"real_test/hrm": AHEAD, "real_test/rules": BEHIND})
    assert routing_shortfalls(checkpoint_copy) == ["real test domain F1 0.900 vs rules 0.950"]
    write_evaluation(checkpoint_copy, sha, {"real_test/hrm": AHEAD, "real_test/rules": {**BEHIND, "domain_f1": 0.5},
                                            "test/hrm": BEHIND, "test/rules": AHEAD})  # synthetic: reported only
    assert routing_shortfalls(checkpoint_copy) == []
    settings.hrm.checkpoint = checkpoint_copy
    assert HRMLocalWrapper(device="cpu", settings=settings).get_status()["analyzer"] == "hrm"


def test_a_missing_stale_or_corrupt_record_keeps_the_rules(checkpoint_copy: Path):
    assert "no evaluation is recorded" in routing_shortfalls(checkpoint_copy)[0]
    write_evaluation(checkpoint_copy, "0" * 64, {"real_test/hrm": AHEAD, "real_test/rules": BEHIND})
    assert "another checkpoint" in routing_shortfalls(checkpoint_copy)[0]
    evaluation_path(checkpoint_copy).write_text("{not json")
    assert "unreadable" in routing_shortfalls(checkpoint_copy)[0]


def test_nothing_to_compare_is_a_shortfall_and_missing_figures_are_ignored():
    assert "no figures on the real-question test split" in shortfalls({"real_test/hrm": AHEAD})[0]
    assert "no figures on the real-question test split" in shortfalls({"test/hrm": AHEAD, "test/rules": BEHIND})[0]
    assert shortfalls({"real_test/hrm": {**AHEAD, "domain_f1": None}, "real_test/rules": BEHIND}) == []
