"""Thumbs and routing verdicts under an answer: the training signal of the HRM router.

Each verdict is stored once, through the facade, when the user gives it; a thumbs change
is a new verdict (the newest one counts), never an edit of an old one. "Answer directly" and
"Split it" store the splitting verdict and run the question again that way.
"""

from __future__ import annotations

import streamlit as st

from workbench.system import System
from workbench.domain import Role
from workbench.ui.routing_override import DIRECT, SPLIT, request_rerun

NO_OPINION = "—"
SPLIT_CHOICES = {NO_OPINION: None, "should have been split": True, "should not have been split": False}


def render_feedback(glm: System, message_id: int) -> None:
    """Thumbs always; the routing form only once asked for (a long history stays quick to redraw)."""
    open_key = f"routing-open-{message_id}"
    thumbs, routing, direct, split = st.columns([1, 2, 2, 2], vertical_alignment="center")
    with thumbs:
        st.feedback("thumbs", key=f"thumbs-{message_id}", on_change=_store_thumbs, args=(glm, message_id))
    with routing:
        if st.button("Routing feedback", key=f"routing-button-{message_id}", icon=":material/alt_route:",
                     type="tertiary"):
            st.session_state[open_key] = not st.session_state.get(open_key, False)
    with direct:
        st.button("Answer directly", key=f"rerun-direct-{message_id}", icon=":material/bolt:", type="tertiary",
                  on_click=request_rerun, args=(glm, message_id, DIRECT),
                  help="Run this question again as one model call, and record that it should not have been split")
    with split:
        st.button("Split it", key=f"rerun-split-{message_id}", icon=":material/account_tree:", type="tertiary",
                  on_click=request_rerun, args=(glm, message_id, SPLIT),
                  help="Run this question again as subtasks, and record that it should have been split")
    if st.session_state.get(open_key):
        _routing_form(glm, message_id)
    if thanks := st.session_state.pop(f"feedback-saved-{message_id}", None):
        st.toast(thanks)


def _routing_form(glm: System, message_id: int) -> None:
    with st.form(f"routing-{message_id}"):
        role = st.selectbox("Should have gone to", [NO_OPINION, *(r.value for r in Role)])
        split = st.radio("Splitting", list(SPLIT_CHOICES), horizontal=True)
        note = st.text_input("Note (optional)")
        if st.form_submit_button("Send"):
            _store_routing(glm, message_id, role, SPLIT_CHOICES[split], note)


def _store_thumbs(glm: System, message_id: int) -> None:
    value = st.session_state[f"thumbs-{message_id}"]
    if value is None:
        return
    glm.add_feedback(message_id, rating=1 if value == 1 else -1, correct_role=None, should_split=None)
    st.session_state[f"feedback-saved-{message_id}"] = "Thanks — feedback saved"


def _store_routing(glm: System, message_id: int, role: str, should_split: bool | None, note: str) -> None:
    if role == NO_OPINION and should_split is None and not note.strip():
        st.warning("Pick a role, a splitting verdict or write a note first")
        return
    glm.add_feedback(message_id, rating=0, correct_role=None if role == NO_OPINION else role,
                     should_split=should_split, note=note.strip())
    st.success("Routing feedback saved")
