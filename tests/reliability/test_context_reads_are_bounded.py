"""Case: `--context ../../..` for the advisors resolved to `/`, walked the filesystem and sent
excerpts of unrelated files to the model, with no warning. Now `/` and the home folder itself
are refused, hidden files and folders are skipped, and files and bytes are capped, each
left-out part named in `skipped`."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench.analysis.context_reader import read_sources
from workbench.analysis.errors import AnalysisInputError


def test_the_filesystem_root_is_refused_however_it_is_reached(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    climb = "/".join([".."] * (len(tmp_path.parts) + 2))
    with pytest.raises(AnalysisInputError, match="is the root of the filesystem — point at your project's folder"):
        read_sources(climb)


def test_the_home_folder_itself_is_refused_but_a_project_inside_it_is_read(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    (tmp_path / "plugin").mkdir()
    (tmp_path / "plugin" / "synth.dsp").write_text("process = _;\n")
    with pytest.raises(AnalysisInputError, match="is your home folder itself"):
        read_sources(tmp_path / "plugin" / "..")
    assert [f.relative for f in read_sources(tmp_path / "plugin").files] == ["synth.dsp"]


def test_hidden_files_and_folders_are_skipped_and_said(tmp_path):
    (tmp_path / ".secrets").mkdir()
    (tmp_path / ".secrets" / "keys.py").write_text("TOKEN = 'x'\n")
    (tmp_path / ".env.py").write_text("TOKEN = 'y'\n")
    (tmp_path / "main.cpp").write_text("int main() { return 0; }\n")
    contents = read_sources(tmp_path)
    assert [f.relative for f in contents.files] == ["main.cpp"]
    assert contents.skipped == ["2 hidden file(s) and folder(s), not read (.secrets, .env.py)"]


def test_files_and_bytes_are_capped_and_the_rest_is_named(tmp_path: Path):
    for n in range(5):
        (tmp_path / f"f{n}.cpp").write_text("x" * 100)
    by_count = read_sources(tmp_path, max_files=2)
    assert [f.relative for f in by_count.files] == ["f0.cpp", "f1.cpp"]
    assert by_count.skipped == ["f2.cpp and every file after it (the limit of 2 files was reached)"]
    by_bytes = read_sources(tmp_path, max_total_bytes=250)
    assert [f.relative for f in by_bytes.files] == ["f0.cpp", "f1.cpp"]
    assert by_bytes.skipped == ["f2.cpp and every file after it (the limit of 250 bytes in all was reached)"]
