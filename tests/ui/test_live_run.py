"""Folding a run's events into what the page shows, in the order a real run sends them."""

from __future__ import annotations

from workbench.domain import EVENT_DATA, EventKind, RunEvent
from workbench.ui.live_run import LiveRun


class Handle:
    """A handle that has produced a fixed list of events."""

    def __init__(self, events: list[RunEvent]) -> None:
        self.pending = list(events)
        self.done = True

    def drain(self) -> list[RunEvent]:
        out, self.pending = self.pending, []
        return out

    def cancel(self) -> None: ...

    def result(self, timeout=None): ...


def event(kind: EventKind, subtask_id: str | None = None, text: str = "", **data) -> RunEvent:
    """An event with the kind's own payload built from `data` (none when no data is given)."""
    return RunEvent(kind=kind, run_id="r1", subtask_id=subtask_id, text=text,
                    data=EVENT_DATA[kind](**data) if data else None)


def test_a_decomposed_run_keeps_subtasks_answer_and_thinking_apart():
    live = LiveRun("q", Handle([
        event(EventKind.RUN_STARTED, text="q", conversation_id=7, message_id=12, backend="scripted"),
        event(EventKind.PLAN, decomposition={"subtasks": []}, phases=[["s1", "s2"]]),
        event(EventKind.SUBTASK_STARTED, "s1", "Design", role="reasoning", model="r1", backend="fake"),
        event(EventKind.THINKING, "s1", "hmm "),
        event(EventKind.TOKEN, "s1", "part one"),
        event(EventKind.SUBTASK_FAILED, "s2", "timeout", result={"id": "s2", "role": "coder", "status": "failed",
                                                                  "title": "GUI", "error": "timed out after 1 s"}),
        event(EventKind.SUBTASK_DONE, "s1", "part one", result={"id": "s1", "role": "reasoning", "status": "complete",
                                                                 "title": "Design", "output": "part one", "model": "r1"}),
        event(EventKind.SYNTHESIS_STARTED, overview=True),
        event(EventKind.THINKING, None, "overall "),
        event(EventKind.TOKEN, None, "answer"),
        event(EventKind.RUN_DONE, None, "answer"),
    ]), project_id=1)

    assert len(live.drain()) == 11

    assert (live.conversation_id, live.message_id, live.run_id) == (7, 12, "r1")
    assert live.phases == [["s1", "s2"]] and live.synthesizing and live.writing_overview
    s1, s2 = live.subtasks["s1"], live.subtasks["s2"]
    assert (s1.status, s1.output, s1.thinking, s1.model) == ("complete", "part one", "hmm ", "r1")
    assert (s2.status, s2.title, s2.error) == ("failed", "GUI", "timed out after 1 s")
    assert (live.answer, live.thinking) == ("answer", "overall ")
    assert s1.label == "s1 · Design — r1 (complete)"


def test_a_run_belongs_to_the_conversation_it_started():
    live = LiveRun("q", Handle([event(EventKind.RUN_STARTED, conversation_id=3, message_id=4, backend="b")]),
                   project_id=2)
    assert live.shown_in(2, None)  # before the run has made its conversation
    live.drain()

    assert live.shown_in(2, 3) and not live.shown_in(2, None) and not live.shown_in(1, 3)


def test_a_subtask_waiting_for_a_slot_says_so_until_its_generation_starts():
    live = LiveRun("q", Handle([
        event(EventKind.SUBTASK_STARTED, "s1", "Design", role="reasoning", model="r1", backend="ollama"),
        event(EventKind.SUBTASK_QUEUED, "s2", "Math", role="math", model="m1", backend="ollama"),
    ]), project_id=1)
    live.drain()
    s2 = live.subtasks["s2"]
    assert (s2.status, s2.model, s2.backend) == ("queued", "m1", "ollama")
    assert s2.label == "s2 · Math — m1 (queued — waiting for a free slot on ollama)"
    assert live.subtasks["s1"].label == "s1 · Design — r1 (running)"

    live.handle.pending = [event(EventKind.SUBTASK_DONE, "s1", "x", result={"id": "s1", "title": "Design",
                                                                             "role": "reasoning", "status": "complete"}),
                           event(EventKind.SUBTASK_STARTED, "s2", "Math", role="math", model="m1", backend="ollama")]
    live.drain()
    assert live.subtasks["s2"].label == "s2 · Math — m1 (running)"


def test_a_one_time_wait_is_shown_until_the_model_s_text_flows():
    loading = "loading the embedded model SmolLM2 (270 MB, first use)"
    live = LiveRun("q", Handle([event(EventKind.PREPARING, "answer", loading, what=loading)]), project_id=1)
    live.drain()
    assert live.preparing == loading
    live.handle.pending = [event(EventKind.TOKEN, None, "A lowpass")]
    live.drain()
    assert live.preparing == "" and live.answer == "A lowpass"
