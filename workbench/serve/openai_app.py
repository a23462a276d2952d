"""`hrm-reason serve`: the workbench as an OpenAI-compatible model for chat front ends.

`workbench` runs the whole pipeline, `workbench-direct` skips decomposition. The question is
the last user message; the conversation is stored under the project named by the
`X-Workbench-Project` header, else the `user` field, else `serve.project`. A client resends
the whole chat each time: when the earlier turns are a stored conversation the run continues
it, otherwise they travel as context of a new one. Streams carry the answer as `content` and
the run's progress and the models' thinking as `reasoning_content`. A client that hangs up
stops its run.
"""

from __future__ import annotations

import json
import secrets
import time
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import anyio.to_thread
from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse, StreamingResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from workbench.domain import EventKind, RunEvent
from workbench.serve import openai_schemas as wire
from workbench.serve.history import Turn, continued_conversation
from workbench.serve.progress import progress_line
from workbench.serve.run_events import run_events
from workbench.serve.services import Workbench

if TYPE_CHECKING:
    from workbench.execute.results import RunResult
    from workbench.execute.run_handle import RunHandle

PROJECT_HEADER = "X-Workbench-Project"
MAX_PROJECT_CHARS = 200


class APIError(Exception):
    """An error answered in OpenAI's shape with an HTTP status."""

    def __init__(self, status: int, message: str, kind: str = "invalid_request_error",
                 code: str | None = None, param: str | None = None) -> None:
        super().__init__(message)
        self.status, self.body = status, wire.error_body(message, kind, code, param)


def _invalid_request(error: RequestValidationError) -> dict[str, Any]:
    """The first validation error, named by its field as OpenAI's `param`."""
    first = error.errors()[0]
    if first.get("type") == "json_invalid":
        return wire.error_body("The request body is not valid JSON")
    where = ".".join(str(part) for part in first.get("loc", ())[1:]) or None
    return wire.error_body(f"Invalid request: {where or 'body'}: {first.get('msg')}", param=where)


def _the_question(request: wire.ChatCompletionRequest) -> str:
    last = request.messages[-1]
    if last.role != "user" or not last.text.strip():
        raise APIError(400, "The last message must be the user's question, with text", param="messages")
    return last.text


def _project(request: wire.ChatCompletionRequest, http: Request, default: str) -> str:
    project = (http.headers.get(PROJECT_HEADER) or request.user or default).strip()
    if not project or len(project) > MAX_PROJECT_CHARS:
        raise APIError(400, f"The project name must be 1 to {MAX_PROJECT_CHARS} characters", param="user")
    return project


def _client_context(instructions: Sequence[str], earlier: Sequence[Turn]) -> str | None:
    """What the client sent that the stored conversation does not hold, as prompt context."""
    parts = []
    if instructions:
        parts.append("Instructions from the chat client:\n" + "\n".join(instructions))
    if earlier:
        parts.append("The conversation so far:\n" + "\n".join(f"{role}: {text}" for role, text in earlier))
    return "\n\n".join(parts) or None


def _stream_delta(event: RunEvent) -> dict[str, str] | None:
    """What a stream chunk carries for an event: answer text, or progress and thinking."""
    if event.kind == EventKind.TOKEN:
        return {"content": event.text} if event.subtask_id is None and event.text else None
    if event.kind == EventKind.THINKING:
        return {"reasoning_content": event.text} if event.text else None
    line = progress_line(event)
    return {"reasoning_content": line + "\n"} if line else None


def _sse(data: dict[str, Any] | str) -> str:
    return f"data: {data if isinstance(data, str) else json.dumps(data, ensure_ascii=False)}\n\n"


def _known_model(name: str) -> str:
    if name not in wire.MODELS:
        raise APIError(404, f"The model {name!r} does not exist — use one of: {', '.join(wire.MODELS)}",
                       code="model_not_found", param="model")
    return name


@dataclass
class _Started:
    """A run that has begun: its handle, its remaining events, the first one, and for whom."""

    handle: RunHandle
    events: AsyncIterator[RunEvent]
    first: RunEvent
    model: str
    project: str

    @property
    def completion_id(self) -> str:
        return f"chatcmpl-{self.first.run_id}"

    def extra(self, result: RunResult) -> dict[str, Any]:
        """The `workbench` object of a response: where the run was stored and how it went."""
        return {"run_id": result.run_id, "conversation_id": result.conversation_id, "project": self.project,
                "status": result.status, "error": result.error, "model": result.model, "sources": result.sources}


