"""`hrm-reason decompose`, run through the real entry point."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from workbench.cli import main


@pytest.fixture(autouse=True)
def private_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WORKBENCH_DATA_DIR", str(tmp_path / "data"))


def test_json_output_carries_the_plan_and_its_phases(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["decompose", "Build a modular synthesis engine with FAUST and JUCE GUI",
                 "--context", '{"target_platform": "mac_vst"}', "--json"])
    assert code == 0
    doc = json.loads(capsys.readouterr().out)
    for key in ("query", "complexity", "domains", "primary_role", "strategy", "confidence", "method", "subtasks", "phases"):
        assert key in doc
    for key in ("id", "title", "description", "task_type", "role", "model_preference", "dependencies"):
        assert key in doc["subtasks"][0]
    assert doc["phases"][0] == ["system_design"] and "faust_dsp.oscillator" in doc["phases"][1]
    assert doc["context"] == {"target_platform": "mac_vst"}
    assert sorted(i for phase in doc["phases"] for i in phase) == sorted(s["id"] for s in doc["subtasks"])


def test_table_output_and_bad_input(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["decompose", "Create a basic sine oscillator in FAUST"]) == 0
    out = capsys.readouterr().out
    assert "phase 1" in out and "direct" in out and "Qwen2.5-Coder" in out
    assert main(["decompose", "   "]) == 2
    assert "Type a question first" in capsys.readouterr().err
    assert main(["decompose", "faust reverb", "--context", "{oops"]) == 2
    assert "--context is not valid JSON" in capsys.readouterr().err
