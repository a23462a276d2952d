"""Consuming one backend stream with a deadline and a cancel flag.

The text received so far lives in a `Generation` the caller owns, so an error in the middle
of a stream still leaves the partial answer in the caller's hands.

The backend's stream is read on a daemon pump thread and handed over through a queue, so
the caller waits with a timeout: the deadline and Stop are honoured even when a backend
never sends its first chunk (a model that never loads, a server that accepts and never
answers), not only between chunks.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from workbench.domain import ChatChunk, ChatMessage, GenerationOptions
from workbench.llm.base import Backend, BackendError

CANCEL_POLL_S = 0.1  # how late Stop may be seen while no chunk arrives


class RunCancelled(Exception):
    """The user cancelled the run; raised within `CANCEL_POLL_S`, chunk or no chunk."""


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
    first_token_ms: float | None = None  # from the request to the first text or thinking


@dataclass
class _StreamEnded:
    """The pump's last item: the stream finished, or raised `error`."""

    error: BaseException | None = None


class _Pump:
    """Reads one backend stream on a daemon thread into a queue.

    Only this thread ever touches the stream (a generator cannot be closed while another
    thread runs it), so giving up is a request: `stop()` makes the pump close the stream the
    next time the backend hands it control. A backend that never does keeps the thread until
    the backend's own request timeout (`llm.request_timeout_s`) ends the call; the caller
    never waits for that.
    """

    def __init__(self, open_stream: Callable[[], Iterator[ChatChunk]]) -> None:
        self.items: queue.SimpleQueue[ChatChunk | _StreamEnded] = queue.SimpleQueue()
        self._stopped = threading.Event()
        threading.Thread(target=self._run, args=(open_stream,), name="stream-pump", daemon=True).start()

    def stop(self) -> None:
        self._stopped.set()

    def _run(self, open_stream: Callable[[], Iterator[ChatChunk]]) -> None:
        stream: Iterator[ChatChunk] | None = None
        try:
            stream = open_stream()
            for chunk in stream:
                if self._stopped.is_set():
                    break
                self.items.put(chunk)
        except BaseException as error:  # noqa: BLE001 - handed to the caller unchanged
            self.items.put(_StreamEnded(error))
            return
        finally:
            close = getattr(stream, "close", None)
            if close is not None:
                close()
        self.items.put(_StreamEnded())


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

    Raises `RunCancelled` within `CANCEL_POLL_S` of `cancel` being set, `GenerationTimeout`
    once `timeout_s` has passed — both whether or not chunks are arriving — and whatever
    the backend raises, as the same exception. On any exit the pump is told to stop and
    close the stream; a backend stuck inside a call is left to its own request timeout.
    """
    started = time.perf_counter()
    deadline = started + timeout_s if timeout_s else None
    pump = _Pump(lambda: backend.chat(generation.model, messages, think=think,
                                      json_schema=json_schema, options=options))
    try:
        while True:
            item = _next_item(pump, generation, backend.name, deadline, timeout_s, cancel)
            while True:  # everything already queued is handled in one wakeup
                if isinstance(item, _StreamEnded):
                    if item.error is not None:
                        raise item.error
                    return generation
                if generation.first_token_ms is None and (item.content or item.thinking):
                    generation.first_token_ms = (time.perf_counter() - started) * 1000
                _absorb(generation, item, on_content, on_thinking)
                try:
                    item = pump.items.get_nowait()
                except queue.Empty:
                    break
    finally:
        pump.stop()
        generation.duration_ms = (time.perf_counter() - started) * 1000


def _next_item(
    pump: _Pump,
    generation: Generation,
    backend_name: str,
    deadline: float | None,
    timeout_s: float | None,
    cancel: threading.Event | None,
) -> ChatChunk | _StreamEnded:
    """The pump's next item, waiting no longer than the deadline and seeing Stop meanwhile."""
    while True:
        if cancel is not None and cancel.is_set():
            raise RunCancelled("cancelled by the user")
        wait = CANCEL_POLL_S if cancel is not None else None
        if deadline is not None:
            left = deadline - time.perf_counter()
            if left <= 0:
                raise GenerationTimeout(
                    f"{generation.model} on {backend_name} took longer than {timeout_s:g} s — "
                    "raise execution.subtask_timeout_s or use a smaller model"
                )
            wait = left if wait is None else min(wait, left)
        try:
            return pump.items.get(timeout=wait)
        except queue.Empty:
            continue


def _absorb(
    generation: Generation,
    chunk: ChatChunk,
    on_content: Callable[[str], None] | None,
    on_thinking: Callable[[str], None] | None,
) -> None:
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
