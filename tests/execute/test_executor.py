"""The DAG executor on a scripted backend: order, concurrency, failures, retries, timeouts."""

from __future__ import annotations

import threading

import pytest

from tests.execute.conftest import DIAMOND, make_plan
from tests.fakes import FakeBackend
from workbench.decompose.dag import PlanError
from workbench.domain import EventKind, Role
from workbench.execute.caller import ModelCaller
from workbench.execute.events import EventEmitter
from workbench.execute.executor import DAGExecutor
from workbench.llm.base import BackendError

TAGS = ["deepseek-r1:70b", "qwen2.5-coder:32b", "qwen2.5:32b"]


def step_of(messages) -> str:
    return messages[-1].content.split("Your task — Step ")[1].split(":")[0]


def run(settings, backend, plan, cancel=None):
    events = []
    caller = ModelCaller(settings, backend, cancel=cancel)
    results = DAGExecutor(settings, caller).run(plan, EventEmitter("r", [events.append]))
    return {r.id: r for r in results}, events


def test_dependents_run_after_their_dependencies_and_see_their_outputs(settings):
    backend = FakeBackend(lambda model, msgs: f"output-of-{step_of(msgs)}", models=TAGS)
    results, events = run(settings, backend, make_plan("q", DIAMOND))
    assert [r.status for r in results.values()] == ["complete"] * 4
    started = [e.subtask_id for e in events if e.kind == EventKind.SUBTASK_STARTED]
    assert started[0] == "s1" and started[-1] == "s4"
    last_prompt = backend.requests[-1]["messages"][-1].content
    assert "output-of-s2" in last_prompt and "output-of-s3" in last_prompt
    assert "output-of-s1" not in last_prompt  # only direct dependencies are passed on
    assert results["s1"].model == "deepseek-r1:70b" and backend.requests[0]["think"] is True
    assert results["s2"].model == "qwen2.5-coder:32b" and results["s3"].model == "qwen2.5:32b"


def test_independent_branches_run_at_the_same_time_within_the_backend_limit(settings):
    plan = make_plan("q", [("a", Role.CODER, []), ("b", Role.MATH, []), ("c", Role.CODER, [])])
    backend = FakeBackend("x y z", models=TAGS, token_delay_s=0.02)
    run(settings, backend, plan)
    assert backend.max_active == 2  # concurrency_per_backend defaults to 2

    settings.execution.concurrency_per_backend = 1
    serial = FakeBackend("x y z", models=TAGS, token_delay_s=0.01)
    run(settings, serial, plan)
    assert serial.max_active == 1


def test_a_failure_skips_its_dependents_with_the_reason_and_spares_other_branches(settings):
    settings.execution.retry_backoff_s = 0.0
    backend = FakeBackend("fine", models=TAGS,
                          fail_when=lambda m, msgs: BackendError("boom") if step_of(msgs) == "s2" else None)
    results, events = run(settings, backend, make_plan("q", DIAMOND))
    assert results["s2"].status == "failed" and results["s2"].error == "boom"
    assert len(results["s2"].attempts) == 2  # one retry
    assert results["s3"].status == "complete"
    assert results["s4"].status == "skipped"
    # one line naming the upstream subtask; its error stays with it, not repeated here
    assert results["s4"].error == "skipped: it needs s2 (Step s2) failed"
    assert [e.subtask_id for e in events if e.kind == EventKind.SUBTASK_SKIPPED] == ["s4"]


def test_a_transient_failure_is_retried_once_after_a_backoff(settings):
    settings.execution.retry_backoff_s = 0.05
    calls = []

    def flaky(model, msgs):
        calls.append(model)
        return BackendError("connection reset") if len(calls) == 1 else None

    results, _ = run(settings, FakeBackend("done", models=TAGS, fail_when=flaky),
                     make_plan("q", [("s1", Role.CODER, [])]))
    assert results["s1"].status == "complete" and results["s1"].output == "done"
    assert [a["ok"] for a in results["s1"].attempts] == [False, True]


def test_a_slow_subtask_times_out_and_says_which_setting_to_change(settings):
    settings.execution.subtask_timeout_s = 0.05
    settings.execution.retries = 0
    backend = FakeBackend(" ".join(["word"] * 50), models=TAGS, token_delay_s=0.01)
    results, _ = run(settings, backend, make_plan("q", [("s1", Role.CODER, [])]))
    assert results["s1"].status == "failed"
    assert "subtask_timeout_s" in results["s1"].error


def test_cancelling_stops_running_subtasks_and_starts_no_new_ones(settings):
    cancel = threading.Event()
    backend = FakeBackend(" ".join(["word"] * 200), models=TAGS, token_delay_s=0.005)
    timer = threading.Timer(0.1, cancel.set)
    timer.start()
    results, _ = run(settings, backend, make_plan("q", DIAMOND), cancel=cancel)
    timer.join()
    assert results["s1"].status == "cancelled"
    assert {results[s].status for s in ("s2", "s3", "s4")} == {"cancelled"}
    assert len(backend.requests) == 1


def test_a_missing_role_model_falls_back_to_an_available_one_and_says_so(settings):
    results, events = run(settings, FakeBackend("ok", models=["qwen2.5-coder:7b"]),
                          make_plan("q", [("s1", Role.CODER, [])]))
    assert results["s1"].model == "qwen2.5-coder:7b"
    assert "qwen2.5-coder:32b" in results["s1"].model_note
    assert events[0].data.note == results["s1"].model_note


def test_a_plan_with_a_cycle_is_refused_before_anything_runs(settings):
    backend = FakeBackend("ok", models=TAGS)
    plan = make_plan("q", [("a", Role.CODER, ["b"]), ("b", Role.CODER, ["a"])])
    with pytest.raises(PlanError, match="cycle"):
        run(settings, backend, plan)
    assert backend.requests == []