async def _start(workbench: Workbench, request: wire.ChatCompletionRequest, http: Request) -> _Started:
    """Start the run the request asks for; bad input raises a 400 before anything streams."""
    model = _known_model(request.model)
    question = _the_question(request)
    project = _project(request, http, workbench.settings.serve.project)
    earlier = [(m.role, m.text) for m in request.messages[:-1] if m.role in ("user", "assistant")]
    instructions = [m.text for m in request.messages[:-1] if m.role in ("system", "developer") and m.text]
    glm = await anyio.to_thread.run_sync(lambda: workbench.glm)  # built on the first request
    conversation_id = await anyio.to_thread.run_sync(continued_conversation, glm, project, earlier)
    context = _client_context(instructions, [] if conversation_id else earlier)
    try:
        handle = glm.start_run(question, None, model == "workbench", project=project,
                               conversation_id=conversation_id, context=context)
    except ValueError as error:
        raise APIError(400, str(error), param="messages") from error
    events = run_events(handle)
    first = await anext(events, None)
    if first is None:  # the run ended before it began: bad input found in its thread
        try:
            handle.result()
        except ValueError as error:
            raise APIError(400, str(error), param="messages") from error
        raise APIError(500, "The run ended without starting", kind="server_error")
    return _Started(handle, events, first, model, project)


async def _answer(run: _Started) -> dict[str, Any]:
    async for _ in run.events:
        pass
    result = run.handle.result()
    if result.status == "error" and not result.answer:
        raise APIError(502, f"The run failed: {result.error}", kind="server_error", code="run_failed")
    return wire.completion(run.completion_id, run.model, result.answer, result.thinking,
                           wire.usage(result.prompt_tokens, result.completion_tokens), run.extra(result))


async def _stream(run: _Started, include_usage: bool) -> AsyncIterator[str]:
    """The SSE body: a role chunk, a chunk per token / progress line, the finish, [DONE]."""
    cid, model = run.completion_id, run.model
    yield _sse(wire.chunk(cid, model, {"role": "assistant", "content": ""}))
    async for event in _chain(run.first, run.events):
        if (delta := _stream_delta(event)) is not None:
            yield _sse(wire.chunk(cid, model, delta))
    result = run.handle.result()
    if result.status == "error" and not result.answer:
        yield _sse(wire.error_body(f"The run failed: {result.error}", "server_error", "run_failed"))
    else:
        yield _sse(wire.chunk(cid, model, {}, "stop", workbench=run.extra(result)))
        if include_usage:
            yield _sse({**wire.chunk(cid, model, {}), "choices": [],
                        "usage": wire.usage(result.prompt_tokens, result.completion_tokens)})
    yield _sse("[DONE]")


async def _chain(first: RunEvent, rest: AsyncIterator[RunEvent]) -> AsyncIterator[RunEvent]:
    yield first
    async for event in rest:
        yield event


def create_app(workbench: Workbench, *, api_key: str | None = None, cors_origins: Sequence[str] = ()) -> FastAPI:
    """The HTTP app; `api_key` set: every request needs `Authorization: Bearer <key>`;
    `cors_origins` empty: no CORS headers, so browsers on other origins cannot call it."""
    app = FastAPI(title="FAUST/JUCE workbench", description=__doc__, docs_url=None, redoc_url=None)
    started = int(time.time())
    if cors_origins:
        app.add_middleware(CORSMiddleware, allow_origins=list(cors_origins), allow_methods=["GET", "POST"],
                           allow_headers=["Authorization", "Content-Type", PROJECT_HEADER])

    @app.exception_handler(APIError)
    async def api_error(_: Request, error: APIError) -> JSONResponse:
        return JSONResponse(error.body, status_code=error.status)

    @app.exception_handler(RequestValidationError)
    async def invalid(_: Request, error: RequestValidationError) -> JSONResponse:
        return JSONResponse(_invalid_request(error), status_code=400)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_: Request, error: StarletteHTTPException) -> JSONResponse:
        return JSONResponse(wire.error_body(str(error.detail), code=str(error.status_code)),
                            status_code=error.status_code)

    async def authorized(request: Request) -> None:
        if api_key is None:
            return
        scheme, _, given = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not secrets.compare_digest(given.strip().encode(), api_key.encode()):
            raise APIError(401, "Missing or wrong API key: send it as 'Authorization: Bearer <key>' "
                                "(serve.api_key / --api-key)", code="invalid_api_key")

    @app.get("/v1/models", dependencies=[Depends(authorized)])
    async def models() -> dict[str, Any]:
        return {"object": "list", "data": [wire.model_card(name, started) for name in wire.MODELS]}

    @app.get("/v1/models/{name}", dependencies=[Depends(authorized)])
    async def model(name: str) -> dict[str, Any]:
        return wire.model_card(_known_model(name), started)

    @app.post("/v1/chat/completions", dependencies=[Depends(authorized)])
    async def chat_completions(request: wire.ChatCompletionRequest, http: Request) -> Any:
        run = await _start(workbench, request, http)
        if not request.stream:
            return await _answer(run)
        include_usage = bool(request.stream_options and request.stream_options.include_usage)
        return StreamingResponse(_stream(run, include_usage), media_type="text/event-stream",
                                 headers={"Cache-Control": "no-cache", "X-Workbench-Run-Id": run.first.run_id})

    return app
