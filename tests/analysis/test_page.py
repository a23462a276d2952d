"""The Code analysis page run by Streamlit's AppTest on the real analysis; the advisor on a
scripted backend through the real facade; the figures and tables as plain functions."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.analysis.test_advisors import fake_glm
from workbench.analysis.analyzer import analyze_path
from workbench.ui import session
from workbench.ui.analysis_view import complexity_figure, findings_table, functions_table, hotspots_figure

PAGE = str(Path(__file__).resolve().parents[2] / "pages" / "4_Code_analysis.py")


@pytest.fixture
def page(monkeypatch: pytest.MonkeyPatch, settings):
    system = fake_glm(settings)
    monkeypatch.setattr(session, "facade_factory", lambda: system)
    session.get_system.clear()
    app = AppTest.from_file(PAGE, default_timeout=60)
    app.run()
    yield app, system
    session.get_system.clear()


def test_tables_and_figures_show_the_measured_functions(fixture_project: Path, settings) -> None:
    report = analyze_path(fixture_project, settings)
    table = functions_table(report)
    assert list(table["function"][:2]) == ["route_message", "GainProcessor::computeCoefficient"]
    assert len(table) == report.summary.functions
    assert set(findings_table(report)["rule"]) >= {"rt-lock", "faust-compile"}
    assert sorted(complexity_figure(report).data[0].x) == sorted(table["complexity"])
    bars = hotspots_figure(report, limit=2).data[0]
    assert list(bars.x) == [15, 16] and "route_message" in bars.y[-1]


def test_analysing_the_fixture_shows_metrics_findings_and_recommendations(page, fixture_project: Path) -> None:
    app, _ = page
    app.text_input[0].input(str(fixture_project))
    app.button[0].click().run()
    assert not app.exception
    assert [m.value for m in app.metric][:2] == ["8", "17"]
    findings = app.dataframe[0].value
    assert {"rt-lock", "rt-allocation", "faust-compile"} <= set(findings["rule"])
    assert any("lowpassState" in m.value for m in app.markdown)


def test_missing_folder_shows_a_clear_error(page) -> None:
    app, _ = page
    app.text_input[0].input("/no/such/folder")
    app.button[0].click().run()
    assert "No such file or folder" in app.error[0].value


def test_advisor_runs_with_the_analysed_folder_as_context(page, fixture_project: Path) -> None:
    app, system = page
    app.text_input[0].input(str(fixture_project))
    app.button[0].click().run()
    app.radio[0].set_value("debug")
    app.text_area[0].input("The plugin crackles when I move the gain slider")
    next(b for b in app.button if b.label == "Ask").click().run()
    assert not app.exception
    text = "\n".join(m.value for m in app.markdown)
    assert "## Recommendations" in text and "**Confidence Level**" in text
    assert "### Reproduce" in text and "### Verify" in text
    prompts = " ".join(r["messages"][-1].content for r in system.backend.requests)
    assert "rt-lock" in prompts
