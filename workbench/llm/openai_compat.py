"""The OpenAI-compatible backend, for local vLLM or llama.cpp servers.

Talks `/v1/chat/completions` (server-sent events) and `/v1/models` through the official
`openai` client at `settings.llm.openai_base_url`. Reasoning arrives either as
`reasoning_content` / `reasoning` deltas (servers with a reasoning parser) or inline as
`<think>` tags; both end up in `ChatChunk.thinking`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import openai

from workbench.config import Settings
from workbench.domain import BackendHealth, ChatChunk, ChatMessage, GenerationOptions
from workbench.llm.base import BackendError, BackendUnavailable, ModelNotFound, listing_health
from workbench.llm.grammar_schema import grammar_safe_schema
from workbench.llm.think_split import ThinkSplitter

REASONING_FIELDS = ("reasoning_content", "reasoning")  # llama.cpp / older vLLM, newer vLLM


class OpenAICompatBackend:
    """Streams chat answers from an OpenAI-compatible server."""

    name = "openai"

    def __init__(self, settings: Settings) -> None:
        llm = settings.llm
        if not llm.openai_base_url:
            raise BackendUnavailable(
                "No OpenAI-compatible server is configured — set llm.openai_base_url "
                "(WORKBENCH_LLM__OPENAI_BASE_URL), e.g. http://127.0.0.1:8000/v1 for vLLM"
            )
        self.base_url = llm.openai_base_url.rstrip("/")
        self._max_tokens = llm.max_answer_tokens
        self._timeout_s = llm.request_timeout_s
        self._client = openai.OpenAI(
            base_url=self.base_url,
            api_key=llm.openai_api_key,
            timeout=httpx.Timeout(llm.request_timeout_s, connect=llm.connect_timeout_s),
            max_retries=0,  # retrying is the executor's decision
        )
        self._probe = self._client.with_options(timeout=llm.connect_timeout_s)

    def chat(
        self,
        model: str,
        messages: list[ChatMessage],
        *,
        think: bool | None = None,
        json_schema: dict[str, Any] | None = None,
        options: GenerationOptions | None = None,
    ) -> Iterator[ChatChunk]:
        request = self._request(model, messages, think, json_schema, options or GenerationOptions())
        try:
            yield from self._stream(request)
        except _SchemaFormatRefused:
            # llama-cpp-python's server knows only OpenAI's older JSON mode with a schema;
            # the refusal comes before any chunk, so nothing is repeated
            fallback = {"type": "json_object", "schema": grammar_safe_schema(json_schema or {})}
            yield from self._stream({**request, "response_format": fallback})

    def _stream(self, request: dict[str, Any]) -> Iterator[ChatChunk]:
        model = request["model"]
        splitter = ThinkSplitter()
        usage = None
        finish_reason = None
        served_by: str | None = None  # set by the first part: the stream has begun
        try:
            for part in self._client.chat.completions.create(**request):
                served_by = part.model or served_by or model
                usage = part.usage or usage
                if not part.choices:
                    continue
                choice = part.choices[0]
                finish_reason = choice.finish_reason or finish_reason
                content, thinking = splitter.feed(choice.delta.content or "")
                thinking = _reasoning(choice.delta) + thinking
                if content or thinking:
                    yield ChatChunk(content=content, thinking=thinking, model=served_by)
        except openai.APIStatusError as error:
            if _refuses_schema_format(error, request):
                raise _SchemaFormatRefused from error
            raise self._error(error, model) from error
        except openai.APIConnectionError as error:
            if served_by is None or isinstance(error, openai.APITimeoutError):
                raise self._error(error, model) from error
            raise self._broke_off(model, error) from error
        except openai.APIError as error:
            raise self._error(error, model) from error
        except httpx.HTTPError as error:
            raise self._broke_off(model, error) from error
        if finish_reason is None:
            raise BackendError(
                f"The server at {self.base_url} closed the stream from '{model}' before the "
                "answer was complete — the partial answer was kept; retry, or check the server log"
            )
        content, thinking = splitter.flush()
        yield ChatChunk(
            content=content,
            thinking=thinking,
            done=True,
            model=served_by,
            prompt_tokens=usage.prompt_tokens if usage else None,
            completion_tokens=usage.completion_tokens if usage else None,
            done_reason=finish_reason,
        )

    def _request(
        self,
        model: str,
        messages: list[ChatMessage],
        think: bool | None,
        json_schema: dict[str, Any] | None,
        options: GenerationOptions,
    ) -> dict[str, Any]:
        request: dict[str, Any] = {
            "model": model,
            "messages": [m.model_dump() for m in messages],
            "stream": True,
            "stream_options": {"include_usage": True},
            "max_tokens": options.max_tokens or self._max_tokens,
        }
        for key in ("temperature", "top_p", "seed", "stop"):
            if (value := getattr(options, key)) is not None:
                request[key] = value
        if json_schema is not None:
            request["response_format"] = {
                "type": "json_schema",
                "json_schema": {"name": "answer", "schema": json_schema, "strict": True},
            }
        if think is not None:
            # vLLM and llama.cpp server pass this to chat templates that can switch thinking
            request["extra_body"] = {"chat_template_kwargs": {"enable_thinking": think}}
        return request

    def _broke_off(self, model: str, error: Exception) -> BackendError:
        """The connection died in the middle of the stream (a crashed or killed server)."""
        return BackendError(
            f"The server at {self.base_url} broke off the answer from '{model}' ({error}) — "
            "the partial answer was kept; retry, or check that the server is still running"
        )

    def list_models(self) -> list[str]:
        try:
            return [m.id for m in self._probe.models.list()]
        except openai.APIError as error:
            raise self._error(error, "") from error

    def health(self) -> BackendHealth:
        return listing_health(self.name, self.base_url, self.list_models)

    def _error(self, error: openai.APIError, model: str) -> BackendError:
        if isinstance(error, openai.APITimeoutError):
            return BackendUnavailable(
                f"The server at {self.base_url} did not answer within {self._timeout_s:g} s — "
                "raise llm.request_timeout_s or use a smaller model"
            )
        if isinstance(error, openai.APIConnectionError):
            return BackendUnavailable(
                f"The OpenAI-compatible server is not reachable at {self.base_url} — start it "
                "(`vllm serve MODEL` or `llama-server -m FILE`), or switch to the embedded backend"
            )
        if isinstance(error, openai.NotFoundError) and model:
            return ModelNotFound(
                f"Model '{model}' is not served at {self.base_url} — pick one listed by "
                f"{self.base_url}/models (server said: {_server_message(error)})",
                model,
            )
        if isinstance(error, openai.APIStatusError):
            return BackendError(
                f"The server at {self.base_url} refused the request (HTTP {error.status_code}): "
                f"{_server_message(error)}"
            )
        return BackendError(f"The server at {self.base_url} failed while answering: {error.message}")


class _SchemaFormatRefused(Exception):
    """The server refused `response_format` of type `json_schema`."""


def _refuses_schema_format(error: openai.APIStatusError, request: dict[str, Any]) -> bool:
    asked = request.get("response_format", {}).get("type") == "json_schema"
    # vLLM and llama-server accept it; llama-cpp-python's server answers 500 with its pydantic error
    return asked and error.status_code in (400, 422, 500) and "response_format" in str(error.body)


def _reasoning(delta: Any) -> str:
    for field in REASONING_FIELDS:
        if text := getattr(delta, field, None):
            return text
    return ""


def _server_message(error: openai.APIStatusError) -> str:
    body = error.body
    if isinstance(body, dict):
        inner = body.get("error", body)
        if isinstance(inner, dict) and inner.get("message"):
            return str(inner["message"])
        if isinstance(inner, str):
            return inner
    return error.message
