"""Any input yields a valid, executable plan or a clear ValueError; never anything else."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings as hsettings
from hypothesis import strategies as st

from hrm_local_wrapper import HRMLocalWrapper
from workbench.config import Settings
from workbench.decompose.analyze import RuleAnalyzer
from workbench.decompose.dag import execution_phases, validate_plan
from workbench.decompose.query_input import normalize_query
from workbench.decompose.templates import build_plan

LIMIT = 100_000
WORDS = st.sampled_from([
    "faust", "JUCE", "build", "reverb", "filter", "oscillator", "GUI", "complete", "crash", "processBlock",
    "derive", "optimize", "low latency", "and", ",", "APVTS", "synth", "why", "vst3", "python", "?",
])


def _check(text: object, settings: Settings) -> None:
    try:
        query = normalize_query(text, LIMIT)
    except ValueError as exc:
        assert str(exc)  # a message, not an empty error
        return
    analysis = RuleAnalyzer().analyze(query, {})
    plan = build_plan(query, analysis, {}, settings)
    validate_plan(plan.subtasks)
    assert sum(len(p) for p in execution_phases(plan.subtasks)) == len(plan.subtasks)
    assert 1 <= plan.complexity <= 10 and 0 <= plan.confidence <= 1
    assert (len(plan.subtasks) == 1) == (plan.strategy.value == "direct")


@hsettings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text())
def test_any_text(settings: Settings, text: str) -> None:
    _check(text, settings)


@hsettings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(WORDS, max_size=60).map(" ".join))
def test_any_mix_of_domain_words(settings: Settings, text: str) -> None:
    _check(text, settings)


@hsettings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=300))
def test_binary_looking_input(settings: Settings, data: bytes) -> None:
    _check(data.decode("latin-1"), settings)


def test_huge_and_hostile_questions(hrm: HRMLocalWrapper) -> None:
    huge = "Build a FAUST reverb and a JUCE GUI with presets, " * 1900  # about 95,000 characters
    plan = hrm.decompose_task(huge)
    assert len(plan.subtasks) <= 32 and all(len(s.title) <= 200 for s in plan.subtasks)
    with pytest.raises(ValueError, match="limit is 100,000"):
        hrm.decompose_task("x" * 100_001)
    with pytest.raises(ValueError, match="binary"):
        hrm.decompose_task("faust\x00reverb")
    with pytest.raises(ValueError, match="not valid Unicode"):
        hrm.decompose_task("reverb \ud800")
    with pytest.raises(ValueError, match="empty"):
        hrm.decompose_task(" \n\t ")
    with pytest.raises(ValueError, match="must be text"):
        hrm.decompose_task(b"faust reverb")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="JSON object"):
        hrm.decompose_task("faust reverb", ["mac_vst"])  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="JSON values"):
        hrm.decompose_task("faust reverb", {"when": object()})
