"""Schemas with large bounds must reach llama.cpp in a form its grammar engine accepts."""

from __future__ import annotations

import json

from pydantic import BaseModel, Field

from workbench.config import load_settings
from workbench.domain import ChatMessage, GenerationOptions, Subtask
from workbench.llm import EmbeddedBackend
from workbench.llm.grammar_schema import MAX_GRAMMAR_REPEAT, grammar_safe_schema


class _Plan(BaseModel):
    subtasks: list[Subtask] = Field(min_length=1, max_length=8)


def test_large_bounds_and_patterns_are_dropped_small_ones_kept():
    schema = {
        "type": "object",
        "properties": {
            "pattern": {"type": "string", "maxLength": 4000, "pattern": "^[a-z]+$"},
            "tags": {"type": "array", "maxItems": 3, "minItems": 1, "items": {"type": "string"}},
        },
    }
    safe = grammar_safe_schema(schema)
    assert safe["properties"]["pattern"] == {"type": "string"}  # a property may be named "pattern"
    assert safe["properties"]["tags"]["maxItems"] == 3 <= MAX_GRAMMAR_REPEAT
    assert schema["properties"]["pattern"]["maxLength"] == 4000  # the input is not changed


def test_plan_schema_runs_on_the_embedded_model(tmp_path):
    """The full Subtask schema (title ≤ 200, description ≤ 4000 characters) crashed
    llama.cpp's grammar parser before it was made grammar-safe."""
    backend = EmbeddedBackend(load_settings(data_dir=tmp_path, llm={"embedded_n_ctx": 2048}))
    messages = [ChatMessage(role="user", content="Plan a FAUST reverb in two subtasks as JSON.")]
    chunks = list(backend.chat("any", messages, json_schema=_Plan.model_json_schema(),
                               options=GenerationOptions(temperature=0.0, seed=3, max_tokens=160)))
    text = "".join(c.content for c in chunks)
    assert chunks[-1].done
    assert text.lstrip().startswith("{")
    if chunks[-1].done_reason == "stop":  # a finished answer is complete JSON
        assert "subtasks" in json.loads(text)
