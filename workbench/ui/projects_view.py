"""The Projects page: every project as a table, and open / rename / delete / create.

Deleting asks first (it removes every conversation, message and run of the project); the
question says how much would go.
"""

from __future__ import annotations

from datetime import datetime

import pandas as pd
import streamlit as st

from workbench.system import System
from workbench.storage.records import ProjectSummary

CHAT_PAGE = "pages/0_Chat.py"
CONFIRM_KEY = "confirm_delete_project"
NEXT_CHOICE_KEY = "project_choice_next"  # a renamed project stays selected


def projects_table(projects: list[ProjectSummary]) -> pd.DataFrame:
    """One row per project with its counts and dates, newest activity first."""
    rows = [
        {
            "project": p.name,
            "conversations": p.conversations,
            "messages": p.messages,
            "last activity": datetime.fromtimestamp(p.last_activity),
            "created": datetime.fromtimestamp(p.created_at),
        }
        for p in sorted(projects, key=lambda p: p.last_activity, reverse=True)
    ]
    return pd.DataFrame(rows, columns=["project", "conversations", "messages", "last activity", "created"])


def render_projects_page(glm: System) -> None:
    st.title("Projects")
    if flash := st.session_state.pop("projects_flash", None):
        st.success(flash)
    projects = glm.list_projects()
    _create_form(glm)
    if not projects:
        st.info("No projects yet — create one above, or ask a question on the chat page.")
        return
    st.dataframe(projects_table(projects), hide_index=True,
                 column_config={"last activity": st.column_config.DatetimeColumn(format="YYYY-MM-DD HH:mm"),
                                "created": st.column_config.DatetimeColumn(format="YYYY-MM-DD HH:mm")})
    by_name = {p.name: p for p in projects}
    if (renamed := st.session_state.pop(NEXT_CHOICE_KEY, None)) in by_name:
        st.session_state.project_choice = renamed
    chosen = by_name[st.selectbox("Project", list(by_name), key="project_choice")]
    open_col, rename_col, delete_col = st.columns(3, vertical_alignment="bottom")
    with open_col:
        if st.button("Open in the chat", icon=":material/chat:", type="primary"):
            st.switch_page(CHAT_PAGE, query_params={"project": chosen.name})
    with rename_col:
        _rename(glm, chosen)
    with delete_col:
        if st.button("Delete…", icon=":material/delete:"):
            st.session_state[CONFIRM_KEY] = chosen.id
    if st.session_state.get(CONFIRM_KEY) == chosen.id:
        _confirm_delete(glm, chosen)


def _create_form(glm: System) -> None:
    with st.form("create-project", clear_on_submit=True, border=False):
        name_col, button_col = st.columns([3, 1], vertical_alignment="bottom")
        name = name_col.text_input("New project")
        if button_col.form_submit_button("Create", icon=":material/add:"):
            try:
                project = glm.create_project(name.strip())
            except ValueError as error:
                st.error(str(error))
            else:
                st.session_state["projects_flash"] = f"Created project {project.name!r}"
                st.rerun()


def _rename(glm: System, project: ProjectSummary) -> None:
    with st.popover("Rename", icon=":material/edit:"):
        with st.form(f"rename-{project.id}", border=False):
            new_name = st.text_input("New name", value=project.name)
            if st.form_submit_button("Rename"):
                try:
                    glm.rename_project(project.id, new_name.strip())
                except ValueError as error:
                    st.error(str(error))
                else:
                    st.session_state["projects_flash"] = f"Renamed {project.name!r} to {new_name.strip()!r}"
                    st.session_state[NEXT_CHOICE_KEY] = new_name.strip()
                    st.rerun()


def _confirm_delete(glm: System, project: ProjectSummary) -> None:
    st.warning(f"Delete project **{project.name}** with its {project.conversations} conversations and "
               f"{project.messages} messages? This cannot be undone.", icon=":material/warning:")
    yes, no = st.columns(2)
    if yes.button(f"Yes, delete {project.name}", type="primary"):
        glm.delete_project(project.id)
        del st.session_state[CONFIRM_KEY]
        st.session_state["projects_flash"] = f"Deleted project {project.name!r}"
        st.rerun()
    if no.button("Cancel"):
        del st.session_state[CONFIRM_KEY]
        st.rerun()
