"""The OpenAI-compatible backend against a local server speaking `/v1` SSE."""

from __future__ import annotations

import json

import pytest
from pytest_httpserver import HTTPServer

from workbench.config import load_settings
from workbench.domain import ChatMessage, GenerationOptions
from workbench.llm import BackendError, BackendUnavailable, ModelNotFound, OpenAICompatBackend

MODEL = "Qwen/Qwen3-8B"
QUESTION = [ChatMessage(role="user", content="Design a lowpass.")]


def delta(content: str | None = None, finish: str | None = None, **fields) -> dict:
    body = dict(fields)
    if content is not None:
        body["content"] = content
    return {"id": "c1", "object": "chat.completion.chunk", "created": 1, "model": MODEL,
            "choices": [{"index": 0, "delta": body, "finish_reason": finish}]}


USAGE = {"id": "c1", "object": "chat.completion.chunk", "created": 1, "model": MODEL, "choices": [],
         "usage": {"prompt_tokens": 9, "completion_tokens": 4, "total_tokens": 13}}


def sse(*events: dict, done: bool = True) -> str:
    text = "".join(f"data: {json.dumps(e)}\n\n" for e in events)
    return text + ("data: [DONE]\n\n" if done else "")


def serve(httpserver: HTTPServer, body: str) -> None:
    httpserver.expect_request("/v1/chat/completions", method="POST").respond_with_data(
        body, content_type="text/event-stream")


def test_streams_reasoning_deltas_and_content_with_usage(httpserver, server_settings):
    serve(httpserver, sse(delta(role="assistant", content=""), delta(reasoning_content="Cutoff "),
                          delta(reasoning_content="first."), delta("Use "), delta("onepole."),
                          delta(finish="stop"), USAGE))
    chunks = list(OpenAICompatBackend(server_settings).chat(
        MODEL, QUESTION, think=True, options=GenerationOptions(temperature=0.1, seed=3, max_tokens=50)))

    assert "".join(c.content for c in chunks) == "Use onepole."
    assert "".join(c.thinking for c in chunks) == "Cutoff first."
    last = chunks[-1]
    assert last.done and (last.prompt_tokens, last.completion_tokens, last.done_reason) == (9, 4, "stop")
    assert last.model == MODEL
    body = httpserver.log[0][0].get_json()
    assert body["model"] == MODEL and body["stream"] is True and body["max_tokens"] == 50
    assert body["temperature"] == 0.1 and body["seed"] == 3
    assert body["chat_template_kwargs"] == {"enable_thinking": True}
    assert body["messages"] == [{"role": "user", "content": "Design a lowpass."}]


def test_inline_think_tags_and_json_schema(httpserver, server_settings):
    schema = {"type": "object", "properties": {"ok": {"type": "boolean"}}, "required": ["ok"]}
    serve(httpserver, sse(delta("<think>check</thi"), delta('nk>{"ok": '), delta("true}"),
                          delta(finish="stop")))
    chunks = list(OpenAICompatBackend(server_settings).chat(MODEL, QUESTION, json_schema=schema))

    assert json.loads("".join(c.content for c in chunks)) == {"ok": True}
    assert "".join(c.thinking for c in chunks) == "check"
    body = httpserver.log[0][0].get_json()
    assert body["response_format"]["type"] == "json_schema"
    assert body["response_format"]["json_schema"]["schema"] == schema
    assert "chat_template_kwargs" not in body


def test_models_are_listed(httpserver, server_settings):
    httpserver.expect_request("/v1/models").respond_with_json({"object": "list", "data": [
        {"id": MODEL, "object": "model", "created": 1, "owned_by": "vllm"}]})
    backend = OpenAICompatBackend(server_settings)
    assert backend.list_models() == [MODEL]
    assert backend.health().reachable


def test_unknown_model_is_model_not_found(httpserver, server_settings):
    httpserver.expect_request("/v1/chat/completions").respond_with_json(
        {"error": {"message": "The model `x` does not exist.", "type": "NotFoundError", "code": 404}},
        status=404)
    with pytest.raises(ModelNotFound, match="'x' is not served.*does not exist") as caught:
        list(OpenAICompatBackend(server_settings).chat("x", QUESTION))
    assert caught.value.model == "x"


def test_server_error_message_is_kept(httpserver, server_settings):
    httpserver.expect_request("/v1/chat/completions").respond_with_json(
        {"error": {"message": "KV cache is full", "type": "InternalServerError"}}, status=500)
    with pytest.raises(BackendError, match="HTTP 500.*KV cache is full"):
        list(OpenAICompatBackend(server_settings).chat(MODEL, QUESTION))


def test_stream_cut_before_finish_raises_after_partial_answer(httpserver, server_settings):
    serve(httpserver, sse(delta("Half "), delta("an answer"), done=False))
    received: list[str] = []
    with pytest.raises(BackendError, match="closed the stream"):
        for chunk in OpenAICompatBackend(server_settings).chat(MODEL, QUESTION):
            received.append(chunk.content)
    assert "".join(received) == "Half an answer"


def test_unreachable_server_is_named(tmp_path):
    settings = load_settings(data_dir=tmp_path, llm={"openai_base_url": "http://127.0.0.1:9/v1"})
    backend = OpenAICompatBackend(settings)
    with pytest.raises(BackendUnavailable, match=r"not reachable at http://127\.0\.0\.1:9/v1"):
        list(backend.chat(MODEL, QUESTION))
    assert not backend.health().reachable


def test_missing_base_url_says_what_to_set(settings):
    with pytest.raises(BackendUnavailable, match="set llm.openai_base_url"):
        OpenAICompatBackend(settings)


def test_error_event_mid_stream_raises_after_partial_answer(httpserver, server_settings):
    serve(httpserver, sse(delta("Half "), {"error": {"message": "engine died", "type": "server_error"}}))
    received: list[str] = []
    with pytest.raises(BackendError, match="engine died"):
        for chunk in OpenAICompatBackend(server_settings).chat(MODEL, QUESTION):
            received.append(chunk.content)
    assert received == ["Half "]
