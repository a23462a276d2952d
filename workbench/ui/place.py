"""Where the user is: the current project and conversation, kept in the page's URL.

The URL (`?project=NAME&conversation=ID`) is the one source of truth, so a reload, a
bookmark or a restarted server opens the same place; unknown values fall back quietly to
the first project and a new conversation.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from workbench.system import System

DEFAULT_PROJECT = "default"


@dataclass(frozen=True)
class Place:
    project_id: int
    project: str
    conversation_id: int | None  # None: the next question starts a new conversation


def current_place(glm: System) -> Place:
    """The project and conversation named in the URL, checked against the database."""
    projects = glm.list_projects()
    if not projects:
        glm.create_project(DEFAULT_PROJECT)
        projects = glm.list_projects()
    wanted = st.query_params.get("project")
    project = next((p for p in projects if p.name == wanted), None)
    if project is None:
        project = next((p for p in projects if p.name == DEFAULT_PROJECT), projects[0])
    conversation_id = _conversation_in(glm, project.id, st.query_params.get("conversation"))
    st.query_params["project"] = project.name
    if conversation_id is None:
        st.query_params.pop("conversation", None)
    return Place(project.id, project.name, conversation_id)


def _conversation_in(glm: System, project_id: int, raw: str | None) -> int | None:
    if not raw or not raw.isdigit():
        return None
    wanted = int(raw)
    return wanted if any(c.id == wanted for c in glm.list_conversations(project_id)) else None


def go_to(project: str, conversation_id: int | None = None) -> None:
    """Point the URL at a project (and a conversation of it, or a new one)."""
    st.query_params["project"] = project
    if conversation_id is None:
        st.query_params.pop("conversation", None)
    else:
        st.query_params["conversation"] = str(conversation_id)
