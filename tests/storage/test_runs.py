from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from workbench.domain import Method, Role, Strategy, Subtask, TaskDecomposition, TaskType
from workbench.storage import Storage
from workbench.storage.records import Conversation


def _decomposition() -> TaskDecomposition:
    return TaskDecomposition(
        query="Write a FAUST flanger",
        complexity=4,
        domains=[TaskType.FAUST],
        primary_role=Role.CODER,
        strategy=Strategy.DIRECT,
        confidence=0.8,
        method=Method.RULES,
        subtasks=[
            Subtask(id="s1", title="Flanger", description="Write it", task_type=TaskType.FAUST, role=Role.CODER)
        ],
    )


def test_run_lifecycle(storage: Storage, conversation: Conversation) -> None:
    storage.add_message(conversation.id, "user", "Write a FAUST flanger")
    answer = storage.add_message(conversation.id, "assistant", "", status="streaming")
    plan = _decomposition()

    run = storage.create_run(conversation.id, answer.id, plan.query, plan.model_dump(mode="json"))
    assert (run.status, run.message_id, run.finished_at) == ("running", answer.id, None)
    assert TaskDecomposition.model_validate(run.decomposition) == plan
    assert storage.get_message(answer.id).run_id == run.id, "the answer points back at its run"

    storage.update_run(run.id, events_summary={"tokens": 42, "subtasks": 1})
    assert storage.get_run(run.id).finished_at is None
    storage.update_run(run.id, status="complete", answer="process = ...;", duration_ms=812.0)
    done = storage.get_run(run.id)
    assert (done.status, done.answer, done.duration_ms) == ("complete", "process = ...;", 812.0)
    assert done.events_summary == {"tokens": 42, "subtasks": 1}
    assert done.finished_at is not None and done.finished_at >= done.created_at
    assert storage.get_run("nope") is None


def test_run_accepts_a_pydantic_decomposition_and_none(storage: Storage, conversation: Conversation) -> None:
    run = storage.create_run(conversation.id, None, "q", _decomposition())
    assert run.decomposition["subtasks"][0]["id"] == "s1"
    bare = storage.create_run(conversation.id, None, "q", None)
    assert bare.decomposition is None and bare.message_id is None
    storage.update_run(bare.id, decomposition=_decomposition())
    assert storage.get_run(bare.id).decomposition == run.decomposition


def test_run_errors(storage: Storage, conversation: Conversation) -> None:
    with pytest.raises(KeyError, match="No conversation"):
        storage.create_run(999, None, "q", None)
    with pytest.raises(KeyError, match="No message with id 999"):
        storage.create_run(conversation.id, 999, "q", None)
    run = storage.create_run(conversation.id, None, "q", None)
    with pytest.raises(ValueError, match="status"):
        storage.update_run(run.id, status="finished")
    with pytest.raises(ValueError, match="answr"):
        storage.update_run(run.id, answr="typo")
    with pytest.raises(KeyError, match="No run with id 'missing'"):
        storage.update_run("missing", status="error")
    assert storage.get_run(run.id).status == "running"


def test_subtasks_upsert_only_changes_given_fields(storage: Storage, conversation: Conversation) -> None:
    run = storage.create_run(conversation.id, None, "q", None)
    storage.upsert_subtask(run.id, "s2", title="Synthesis", role=Role.REASONING, status="pending")
    storage.upsert_subtask(
        run.id, "s1", title="Flanger DSP", role="coder", model="qwen2.5-coder:32b", backend="ollama",
        status="running", prompt_chars=1800, started_at=100.0,
        sources=[{"title": "filters.lib", "location": "filters.lib:120"}],
    )
    storage.upsert_subtask(
        run.id, "s1", status="complete", output="process = de.fdelay;", thinking="hmm",
        prompt_tokens=400, completion_tokens=90, finished_at=101.5, duration_ms=1500.0,
        attempts=[{"attempt": 1, "error": "timeout"}, {"attempt": 2, "error": None}],
    )
    storage.upsert_subtask(run.id, "s2")

    s2, s1 = storage.list_subtasks(run.id)
    assert (s2.subtask_id, s2.role, s2.status) == ("s2", "reasoning", "pending")
    assert (s1.title, s1.model, s1.backend, s1.prompt_chars) == ("Flanger DSP", "qwen2.5-coder:32b", "ollama", 1800)
    assert (s1.status, s1.output, s1.thinking, s1.error) == ("complete", "process = de.fdelay;", "hmm", None)
    assert (s1.prompt_tokens, s1.completion_tokens, s1.started_at, s1.finished_at) == (400, 90, 100.0, 101.5)
    assert s1.duration_ms == 1500.0
    assert s1.sources == [{"title": "filters.lib", "location": "filters.lib:120"}]
    assert s1.attempts[0] == {"attempt": 1, "error": "timeout"}


