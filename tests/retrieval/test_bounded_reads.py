"""Bounded reads: an ingest refuses the whole disk and the home folder, skips dot-directories,
stops at the file and byte caps, says what it skipped, and never remembers a refused folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench.cli import main
from workbench.config import load_settings
from workbench.retrieval import KnowledgeBase
from workbench.retrieval.bounded_reads import RefusedFolder, check_project_folder
from workbench.retrieval.project_files import scan_project


def test_root_home_and_above_home_are_refused(tmp_path):
    home = tmp_path / "home" / "me"
    home.mkdir(parents=True)
    with pytest.raises(RefusedFolder, match="whole filesystem"):
        check_project_folder(Path("/"), home)
    with pytest.raises(RefusedFolder, match="your home folder"):
        check_project_folder(home, home)
    with pytest.raises(RefusedFolder, match="above your home folder"):
        check_project_folder(tmp_path / "home", home)
    inside = home / "dev" / "plugin"
    inside.mkdir(parents=True)
    assert check_project_folder(inside, home) == inside.resolve()


@pytest.fixture
def cli_env(monkeypatch, tmp_path, sources):
    monkeypatch.setenv("WORKBENCH_DATA_DIR", str(tmp_path / "cli-data"))
    monkeypatch.setenv("WORKBENCH_RETRIEVAL__USE_EMBEDDINGS", "false")
    monkeypatch.setenv("WORKBENCH_RETRIEVAL__FAUST_LIB_DIR", str(sources["faust"]))
    monkeypatch.setenv("WORKBENCH_RETRIEVAL__JUCE_DIR", str(sources["juce"]))
    monkeypatch.setenv("WORKBENCH_RETRIEVAL__FAUST_EXAMPLES_DIR", str(sources["examples"]))
    return tmp_path


@pytest.mark.parametrize("folder", ["/", "~"])
def test_cli_refuses_and_remembers_nothing(cli_env, capsys, folder):
    assert main(["knowledge", "ingest", "--no-embeddings", "--path", folder]) == 2
    out = capsys.readouterr().out
    assert out.startswith("error: ") and "nothing was indexed or remembered" in out
    assert len(out.strip().splitlines()) == 1
    kb = KnowledgeBase(load_settings(), background=False)
    assert kb.store.get_meta("roots") is None  # the refused folder was not remembered
    assert kb.entries() == []


def test_a_remembered_broad_folder_is_dropped_with_a_note(cli_env, bm25_settings):
    kb = KnowledgeBase(bm25_settings, background=False)
    kb.store.set_meta("roots", {"faust": None, "juce": None, "projects": ["/"]})  # an old index
    summary = kb.ingest(embeddings="skip")
    assert any("whole filesystem" in note and "no longer indexed" in note for note in summary["notes"])
    assert kb.store.get_meta("roots")["projects"] == []


def _tree(root: Path) -> None:
    (root / ".git" / "objects").mkdir(parents=True)
    (root / ".git" / "config.txt").write_text("secret\n")
    (root / ".venv").mkdir()
    (root / ".venv" / "lib.py").write_text("x = 1\n")
    (root / "src").mkdir()
    for i in range(5):
        (root / "src" / f"voice{i}.cpp").write_text("// voice\n" * 20)


def test_scan_skips_dot_directories_and_stops_at_the_caps(tmp_path):
    _tree(tmp_path)
    files, notes = scan_project(tmp_path, ["*.cpp", "*.py", "*.txt"], [], 10_000)
    assert sorted(p.name for p in files) == [f"voice{i}.cpp" for i in range(5)]
    assert ".git/: dot-directory skipped" in notes and ".venv/: dot-directory skipped" in notes

    files, notes = scan_project(tmp_path, ["*.cpp"], [], 10_000, max_files=3)
    assert len(files) == 3
    assert any("stopped at 3 files" in n and "max_project_files=3" in n for n in notes)

    size = (tmp_path / "src" / "voice0.cpp").stat().st_size
    files, notes = scan_project(tmp_path, ["*.cpp"], [], 10_000, max_total_bytes=2 * size)
    assert len(files) == 2
    assert any("max_project_bytes" in n and "rest of the folder skipped" in n for n in notes)


def test_ingest_reports_what_it_skipped(tmp_path, sources):
    project = tmp_path / "plugin"
    project.mkdir()
    _tree(project)
    settings = load_settings(data_dir=tmp_path / "data", retrieval={
        "faust_lib_dir": sources["faust"], "juce_dir": sources["juce"],
        "faust_examples_dir": sources["examples"], "use_embeddings": False, "max_project_files": 2,
    })
    summary = KnowledgeBase(settings, background=False).ingest(project_dirs=[project], embeddings="skip")
    notes = "\n".join(summary["notes"])
    assert "plugin/.git/: dot-directory skipped" in notes
    assert "stopped at 2 files" in notes
    assert not any(".git" in path for path in summary["changed_files"])
