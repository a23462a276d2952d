"""The Run history page: every answered question of the current project, how it was made,
and its export (JSON that imports back, Markdown to read) and import."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import pandas as pd
import streamlit as st

from workbench.system import System
from workbench.safe_markdown import safe_markdown
from workbench.storage.records import Conversation, Run
from workbench.storage.timeline import run_spans
from workbench.ui.chat_view import render_stored_plan, render_stored_subtask
from workbench.ui.place import current_place
from workbench.ui.timeline import render_timeline


@dataclass(frozen=True)
class RunRow:
    run: Run
    conversation: Conversation


def project_runs(glm: System, project_id: int) -> list[RunRow]:
    """The project's runs, newest first, each with its conversation."""
    conversations = {c.id: c for c in glm.list_conversations(project_id)}
    return [RunRow(run, conversations[run.conversation_id]) for run in glm.list_runs(project_id)]


def runs_table(rows: list[RunRow]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "when": datetime.fromtimestamp(row.run.created_at),
                "question": " ".join(row.run.question.split())[:120],
                "status": row.run.status,
                "subtasks": len((row.run.decomposition or {}).get("subtasks", [])) or 1,
                "seconds": round((row.run.duration_ms or 0) / 1000, 1),
                "conversation": row.conversation.title,
            }
            for row in rows
        ],
        columns=["when", "question", "status", "subtasks", "seconds", "conversation"],
    )


def render_history_page(glm: System) -> None:
    place = current_place(glm)
    st.title("Run history")
    st.caption(f"Project **{place.project}** — choose another on the chat page's sidebar or the Projects page.")
    if flash := st.session_state.pop("history_flash", None):
        st.success(flash)
    rows = project_runs(glm, place.project_id)
    if rows:
        st.dataframe(runs_table(rows), hide_index=True,
                     column_config={"when": st.column_config.DatetimeColumn(format="YYYY-MM-DD HH:mm")})
        labels = {f"{datetime.fromtimestamp(r.run.created_at):%Y-%m-%d %H:%M} · {r.run.question[:70]}": r
                  for r in rows}
        chosen = labels[st.selectbox("Run", list(labels), key="history_run")]
        _run_details(glm, chosen)
    else:
        st.info("No runs in this project yet — ask a question on the chat page, or import a run below.")
    st.divider()
    _import(glm, place.project)


def _run_details(glm: System, row: RunRow) -> None:
    run = row.run
    json_col, markdown_col = st.columns(2)
    json_col.download_button("Export JSON", glm.export_run(run.id, "json"), file_name=f"run-{run.id[:8]}.json",
                             mime="application/json", icon=":material/download:")
    markdown_col.download_button("Export Markdown", glm.export_run(run.id, "markdown"),
                                 file_name=f"run-{run.id[:8]}.md", mime="text/markdown",
                                 icon=":material/description:")
    st.subheader("Question")
    st.markdown(safe_markdown(run.question))
    if run.decomposition:
        st.subheader("Plan")
        render_stored_plan(glm, run.decomposition, key=f"history-{run.id}")
    subtasks = glm.list_subtasks(run.id)
    if subtasks:
        st.subheader("Subtasks")
        for subtask in subtasks:
            render_stored_subtask(subtask)
    st.subheader("Timeline")
    render_timeline(run_spans(run, subtasks), key=f"history-{run.id}")
    st.subheader("Answer")
    if run.error:
        st.error(run.error)
    st.markdown(safe_markdown(run.answer) or "_no answer_")


def _import(glm: System, project: str) -> None:
    st.subheader("Import a run")
    uploaded = st.file_uploader("A run exported as JSON", type=["json"], key="import_file")
    if uploaded is None or not st.button(f"Import into {project}", icon=":material/upload:"):
        return
    try:
        run_id = glm.import_run(uploaded.getvalue(), project=project)
    except ValueError as error:
        st.error(f"Not imported: {error}")
        return
    st.session_state["history_flash"] = f"Imported run {run_id[:8]} into {project!r} as a new conversation"
    st.rerun()
