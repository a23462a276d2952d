"""FAUST programs compiled by the real faust; the report's Markdown and JSON."""

import json
from pathlib import Path

from workbench.analysis.analyzer import analyze_path
from workbench.analysis.context_reader import read_sources
from workbench.analysis.faust_check import check_faust
from workbench.analysis.findings import AnalysisReport
from workbench.analysis.report import to_json, to_markdown


def _faust(folder: Path, name: str):
    return next(s for s in read_sources(folder).files if s.relative.endswith(name))


def test_faust_program_that_does_not_compile_is_reported(fixture_project: Path, settings) -> None:
    findings = check_faust(_faust(fixture_project, "broken.dsp"), settings)
    assert [(f.rule, f.line, f.severity) for f in findings] == [("faust-compile", 2, "error")]
    assert "oscx" in findings[0].message
    assert check_faust(_faust(fixture_project, "tone.dsp"), settings) == []


def test_program_importing_its_own_library_compiles(tmp_path: Path, settings) -> None:
    (tmp_path / "mine.lib").write_text('double = *(2);\n')
    (tmp_path / "main.dsp").write_text('m = library("mine.lib");\nprocess = _ : m.double;\n')
    assert check_faust(_faust(tmp_path, "main.dsp"), settings) == []


def test_missing_faust_is_reported_not_hidden(fixture_project: Path, settings) -> None:
    settings.validation.faust_command = "faust-not-installed-here"
    findings = check_faust(_faust(fixture_project, "broken.dsp"), settings)
    assert [f.rule for f in findings] == ["faust-not-checked"] and findings[0].severity == "info"


def test_markdown_report_has_the_seed_sections_and_the_known_problems(fixture_project: Path, settings) -> None:
    report = analyze_path(fixture_project, settings)
    text = to_markdown(report)
    for heading in ("## Summary", "## Pattern Analysis", "## Hotspots", "## Findings", "## Recommendations"):
        assert heading in text
    assert text.index("## Summary") < text.index("## Pattern Analysis") < text.index("## Hotspots") < text.index("## Recommendations")
    assert "**Files Analyzed**: 8" in text
    assert "`route_message` | python/preset_repository.py:21" in text
    assert "rt-allocation | Source/PluginProcessor.cpp:19" in text
    assert "faust-compile | dsp/broken.dsp:2" in text
    assert report.has_errors and report.summary.findings_by_severity == {"error": 5, "warning": 1, "info": 0}
    assert any("lowpassState" in r for r in report.recommendations)


def test_json_report_is_the_same_data(fixture_project: Path, settings) -> None:
    report = analyze_path(fixture_project, settings)
    data = json.loads(to_json(report))
    assert AnalysisReport.model_validate(data) == report
    assert data["hotspots"][0]["function"] == "route_message"
