"""The deadline and Stop hold while a backend sends nothing, and a failing stream keeps what it sent."""

from __future__ import annotations

import threading
import time
from itertools import islice

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from tests.execute.conftest import make_plan
from tests.fakes import FakeBackend
from workbench.config import load_settings
from workbench.domain import ChatMessage, GenerationOptions, Role
from workbench.execute.caller import ModelCaller
from workbench.execute.planner import plan_with_llm
from workbench.execute.streaming import CANCEL_POLL_S, Generation, GenerationTimeout, RunCancelled, stream_into
from workbench.llm import ModelNotFound, OllamaBackend
from workbench.llm.embedded import EmbeddedBackend

QUESTION = [ChatMessage(role="user", content="Write a one-pole low-pass filter in FAUST.")]
LATE_S = 0.5  # how much later than asked a timeout or a Stop may be seen


def pump_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "stream-pump"]


def test_a_stream_that_never_sends_a_chunk_times_out_on_time_and_is_closed_when_it_wakes(stalling):
    generation = Generation(model="m")
    started = time.perf_counter()
    with pytest.raises(GenerationTimeout, match=r"m on scripted took longer than 0.3 s"):
        stream_into(generation, stalling, QUESTION, timeout_s=0.3)
    assert 0.3 <= time.perf_counter() - started < 0.3 + LATE_S
    assert generation.duration_ms >= 300

    stalling.release.set()  # the backend finally answers: the pump closes the stream, unread
    assert stalling.closed.wait(2)
    assert generation.content == ""


def test_stop_ends_the_wait_for_a_first_chunk_that_never_comes(stalling):
    cancel = threading.Event()
    threading.Timer(0.2, cancel.set).start()
    started = time.perf_counter()
    with pytest.raises(RunCancelled):
        stream_into(Generation(model="m"), stalling, QUESTION, cancel=cancel)  # no deadline at all
    assert 0.2 <= time.perf_counter() - started < 0.2 + CANCEL_POLL_S + LATE_S


class BreaksMidStream(FakeBackend):
    """Sends the first `sent` chunks of its script, then raises `error`."""

    def __init__(self, script: str, sent: int, error: Exception) -> None:
        super().__init__(script)
        self.sent, self.error = sent, error

    def chat(self, model, messages, **kwargs):
        yield from islice(super().chat(model, messages, **kwargs), self.sent)
        raise self.error


def test_a_backend_error_mid_stream_keeps_the_partial_answer_and_reaches_the_caller_unchanged():
    error = ModelNotFound("the model was unloaded — pull it again", "qwen2.5-coder:32b")
    generation, tokens = Generation(model="m"), []
    with pytest.raises(ModelNotFound) as raised:
        stream_into(generation, BreaksMidStream("one two three four", 2, error), QUESTION,
                    timeout_s=5, cancel=threading.Event(), on_content=tokens.append)
    assert raised.value is error and raised.value.model == "qwen2.5-coder:32b"
    assert generation.content == "one two " and tokens == ["one ", "two "]


def test_many_small_chunks_all_arrive_in_order_with_the_counts():
    words = [f"w{i}" for i in range(2000)]
    generation, tokens = Generation(model="m"), []
    stream_into(generation, FakeBackend(" ".join(words)), QUESTION, timeout_s=30,
                cancel=threading.Event(), on_content=tokens.append)
    assert generation.content == " ".join(words) and "".join(tokens) == generation.content
    assert generation.completion_tokens == 2000


def test_the_planner_falls_back_to_the_template_when_its_model_stalls(settings, stalling):
    settings.execution.subtask_timeout_s = 0.3
    template = make_plan("Design a FAUST reverb", [("s1", Role.REASONING, []), ("s2", Role.CODER, ["s1"])],
                         complexity=9)
    started = time.perf_counter()
    plan = plan_with_llm(template, ModelCaller(settings, stalling), settings, check=lambda _s: None)
    assert time.perf_counter() - started < 0.3 + LATE_S
    assert plan.subtasks == template.subtasks
    assert plan.planner_fallback_reason.startswith("the planner model failed:")
    assert "took longer than 0.3 s" in plan.planner_fallback_reason


