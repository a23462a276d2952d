"""A scripted backend for orchestration tests and benchmarks.

It speaks the real `Backend` protocol and is registered through the real backend registry
(`register_backend`), so everything around it (selection, executor, storage, CLI, pages)
runs for real; only the model is replaced by canned chunks with a fixed delay.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

from workbench.config import Settings
from workbench.domain import BackendHealth, ChatChunk, ChatMessage, GenerationOptions
from workbench.llm.base import Backend, BackendError
from workbench.llm.registry import register_backend

Script = Callable[[str, list[ChatMessage]], str]


class ScriptedBackend:
    """Answers every request with `script(model, messages)`, one word per chunk.

    `token_delay_s` sleeps before each chunk (a fixed per-token latency), `first_token_delay_s`
    once more before the first (a model that loads or reads a long prompt first), `thinking`
    is streamed first as separate thinking chunks, and `fail_when(model, messages)`
    returning an exception makes that request raise it. Every request is recorded.
    """

    def __init__(
        self,
        script: Script | str = "ok",
        *,
        name: str = "scripted",
        models: list[str] | None = None,
        token_delay_s: float = 0.0,
        first_token_delay_s: float = 0.0,
        thinking: str = "",
        fail_when: Callable[[str, list[ChatMessage]], BaseException | None] | None = None,
    ) -> None:
        self.name = name
        self._script = script if callable(script) else (lambda _m, _msgs, s=script: s)
        self._models = models
        self.token_delay_s = token_delay_s
        self.first_token_delay_s = first_token_delay_s
        self.thinking = thinking
        self.fail_when = fail_when
        self.requests: list[dict[str, Any]] = []
        self._lock = threading.Lock()
        self.active = 0
        self.max_active = 0

    def chat(
        self,
        model: str,
        messages: list[ChatMessage],
        *,
        think: bool | None = None,
        json_schema: dict[str, Any] | None = None,
        options: GenerationOptions | None = None,
    ) -> Iterator[ChatChunk]:
        with self._lock:
            self.requests.append(
                {"model": model, "messages": messages, "think": think, "json_schema": json_schema, "options": options}
            )
            self.active += 1
            self.max_active = max(self.max_active, self.active)
        try:
            if self.fail_when and (error := self.fail_when(model, messages)):
                raise error
            if self._models is not None and model not in self._models:
                raise BackendError(f"scripted backend has no model {model!r}")
            time.sleep(self.first_token_delay_s)
            for word in self.thinking.split():
                time.sleep(self.token_delay_s)
                yield ChatChunk(thinking=word + " ")
            words = self._script(model, messages).split(" ")
            for i, word in enumerate(words):
                time.sleep(self.token_delay_s)
                yield ChatChunk(content=word if i == len(words) - 1 else word + " ")
            yield ChatChunk(
                done=True, model=model, prompt_tokens=sum(len(m.content.split()) for m in messages),
                completion_tokens=len(words), done_reason="stop",
            )
        finally:
            with self._lock:
                self.active -= 1

    def list_models(self) -> list[str]:
        return list(self._models) if self._models is not None else ["scripted-model"]

    def health(self) -> BackendHealth:
        return BackendHealth(name=self.name, reachable=True, models=self.list_models())


def use_backend(settings: Settings, backend: Backend) -> Settings:
    """Register `backend` under its name and make it `settings`' backend (changed in place and
    returned): every system built from these settings then talks to it, chosen by the same
    registry as a real one. `unregister_backend(backend.name)` undoes the registration."""
    register_backend(backend.name, lambda _settings: backend)
    settings.llm.backend = backend.name
    return settings
