"""Consuming one backend stream with a deadline and a cancel flag.

The text received so far lives in a `Generation` the caller owns, so an error in the middle
of a stream still leaves the partial answer in the caller's hands.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from workbench.domain import ChatMessage, GenerationOptions
from workbench.llm.base import Backend, BackendError


class RunCancelled(Exception):
    """The user cancelled the run; raised between two chunks."""


class GenerationTimeout(BackendError):
    """A generation ran past its time limit."""


@dataclass
class Generation:
    """What one model call produced so far."""

    model: str
    content: str = ""
    thinking: str = ""
    prompt_tokens: int | None = None
    completion_tokens: int | None = None
    duration_ms: float = 0.0


def stream_into(
    generation: Generation,
    backend: Backend,
    messages: list[ChatMessage],
    *,
    think: bool | None = None,
    json_schema: dict[str, Any] | None = None,
    options: GenerationOptions | None = None,
    timeout_s: float | None = None,
    cancel: threading.Event | None = None,
    on_content: Callable[[str], None] | None = None,
    on_thinking: Callable[[str], None] | None = None,
) -> Generation:
    """Stream `generation.model`'s answer into `generation`, calling back per piece.

    Raises `RunCancelled` when `cancel` is set, `GenerationTimeout` past `timeout_s`, and
    whatever `BackendError` the backend raises; the stream is closed in every case.
    """
    started = time.perf_counter()
    deadline = started + timeout_s if timeout_s else None
    stream = backend.chat(generation.model, messages, think=think, json_schema=json_schema,
                          options=options)
    try:
        for chunk in stream:
            if cancel is not None and cancel.is_set():
                raise RunCancelled("cancelled by the user")
            if deadline is not None and time.perf_counter() > deadline:
                raise GenerationTimeout(
                    f"{generation.model} on {backend.name} took longer than {timeout_s:g} s — "
                    "raise execution.subtask_timeout_s or use a smaller model"
                )
            if chunk.thinking:
                generation.thinking += chunk.thinking
                if on_thinking:
                    on_thinking(chunk.thinking)
            if chunk.content:
                generation.content += chunk.content
                if on_content:
                    on_content(chunk.content)
            if chunk.done:
                generation.prompt_tokens = chunk.prompt_tokens
                generation.completion_tokens = chunk.completion_tokens
    finally:
        close = getattr(stream, "close", None)
        if close is not None:
            close()
        generation.duration_ms = (time.perf_counter() - started) * 1000
    return generation
