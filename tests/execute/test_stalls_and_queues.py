"""The executor with a stalled model and with more ready subtasks than backend slots."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from tests.execute.conftest import StallingBackend, make_plan
from tests.fakes import FakeBackend
from workbench.domain import EventKind, Role, RunEvent
from workbench.execute.caller import ModelCaller
from workbench.execute.events import EventEmitter
from workbench.execute.executor import DAGExecutor
from workbench.execute.slots import BackendSlots
from workbench.ui.live_run import LiveRun

TWO_INDEPENDENT = make_plan("Write a FAUST tremolo and derive its LFO", [("a", Role.CODER, []), ("b", Role.MATH, [])])


def step_of(messages) -> str:
    return messages[-1].content.split("Your task — Step ")[1].split(":")[0]


def run(settings, backend, plan, cancel=None, sink=None):
    events: list[RunEvent] = []
    caller = ModelCaller(settings, backend, cancel=cancel)
    results = DAGExecutor(settings, caller).run(plan, EventEmitter("r", [events.append, sink]))
    return {r.id: r for r in results}, events


class GatedBackend(FakeBackend):
    """Every request waits (at most 5 s) for `gate` before answering: opened when a subtask is
    reported queued, it makes the first subtask hold its slot until the second truly waits."""

    def __init__(self, script: str) -> None:
        super().__init__(script)
        self.gate = threading.Event()

    def chat(self, model, messages, **kwargs):
        self.gate.wait(5)
        yield from super().chat(model, messages, **kwargs)

    def open_when_queued(self, event: RunEvent) -> None:
        if event.kind == EventKind.SUBTASK_QUEUED:
            self.gate.set()


def kinds_of(events: list[RunEvent], subtask_id: str) -> list[EventKind]:
    return [e.kind for e in events if e.subtask_id == subtask_id]


def test_a_stalled_subtask_fails_with_the_timeout_while_an_independent_one_completes(settings):
    settings.execution.subtask_timeout_s = 0.3
    settings.execution.retry_backoff_s = 0.0
    plan = make_plan("q", [("a", Role.CODER, []), ("b", Role.MATH, []), ("c", Role.CODER, ["a"])])
    backend = StallingBackend("fine answer", stall_when=lambda _m, msgs: step_of(msgs) == "a")
    started = time.perf_counter()
    try:
        results, events = run(settings, backend, plan)
    finally:
        backend.release.set()
    assert time.perf_counter() - started < 2 * 0.3 + 1.0  # two tries, each given up on time

    assert results["a"].status == "failed"
    assert "took longer than 0.3 s" in results["a"].error
    assert [t["ok"] for t in results["a"].attempts] == [False, False]  # the retry stalled too
    assert results["b"].status == "complete" and results["b"].output == "fine answer"
    assert results["c"].status == "skipped" and results["c"].error == "skipped: it needs a (Step a) failed"
    failed = next(e for e in events if e.kind == EventKind.SUBTASK_FAILED and e.subtask_id == "a")
    assert "took longer than 0.3 s" in failed.text


def test_with_one_slot_the_second_subtask_is_queued_until_the_first_has_generated(settings):
    settings.execution.concurrency_per_backend = 1
    backend = GatedBackend("x y z")
    results, events = run(settings, backend, TWO_INDEPENDENT, sink=backend.open_when_queued)
    assert [r.status for r in results.values()] == ["complete", "complete"]

    queued = [e.subtask_id for e in events if e.kind == EventKind.SUBTASK_QUEUED]
    assert len(queued) == 1  # whichever got the slot first was never queued
    waiting = queued[0]
    first = "b" if waiting == "a" else "a"
    assert kinds_of(events, first) == [EventKind.SUBTASK_STARTED, *[EventKind.TOKEN] * 3, EventKind.SUBTASK_DONE]
    assert kinds_of(events, waiting) == [EventKind.SUBTASK_QUEUED, EventKind.SUBTASK_STARTED,
                                         *[EventKind.TOKEN] * 3, EventKind.SUBTASK_DONE]
    order = [(e.kind, e.subtask_id) for e in events]
    last_token_of_first = max(i for i, step in enumerate(order) if step == (EventKind.TOKEN, first))
    assert order.index((EventKind.SUBTASK_QUEUED, waiting)) < last_token_of_first
    assert order.index((EventKind.SUBTASK_STARTED, waiting)) > last_token_of_first
    queued_event = events[order.index((EventKind.SUBTASK_QUEUED, waiting))]
    assert queued_event.data.backend == "scripted" and queued_event.data.model


def test_with_a_slot_for_each_nothing_is_reported_queued(settings):
    settings.execution.concurrency_per_backend = 2
    _, events = run(settings, FakeBackend("x y z", token_delay_s=0.02), TWO_INDEPENDENT)
    assert not [e for e in events if e.kind == EventKind.SUBTASK_QUEUED]
    assert sorted(e.subtask_id for e in events if e.kind == EventKind.SUBTASK_STARTED) == ["a", "b"]


def test_stop_ends_the_wait_of_a_queued_subtask(settings):
    settings.execution.concurrency_per_backend = 1
    backend = StallingBackend("ok")
    cancel = threading.Event()
    threading.Timer(0.2, cancel.set).start()
    started = time.perf_counter()
    try:
        results, events = run(settings, backend, TWO_INDEPENDENT, cancel=cancel)
    finally:
        backend.release.set()
    assert time.perf_counter() - started < 0.2 + 0.5
    assert [r.status for r in results.values()] == ["cancelled", "cancelled"]
    assert len([e for e in events if e.kind == EventKind.SUBTASK_QUEUED]) == 1
    assert len([e for e in events if e.kind == EventKind.SUBTASK_STARTED]) == 1


class Snapshots:
    """Folds the facade's events into the page's view model and keeps each subtask's label
    and the stored status after every event, as the chat page would have shown them."""

    def __init__(self, storage, then: Callable[[RunEvent], None]) -> None:
        self.storage, self.then = storage, then
        self.live: LiveRun | None = None
        self.seen: list[tuple[RunEvent, dict[str, str], dict[str, str]]] = []

    def __call__(self, event: RunEvent) -> None:
        self.live = self.live or LiveRun("q", handle=None, project_id=1)
        self.live.absorb(event)
        stored = {s.subtask_id: s.status for s in self.storage.list_subtasks(event.run_id)}
        self.seen.append((event, {k: s.label for k, s in self.live.subtasks.items()}, stored))
        self.then(event)


def test_the_live_view_and_storage_show_a_waiting_subtask_as_queued_then_running(settings, storage, make_glm):
    settings.execution.concurrency_per_backend = 1
    backend = GatedBackend("x y z")
    snapshots = Snapshots(storage, then=backend.open_when_queued)
    glm = make_glm(backend, TWO_INDEPENDENT)
    result = glm.chat_with_model_enhanced(TWO_INDEPENDENT.query, on_event=snapshots)
    assert result.status == "complete"

    queued_at = next(i for i, (e, _, _) in enumerate(snapshots.seen) if e.kind == EventKind.SUBTASK_QUEUED)
    event, labels, stored = snapshots.seen[queued_at]
    waiting = event.subtask_id
    assert labels[waiting].endswith("(queued — waiting for a free slot on scripted)")
    assert stored[waiting] == "queued"
    started_at = next(i for i, (e, _, _) in enumerate(snapshots.seen)
                      if e.kind == EventKind.SUBTASK_STARTED and e.subtask_id == waiting)
    assert all("queued" in labels[waiting] for _, labels, _ in snapshots.seen[queued_at:started_at])
    _, labels, stored = snapshots.seen[started_at]
    assert labels[waiting].endswith("(running)") and stored[waiting] == "running"
    assert {s.subtask_id: s.status for s in glm.list_subtasks(result.run_id)} == {"a": "complete", "b": "complete"}
    assert snapshots.live.subtasks[waiting].status == "complete"


def test_a_host_that_serves_one_request_at_a_time_queues_the_second_though_others_allow_two(settings):
    settings.execution.concurrency_per_backend = 2
    backend = GatedBackend("x y z")
    slots = BackendSlots(2, {backend.name: 1})  # as `[hosts.<name>] concurrency = 1` gives it
    events: list[RunEvent] = []
    caller = ModelCaller(settings, backend, slots)
    emitter = EventEmitter("r", [events.append, backend.open_when_queued])
    results = DAGExecutor(settings, caller).run(TWO_INDEPENDENT, emitter)
    assert [r.status for r in results] == ["complete", "complete"]
    assert len([e for e in events if e.kind == EventKind.SUBTASK_QUEUED]) == 1
    assert BackendSlots(2, {"gpu": 1}).for_backend("other")._value == 2
