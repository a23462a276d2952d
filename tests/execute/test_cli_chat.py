"""`hrm-reason ask` and `hrm-reason status`, run in-process through the real argument parser."""

from __future__ import annotations

import io
import json

import pytest

from multi_model_system import MultiModelGLMSystem
from tests.execute.conftest import DIAMOND, FixedDecomposer, make_plan
from tests.fakes import FakeBackend, use_backend
from workbench import cli
from workbench.cli import chat
from workbench.config import load_settings
from workbench.domain import EventKind, RunEvent, SubtaskBegun
from workbench.storage import Storage


@pytest.fixture
def cli_env(tmp_path, monkeypatch):
    monkeypatch.setenv("WORKBENCH_DATA_DIR", str(tmp_path / "cli-data"))
    monkeypatch.setenv("WORKBENCH_LLM__BACKEND", "embedded")
    monkeypatch.setenv("WORKBENCH_LLM__MAX_ANSWER_TOKENS", "24")
    monkeypatch.setenv("OLLAMA_HOST", "127.0.0.1:9")
    return tmp_path / "cli-data"


def with_fake(monkeypatch, backend, plan=None):
    monkeypatch.setattr(chat, "build_system", lambda settings: MultiModelGLMSystem(
        use_backend(settings, backend), hrm=FixedDecomposer(plan) if plan else None,
        retriever=None, validator=None))


def stored_messages(data_dir):
    with Storage(data_dir / "workbench.sqlite3") as storage:
        project = storage.list_projects()[0]
        conversation = storage.list_conversations(project.id)[0]
        return project.name, storage.list_messages(conversation.id)


def test_ask_prints_a_progress_line_per_subtask_and_the_answer(cli_env, monkeypatch, capsys):
    with_fake(monkeypatch, FakeBackend("part done", thinking="pondering"), make_plan("q", DIAMOND))
    code = cli.main(["ask", "Build a filter plugin", "--project", "fx"])
    out, err = capsys.readouterr()
    assert code == 0
    assert "plan: 4 subtasks in 3 phases" in out
    for sid in ("s1", "s2", "s3", "s4"):
        assert f"[{sid}] started: Step {sid}" in out and f"[{sid}] complete in" in out
    assert "### Step s4 (s4 — scripted-model)" in out
    assert "pondering" in err and "pondering" not in out
    project, messages = stored_messages(cli_env)
    assert project == "fx" and [m.role for m in messages] == ["user", "assistant"]


def test_ask_direct_streams_tokens_and_json_prints_the_result(cli_env, monkeypatch, capsys):
    with_fake(monkeypatch, FakeBackend("streamed words here"))
    assert cli.main(["ask", "hi", "--no-decompose"]) == 0
    assert "streamed words here" in capsys.readouterr().out
    assert cli.main(["ask", "hi again", "--no-decompose", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["status"] == "complete" and result["answer"] == "streamed words here"


def test_ask_refuses_an_empty_question_with_exit_code_2(cli_env, monkeypatch, capsys):
    with_fake(monkeypatch, FakeBackend("never"))
    assert cli.main(["ask", "  ", "--no-decompose"]) == 2
    assert "Type a question first" in capsys.readouterr().err


def test_ask_on_the_real_embedded_model(cli_env, capsys):
    code = cli.main(["ask", "What is FAUST?", "--no-decompose", "--model", "Qwen2.5-Coder (Implementation)"])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "Ollama" not in err  # the embedded backend was chosen explicitly: no fallback notice
    _, messages = stored_messages(cli_env)
    assert messages[1].status == "complete" and messages[1].backend == "embedded"
    assert messages[1].content.strip() and messages[1].content.strip() in out


def test_status_json_reports_backends_roles_and_paths(cli_env, capsys):
    assert cli.main(["status", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["active_backend"] == "embedded"
    backends = {b["name"]: b for b in report["backends"]}
    assert backends["embedded"]["reachable"] is True
    assert backends["ollama"]["reachable"] is False and "127.0.0.1:9" in backends["ollama"]["detail"]
    assert report["roles"]["coder"]["tag"] == "qwen2.5-coder:32b"
    assert report["paths"]["database"] == str(load_settings().db_path)
    assert cli.main(["status"]) == 0
    assert "active backend: embedded" in capsys.readouterr().out


def test_progress_says_when_a_subtask_waits_for_a_free_slot():
    out, err = io.StringIO(), io.StringIO()
    chat.TerminalProgress(out, err)(RunEvent(kind=EventKind.SUBTASK_QUEUED, run_id="r", subtask_id="s2",
                                             text="Step s2",
                                             data=SubtaskBegun(backend="ollama", model="m", role="math")))
    assert out.getvalue() == "[s2] queued: Step s2 — waiting for a free slot on ollama\n"
