"""The "Code analysis" page: pick a folder, see its metrics (table and charts), findings and
recommendations, and ask the three advisor modes with the chat's progress display.

Tables and figures are plain functions of an `AnalysisReport`, testable without a browser;
the advisor runs in a background thread whose events the page folds into the chat's
`LiveRun` and draws with the chat's `LiveView`. Like the chat's, that `LiveRun` lives in the
session, so a click (Stop, or anything else) reruns the page and it keeps following the run.
"""

from __future__ import annotations

import queue
import threading
import time
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from workbench.advisors.advice import AdvisorReport
from workbench.advisors.assistants import ADVISORS, CodeAnalyzer
from workbench.analysis.errors import AnalysisInputError
from workbench.analysis.findings import AnalysisReport
from workbench.analysis.hotspots import MAX_COMPLEXITY
from workbench.analysis.report import to_json, to_markdown
from workbench.domain import RunEvent
from workbench.ui.chat_view import POLL_S, LiveView
from workbench.ui.live_run import LiveRun

MODE_LABELS = {"architecture": "Architecture advice", "debug": "Debug a problem", "optimize": "Optimize performance"}
JOB_KEY = "advisor_run"
ADVICE_KEY = "advice"


def functions_table(report: AnalysisReport) -> pd.DataFrame:
    """One row per function, most complex first."""
    rows = [{"file": file.path, "language": file.language, "function": f.name, "line": f.start_line,
             "complexity": f.complexity, "nloc": f.nloc, "parameters": f.parameters}
            for file in report.files for f in file.functions]
    columns = ["file", "language", "function", "line", "complexity", "nloc", "parameters"]
    table = pd.DataFrame(rows, columns=columns)
    return table.sort_values(["complexity", "nloc"], ascending=False, ignore_index=True)


def findings_table(report: AnalysisReport) -> pd.DataFrame:
    rows = [{"severity": f.severity, "rule": f.rule, "file": f.path, "line": f.line, "message": f.message,
             "advice": f.advice} for f in report.findings]
    return pd.DataFrame(rows, columns=["severity", "rule", "file", "line", "message", "advice"])


def complexity_figure(report: AnalysisReport) -> go.Figure:
    """How cyclomatic complexity is distributed over the functions, with the hotspot line."""
    table = functions_table(report)
    figure = go.Figure(go.Histogram(x=table["complexity"], xbins=dict(size=1), name="functions"))
    figure.add_vline(x=MAX_COMPLEXITY + 0.5, line_dash="dash", annotation_text="hotspot threshold")
    figure.update_layout(title="Complexity distribution", xaxis_title="cyclomatic complexity",
                         yaxis_title="functions", height=300, margin=dict(l=40, r=10, t=40, b=40))
    return figure


def hotspots_figure(report: AnalysisReport, limit: int = 15) -> go.Figure:
    """The most complex functions, with their size, as horizontal bars."""
    table = functions_table(report).head(limit).iloc[::-1]
    labels = [f"{row.function} ({row.file}:{row.line})" for row in table.itertuples()]
    figure = go.Figure(go.Bar(x=table["complexity"], y=labels, orientation="h",
                              customdata=table["nloc"], hovertemplate="complexity %{x}, %{customdata} NLOC"))
    figure.update_layout(title="Hotspots", xaxis_title="cyclomatic complexity", height=120 + 22 * len(table),
                         margin=dict(l=40, r=10, t=40, b=40))
    return figure


def render_report(report: AnalysisReport) -> None:
    s = report.summary
    columns = st.columns(5)
    columns[0].metric("Files", s.files_analyzed)
    columns[1].metric("Functions", s.functions)
    columns[2].metric("Average complexity", f"{s.average_complexity:.1f}")
    columns[3].metric("Errors", s.findings_by_severity.get("error", 0))
    columns[4].metric("Warnings", s.findings_by_severity.get("warning", 0))
    if report.patterns:
        st.caption("Patterns: " + ", ".join(f"{name} ({n})" for name, n in report.patterns.items()))
    left, right = st.columns(2)
    left.plotly_chart(complexity_figure(report), key="complexity-chart")
    right.plotly_chart(hotspots_figure(report), key="hotspots-chart")
    st.subheader("Findings")
    if report.findings:
        st.dataframe(findings_table(report), hide_index=True)
    else:
        st.success("No finding: no real-time violation, every FAUST program compiles.")
    st.subheader("Recommendations")
    st.caption(f"written by {report.recommendations_by}")
    st.markdown("\n".join(f"- {item}" for item in report.recommendations) or "Nothing to recommend.")
    with st.expander("Metrics of every function"):
        st.dataframe(functions_table(report), hide_index=True)
    if report.skipped:
        with st.expander(f"{len(report.skipped)} files skipped"):
            st.markdown("\n".join(f"- {item}" for item in report.skipped))
    download_md, download_json = st.columns(2)
    download_md.download_button("Download the report (Markdown)", to_markdown(report), "analysis.md")
    download_json.download_button("Download the report (JSON)", to_json(report), "analysis.json")


