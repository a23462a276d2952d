"""The part of OpenAI's chat-completions wire format the workbench speaks.

Requests accept what OpenAI clients send (sampling fields included, which the workbench's own
settings decide instead); responses, stream chunks and errors are built in OpenAI's shape, so
the official clients, Open WebUI and Continue read them unchanged. A `workbench` field adds
the run's id, conversation, status and sources for clients that look.
"""

from __future__ import annotations

import time
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

MODELS = {
    "workbench": "the full pipeline: routing, decomposition, grounding in the installed docs, code checks",
    "workbench-direct": "one model answers directly (no decomposition), with the same storage",
}


class ContentPart(BaseModel):
    model_config = ConfigDict(extra="allow")

    type: str
    text: str | None = None


class ChatMessageIn(BaseModel):
    model_config = ConfigDict(extra="allow")  # name, tool_calls, ...

    role: Literal["system", "developer", "user", "assistant", "tool", "function"]
    content: str | list[ContentPart] | None = None

    @property
    def text(self) -> str:
        """The message's text; images and other parts are not read."""
        if isinstance(self.content, list):
            return "\n".join(part.text for part in self.content if part.type == "text" and part.text)
        return self.content or ""


class StreamOptions(BaseModel):
    model_config = ConfigDict(extra="allow")

    include_usage: bool = False


class ChatCompletionRequest(BaseModel):
    model_config = ConfigDict(extra="allow")  # temperature, max_tokens, ...: the settings decide

    model: str
    messages: list[ChatMessageIn] = Field(min_length=1)
    stream: bool = False
    stream_options: StreamOptions | None = None
    user: str | None = None
    n: int = Field(default=1, ge=1, le=1)


def error_body(message: str, kind: str = "invalid_request_error", code: str | None = None,
               param: str | None = None) -> dict[str, Any]:
    """OpenAI's error object: what the official clients turn into their typed exceptions."""
    return {"error": {"message": message, "type": kind, "param": param, "code": code}}


def model_card(name: str, created: int) -> dict[str, Any]:
    return {"id": name, "object": "model", "created": created, "owned_by": "faust-juce-workbench",
            "description": MODELS[name]}


def usage(prompt_tokens: int | None, completion_tokens: int | None) -> dict[str, int]:
    prompt, completion = prompt_tokens or 0, completion_tokens or 0
    return {"prompt_tokens": prompt, "completion_tokens": completion, "total_tokens": prompt + completion}


def completion(completion_id: str, model: str, answer: str, thinking: str, usage_: dict[str, int],
               extra: dict[str, Any]) -> dict[str, Any]:
    message: dict[str, Any] = {"role": "assistant", "content": answer}
    if thinking:
        message["reasoning_content"] = thinking
    return {"id": completion_id, "object": "chat.completion", "created": int(time.time()), "model": model,
            "choices": [{"index": 0, "message": message, "finish_reason": "stop", "logprobs": None}],
            "usage": usage_, "workbench": extra}


def chunk(completion_id: str, model: str, delta: dict[str, Any], finish_reason: str | None = None,
          **fields: Any) -> dict[str, Any]:
    """One `chat.completion.chunk`; `fields` adds e.g. `usage` or `workbench`."""
    return {"id": completion_id, "object": "chat.completion.chunk", "created": int(time.time()), "model": model,
            "choices": [{"index": 0, "delta": delta, "finish_reason": finish_reason, "logprobs": None}],
            **fields}
