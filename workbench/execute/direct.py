"""The straight-to-model path: the question (with recent history) to one chosen model.

This is the chat of the spine; the facade stores what it streams, so this module only
builds the prompt, picks the model and streams.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence

from workbench.config import Settings
from workbench.domain import EventKind, GenerationOptions
from workbench.execute.events import EventEmitter
from workbench.execute.prompts import build_direct_messages
from workbench.execute.streaming import Generation, stream_into
from workbench.llm.base import Backend


def answer_directly(
    question: str,
    generation: Generation,
    backend: Backend,
    settings: Settings,
    emit: EventEmitter,
    *,
    history: Sequence[tuple[str, str]] = (),
    project_context: str = "",
    think: bool | None = None,
    options: GenerationOptions | None = None,
    cancel: threading.Event | None = None,
) -> Generation:
    """Stream the answer of `generation.model` into `generation`, emitting token and
    thinking events with no subtask id. Raises what `stream_into` raises; what was
    streamed before an error stays in `generation`."""
    execution = settings.execution
    messages = build_direct_messages(
        question, history, max_messages=execution.history_messages,
        budget_tokens=execution.history_token_budget, project_context=project_context,
        project_budget_tokens=execution.project_context_token_budget,
    )
    return stream_into(
        generation, backend, messages, think=think, options=options,
        timeout_s=settings.llm.request_timeout_s, cancel=cancel,
        on_content=lambda text: emit(EventKind.TOKEN, None, text),
        on_thinking=lambda text: emit(EventKind.THINKING, None, text),
    )
