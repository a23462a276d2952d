"""The conversation: stored messages, and the run that is streaming now.

Stored answers are drawn from the database (through the facade) so a reload shows exactly
what was kept; a streaming run is drawn from its events as they arrive. Thinking always goes
into a collapsed expander above the answer, never into the answer's text.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import Any

import streamlit as st

from workbench.system import System
from workbench.domain import EventKind
from workbench.safe_markdown import safe_markdown
from workbench.storage.records import Message, SubtaskRecord
from workbench.storage.timeline import run_spans
from workbench.ui.feedback_view import render_feedback
from workbench.ui.live_run import LiveRun, LiveSubtask
from workbench.ui.plan_view import render_plan
from workbench.ui.repair_view import render_repair_rounds
from workbench.ui.timeline import render_timeline

POLL_S = 0.05
REDRAW_S = 0.1  # the streaming answer is redrawn at most this often
HEARTBEAT_S = 0.5  # an idle run still touches the page this often, so Stop and clicks are seen
STATUS_STATE = {"queued": "running", "running": "running", "complete": "complete"}


def role_models(glm: System) -> dict[str, str]:
    """Role name -> model tag, for the plan table."""
    return {role.value: model.tag for role, model in glm.settings.roles.items()}


# ------------------------------------------------------------------ stored history


def render_history(glm: System, messages: list[Message]) -> None:
    for message in messages:
        with st.chat_message(message.role):
            if message.role == "user":
                st.markdown(safe_markdown(message.content))
            else:
                render_answer(glm, message)


def render_stored_plan(glm: System, decomposition: dict[str, Any], key: str) -> None:
    """A stored plan's table and graph, or one line saying why it cannot be drawn: a plan
    stored damaged must not take the page (and the import form below it) down."""
    try:
        phases = glm.plan_phases(decomposition)
    except ValueError as error:  # PlanError, and pydantic's ValidationError, are ValueErrors
        st.warning(f"The stored plan cannot be drawn: {str(error).splitlines()[0]}")
        return
    render_plan(decomposition, phases, role_models(glm), key=key)


def render_answer(glm: System, message: Message) -> None:
    """A stored answer: plan, thinking, text, what went wrong, details, repair rounds, checks, feedback."""
    run = glm.get_run(message.run_id) if message.run_id else None
    subtasks = glm.list_subtasks(run.id) if run else []
    decomposition = run.decomposition if run else None
    planned = decomposition.get("subtasks") if isinstance(decomposition, dict) else None
    if isinstance(planned, list) and len(planned) > 1:
        with _opened_on_demand(f"Plan · {len(planned)} subtasks", ":material/account_tree:",
                               key=f"plan-open-{message.id}") as plan:
            if plan.open:
                render_stored_plan(glm, decomposition, key=f"plan-{message.id}")
    if message.thinking:
        with st.expander("Thinking", icon=":material/psychology:"):
            st.markdown(safe_markdown(message.thinking))
    if message.content:
        st.markdown(safe_markdown(message.content))
    elif message.status == "streaming":
        st.caption("This answer is still being written — reload in a moment to see more.")
    _problem(message)
    st.caption(answer_caption(message))
    for subtask in subtasks if len(subtasks) > 1 else []:  # one subtask: its text is the answer above
        render_stored_subtask(subtask)
    if run and len(subtasks) > 1:
        with _opened_on_demand("Timeline", ":material/timeline:", key=f"timeline-open-{message.id}") as timeline:
            if timeline.open:
                render_timeline(run_spans(run, subtasks), key=f"chat-{message.id}")
    render_repair_rounds(subtasks, key=f"repairs-{message.id}")
    _code_checks(glm, message)
    if message.status != "streaming":
        render_feedback(glm, message.id)


def _opened_on_demand(label: str, icon: str, *, key: str) -> Any:
    """A collapsed expander whose content is drawn only while it is open (opening it reruns
    the page): every rerun redraws the whole history, and a stored plan's or timeline's
    figure in each answer made a conversation's next question wait before its own plan."""
    return st.expander(label, icon=icon, key=key, on_change="rerun")


def answer_caption(message: Message) -> str:
    """Who answered, and what it cost."""
    parts = [message.model or "", message.backend or ""]
    if message.duration_ms:
        parts.append(f"{message.duration_ms / 1000:.1f} s")
    if message.completion_tokens:
        parts.append(f"{message.completion_tokens} tokens")
    return " · ".join(p for p in parts if p)


def _problem(message: Message) -> None:
    if message.status == "error":
        st.error(f"No answer: {message.error or 'the run failed'}. Your question is kept — switch the backend "
                 "in the sidebar (e.g. to embedded) and ask again.", icon=":material/error:")
    elif message.status == "partial":
        st.error(f"The answer was cut off: {message.error or 'the run stopped'}. What arrived is kept above.",
                 icon=":material/warning:")


def render_stored_subtask(subtask: SubtaskRecord) -> None:
    label = f"{subtask.subtask_id} · {subtask.title} — {subtask.model or '?'} ({subtask.status})"
    with st.expander(label, icon=":material/task_alt:" if subtask.status == "complete" else ":material/error:"):
        meta = [f"role {subtask.role}", subtask.backend or ""]
        if subtask.duration_ms:
            meta.append(f"{subtask.duration_ms / 1000:.1f} s")
        if subtask.completion_tokens:
            meta.append(f"{subtask.completion_tokens} tokens")
        st.caption(" · ".join(m for m in meta if m))
        if subtask.error:
            st.error(subtask.error)
        st.markdown(safe_markdown(subtask.output) or "_no output_")
        if subtask.thinking:
            st.caption("Thinking")
            st.text(subtask.thinking)


