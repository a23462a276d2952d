"""The chat page's sidebar: project, conversations, backend, model and decomposition.

Everything the user picks here is UI state (session state or the URL); switching the
backend goes through the facade, which says which backend is active and why.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from workbench.system import System
from workbench.ui.place import Place, go_to

MAX_CONVERSATIONS_SHOWN = 30


@dataclass(frozen=True)
class ChatChoices:
    model_name: str
    decompose: bool


def render_sidebar(glm: System, place: Place) -> ChatChoices:
    with st.sidebar:
        _project_picker(glm, place)
        _conversation_list(glm, place)
        st.divider()
        _backend_picker(glm)
        model_name = st.selectbox("Model", list(glm.models), key="model_name",
                                  help="The model of a direct answer; a decomposed question uses each role's model.")
        decompose = st.toggle("Decompose complex questions", value=True, key="decompose",
                              help="Split a complex question into subtasks for the reasoning, coder and math models.")
    return ChatChoices(model_name=model_name, decompose=decompose)


def _project_picker(glm: System, place: Place) -> None:
    names = [p.name for p in glm.list_projects()]
    chosen = st.selectbox("Project", names, index=names.index(place.project))
    if chosen != place.project:
        go_to(chosen)
        st.rerun()
    with st.popover("New project", width="stretch"):
        with st.form("new-project", clear_on_submit=True, border=False):
            name = st.text_input("Name of the new project")
            if st.form_submit_button("Create"):
                _create_project(glm, name)


def _create_project(glm: System, name: str) -> None:
    try:
        project = glm.create_project(name.strip())
    except ValueError as error:
        st.error(f"{error}")
        return
    go_to(project.name)
    st.rerun()


def _conversation_list(glm: System, place: Place) -> None:
    st.subheader("Conversations")
    if st.button("New conversation", icon=":material/add:", width="stretch",
                 type="primary" if place.conversation_id is None else "secondary"):
        go_to(place.project)
        st.rerun()
    conversations = glm.list_conversations(place.project_id)
    for conversation in conversations[:MAX_CONVERSATIONS_SHOWN]:
        current = conversation.id == place.conversation_id
        if st.button(conversation.title or f"Conversation {conversation.id}", key=f"conversation-{conversation.id}",
                     width="stretch", type="primary" if current else "tertiary"):
            go_to(place.project, conversation.id)
            st.rerun()
    if len(conversations) > MAX_CONVERSATIONS_SHOWN:
        st.caption(f"{len(conversations) - MAX_CONVERSATIONS_SHOWN} older conversations — see Run history")


def _backend_picker(glm: System) -> None:
    configured, choices = glm.settings.llm.backend, glm.backend_choices()
    st.selectbox("Backend", choices, index=choices.index(configured), key="backend_choice",
                 on_change=_switch_backend, args=(glm,),
                 help="auto: Ollama when it is reachable, else the embedded model.")
    if error := st.session_state.pop("backend_error", None):
        st.error(error)
    st.markdown(f"Active backend: **{glm.backend_name}**")
    if glm.backend_notice:
        st.info(glm.backend_notice, icon=":material/info:")
    if glm.backend_name == "embedded":
        _embedded_model(glm)


def _embedded_model(glm: System) -> None:
    """The embedded backend serves one model whatever the role: say which, and why when it is
    the small stand-in."""
    served = ", ".join(glm.get_available_models()) or "none"
    st.markdown(f"Embedded model: **{served}**")
    if note := getattr(glm.backend, "model_note", None):
        st.warning(note, icon=":material/warning:")


def _switch_backend(glm: System) -> None:
    try:
        glm.set_backend(st.session_state.backend_choice)
    except Exception as error:  # noqa: BLE001 - any failure to build a backend is shown, the old one stays
        st.session_state.backend_error = f"Cannot switch to {st.session_state.backend_choice}: {error}"