class AdvisorJob:
    """An advisor running in a background thread; its run events queue up for the page."""

    def __init__(self, advisor: Any, question: str, context_path: str | None) -> None:
        self.question = question
        self._events: queue.Queue[RunEvent] = queue.Queue()
        self._cancel = threading.Event()
        self._report: AdvisorReport | None = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._work, args=(advisor, question, context_path), daemon=True)
        self._thread.start()

    def _work(self, advisor: Any, question: str, context_path: str | None) -> None:
        try:
            self._report = advisor.ask(question, context_path, on_event=self._events.put, cancel=self._cancel)
        except BaseException as error:  # handed to the page, which shows it
            self._error = error

    def drain(self) -> list[RunEvent]:
        events = []
        while not self._events.empty():
            events.append(self._events.get_nowait())
        return events

    @property
    def done(self) -> bool:
        return not self._thread.is_alive()

    def cancel(self) -> None:
        """Ask the run to stop; it ends between two tokens with the status "cancelled"."""
        self._cancel.set()

    def result(self, timeout: float | None = None) -> AdvisorReport:
        self._thread.join(timeout)
        if self._error is not None:
            raise self._error
        assert self._report is not None
        return self._report


def follow(glm: Any, live: LiveRun) -> AdvisorReport:
    """Draw the run's plan and subtasks as they progress (the chat's display) until it ends."""
    view = LiveView(glm)
    view.refresh(live)  # what earlier page runs already drained
    while True:
        finished = live.handle.done  # read before draining, so the last events are not lost
        events = live.handle.drain()
        for event in events:
            live.absorb(event)
        if events:
            view.refresh(live)
        elif finished:
            break
        else:
            view.idle(live)
            time.sleep(POLL_S)
    view.progress_slot.empty()
    return live.handle.result()


def render_code_analysis_page(glm: Any) -> None:
    st.title("Code analysis")
    st.caption("Metrics (lizard), design patterns and real-time checks of Python, JUCE C++, FAUST and JS/TS, "
               "and advice from the models in three modes.")
    folder = st.text_input("Folder or file to analyse", key="analysis_folder", placeholder="/path/to/your/plugin")
    if st.button("Analyse", type="primary") and folder.strip():
        try:
            with st.spinner("Analysing…"):
                st.session_state["analysis_report"] = CodeAnalyzer(settings=glm.settings).analyze(folder.strip())
            st.session_state["analysis_path"] = folder.strip()
        except AnalysisInputError as error:
            st.session_state.pop("analysis_report", None)
            st.error(str(error))
    report: AnalysisReport | None = st.session_state.get("analysis_report")
    if report is not None:
        render_report(report)
    st.divider()
    st.subheader("Ask an advisor")
    mode = st.radio("Mode", list(MODE_LABELS), format_func=MODE_LABELS.get, horizontal=True)
    question = st.text_area("Question or problem", placeholder="The plugin crackles when I move the gain slider")
    use_context = st.checkbox("Use the analysed folder as context", value=report is not None,
                              disabled=report is None)
    if st.button("Ask"):
        _start_advisor(glm, mode, question, st.session_state.get("analysis_path") if use_context and report else None)
    if JOB_KEY in st.session_state and not _follow_advisor(glm, st.session_state[JOB_KEY]):
        return
    advice: AdvisorReport | None = st.session_state.get(ADVICE_KEY)
    if advice is not None:
        if not advice.ok:
            st.warning(f"The run ended {advice.status}: {advice.error}")
        st.markdown(advice.to_markdown())
        st.download_button("Download the advice (Markdown)", advice.to_markdown(), f"{advice.mode}.md")


def _start_advisor(glm: Any, mode: str, question: str, context: str | None) -> None:
    """Start the advisor in the background, unless one is still running or the question is empty."""
    if JOB_KEY in st.session_state:
        st.warning("An advisor is still answering — wait for it or press Stop first. Your question was not sent.")
    elif not question.strip():
        st.error("Describe the question or problem first")
    else:
        job = AdvisorJob(ADVISORS[mode](glm=glm), question, context)
        st.session_state[JOB_KEY] = LiveRun(question=question, handle=job, project_id=0)


def _follow_advisor(glm: Any, live: LiveRun) -> bool:
    """Follow the session's advisor run to its end, with a Stop button; False when it failed."""
    if st.button("Stop the advisor", icon=":material/stop_circle:", key="advisor_stop"):
        live.handle.cancel()
    try:
        st.session_state[ADVICE_KEY] = follow(glm, live)
        failure = None
    except (AnalysisInputError, ValueError) as error:
        failure = str(error)
    # not in a `finally`: a rerun (the Stop click) interrupts `follow`, and must find the run again
    del st.session_state[JOB_KEY]
    if failure is not None:
        st.error(failure)
    return failure is None
