"""The chat page: ask, watch the answer stream, keep the conversation.

A question starts a run on the facade's background handle; the page only follows its
events, so a click anywhere (another conversation, Stop, the sidebar) reruns the page
without losing the run, and the finished answer is drawn again from the database.
"""

from __future__ import annotations

import streamlit as st

from workbench.system import System
from workbench.ui.chat_view import render_history, stream_live_run
from workbench.ui.live_run import LiveRun
from workbench.ui.place import Place, current_place, go_to
from workbench.ui.routing_override import record_after_run, remember_for_run, render_choice, routing_for, take_rerun
from workbench.ui.sidebar import ChatChoices, render_sidebar

LIVE_KEY = "live_run"
FLASH_KEY = "chat_flash"


def render_chat_page(glm: System) -> None:
    place = current_place(glm)
    choices = render_sidebar(glm, place)
    prompt = st.chat_input("Ask about FAUST, JUCE or DSP…")
    live = _live_run_here(place)
    messages = glm.get_messages(place.conversation_id) if place.conversation_id else []
    if live is not None:
        messages = [m for m in messages if m.id <= live.history_until]
    if not messages and live is None and prompt is None:
        st.title("FAUST / JUCE workbench")
        st.caption(f"Project **{place.project}** · ask a question below; complex ones are split into subtasks "
                   "for the reasoning, coder and math models.")
    if flash := st.session_state.pop(FLASH_KEY, None):
        st.error(flash)
    render_history(glm, messages)
    override = render_choice()
    if (rerun := take_rerun()) is not None:  # "answer directly" / "split it" under an answer
        prompt, override = rerun.question, rerun.override
    if prompt is not None:
        live = _start(glm, place, choices, prompt, messages, live, override)
    if live is not None:
        _follow(glm, live, place)


def _live_run_here(place: Place) -> LiveRun | None:
    """The session's streaming run if it belongs on this page; a finished one elsewhere is dropped."""
    live: LiveRun | None = st.session_state.get(LIVE_KEY)
    if live is None or live.shown_in(place.project_id, place.conversation_id):
        return live
    if live.handle.done:
        del st.session_state[LIVE_KEY]
    else:
        st.caption("An answer is still streaming in another conversation.")
    return None


def _start(glm: System, place: Place, choices: ChatChoices, prompt: str, messages: list,
           live: LiveRun | None, override: str) -> LiveRun | None:
    if LIVE_KEY in st.session_state:
        st.warning("An answer is still being written — wait for it or press Stop first. Your text was not sent.")
        return live
    try:
        routing = routing_for(prompt, override, choices.decompose)
        handle = glm.start_run(prompt, choices.model_name, routing.decompose, project=place.project,
                               conversation_id=place.conversation_id, context=routing.context)
    except ValueError as error:
        if prompt.strip():
            st.error(f"Not sent: {error}", icon=":material/block:")
        else:
            st.info(f"{error} — the box at the bottom takes your question.", icon=":material/edit:")
        return live
    remember_for_run(routing)
    started = LiveRun(question=prompt, handle=handle, project_id=place.project_id,
                      conversation_id=place.conversation_id,
                      history_until=max((m.id for m in messages), default=0))
    st.session_state[LIVE_KEY] = started
    return started


def _follow(glm: System, live: LiveRun, place: Place) -> None:
    if st.button("Stop answering", icon=":material/stop_circle:"):
        live.handle.cancel()
    stream_live_run(glm, live, on_started=lambda run: go_to(place.project, run.conversation_id))
    try:
        result = live.handle.result()
    except Exception as error:  # noqa: BLE001 - the facade has stored the reason; say it once more here
        st.session_state[FLASH_KEY] = f"The run stopped unexpectedly: {error}"
        conversation_id = live.conversation_id
    else:
        conversation_id = result.conversation_id
        record_after_run(glm, result.message_id)
    del st.session_state[LIVE_KEY]
    go_to(place.project, conversation_id)
    st.rerun()
