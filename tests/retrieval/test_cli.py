"""`hrm-reason knowledge ingest | search | status` through the real command line entry."""

from __future__ import annotations

import json

import pytest

from workbench.cli import main


@pytest.fixture
def cli_env(monkeypatch, tmp_path, sources):
    monkeypatch.setenv("WORKBENCH_DATA_DIR", str(tmp_path / "cli-data"))
    monkeypatch.setenv("WORKBENCH_RETRIEVAL__USE_EMBEDDINGS", "false")
    monkeypatch.setenv("WORKBENCH_RETRIEVAL__FAUST_EXAMPLES_DIR", str(sources["examples"]))
    return sources


def test_ingest_search_status(cli_env, capsys, tmp_path):
    project = tmp_path / "proj"
    project.mkdir()
    (project / "main.dsp").write_text('process = os.osc(440);  // zorblax tone\n')
    args = ["knowledge", "ingest", "--faust-lib", str(cli_env["faust"]), "--juce", str(cli_env["juce"]),
            "--path", str(project)]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "mode bm25" in out and "faust_libraries" in out

    assert main(["knowledge", "search", "Butterworth lowpass", "-k", "2", "--json"]) == 0
    results = json.loads(capsys.readouterr().out)
    assert len(results) == 2
    assert set(results[0]) == {"source", "title", "location", "score", "text"}
    assert results[0]["title"] == "fi.lowpass"

    assert main(["knowledge", "search", "zorblax", "--source", "project_files"]) == 0
    assert "proj/main.dsp" in capsys.readouterr().out

    assert main(["knowledge", "status", "--json"]) == 0
    status = json.loads(capsys.readouterr().out)
    assert status["mode"] == "bm25"
    assert status["sources"]["project_files"]["files"] == 1
    assert status["sources"]["juce_headers"]["location"] == str(cli_env["juce"])


def test_bad_input_is_a_usage_error(cli_env, capsys, tmp_path):
    with pytest.raises(SystemExit) as exit_info:
        main(["knowledge", "ingest", "--path", str(tmp_path / "missing")])
    assert exit_info.value.code == 2
    assert "is not a directory" in capsys.readouterr().err
    assert main(["knowledge", "search", "lowpass"]) == 1  # nothing ingested yet
    assert "run `hrm-reason knowledge ingest` first" in capsys.readouterr().out


def test_if_empty_ingests_once_and_then_leaves_the_index_alone(cli_env, capsys):
    args = ["knowledge", "ingest", "--if-empty", "--faust-lib", str(cli_env["faust"]),
            "--juce", str(cli_env["juce"])]
    assert main(args) == 0
    assert "entries from" in capsys.readouterr().out  # the first start builds the index
    assert main(args) == 0
    assert capsys.readouterr().out == ""  # later starts cost nothing
