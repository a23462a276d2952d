"""What a run keeps when things go wrong: partial text with its error, short skip reasons,
the finished parts of a run whose process died, and one line when the backend is down."""

from __future__ import annotations

import socket
import subprocess
import sys
import threading
from pathlib import Path

from multi_model_system import MultiModelGLMSystem
from tests.execute.conftest import make_plan
from tests.fakes import FakeBackend, use_backend
from workbench import cli
from workbench.domain import EventKind, Role
from workbench.llm.base import BackendError

DATA_AT_STAKE = True  # streamed work and crash recovery: a failure here is data lost (bench/reliability.py)
ROOT = Path(__file__).resolve().parents[2]


def step_of(messages) -> str:
    return messages[-1].content.split("Your task — Step ")[1].split(":")[0]


class BreaksOn(FakeBackend):
    """Step `sid` streams two words, then the connection drops, on every try."""

    def __init__(self, sid: str, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.sid = sid

    def chat(self, model, messages, **kwargs):
        for i, chunk in enumerate(super().chat(model, messages, **kwargs)):
            if i == 2 and step_of(messages) == self.sid:
                raise BackendError("Ollama closed the connection")
            yield chunk


def test_a_failed_subtask_keeps_its_partial_text_and_its_dependents_only_name_it(make_glm, settings, storage):
    settings.execution.retry_backoff_s = 0
    settings.execution.store_interval_s = 0
    plan = make_plan("q", [("s1", Role.CODER, []), ("s2", Role.CODER, ["s1"]), ("s3", Role.MATH, [])])
    saved_mid_stream = []

    def on_event(event):
        if event.kind == EventKind.TOKEN and event.subtask_id == "s1" and not saved_mid_stream:
            saved_mid_stream.append(storage.list_subtasks(event.run_id)[0].output)

    result = make_glm(BreaksOn("s1", "alpha beta gamma"), plan).chat_with_model_enhanced("q", on_event=on_event)
    subtasks = {s.id: s for s in result.subtasks}
    assert saved_mid_stream == ["alpha "]  # stored as it arrived
    s1 = subtasks["s1"]
    assert (s1.status, s1.output, s1.error) == ("failed", "alpha beta ", "Ollama closed the connection")
    assert [a["chars"] for a in s1.attempts if a["kind"] == "generation"] == [11, 11]  # both tries kept count
    assert subtasks["s2"].error == "skipped: it needs s1 (Step s1) failed"
    stored = {s.subtask_id: s for s in storage.list_subtasks(result.run_id)}
    assert (stored["s1"].output, stored["s1"].error) == ("alpha beta ", "Ollama closed the connection")
    assert result.status == "partial" and stored["s3"].status == "complete"


def test_a_direct_answer_cut_off_is_not_tried_again_and_keeps_what_arrived(make_glm):
    class CutOff(FakeBackend):
        def chat(self, model, messages, **kwargs):
            for i, chunk in enumerate(super().chat(model, messages, **kwargs)):
                if i == 2:
                    raise BackendError("Ollama closed the connection")
                yield chunk

    backend = CutOff("alpha beta gamma")
    result = make_glm(backend).chat_with_model_enhanced("hi", use_hrm_decomposition=False)
    assert (result.status, result.answer, result.error) == ("partial", "alpha beta ", "Ollama closed the connection")
    assert len(backend.requests) == 1


CHILD = """
import os, sys
from workbench.config import load_settings
from workbench.domain import Role
from workbench.execute.scripted_plans import FixedDecomposer, make_plan
from workbench.llm.scripted import ScriptedBackend, use_backend
from workbench.system import System

settings = load_settings(data_dir=sys.argv[1], llm={"backend": "embedded"})
settings.execution.store_interval_s = 0
plan = make_plan("q", [("s1", Role.REASONING, []), ("s2", Role.CODER, ["s1"])])
glm = System(use_backend(settings, ScriptedBackend("alpha beta gamma delta")), hrm=FixedDecomposer(plan),
             retriever=None, validator=None)

def die_in_step_two(event):  # the process is killed in the middle of the second subtask
    if event.subtask_id == "s2" and event.text == "beta ":
        os._exit(9)

glm.chat_with_model_enhanced("Design and code a FAUST tremolo", on_event=die_in_step_two)
"""


def test_a_run_whose_process_died_keeps_its_finished_parts_and_partial_text(settings):
    child = subprocess.run([sys.executable, "-c", CHILD, str(settings.data_dir)], cwd=ROOT,
                           capture_output=True, text=True, timeout=120)
    assert child.returncode == 9, child.stderr

    glm = MultiModelGLMSystem(use_backend(settings, FakeBackend()), retriever=None, validator=None)  # next start
    [run] = glm.list_runs(glm.list_projects()[0].id)
    assert run.status == "partial" and run.error.startswith("interrupted:")
    assert "### Step s1 (s1 — scripted-model)\n\nalpha beta gamma delta" in run.answer
    answer = glm.get_messages(run.conversation_id)[1]
    assert (answer.status, answer.content) == ("partial", run.answer)
    s1, s2 = glm.list_subtasks(run.id)
    assert (s1.status, s1.output) == ("complete", "alpha beta gamma delta")
    assert (s2.status, s2.output) == ("failed", "alpha beta ")


def test_ask_with_ollama_down_exits_1_with_one_line(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("WORKBENCH_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("WORKBENCH_LLM__BACKEND", "ollama")
    monkeypatch.setenv("OLLAMA_HOST", "http://127.0.0.1:9")
    code = cli.main(["ask", "Build a JUCE plugin with a FAUST reverb and a GUI", "--project", "fx"])
    err = capsys.readouterr().err
    assert code == 1 and "Traceback" not in err
    [line] = err.strip().splitlines()  # the same cause for every subtask is said once
    assert line.startswith("error: Ollama is not reachable at http://127.0.0.1:9 — start it with `ollama serve`")


def test_ask_with_an_ollama_that_never_answers_its_model_list_exits_1_with_one_line(tmp_path, monkeypatch, capsys):
    server = socket.create_server(("127.0.0.1", 0))  # accepts connections, never answers
    accepted: list[socket.socket] = []
    threading.Thread(target=lambda: accepted.append(server.accept()[0]), daemon=True).start()
    monkeypatch.setenv("WORKBENCH_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("WORKBENCH_LLM__BACKEND", "ollama")
    monkeypatch.setenv("WORKBENCH_LLM__CONNECT_TIMEOUT_S", "0.3")
    monkeypatch.setenv("OLLAMA_HOST", f"http://127.0.0.1:{server.getsockname()[1]}")
    try:
        code = cli.main(["ask", "What is a FAUST lowpass?", "--no-decompose"])
    finally:
        server.close()
        for connection in accepted:
            connection.close()
    err = capsys.readouterr().err
    assert code == 1 and "Traceback" not in err
    [line] = err.strip().splitlines()
    assert line.startswith("error: Ollama is not reachable at http://127.0.0.1:")
