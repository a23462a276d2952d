"""An advisor run from the Code analysis page survives reruns and stops on Stop, like the chat."""

from __future__ import annotations

import time

import pytest
from streamlit.testing.v1 import AppTest

from tests.analysis.test_advisors import fake_glm
from tests.ui.conftest import APP
from workbench.advisors.assistants import DebugAssistant
from workbench.domain import EventKind
from workbench.ui import session
from workbench.ui.analysis_view import JOB_KEY, AdvisorJob
from workbench.ui.live_run import LiveRun

QUESTION = "The plugin crackles when I move the gain slider"
SLOW_TOKEN_S = 0.2  # a whole debug run takes well over 10 s at this pace


def advisor_run(glm) -> LiveRun:
    return LiveRun(question=QUESTION, handle=AdvisorJob(DebugAssistant(glm=glm), QUESTION, None), project_id=0)


@pytest.fixture
def page(monkeypatch: pytest.MonkeyPatch, settings):
    system = fake_glm(settings)
    monkeypatch.setattr(session, "facade_factory", lambda: system)
    session.get_system.clear()
    app = AppTest.from_file(APP, default_timeout=60)
    app.switch_page("pages/4_Code_analysis.py")
    yield app
    session.get_system.clear()


def test_cancelling_a_job_stops_the_advisor_run(settings):
    job = AdvisorJob(DebugAssistant(glm=fake_glm(settings, token_delay_s=SLOW_TOKEN_S)), QUESTION, None)
    started = time.monotonic()
    while not any(event.kind == EventKind.TOKEN for event in job.drain()):
        assert not job.done and time.monotonic() - started < 30
        time.sleep(0.02)

    job.cancel()

    advice = job.result(timeout=10)
    assert advice.status == "cancelled" and not advice.ok
    assert time.monotonic() - started < 10


def test_a_run_in_the_session_is_followed_and_stop_cancels_it(page, settings):
    page.session_state[JOB_KEY] = advisor_run(fake_glm(settings))
    page.run()
    assert not page.exception and JOB_KEY not in page.session_state
    assert page.button(key="advisor_stop").label == "Stop the advisor"
    assert "## Recommendations" in "\n".join(m.value for m in page.markdown)

    page.session_state[JOB_KEY] = advisor_run(fake_glm(settings, token_delay_s=SLOW_TOKEN_S))
    started = time.monotonic()
    page.button(key="advisor_stop").click().run()

    assert time.monotonic() - started < 8
    assert not page.exception and JOB_KEY not in page.session_state
    assert any("The run ended cancelled" in w.value for w in page.warning)
