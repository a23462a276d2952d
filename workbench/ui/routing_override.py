"""The user overrules the router: "answer directly" or "split it", for the next question
(a choice beside the chat input) or for one already answered (a re-run under the answer).

Either way the choice is stored as routing feedback on the answer it produced or corrected,
so `hrm-reason train --feedback` learns from it. A split the user asks for follows the rule
engine's plan skeleton for the question (`split_steps`), passed as the run's `plan_steps`.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from workbench.system import System
from workbench.decompose.analyze import split_steps

AUTO, DIRECT, SPLIT = "auto", "answer directly", "split it"
CHOICE_KEY = "routing-choice"
RERUN_KEY = "routing-rerun"
PENDING_KEY = "routing-pending"  # the override of the run streaming now, stored once it ends
RECORDED_KEY = "routing-recorded"  # the run starting now is a re-run whose verdict is stored


@dataclass(frozen=True)
class RunRouting:
    """How to start one run: with or without decomposition, and the context that forces a split."""

    override: str  # AUTO | DIRECT | SPLIT
    decompose: bool
    context: dict | None


@dataclass(frozen=True)
class Rerun:
    question: str
    override: str


def render_choice() -> str:
    """The per-question choice shown above the chat input; auto leaves it to the router."""
    choice = st.segmented_control("Routing of the next question", [AUTO, DIRECT, SPLIT], default=AUTO,
                                  key=CHOICE_KEY, label_visibility="collapsed",
                                  help="auto: the router decides; answer directly: one model call; "
                                       "split it: subtasks for the reasoning, coder and math models")
    return choice or AUTO


def routing_for(question: str, override: str, decompose_default: bool) -> RunRouting:
    if override == DIRECT:
        return RunRouting(DIRECT, False, None)
    if override == SPLIT:
        return RunRouting(SPLIT, True, {"plan_steps": [s.value for s in split_steps(question, {})]})
    return RunRouting(AUTO, decompose_default, None)


def take_rerun() -> Rerun | None:
    """The re-run asked for under an answer on the last click, once. Its verdict is already
    stored on the answer it corrects, so the re-run's own answer gets none."""
    rerun = st.session_state.pop(RERUN_KEY, None)
    if rerun is not None:
        st.session_state[RECORDED_KEY] = True
    return rerun


def request_rerun(glm: System, message_id: int, override: str) -> None:
    """Under an answer: store the verdict on it, then ask the page to run its question again."""
    message = glm.storage.get_message(message_id)
    run = glm.get_run(message.run_id) if message is not None and message.run_id else None
    if run is None:
        st.warning("This answer has no stored question to run again")
        return
    glm.add_feedback(message_id, rating=0, should_split=override == SPLIT,
                     note=f"re-run: {override}")
    st.session_state[RERUN_KEY] = Rerun(run.question, override)


def remember_for_run(routing: RunRouting) -> None:
    """Keep the override of the run just started, to store once its answer exists."""
    recorded = st.session_state.pop(RECORDED_KEY, False)
    st.session_state[PENDING_KEY] = AUTO if recorded else routing.override


def record_after_run(glm: System, message_id: int | None) -> None:
    """The override chosen before asking becomes routing feedback on the answer it produced."""
    override = st.session_state.pop(PENDING_KEY, AUTO)
    if override != AUTO and message_id is not None:
        glm.add_feedback(message_id, rating=0, should_split=override == SPLIT, note=f"asked to {override}")
