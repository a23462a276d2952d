"""`hrm-reason serve` as a real uvicorn subprocess on a free port, called by the official
`openai` client, answering on the embedded SmolLM2 model and storing what it answered."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import openai
import pytest

from tests.serve.conftest import free_port, settings_from, start_server, stop
from workbench.storage import Storage

KEY = "sk-test-workbench"


@pytest.fixture(scope="module")
def server(workbench_env: dict[str, str]) -> Iterator[str]:
    port = free_port()
    base = f"http://127.0.0.1:{port}/v1"
    process = start_server(["serve", "--port", str(port), "--api-key", KEY], workbench_env, f"{base}/models")
    yield base
    stop(process)


@pytest.fixture(scope="module")
def client(server: str) -> openai.OpenAI:
    return openai.OpenAI(base_url=server, api_key=KEY, max_retries=0, timeout=120)


@pytest.fixture(scope="module")
def db_path(workbench_env: dict[str, str]) -> Path:
    return settings_from(workbench_env).db_path


def stored(db_path: Path, conversation_id: int) -> list[tuple[str, str]]:
    with Storage(db_path) as storage:
        return [(m.role, m.content) for m in storage.list_messages(conversation_id)]


def project_of(db_path: Path, conversation_id: int) -> str:
    with Storage(db_path) as storage:
        conversation = storage.get_conversation(conversation_id)
        return storage.get_project(conversation.project_id).name


def test_the_two_models_are_listed(client):
    assert sorted(m.id for m in client.models.list()) == ["workbench", "workbench-direct"]
    assert client.models.retrieve("workbench-direct").owned_by == "faust-juce-workbench"


def test_a_completion_is_answered_and_stored_under_the_header_project(client, db_path):
    response = client.chat.completions.create(
        model="workbench-direct", messages=[{"role": "user", "content": "What is a low-pass filter?"}],
        extra_headers={"X-Workbench-Project": "webui"})
    answer = response.choices[0].message.content
    assert answer.strip() and response.choices[0].finish_reason == "stop"
    assert response.usage.completion_tokens > 0 and response.id == f"chatcmpl-{response.workbench['run_id']}"
    conversation = response.workbench["conversation_id"]
    assert stored(db_path, conversation) == [("user", "What is a low-pass filter?"), ("assistant", answer)]
    assert project_of(db_path, conversation) == "webui"

    follow_up = client.chat.completions.create(model="workbench-direct", messages=[
        {"role": "system", "content": "Answer briefly."},
        {"role": "user", "content": "What is a low-pass filter?"}, {"role": "assistant", "content": answer},
        {"role": "user", "content": [{"type": "text", "text": "And a high-pass one?"}]},
    ], extra_headers={"X-Workbench-Project": "webui"})
    assert follow_up.workbench["conversation_id"] == conversation  # the client's chat continues
    assert [role for role, _ in stored(db_path, conversation)] == ["user", "assistant"] * 2


def test_a_stream_arrives_in_openai_chunks_and_matches_what_was_stored(client, db_path):
    stream = client.chat.completions.create(
        model="workbench", messages=[{"role": "user", "content": "What does a FAUST delay line do?"}],
        stream=True, stream_options={"include_usage": True}, user="continue-ide")
    chunks = list(stream)
    assert chunks[0].choices[0].delta.role == "assistant"
    deltas = [c.choices[0].delta for c in chunks if c.choices]
    content = "".join(d.content or "" for d in deltas)
    progress = "".join(getattr(d, "reasoning_content", None) or "" for d in deltas)
    finished = [c for c in chunks if c.choices and c.choices[0].finish_reason]
    assert [c.choices[0].finish_reason for c in finished] == ["stop"]
    assert content.strip() and "run started on embedded" in progress and "run done" in progress
    assert chunks[-1].choices == [] and chunks[-1].usage.completion_tokens > 0
    conversation = finished[0].workbench["conversation_id"]
    assert stored(db_path, conversation)[1] == ("assistant", content)
    assert project_of(db_path, conversation) == "continue-ide"


def test_without_the_key_the_answer_is_401(server):
    bad = openai.OpenAI(base_url=server, api_key="wrong", max_retries=0)
    with pytest.raises(openai.AuthenticationError, match="API key"):
        bad.models.list()
    bare = httpx.post(f"{server}/chat/completions", json={"model": "workbench", "messages": []})
    assert bare.status_code == 401 and bare.json()["error"]["code"] == "invalid_api_key"


def test_bad_requests_get_openai_style_errors(client, server):
    with pytest.raises(openai.BadRequestError) as empty:
        client.chat.completions.create(model="workbench", messages=[])
    assert "messages" in empty.value.body["message"] and empty.value.body["type"] == "invalid_request_error"
    with pytest.raises(openai.BadRequestError, match="last message must be the user's question"):
        client.chat.completions.create(model="workbench", messages=[{"role": "assistant", "content": "hi"}])
    with pytest.raises(openai.NotFoundError, match="use one of: workbench, workbench-direct"):
        client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": "hi"}])
    broken = httpx.post(f"{server}/chat/completions", content=b"{not json",
                        headers={"Authorization": f"Bearer {KEY}", "Content-Type": "application/json"})
    assert broken.status_code == 400 and broken.json()["error"]["message"] == "The request body is not valid JSON"


def test_it_listens_on_the_loopback_interface_only_without_cors(server):
    port = int(server.rsplit(":", 1)[1].split("/")[0])
    listening = [line.split()[1] for line in Path("/proc/net/tcp").read_text().splitlines()[1:]
                 if line.split()[3] == "0A"]  # state LISTEN
    assert f"0100007F:{port:04X}" in listening  # 127.0.0.1, and on no other address
    assert not any(address.endswith(f":{port:04X}") and address != f"0100007F:{port:04X}" for address in listening)
    answer = httpx.get(f"{server}/models", headers={"Authorization": f"Bearer {KEY}", "Origin": "http://evil.test"})
    assert answer.status_code == 200 and "access-control-allow-origin" not in answer.headers
