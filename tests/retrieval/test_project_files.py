"""A user's project folder: globs, size limit, binaries and bad encodings, symlinks."""

from __future__ import annotations

import os
from pathlib import Path

from workbench.retrieval import KnowledgeBase
from workbench.retrieval.project_files import scan_project


def _project(tmp_path: Path) -> Path:
    project = tmp_path / "myplugin"
    (project / "Source").mkdir(parents=True)
    (project / "build").mkdir()
    (project / "Source" / "PluginProcessor.cpp").write_text(
        "void MyProcessor::processBlock (juce::AudioBuffer<float>& buffer, juce::MidiBuffer&)\n"
        "{\n    wobbulatorDepth.applyTo (buffer);\n}\n"
    )
    (project / "dsp.dsp").write_text('import("stdfaust.lib");\nprocess = fi.lowpass(2, 800);\n')
    (project / "NOTES.md").write_text("# Notes\n\n## Wobbulator\nThe wobbulator modulates the cutoff.\n")
    (project / "Source" / "corrupt.h").write_bytes(b"\x00\x01\x02ELF binary junk")
    (project / "latin1.txt").write_bytes("caf\xe9 wobbulator".encode("latin-1"))
    (project / "build" / "generated.cpp").write_text("int wobbulator_build_artifact;")
    (project / "huge.txt").write_text("wobbulator " * 100_000)
    outside = tmp_path / "secret.txt"
    outside.write_text("wobbulator secret outside the project")
    os.symlink(outside, project / "linked.txt")
    os.symlink(tmp_path, project / "parent_link")
    return project


def test_scan_applies_globs_limits_and_symlink_rules(tmp_path):
    project = _project(tmp_path)
    files, notes = scan_project(project, ["*.cpp", "*.h", "*.dsp", "*.md", "*.txt"], ["build/*"], 100_000)
    names = sorted(p.relative_to(project).as_posix() for p in files)
    assert names == ["NOTES.md", "Source/PluginProcessor.cpp", "Source/corrupt.h", "dsp.dsp", "latin1.txt"]
    joined = "\n".join(notes)
    assert "linked.txt: symlink to" in joined and "points out of the folder" in joined
    assert "parent_link: symlinked folder not followed" in joined
    assert "huge.txt: 1100000 bytes is over the 100000-byte limit" in joined


def test_bad_files_are_skipped_with_a_note_and_the_rest_is_indexed(bm25_settings, tmp_path):
    project = _project(tmp_path)
    kb = KnowledgeBase(bm25_settings)
    summary = kb.ingest(project_dirs=[project])
    notes = "\n".join(summary["notes"])
    assert "corrupt.h: binary file (contains NUL bytes), skipped" in notes
    assert "latin1.txt: not valid UTF-8" in notes
    hits = kb.search("wobbulator", k=10, sources=["project_files"])
    paths = {Path(p.path).name for p in hits}
    assert paths == {"PluginProcessor.cpp", "NOTES.md"}  # not the secret, build, huge or binary files
    assert any(p.location == "Source/PluginProcessor.cpp:1" for p in hits)
    # the folder is remembered: a plain refresh keeps it and changes nothing
    again = kb.ingest()
    assert again["changed_files"] == [] and kb.status()["sources"]["project_files"]["files"] >= 3
