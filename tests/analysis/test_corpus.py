"""The corpus builder's output validates against its published JSON Schema."""

import json
from pathlib import Path

import jsonschema
import pytest

from workbench.analysis.corpus import build_corpus, corpus_schema, write_corpus
from workbench.analysis.errors import AnalysisInputError


def test_corpus_validates_against_its_schema(fixture_project: Path) -> None:
    corpus = build_corpus(fixture_project)
    jsonschema.validate(corpus, corpus_schema())
    broken = json.loads(json.dumps(corpus))
    broken["functions"][0]["complexity"] = "high"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, corpus_schema())


def test_corpus_holds_functions_docstrings_comments_and_patterns(fixture_project: Path) -> None:
    corpus = build_corpus(fixture_project)
    functions = {f["name"]: f for f in corpus["functions"]}
    assert functions["get"]["docstring"] == "The preset called `name`."
    process = functions["GainProcessor::processBlock"]
    assert process["docstring"] == "Runs the one-pole low-pass and applies the gain to channel 0."
    assert "only the left channel is processed" in process["comments"]
    assert "ScopedLock" in process["code"]
    assert {p["pattern"] for p in corpus["patterns"]} >= {"Plugin processor", "Repository"}
    assert {f["rule"] for f in corpus["findings"]} >= {"rt-lock", "rt-allocation"}


def test_metadata_statistics_match_the_content(project_copy: Path, tmp_path: Path) -> None:
    metadata = write_corpus(project_copy, tmp_path / "out" / "corpus.json")
    corpus = json.loads((tmp_path / "out" / "corpus.json").read_text())
    assert corpus["metadata"] == metadata
    assert metadata["files"] == len(corpus["files"]) == 8
    assert metadata["functions"] == len(corpus["functions"])
    assert metadata["documented_functions"] == sum(1 for f in corpus["functions"] if f["docstring"])
    assert metadata["max_complexity"] == max(f["complexity"] for f in corpus["functions"])
    assert metadata["languages"] == {"cpp": 4, "faust": 2, "python": 1, "typescript": 1}


def test_missing_codebase_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(AnalysisInputError, match="No such file or folder"):
        build_corpus(tmp_path / "missing")


def test_hrm_reason_train_codebase_writes_the_corpus(fixture_project: Path, tmp_path: Path, capsys) -> None:
    from workbench.cli import main

    target = tmp_path / "corpus.json"
    assert main(["train", str(fixture_project), "--output", str(target)]) == 0
    corpus = json.loads(target.read_text())
    jsonschema.validate(corpus, corpus_schema())
    assert corpus["metadata"]["functions"] == 17
