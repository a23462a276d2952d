"""The Ollama backend against a local server speaking Ollama's NDJSON wire format."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from workbench.config import Settings, load_settings
from workbench.domain import ChatChunk, ChatMessage, GenerationOptions
from workbench.llm import BackendError, BackendUnavailable, ModelNotFound, OllamaBackend

MODEL = "deepseek-r1:7b"
QUESTION = [ChatMessage(role="system", content="Be brief."), ChatMessage(role="user", content="Why?")]


def part(content: str = "", thinking: str | None = None, **extra) -> dict:
    message = {"role": "assistant", "content": content}
    if thinking is not None:
        message["thinking"] = thinking
    return {"model": MODEL, "created_at": "2026-11-24T10:00:00Z", "message": message,
            "done": False, **extra}


def final(prompt: int = 12, completion: int = 5) -> dict:
    return {**part(), "done": True, "done_reason": "stop", "prompt_eval_count": prompt,
            "eval_count": completion, "total_duration": 1000}


def ndjson(*parts: dict) -> str:
    return "".join(json.dumps(p) + "\n" for p in parts)


def serve_chat(httpserver: HTTPServer, *parts: dict) -> None:
    httpserver.expect_request("/api/chat", method="POST").respond_with_data(
        ndjson(*parts), content_type="application/x-ndjson")


def collect(chunks: Iterator[ChatChunk]) -> tuple[str, str, list[ChatChunk]]:
    got = list(chunks)
    return "".join(c.content for c in got), "".join(c.thinking for c in got), got


def test_streams_thinking_and_content_separately_with_counts(httpserver, server_settings):
    serve_chat(httpserver, part(thinking="Let me "), part(thinking="think."),
               part("The answer"), part(" is 42."), final(12, 5))
    content, thinking, chunks = collect(OllamaBackend(server_settings).chat(
        MODEL, QUESTION, think=True,
        options=GenerationOptions(temperature=0.2, top_p=0.9, seed=7, stop=["###"], max_tokens=64)))

    assert (content, thinking) == ("The answer is 42.", "Let me think.")
    assert [c.done for c in chunks] == [False] * 4 + [True]
    last = chunks[-1]
    assert (last.model, last.prompt_tokens, last.completion_tokens, last.done_reason) == (MODEL, 12, 5, "stop")
    body = httpserver.log[0][0].get_json()
    assert body["model"] == MODEL and body["stream"] is True and body["think"] is True
    assert body["messages"] == [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Why?"}]
    assert body["options"] == {"num_predict": 64, "temperature": 0.2, "top_p": 0.9, "seed": 7, "stop": ["###"]}
    assert body["keep_alive"] == "7m"
    assert "format" not in body


def test_default_length_comes_from_settings_and_schema_is_sent_as_format(httpserver, server_settings):
    schema = {"type": "object", "properties": {"title": {"type": "string"}}, "required": ["title"]}
    serve_chat(httpserver, part('{"title": "x"}'), final())
    content, _, _ = collect(OllamaBackend(server_settings).chat(MODEL, QUESTION, json_schema=schema))

    assert json.loads(content) == {"title": "x"}
    body = httpserver.log[0][0].get_json()
    assert body["format"] == schema
    assert body["options"] == {"num_predict": server_settings.llm.max_answer_tokens}
    assert "think" not in body


def test_inline_think_tags_split_across_chunks_go_to_thinking(httpserver, server_settings):
    serve_chat(httpserver, part("<thi"), part("nk>\nplan a"), part(" filter</th"), part("ink>\n\nUse "),
               part("lowpass."), final())
    content, thinking, _ = collect(OllamaBackend(server_settings).chat(MODEL, QUESTION))
    assert (content, thinking) == ("Use lowpass.", "plan a filter")


def test_models_are_listed_from_api_tags(httpserver, server_settings):
    httpserver.expect_request("/api/tags").respond_with_json({"models": [
        {"name": "qwen2.5-coder:32b", "model": "qwen2.5-coder:32b", "size": 1, "digest": "a",
         "modified_at": "2026-11-01T00:00:00Z", "details": {"family": "qwen2"}},
        {"name": "deepseek-r1:7b", "model": "deepseek-r1:7b", "size": 2, "digest": "b",
         "modified_at": "2026-11-01T00:00:00Z"},
    ]})
    backend = OllamaBackend(server_settings)
    assert backend.list_models() == ["qwen2.5-coder:32b", "deepseek-r1:7b"]
    health = backend.health()
    assert health.reachable and health.models == ["qwen2.5-coder:32b", "deepseek-r1:7b"]


def test_missing_model_says_how_to_pull_it(httpserver, server_settings):
    httpserver.expect_request("/api/chat").respond_with_json({"error": "model 'nope:1b' not found"}, status=404)
    with pytest.raises(ModelNotFound) as caught:
        list(OllamaBackend(server_settings).chat("nope:1b", QUESTION))
    assert caught.value.model == "nope:1b"
    assert str(caught.value) == "Model 'nope:1b' is not installed in Ollama — run `ollama pull nope:1b`"


def test_server_error_carries_the_servers_message(httpserver, server_settings):
    httpserver.expect_request("/api/chat").respond_with_json(
        {"error": "llama runner process has terminated: out of memory"}, status=500)
    with pytest.raises(BackendError, match="HTTP 500.*out of memory") as caught:
        list(OllamaBackend(server_settings).chat(MODEL, QUESTION))
    assert not isinstance(caught.value, (ModelNotFound, BackendUnavailable))


def test_unreachable_server_names_the_host_and_health_does_not_raise(settings):
    backend = OllamaBackend(settings)  # the shared fixture's host: 127.0.0.1:9, nobody listens
    expected = ("Ollama is not reachable at http://127.0.0.1:9 — start it with `ollama serve`, "
                "or switch to the embedded backend")
    with pytest.raises(BackendUnavailable) as caught:
        list(backend.chat(MODEL, QUESTION))
    assert str(caught.value) == expected
    with pytest.raises(BackendUnavailable, match="127.0.0.1:9"):
        backend.list_models()
    health = backend.health()
    assert not health.reachable and health.detail == expected


def test_error_line_mid_stream_raises_after_the_chunks_already_sent(httpserver, server_settings):
    serve_chat(httpserver, part("Half "), part("an answer"), {"error": "model runner crashed"})
    received: list[str] = []
    with pytest.raises(BackendError, match="model runner crashed"):
        for chunk in OllamaBackend(server_settings).chat(MODEL, QUESTION):
            received.append(chunk.content)
    assert "".join(received) == "Half an answer"


def test_stream_cut_before_done_raises_after_the_partial_answer(httpserver, server_settings):
    serve_chat(httpserver, part("Half "), part("an answer"))
    received: list[str] = []
    with pytest.raises(BackendError, match="closed the stream"):
        for chunk in OllamaBackend(server_settings).chat(MODEL, QUESTION):
            received.append(chunk.content)
    assert "".join(received) == "Half an answer"


def test_connection_dropped_mid_stream_raises_after_the_partial_answer(httpserver, server_settings):
    def dropping(_request: Request) -> Response:
        sent = ndjson(part("Half ")).encode()  # promises more bytes than it sends, then hangs up
        return Response([sent], headers={"Content-Length": str(len(sent) + 500)})

    httpserver.expect_request("/api/chat").respond_with_handler(dropping)
    received: list[str] = []
    with pytest.raises(BackendError, match="broke off the answer.*peer closed connection"):
        for chunk in OllamaBackend(server_settings).chat(MODEL, QUESTION):
            received.append(chunk.content)
    assert received == ["Half "]


def test_model_without_thinking_support_is_asked_again_without_think(httpserver, server_settings):
    httpserver.expect_ordered_request("/api/chat").respond_with_json(
        {"error": f'"{MODEL}" does not support thinking'}, status=400)
    httpserver.expect_ordered_request("/api/chat").respond_with_data(ndjson(part("Plain."), final()))
    content, thinking, _ = collect(OllamaBackend(server_settings).chat(MODEL, QUESTION, think=True))

    assert (content, thinking) == ("Plain.", "")
    first, second = (entry[0].get_json() for entry in httpserver.log)
    assert first["think"] is True and "think" not in second


def test_other_bad_requests_are_not_retried(httpserver, server_settings: Settings):
    httpserver.expect_request("/api/chat").respond_with_json({"error": "invalid format schema"}, status=400)
    with pytest.raises(BackendError, match="HTTP 400.*invalid format schema"):
        list(OllamaBackend(server_settings).chat(MODEL, QUESTION, think=True))
    assert len(httpserver.log) == 1


def test_slow_server_times_out_with_advice(httpserver, tmp_path):
    def slow(_request: Request) -> Response:
        time.sleep(1.0)
        return Response(ndjson(final()))

    httpserver.expect_request("/api/chat").respond_with_handler(slow)
    settings = load_settings(data_dir=tmp_path, llm={
        "ollama_host": httpserver.url_for("/").rstrip("/"), "request_timeout_s": 0.3})
    with pytest.raises(BackendUnavailable, match="did not answer within 0.3 s.*request_timeout_s"):
        list(OllamaBackend(settings).chat(MODEL, QUESTION))
    deadline = time.monotonic() + 5  # let the server finish, so its log entry lands in this test
    while not httpserver.log and time.monotonic() < deadline:
        time.sleep(0.05)
