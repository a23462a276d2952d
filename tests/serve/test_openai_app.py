"""The OpenAI-compatible app's behaviour around the run, on a scripted backend in a uvicorn
thread: a hang-up stops the run, a failed run is an OpenAI error, the client's earlier turns
reach the model, CORS only when asked for."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator

import httpx
import openai
import pytest
import uvicorn

from multi_model_system import MultiModelGLMSystem
from tests.fakes import FakeBackend, use_backend
from tests.serve.conftest import free_port
from workbench.config import Settings
from workbench.llm.base import BackendError
from workbench.serve.openai_app import create_app
from workbench.serve.services import Workbench

ORIGIN = "http://127.0.0.1:3000"


@pytest.fixture
def serve(settings: Settings) -> Iterator[Callable[[FakeBackend], tuple[str, MultiModelGLMSystem]]]:
    """Starts the app on a scripted backend; every server is stopped at teardown."""
    servers: list[tuple[uvicorn.Server, threading.Thread]] = []

    def start(backend: FakeBackend) -> tuple[str, MultiModelGLMSystem]:
        glm = MultiModelGLMSystem(use_backend(settings, backend), retriever=None, validator=None)
        port = free_port()
        server = uvicorn.Server(uvicorn.Config(create_app(Workbench(settings, glm), cors_origins=[ORIGIN]),
                                               host="127.0.0.1", port=port, log_level="warning"))
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        servers.append((server, thread))
        while not server.started:
            time.sleep(0.02)
        return f"http://127.0.0.1:{port}/v1", glm

    yield start
    for server, thread in servers:
        server.should_exit = True
        thread.join(timeout=10)


def test_a_client_that_hangs_up_stops_its_run(serve):
    base, glm = serve(FakeBackend(" ".join(["word"] * 400), token_delay_s=0.02))
    body = {"model": "workbench-direct", "stream": True, "messages": [{"role": "user", "content": "go on"}]}
    with httpx.stream("POST", f"{base}/chat/completions", json=body, timeout=30) as response:
        run_id = response.headers["X-Workbench-Run-Id"]
        lines = response.iter_lines()
        next(line for line in lines if '"content": "word' in line)
    deadline = time.monotonic() + 10
    while glm.get_run(run_id).status == "running" and time.monotonic() < deadline:
        time.sleep(0.05)
    run = glm.get_run(run_id)
    assert run.status == "cancelled" and 0 < len(run.answer.split()) < 400


def test_a_failed_run_is_an_openai_server_error(serve):
    base, _ = serve(FakeBackend(fail_when=lambda _m, _msgs: BackendError("the model server went away")))
    client = openai.OpenAI(base_url=base, api_key="none", max_retries=0)
    question = [{"role": "user", "content": "hello"}]
    with pytest.raises(openai.InternalServerError, match="the model server went away"):
        client.chat.completions.create(model="workbench-direct", messages=question)
    with pytest.raises(openai.APIError, match="The run failed: the model server went away"):
        list(client.chat.completions.create(model="workbench-direct", messages=question, stream=True))


def test_turns_the_workbench_did_not_store_reach_the_model_as_context(serve):
    backend = FakeBackend("noted")
    base, _ = serve(backend)
    client = openai.OpenAI(base_url=base, api_key="none", max_retries=0)
    client.chat.completions.create(model="workbench-direct", messages=[
        {"role": "system", "content": "Always answer in FAUST."},
        {"role": "user", "content": "My plugin is a tremolo."}, {"role": "assistant", "content": "Nice."},
        {"role": "user", "content": "Make it stereo."}])
    prompt = "\n".join(m.content for m in backend.requests[-1]["messages"])
    assert "Always answer in FAUST." in prompt and "user: My plugin is a tremolo." in prompt
    assert backend.requests[-1]["messages"][-1].content.endswith("Make it stereo.")


def test_without_a_key_no_header_is_needed_and_cors_answers_listed_origins_only(serve):
    base, _ = serve(FakeBackend())
    assert httpx.get(f"{base}/models").status_code == 200
    preflight = {"Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "Authorization"}
    allowed = httpx.options(f"{base}/chat/completions", headers={"Origin": ORIGIN, **preflight})
    assert allowed.headers["access-control-allow-origin"] == ORIGIN
    other = httpx.options(f"{base}/chat/completions", headers={"Origin": "http://evil.test", **preflight})
    assert "access-control-allow-origin" not in other.headers
