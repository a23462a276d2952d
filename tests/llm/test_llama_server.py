"""The OpenAI-compatible backend against a real serving engine: llama-cpp-python's server
running SmolLM2 on 127.0.0.1 — streaming, the planner's JSON schema, listing, a crash mid-stream."""

from __future__ import annotations

import json
import threading

import pytest

from tests.llm.llama_server import LlamaServer
from workbench.config import load_settings
from workbench.domain import ChatMessage, GenerationOptions, Role, TaskType
from workbench.execute.planner import PLAN_SCHEMA
from workbench.execute.streaming import Generation, stream_into
from workbench.llm import BackendError, OpenAICompatBackend
from workbench.llm.host_status import probe_hosts
from workbench.llm.hosts import HostPool

QUESTION = [ChatMessage(role="user", content="Explain in two sentences what a lowpass filter does to audio.")]


def test_an_answer_streams_in_many_chunks_with_a_finish_reason(llama_settings, llama_server):
    chunks = list(OpenAICompatBackend(llama_settings).chat(
        llama_server.model, QUESTION, options=GenerationOptions(max_tokens=24, temperature=0.0, seed=1)))

    pieces = [c for c in chunks if c.content]
    assert len(pieces) > 5  # token by token, not one block at the end
    assert "".join(c.content for c in chunks).strip()
    last = chunks[-1]
    assert last.done and last.done_reason in ("length", "stop") and last.model == llama_server.model
    assert not any(c.done for c in chunks[:-1])


def test_the_planners_schema_constrains_the_answer(llama_settings, llama_server):
    messages = [ChatMessage(role="system", content="Answer with JSON only."),
                ChatMessage(role="user", content="Plan: a FAUST lowpass, then a JUCE plugin around it.")]
    chunks = list(OpenAICompatBackend(llama_settings).chat(
        llama_server.model, messages, json_schema=PLAN_SCHEMA,
        options=GenerationOptions(max_tokens=700, temperature=0.0, seed=1)))

    text = "".join(c.content for c in chunks)
    assert chunks[-1].done_reason == "stop", text  # the grammar closed the object
    plan = json.loads(text)
    assert list(plan) == ["subtasks"] and plan["subtasks"]
    for subtask in plan["subtasks"]:  # enums hold; patterns are the caller's check (grammar_schema.py)
        assert subtask["role"] in {r.value for r in Role} and subtask["task_type"] in {t.value for t in TaskType}


def test_the_model_is_listed_with_its_facts(llama_settings, llama_server):
    backend = OpenAICompatBackend(llama_settings)
    assert backend.list_models() == [llama_server.model]
    assert backend.health().reachable
    statuses = {s.host.name: s for s in probe_hosts(HostPool(llama_settings))}
    (model,) = statuses["openai"].models
    assert (model.family, model.parameter_size, model.quantization) == ("smollm2", "135M", "Q4_1")


def test_a_server_killed_mid_stream_keeps_the_partial_answer_and_says_so(tmp_path):
    with LlamaServer() as doomed:
        settings = load_settings(data_dir=tmp_path / "data",
                                 llm={"openai_base_url": doomed.base_url, "request_timeout_s": 60.0})
        pieces: list[str] = []

        def kill_after_a_few(piece: str) -> None:
            pieces.append(piece)
            if len(pieces) == 4:
                threading.Thread(target=doomed.kill).start()

        generation = Generation(model=doomed.model)
        with pytest.raises(BackendError) as caught:
            stream_into(generation, OpenAICompatBackend(settings), QUESTION, timeout_s=60,
                        options=GenerationOptions(max_tokens=400, temperature=0.0), on_content=kill_after_a_few)

    assert len(pieces) >= 4 and generation.content == "".join(pieces)
    message = str(caught.value)
    assert doomed.base_url in message and "the partial answer was kept" in message