def _code_checks(glm: System, message: Message) -> None:
    """Validation badges for the code blocks of an answer, on request (a g++ check takes seconds)."""
    if glm.validator is None or "```" not in message.content:
        return
    key = f"checks-{message.id}"
    if key not in st.session_state:
        if st.button("Check the code", key=f"check-{message.id}", icon=":material/fact_check:"):
            waiting = glm.validator.preparation(message.content)  # the first C++ check builds the JUCE header
            with st.spinner(f"Compiling the code blocks — {waiting}…" if waiting else "Compiling the code blocks…"):
                st.session_state[key] = glm.validator.check(message.content)
        else:
            return
    render_validation = _validation_renderer()
    if render_validation is not None:
        render_validation(st.session_state[key], glm.settings, key=f"validation-{message.id}")


def _validation_renderer() -> Callable[..., None] | None:
    try:
        from workbench.ui.validation_view import render_validation
    except ImportError:
        return None
    return render_validation


# ------------------------------------------------------------------ the run streaming now


class LiveView:
    """The placeholders of one streaming answer, redrawn from a `LiveRun` after each batch."""

    def __init__(self, glm: System) -> None:
        self.models = role_models(glm)
        self.plan_slot = st.empty()
        self.subtask_area = st.container()
        self.progress_slot = st.empty()
        self.thinking_slot = st.container()
        self._plan_drawn = 0  # the plan version on screen
        self._statuses: dict[str, tuple[Any, Any, int]] = {}
        self._thinking: Any = None
        self.started = time.monotonic()
        self._beat = 0.0

    def refresh(self, live: LiveRun) -> None:
        if live.plan and self._plan_drawn != live.plan_version and len(live.plan.get("subtasks", [])) > 1:
            with self.plan_slot.container():  # the refined plan replaces the template plan
                st.markdown("**Plan**")
                render_plan(live.plan, live.phases, self.models, key=f"live-plan-{live.plan_version}")
            self._plan_drawn = live.plan_version
        for subtask in live.subtasks.values():
            self._subtask(subtask)
        self.idle(live)
        if live.thinking:
            if self._thinking is None:
                self._thinking = self.thinking_slot.expander("Thinking", icon=":material/psychology:").empty()
            self._thinking.markdown(safe_markdown(live.thinking))

    def heartbeat(self, live: LiveRun) -> None:
        """One line saying what the run is doing and for how long (empty once the answer flows)."""
        self._beat = time.monotonic()
        if live.answer:
            self.progress_slot.empty()
            return
        running = sum(s.status == "running" for s in live.subtasks.values())
        queued = sum(s.status == "queued" for s in live.subtasks.values())
        doing = (live.preparing[:1].upper() + live.preparing[1:] if live.preparing
                 else "Writing the overview of the subtask results" if live.writing_overview
                 else "Combining the subtask results" if live.synthesizing
                 else f"Running {running} subtask{'s' * (running != 1)}" if running
                 else "Waiting for the model")
        doing += f", {queued} queued for a free model slot" if queued and not live.synthesizing else ""
        self.progress_slot.caption(f"{doing}… {time.monotonic() - self.started:.0f} s")

    def idle(self, live: LiveRun) -> None:
        if time.monotonic() - self._beat >= HEARTBEAT_S:
            self.heartbeat(live)

    def _subtask(self, subtask: LiveSubtask) -> None:
        if subtask.id not in self._statuses:
            status = self.subtask_area.status(subtask.label, expanded=True)
            self._statuses[subtask.id] = (status, status.empty(), -1)
        status, body, shown = self._statuses[subtask.id]
        size = len(subtask.output) + len(subtask.error) + len(subtask.status)
        if size == shown:
            return
        running = subtask.status == "running"
        status.update(label=subtask.label, state=STATUS_STATE.get(subtask.status, "error"), expanded=running)
        with body.container():
            if subtask.note:
                st.caption(subtask.note)
            if subtask.error:
                st.error(subtask.error)
            st.markdown(safe_markdown(subtask.output))
            if subtask.checks:
                st.caption("checks: " + " · ".join(subtask.checks))
        self._statuses[subtask.id] = (status, body, size)


def stream_live_run(glm: System, live: LiveRun, on_started: Callable[[LiveRun], None]) -> None:
    """Draw the run so far, then follow it until it ends (the answer streamed into one slot).

    `on_started` is called once the run has a conversation, so the page can put it in the URL."""
    with st.chat_message("user"):
        st.markdown(safe_markdown(live.question))
    with st.chat_message("assistant"):
        view = LiveView(glm)
        _write_stream_safely(_answer_tokens(live, view, on_started))


def _write_stream_safely(tokens: Iterator[str]) -> None:
    """The text so far drawn through `safe_markdown`, so an image in a
    half-written answer never loads either; redrawn at most every REDRAW_S (a long answer
    is thousands of tokens) and once more at the end."""
    slot, text, drawn_at = st.empty(), "", 0.0
    for token in tokens:
        text += token
        if time.monotonic() - drawn_at >= REDRAW_S:
            slot.markdown(safe_markdown(text))
            drawn_at = time.monotonic()
    if text:
        slot.markdown(safe_markdown(text))


def _answer_tokens(live: LiveRun, view: LiveView, on_started: Callable[[LiveRun], None]) -> Iterator[str]:
    view.refresh(live)
    if live.answer:
        yield live.answer
    while True:
        events = live.drain()
        if not events:
            if live.handle.done:
                events = live.drain()  # the last events may have landed after the check
                if not events:
                    return
            else:
                view.idle(live)
                time.sleep(POLL_S)
                continue
        if live.conversation_id is not None and not live.announced:
            live.announced = True
            on_started(live)
        for event in events:
            if event.kind == EventKind.TOKEN and event.subtask_id is None:
                yield event.text
        view.refresh(live)
