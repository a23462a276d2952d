"""The run timeline: spans built from what storage records, the Gantt chart, and the chart
on the chat and Run history pages for a real decomposed run (scripted model)."""

from __future__ import annotations

import json

from streamlit.testing.v1 import AppTest

from tests.fakes import FakeBackend
from tests.ui.conftest import APP
from tests.ui.plans import FixedPlanner
from workbench.storage.records import Run, SubtaskRecord
from workbench.storage.timeline import Span, run_spans, timeline_records
from workbench.ui import session
from workbench.ui.timeline import timeline_figure

T0 = 1_700_000_000.0


def _run(**fields) -> Run:
    base = dict(id="r1", conversation_id=1, message_id=2, question="q", created_at=T0, updated_at=T0,
                status="complete", finished_at=T0 + 30)
    return Run(**{**base, **fields})


def _subtask(subtask_id: str, start: float, end: float, **fields) -> SubtaskRecord:
    return SubtaskRecord(run_id="r1", subtask_id=subtask_id, title=f"step {subtask_id}", status="complete",
                         started_at=T0 + start, finished_at=T0 + end, duration_ms=(end - start) * 1000,
                         model="coder", **fields)


def test_spans_follow_the_stored_times_with_tokens_per_second_of_the_model_call():
    subtasks = [
        _subtask("s2", 12, 20, completion_tokens=100),
        _subtask("s1", 10, 18, completion_tokens=300, attempts=[
            {"kind": "retrieval", "ok": False}, {"kind": "generation", "ok": True, "duration_ms": 6000}]),
        SubtaskRecord(run_id="r1", subtask_id="s3", status="skipped"),  # never started: no span
    ]
    run = _run(overview={"model": "reasoner", "status": "complete", "duration_ms": 5000, "completion_tokens": 50})

    spans = run_spans(run, subtasks)

    assert [(s.kind, s.subtask_id, s.start - T0, s.end - T0) for s in spans] == [
        ("run", None, 0, 30), ("plan", None, 0, 10), ("subtask", "s1", 10, 18), ("subtask", "s2", 12, 20),
        ("synthesis", None, 25, 30)]
    assert [s.tokens_per_s for s in spans] == [None, None, 50.0, 12.5, 10.0]  # 300 tokens in the 6 s call
    assert spans[-1].model == "reasoner"


def test_a_running_run_ends_now_and_a_running_subtask_too():
    run = _run(status="running", finished_at=None)
    spans = run_spans(run, [SubtaskRecord(run_id="r1", subtask_id="s1", status="running", started_at=T0 + 2)],
                      now=T0 + 9)
    assert [(s.kind, s.end - T0) for s in spans] == [("run", 9), ("plan", 2), ("subtask", 9)]


def test_the_export_records_are_json_with_offsets():
    records = timeline_records(run_spans(_run(), [_subtask("s1", 4, 10, completion_tokens=60)]))
    assert json.loads(json.dumps(records))[2] == {
        "name": "s1 · step s1", "kind": "subtask", "start": T0 + 4, "end": T0 + 10, "subtask_id": "s1",
        "tokens_per_s": 10.0, "status": "complete", "model": "coder", "offset_s": 4.0, "seconds": 6.0}


def test_the_figure_has_one_bar_per_span_from_its_start_to_its_end():
    spans = [Span("whole run", "run", T0, T0 + 8), Span("s1 · a", "subtask", T0 + 1, T0 + 5, "s1", 20.0),
             Span("s2 · b", "subtask", T0 + 2, T0 + 3, "s2", status="failed")]
    bars = timeline_figure(spans).data[0]
    assert list(bars.base) == [0, 1, 2] and list(bars.x) == [8, 4, 1]
    assert bars.text[1] == "4.0 s · 20 tok/s" and bars.marker.color[2] != bars.marker.color[1]


def _decomposed_run(monkeypatch, build_glm):
    backend = FakeBackend("one two three four five", token_delay_s=0.01, models=["fake-model"])
    system = build_glm(backend, hrm=FixedPlanner())
    monkeypatch.setattr(session, "facade_factory", lambda: system)
    session.get_system.clear()
    return system, system.chat_with_model_enhanced("Build a guitar effect", use_hrm_decomposition=True)


def test_the_chat_and_run_history_show_the_timeline_of_a_decomposed_run(monkeypatch, build_glm):
    system, result = _decomposed_run(monkeypatch, build_glm)

    chat = AppTest.from_file(APP, default_timeout=30)
    chat.query_params.update({"project": "default", "conversation": str(result.conversation_id)})
    chat.run()
    assert not chat.exception
    assert "Timeline" in [e.label for e in chat.expander] and not chat.get("plotly_chart")  # drawn once opened
    chat.session_state[f"timeline-open-{result.message_id}"] = True
    chat.run()
    history = AppTest.from_file(APP, default_timeout=30)
    history.query_params["project"] = "default"
    history.switch_page("pages/2_Run_history.py")
    history.run()
    assert not history.exception and "Timeline" in [h.value for h in history.subheader]

    for page in (chat, history):
        (chart,) = [c for c in page.get("plotly_chart") if "Timeline" in c.proto.spec]
        bars = json.loads(chart.proto.spec)["data"][0]
        assert [row.split(" (")[0] for row in bars["y"]] == [
            "whole run", "analysis and template plan", "s1 · Design the distortion", "s2 · Sketch the GUI",
            "s3 · Integrate", "overview"]
        assert all("tok/s" in text for text in bars["text"][2:])
    session.get_system.clear()