def test_stop_during_planning_ends_the_planner_call_at_once(settings, stalling):
    settings.execution.subtask_timeout_s = 60
    template = make_plan("Design a FAUST reverb", [("s1", Role.REASONING, []), ("s2", Role.CODER, ["s1"])],
                         complexity=9)
    cancel = threading.Event()
    threading.Timer(0.2, cancel.set).start()
    started = time.perf_counter()
    plan = plan_with_llm(template, ModelCaller(settings, stalling, cancel=cancel), settings, check=lambda _s: None)
    assert time.perf_counter() - started < 0.2 + LATE_S
    assert plan.subtasks == template.subtasks
    assert plan.planner_fallback_reason == "the run was stopped before the planner answered"


# ------------------------------------------------------------------ real backends


@pytest.fixture
def silent_ollama(httpserver: HTTPServer):
    """A real HTTP server that accepts the chat request and does not answer until released."""
    release = threading.Event()

    def answer_late(_request: Request) -> Response:
        release.wait(10)
        return Response('{"model":"m","message":{"role":"assistant","content":"late"},"done":false}\n',
                        content_type="application/x-ndjson")

    httpserver.expect_request("/api/chat", method="POST").respond_with_handler(answer_late)
    yield httpserver.url_for("/").rstrip("/")
    release.set()


def test_a_real_ollama_client_stuck_on_a_silent_server_is_given_up_on_time_and_on_stop(tmp_path, silent_ollama):
    # the client's own request timeout is far away: only stream_into can end these waits
    settings = load_settings(data_dir=tmp_path / "data", llm={"ollama_host": silent_ollama,
                                                              "request_timeout_s": 60.0})
    backend = OllamaBackend(settings)
    started = time.perf_counter()
    with pytest.raises(GenerationTimeout, match="took longer than 0.4 s"):
        stream_into(Generation(model="m"), backend, QUESTION, timeout_s=0.4)
    assert time.perf_counter() - started < 0.4 + LATE_S

    cancel = threading.Event()
    threading.Timer(0.2, cancel.set).start()
    started = time.perf_counter()
    with pytest.raises(RunCancelled):
        stream_into(Generation(model="m"), backend, QUESTION, timeout_s=60, cancel=cancel)
    assert time.perf_counter() - started < 0.2 + CANCEL_POLL_S + LATE_S


def test_stop_during_a_real_embedded_generation_frees_the_model_for_the_next_request(tmp_path):
    earlier_pumps = set(pump_threads())
    backend = EmbeddedBackend(load_settings(data_dir=tmp_path / "data", llm={"backend": "embedded"}))
    options = GenerationOptions(max_tokens=48, temperature=0.0, seed=1)
    cancel, stopped = threading.Event(), Generation(model=backend.model_name)
    with pytest.raises(RunCancelled):
        stream_into(stopped, backend, QUESTION, options=options, cancel=cancel,
                    on_content=lambda _text: cancel.set())  # Stop right after the first token
    assert stopped.content  # what came before Stop is kept

    # llama.cpp serves one generation at a time: the stopped one must have let go of it
    after = stream_into(Generation(model=backend.model_name), backend, QUESTION, options=options, timeout_s=60)
    assert after.content and after.completion_tokens
    deadline = time.monotonic() + 2
    while set(pump_threads()) - earlier_pumps and time.monotonic() < deadline:
        time.sleep(0.01)
    assert not set(pump_threads()) - earlier_pumps  # both pumps ended once their streams did


def test_stop_during_a_direct_answer_that_never_starts_ends_the_run_as_cancelled(make_glm, stalling):
    glm = make_glm(stalling)
    cancel = threading.Event()
    threading.Timer(0.2, cancel.set).start()
    started = time.perf_counter()
    result = glm.chat_with_model_enhanced("What is a comb filter?", use_hrm_decomposition=False, cancel=cancel)
    assert time.perf_counter() - started < 0.2 + CANCEL_POLL_S + LATE_S
    assert (result.status, result.error) == ("cancelled", "cancelled by the user")
    assert glm.get_messages(result.conversation_id)[1].status == "partial"