def test_subtask_errors(storage: Storage, conversation: Conversation) -> None:
    run = storage.create_run(conversation.id, None, "q", None)
    with pytest.raises(KeyError, match="No run"):
        storage.upsert_subtask("missing", "s1", title="x")
    with pytest.raises(KeyError, match="No run"):
        storage.list_subtasks("missing")
    with pytest.raises(ValueError, match="sources"):
        storage.upsert_subtask(run.id, "s1", sources="filters.lib")
    with pytest.raises(ValueError, match="subtask id"):
        storage.upsert_subtask(run.id, "", title="x")
    assert storage.list_subtasks(run.id) == []


def test_list_runs_of_a_project_newest_first_and_only_its_own(storage):
    synth, fx = storage.create_project("synth"), storage.create_project("fx")
    runs = []
    for project in (synth, fx, synth):
        conversation = storage.create_conversation(project.id, "c")
        message = storage.add_message(conversation.id, "assistant", "")
        runs.append(storage.create_run(conversation.id, message.id, f"q{len(runs)}", None))
    assert [r.id for r in storage.list_runs(synth.id)] == [runs[2].id, runs[0].id]
    assert [r.question for r in storage.list_runs(fx.id)] == ["q1"]
    assert storage.list_runs(9999) == []


def test_runs_left_open_by_a_dead_process_are_closed_and_live_ones_are_not(
    storage: Storage, conversation: Conversation,
) -> None:
    # another process starts a run, streams part of an answer and is killed mid-run
    script = (
        "import os, sys\n"
        "from workbench.storage import Storage\n"
        "store = Storage(sys.argv[1])\n"
        "answer = store.add_message(int(sys.argv[2]), 'assistant', '', status='streaming')\n"
        "run = store.create_run(int(sys.argv[2]), answer.id, 'Write a FAUST flanger', None)\n"
        "store.update_message(answer.id, content='import(\"stdfaust.lib\");')\n"
        "store.upsert_subtask(run.id, 's1', status='running')\n"
        "store.upsert_subtask(run.id, 's2', status='complete', output='done')\n"
        "print(run.id, flush=True)\n"
        "os._exit(9)\n"
    )
    child = subprocess.run([sys.executable, "-c", script, str(storage.path), str(conversation.id)],
                           capture_output=True, text=True, timeout=60, cwd=Path(__file__).resolve().parents[2])
    dead_run = child.stdout.strip()
    live = storage.create_run(conversation.id, storage.add_message(conversation.id, "assistant", "", status="streaming").id,
                              "still running here", None)

    assert storage.close_interrupted_runs() == 1
    run = storage.get_run(dead_run)
    assert run.status == "partial" and run.finished_at is not None and run.answer == 'import("stdfaust.lib");'
    assert run.error.startswith("interrupted: process ") and "stopped before this answer was finished" in run.error
    message = storage.get_message(run.message_id)
    assert (message.status, message.content, message.error) == ("partial", 'import("stdfaust.lib");', run.error)
    subtasks = {s.subtask_id: s for s in storage.list_subtasks(dead_run)}
    assert (subtasks["s1"].status, subtasks["s2"].status) == ("failed", "complete")
    assert storage.get_run(live.id).status == "running"  # this process is alive
    assert storage.close_interrupted_runs() == 0
