from __future__ import annotations

import sqlite3

import pytest

from workbench.storage import Storage


def test_create_get_and_ensure_project(storage: Storage) -> None:
    created = storage.create_project("  Synth  ")
    assert created.name == "Synth"
    assert storage.get_project(created.id) == created
    assert storage.ensure_project("Synth") == created
    other = storage.ensure_project("Delay")
    assert other.id != created.id and storage.get_project(other.id) == other
    assert storage.get_project(9999) is None


@pytest.mark.parametrize("name", ["", "   ", None, "x" * 201])
def test_bad_project_names_are_refused(storage: Storage, name: object) -> None:
    with pytest.raises(ValueError, match="project name"):
        storage.create_project(name)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="project name"):
        storage.ensure_project(name)  # type: ignore[arg-type]
    assert storage.list_projects() == []


def test_duplicate_name_is_a_clear_error(storage: Storage) -> None:
    storage.create_project("x")
    with pytest.raises(ValueError, match="A project named 'x' already exists"):
        storage.create_project("x")
    assert [p.name for p in storage.list_projects()] == ["x"]


def test_rename_project(storage: Storage) -> None:
    a = storage.create_project("a")
    b = storage.create_project("b")
    storage.rename_project(a.id, "Amp sim")
    assert storage.get_project(a.id).name == "Amp sim"
    with pytest.raises(ValueError, match="A project named 'b' already exists"):
        storage.rename_project(a.id, "b")
    with pytest.raises(ValueError, match="empty"):
        storage.rename_project(a.id, " ")
    with pytest.raises(KeyError, match="No project with id 999"):
        storage.rename_project(999, "c")
    assert storage.get_project(a.id).name == "Amp sim" and storage.get_project(b.id).name == "b"


def test_list_projects_counts_and_orders_by_activity(storage: Storage) -> None:
    empty = storage.create_project("empty")
    busy = storage.create_project("busy")
    first = storage.create_conversation(busy.id, "one")
    second = storage.create_conversation(busy.id, "two")
    for i in range(3):
        storage.add_message(first.id, "user", f"q{i}")
    message = storage.add_message(second.id, "assistant", "a")
    older = storage.create_project("older")

    summaries = {s.name: s for s in storage.list_projects()}
    assert (summaries["busy"].conversations, summaries["busy"].messages) == (2, 4)
    assert (summaries["empty"].conversations, summaries["empty"].messages) == (0, 0)
    assert summaries["empty"].last_activity == empty.updated_at
    assert summaries["busy"].created_at == busy.created_at

    assert storage.list_projects()[0].id == older.id, "the newest project comes first"
    storage.update_message(message.id, content="a longer answer")
    newest = storage.list_projects()[0]
    assert newest.id == busy.id, "an edited message makes its project the most recent"
    assert newest.last_activity == storage.get_message(message.id).updated_at
    names = [s.name for s in storage.list_projects()]
    assert set(names) == {"empty", "busy", older.name}


def test_list_projects_is_one_query(storage: Storage) -> None:
    for i in range(5):
        p = storage.create_project(f"p{i}")
        c = storage.create_conversation(p.id, "c")
        storage.add_message(c.id, "user", "hello")
    statements: list[str] = []
    storage._db.connection().set_trace_callback(statements.append)
    try:
        assert len(storage.list_projects()) == 5
    finally:
        storage._db.connection().set_trace_callback(None)
    assert len(statements) == 1, statements


def test_delete_project_cascades(storage: Storage) -> None:
    keep = storage.create_project("keep")
    kept_conversation = storage.create_conversation(keep.id, "stays")
    storage.add_message(kept_conversation.id, "user", "still here")
    doomed = storage.create_project("doomed")
    conversation = storage.create_conversation(doomed.id, "goes")
    question = storage.add_message(conversation.id, "user", "q")
    answer = storage.add_message(conversation.id, "assistant", "a")
    run = storage.create_run(conversation.id, answer.id, "q", {"subtasks": []})
    storage.upsert_subtask(run.id, "s1", title="t")
    storage.add_feedback(answer.id, rating=1, correct_role=None, should_split=None)

    storage.delete_project(doomed.id)

    assert storage.get_project(doomed.id) is None
    assert storage.get_message(question.id) is None and storage.get_run(run.id) is None
    raw = sqlite3.connect(storage.path)
    counts = {
        table: raw.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
        for table in ("projects", "conversations", "messages", "runs", "subtasks", "feedback")
    }
    raw.close()
    assert counts == {
        "projects": 1, "conversations": 1, "messages": 1, "runs": 0, "subtasks": 0, "feedback": 0,
    }
    with pytest.raises(KeyError, match="No project"):
        storage.delete_project(doomed.id)
