"""`hrm-reason analyze | architecture | debug | optimize`, run in-process."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.analysis.test_advisors import fake_glm
from workbench.cli import main


def test_analyze_folder_with_violations_exits_1_and_prints_markdown(fixture_project: Path, capsys) -> None:
    assert main(["analyze", str(fixture_project)]) == 1
    out = capsys.readouterr().out
    assert out.startswith("# Code Analysis Report") and "rt-lock" in out and "faust-compile" in out


def test_analyze_clean_file_exits_0(fixture_project: Path, capsys) -> None:
    assert main(["analyze", str(fixture_project / "python" / "preset_repository.py"), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["summary"]["files_analyzed"] == 1
    assert report["hotspots"][0]["function"] == "route_message"


def test_analyze_writes_the_report_to_output(fixture_project: Path, tmp_path: Path, capsys) -> None:
    target = tmp_path / "reports" / "analysis.md"
    assert main(["analyze", str(fixture_project), "--output", str(target)]) == 1
    assert "## Hotspots" in target.read_text()
    assert capsys.readouterr().out == ""


@pytest.mark.parametrize("argv", [
    ["analyze", "/no/such/place"],
    ["debug", "It crackles", "--context", "/no/such/place"],
])
def test_missing_paths_exit_2_with_a_clear_error(argv, capsys) -> None:
    assert main(argv) == 2
    assert "/no/such/place" in capsys.readouterr().err


def test_output_that_is_a_folder_exits_2(fixture_project: Path, tmp_path: Path, capsys) -> None:
    assert main(["analyze", str(fixture_project), "--output", str(tmp_path)]) == 2
    assert "is a folder" in capsys.readouterr().err


def test_advisor_command_prints_the_advice_as_json(settings, fixture_project: Path, monkeypatch, capsys) -> None:
    monkeypatch.setattr("workbench.cli.analyze.build_system", lambda _settings, _model: fake_glm(settings))
    assert main(["optimize", "processBlock is slow", "--context", str(fixture_project), "--json"]) == 0
    captured = capsys.readouterr()
    advice = json.loads(captured.out)
    assert advice["mode"] == "performance" and advice["status"] == "complete"
    assert [s["step"] for s in advice["recommendation_steps"]] == ["changes", "measure"]
    assert advice["confidence_level"] == pytest.approx(advice["confidence"]["plan"], abs=1e-3)


def test_advisor_with_empty_question_exits_2(settings, monkeypatch, capsys) -> None:
    monkeypatch.setattr("workbench.cli.analyze.build_system", lambda _settings, _model: fake_glm(settings))
    assert main(["architecture", "  "]) == 2
    assert "question first" in capsys.readouterr().err


def test_failed_run_exits_1(settings, monkeypatch, capsys) -> None:
    from workbench.llm.base import BackendError

    settings.execution.retries = 0
    glm = fake_glm(settings, fail_when=lambda _m, _msgs: BackendError("no model loaded"))
    monkeypatch.setattr("workbench.cli.analyze.build_system", lambda _settings, _model: glm)
    assert main(["debug", "Output is silent"]) == 1
    assert "no model loaded" in capsys.readouterr().out
