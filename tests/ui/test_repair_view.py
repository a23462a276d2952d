"""The repair rounds under an answer: from a real run (the real FAUST compiler checking a
scripted model's code) to the chat page's "Repair rounds" details."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from multi_model_system import MultiModelGLMSystem
from tests.fakes import FakeBackend, use_backend
from tests.ui.conftest import APP
from workbench.execute.hooks import CodeValidator
from workbench.ui import session
from workbench.ui.repair_view import repair_rows

BROKEN = '```faust\nprocess = nosuchthing;\n```'
FIXED = '```faust\nimport("stdfaust.lib");\nprocess = os.osc(440) * 0.1;\n```'


@pytest.fixture
def repaired(monkeypatch, settings):
    """A facade whose one stored answer took a failed repair round, then a fresh answer that passed."""
    settings.validation.render_seconds = 0.0
    settings.validation.repair_rounds, settings.validation.resamples = 1, 1

    def reply(model, messages):
        if "failed when checked" in messages[-1].content:
            return "I cannot see the problem."
        return BROKEN if len(backend.requests) == 1 else FIXED

    backend = FakeBackend(reply, models=["scripted-model"])
    glm = MultiModelGLMSystem(use_backend(settings, backend), retriever=None, validator=CodeValidator(settings))
    result = glm.chat_with_model_enhanced("Write a FAUST sine at 440 Hz", use_hrm_decomposition=False)
    monkeypatch.setattr(session, "facade_factory", lambda: glm)
    session.get_system.clear()
    yield glm, result
    session.get_system.clear()


def test_each_round_is_listed_with_its_check_time_and_code(repaired):
    glm, result = repaired
    rows = repair_rows(glm.list_subtasks(result.run_id))
    first, repair, fresh = rows[0], rows[1], rows[-1]
    assert (first["round"], first["step"], first["check"].split(":")[0]) == (0, "first answer", "failed")
    assert "nosuchthing" in first["code"]
    assert (repair["step"], repair["check"].split(":")[0], repair["code"]) == ("repair round", "failed", "")
    assert (fresh["step"], fresh["check"], fresh["shown"]) == ("fresh answer (seed 1)", "passed: compiled", "✓")
    assert "os.osc(440)" in fresh["code"]
    assert all(isinstance(row["seconds"], float) for row in rows[1:])
    assert [row["shown"] for row in rows].count("✓") == 1


def test_the_chat_page_shows_the_rounds_under_the_stored_answer(repaired):
    glm, result = repaired
    at = AppTest.from_file(APP, default_timeout=30)
    at.query_params.update(project="default", conversation=str(result.conversation_id))
    at.run()
    assert not at.exception
    (rounds,) = [e for e in at.chat_message[1].expander if e.label.startswith("Repair rounds")]
    assert rounds.label == f"Repair rounds · {len(repair_rows(glm.list_subtasks(result.run_id))) - 1}"
    assert any("os.osc(440)" in code.value for code in rounds.code)
