"""The one protocol every model backend implements, and the errors they raise.

A backend turns a list of messages into a stream of `ChatChunk`s. The Ollama client, the
embedded llama.cpp model, an OpenAI-compatible server and the test fake are interchangeable
behind it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, Protocol, runtime_checkable

from workbench.domain import BackendHealth, ChatChunk, ChatMessage, GenerationOptions


class BackendError(RuntimeError):
    """A backend failed; the message says what went wrong and what to do."""


class BackendUnavailable(BackendError):
    """The backend cannot be reached at all (server down, library missing)."""


class ModelNotFound(BackendError):
    """The backend is up but does not have the requested model."""

    def __init__(self, message: str, model: str) -> None:
        super().__init__(message)
        self.model = model


@runtime_checkable
class Backend(Protocol):
    """A source of model answers."""

    name: str

    def chat(
        self,
        model: str,
        messages: list[ChatMessage],
        *,
        think: bool | None = None,
        json_schema: dict[str, Any] | None = None,
        options: GenerationOptions | None = None,
    ) -> Iterator[ChatChunk]:
        """Stream the answer. `think` asks a reasoning model to think separately;
        `json_schema` constrains the answer to JSON matching the schema. The final
        chunk has `done=True` and token counts. Raises `BackendError` subclasses."""
        ...

    def list_models(self) -> list[str]:
        """Model names this backend can serve right now."""
        ...

    def health(self) -> BackendHealth:
        """Whether the backend is reachable, without raising."""
        ...


@runtime_checkable
class LoadsOnFirstUse(Protocol):
    """A backend whose first request waits for its model to load (the in-process llama.cpp one)."""

    def pending_load(self) -> str | None:
        """What the next request waits for, in words ("loading … (first use)"); None once loaded."""
        ...


def listing_health(name: str, address: str, list_models: Callable[[], list[str]]) -> BackendHealth:
    """A server backend's health: reachable when its model listing answers; never raises."""
    try:
        models = list_models()
    except BackendError as error:
        return BackendHealth(name=name, reachable=False, detail=str(error))
    return BackendHealth(name=name, reachable=True, detail=f"{len(models)} models at {address}", models=models)
