from pathlib import Path

import pytest

from workbench.analysis.context_reader import read_sources
from workbench.analysis.errors import AnalysisInputError


def test_reads_every_source_language_of_the_fixture(fixture_project: Path) -> None:
    contents = read_sources(fixture_project)
    by_path = {f.relative: f.language for f in contents.files}
    assert by_path["Source/PluginProcessor.cpp"] == "cpp"
    assert by_path["Source/PluginProcessor.h"] == "cpp"
    assert by_path["python/preset_repository.py"] == "python"
    assert by_path["dsp/broken.dsp"] == "faust"
    assert by_path["web/meter.ts"] == "typescript"
    assert contents.skipped == []


def test_symlink_leading_out_of_the_folder_is_skipped_and_reported(tmp_path: Path) -> None:
    outside = tmp_path / "secret.py"
    outside.write_text("PASSWORD = 'x'\n")
    inside = tmp_path / "project"
    inside.mkdir()
    (inside / "ok.py").write_text("def f():\n    return 1\n")
    (inside / "leak.py").symlink_to(outside)
    (inside / "linked_dir").symlink_to(tmp_path)
    contents = read_sources(inside)
    assert [f.relative for f in contents.files] == ["ok.py"]
    assert any("leak.py" in s and "outside" in s for s in contents.skipped)
    assert all("PASSWORD" not in f.text for f in contents.files)


def test_binary_and_huge_files_are_skipped_with_the_reason(tmp_path: Path) -> None:
    (tmp_path / "good.cpp").write_text("int main() { return 0; }\n")
    (tmp_path / "blob.cpp").write_bytes(b"\x7fELF\0\0\0binary")
    (tmp_path / "huge.py").write_text("x = 1\n" * 50_000)
    contents = read_sources(tmp_path, max_bytes=100_000)
    assert [f.relative for f in contents.files] == ["good.cpp"]
    assert "blob.cpp (binary)" in contents.skipped
    assert any(s.startswith("huge.py (larger than") for s in contents.skipped)


def test_build_and_vcs_folders_are_not_read(tmp_path: Path) -> None:
    for folder in (".git", "build", "node_modules"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "x.py").write_text("a = 1\n")
    (tmp_path / "main.py").write_text("a = 1\n")
    assert [f.relative for f in read_sources(tmp_path).files] == ["main.py"]


def test_missing_path_says_what_to_check(tmp_path: Path) -> None:
    with pytest.raises(AnalysisInputError, match="No such file or folder: .*nowhere — check the path"):
        read_sources(tmp_path / "nowhere")


def test_folder_without_sources_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("hello")
    with pytest.raises(AnalysisInputError, match="No source files to analyse"):
        read_sources(tmp_path)
