"""The Ollama backend, through the official `ollama` client.

Reasoning models stream their thoughts in `message.thinking`; servers that inline them as
`<think>` tags in the content are split too, so thoughts never reach the answer. Every
failure becomes a `BackendError` whose message says what to do.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import ollama
import pydantic

from workbench.config import Settings
from workbench.domain import BackendHealth, ChatChunk, ChatMessage, GenerationOptions
from workbench.llm.base import BackendError, BackendUnavailable, ModelNotFound, listing_health
from workbench.llm.think_split import ThinkSplitter


class _ThinkingUnsupported(Exception):
    """Ollama refused `think` for a model that cannot think separately."""


class OllamaBackend:
    """Streams chat answers from an Ollama server (`settings.llm.ollama_host`)."""

    name = "ollama"

    def __init__(self, settings: Settings) -> None:
        llm = settings.llm
        self.host = llm.ollama_host.rstrip("/")
        self._keep_alive = llm.ollama_keep_alive
        self._max_tokens = llm.max_answer_tokens
        self._timeout_s = llm.request_timeout_s
        self._client = ollama.Client(
            host=self.host, timeout=httpx.Timeout(llm.request_timeout_s, connect=llm.connect_timeout_s)
        )
        # listing and health probes must answer fast or not at all
        self._probe = ollama.Client(host=self.host, timeout=llm.connect_timeout_s)

    def chat(
        self,
        model: str,
        messages: list[ChatMessage],
        *,
        think: bool | None = None,
        json_schema: dict[str, Any] | None = None,
        options: GenerationOptions | None = None,
    ) -> Iterator[ChatChunk]:
        request: dict[str, Any] = {
            "model": model,
            "messages": [m.model_dump() for m in messages],
            "think": think,
            "format": json_schema,
            "options": ollama_options(options, self._max_tokens),
            "keep_alive": self._keep_alive,
        }
        try:
            yield from self._stream(request)
        except _ThinkingUnsupported:
            # the 400 comes before any chunk, so nothing is repeated
            yield from self._stream({**request, "think": None})

    def _stream(self, request: dict[str, Any]) -> Iterator[ChatChunk]:
        model = request["model"]
        splitter = ThinkSplitter()
        try:
            for part in self._client.chat(stream=True, **request):
                content, inline_thinking = splitter.feed(part.message.content or "")
                thinking = (part.message.thinking or "") + inline_thinking
                if part.done:
                    tail_content, tail_thinking = splitter.flush()
                    yield ChatChunk(
                        content=content + tail_content,
                        thinking=thinking + tail_thinking,
                        done=True,
                        model=part.model or model,
                        prompt_tokens=part.prompt_eval_count,
                        completion_tokens=part.eval_count,
                        done_reason=part.done_reason,
                    )
                    return
                if content or thinking:
                    yield ChatChunk(content=content, thinking=thinking, model=part.model or model)
        except ollama.ResponseError as error:
            if request["think"] and error.status_code == 400 and "does not support thinking" in error.error:
                raise _ThinkingUnsupported from error
            raise self._response_error(error, model) from error
        except (ConnectionError, httpx.ConnectError) as error:
            raise self._unreachable() from error
        except httpx.TimeoutException as error:
            raise BackendUnavailable(
                f"Ollama at {self.host} did not answer within {self._timeout_s:g} s for model "
                f"'{model}' — raise llm.request_timeout_s or use a smaller model"
            ) from error
        except (httpx.HTTPError, json.JSONDecodeError, pydantic.ValidationError) as error:
            raise BackendError(f"Ollama broke off the answer from '{model}': {error}") from error
        raise BackendError(
            f"Ollama closed the stream from '{model}' before the answer was complete — "
            "the partial answer was kept; retry, or check the Ollama server log"
        )

    def list_models(self) -> list[str]:
        try:
            return [m.model for m in self._probe.list().models if m.model]
        except ollama.ResponseError as error:
            raise self._response_error(error, "") from error
        except (ConnectionError, httpx.ConnectError, httpx.TimeoutException) as error:
            raise self._unreachable() from error
        except (httpx.HTTPError, json.JSONDecodeError, pydantic.ValidationError) as error:
            raise BackendError(f"Ollama at {self.host} sent an unreadable model list: {error}") from error

    def health(self) -> BackendHealth:
        return listing_health(self.name, self.host, self.list_models)

    def _unreachable(self) -> BackendUnavailable:
        return BackendUnavailable(
            f"Ollama is not reachable at {self.host} — start it with `ollama serve`, "
            "or switch to the embedded backend"
        )

    def _response_error(self, error: ollama.ResponseError, model: str) -> BackendError:
        if model and error.status_code == 404 and "not found" in error.error:
            return ModelNotFound(
                f"Model '{model}' is not installed in Ollama — run `ollama pull {model}`", model
            )
        if error.status_code < 0:  # an {"error": …} line in the middle of the stream
            return BackendError(f"Ollama failed while answering with '{model}': {error.error}")
        return BackendError(
            f"Ollama at {self.host} refused the request for '{model}' "
            f"(HTTP {error.status_code}): {error.error}"
        )


def ollama_options(options: GenerationOptions | None, default_max_tokens: int) -> dict[str, Any]:
    """Our option names in Ollama's vocabulary; unset options are left to the model."""
    options = options or GenerationOptions()
    mapped = {
        "num_predict": options.max_tokens or default_max_tokens,
        "temperature": options.temperature,
        "top_p": options.top_p,
        "seed": options.seed,
        "stop": options.stop,
    }
    return {key: value for key, value in mapped.items() if value is not None}
