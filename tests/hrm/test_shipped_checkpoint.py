"""The checkpoint in models/ is the one `hrm-reason train` produced, and it works."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench.config import load_settings
from workbench.domain import Method, PlanStep, Strategy
from workbench.hrm.analyzer import HRMAnalyzer

SHIPPED = Path(__file__).resolve().parents[2] / "models" / "hrm.pt"


@pytest.fixture(scope="module")
def analyzer() -> HRMAnalyzer:
    return HRMAnalyzer.load(SHIPPED, "cpu")


def test_the_settings_point_at_the_shipped_checkpoint():
    assert load_settings().hrm.checkpoint == SHIPPED
    assert SHIPPED.stat().st_size < 20_000_000


def test_the_shipped_checkpoint_analyzes_a_question(analyzer):
    analysis = analyzer.analyze("my biquad blows up at high Q")
    assert analysis.method is Method.HRM
    assert 1 <= analysis.act_steps <= analyzer.model.config.halt_max_steps
    assert 0 < analysis.confidence <= 1
    assert any("ACT step" in line for line in analysis.reasoning)
    assert (analysis.strategy is Strategy.DIRECT) == (not analysis.decompose)
    assert (analysis.steps == [PlanStep.ANSWER]) == (not analysis.decompose)


def test_the_shipped_checkpoint_tells_simple_from_complex(analyzer):
    simple = analyzer.analyze("convert -6 db to linear gain")
    big = analyzer.analyze("build a compressor with the dsp in faust and a juce plugin gui with presets and sidechain")
    assert not simple.decompose and big.decompose
    assert big.complexity > simple.complexity


def test_status_names_device_checkpoint_hash_and_size(analyzer):
    status = analyzer.status()
    assert status["model_loaded"] is True and status["method"] == "hrm"
    assert status["device"] == "cpu" and status["checkpoint"] == str(SHIPPED)
    assert len(status["sha256"]) == 64 and status["checkpoint_hash"] == status["sha256"]
    assert status["params"] == analyzer.model.num_parameters() > 0


def test_an_empty_question_is_refused(analyzer):
    with pytest.raises(ValueError, match="Type a question"):
        analyzer.analyze("   ")
