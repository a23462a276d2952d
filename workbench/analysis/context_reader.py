"""Reading a user's folder safely: only source files inside it, never through a symlink
that leads out, never binaries or huge files. Every file left out is reported with why,
so nothing is dropped silently."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from workbench.analysis.errors import AnalysisInputError
from workbench.analysis.findings import Language

LANGUAGES: dict[str, Language] = {
    ".py": "python",
    ".cpp": "cpp", ".cc": "cpp", ".cxx": "cpp", ".c": "cpp", ".h": "cpp", ".hpp": "cpp", ".hh": "cpp",
    ".dsp": "faust",
    ".js": "javascript", ".jsx": "javascript", ".mjs": "javascript",
    ".ts": "typescript", ".tsx": "typescript",
}
SKIPPED_DIRS = {".git", ".hg", ".svn", "node_modules", ".venv", "venv", "__pycache__", "build", "Builds",
                "JuceLibraryCode", ".mypy_cache", ".pytest_cache", "dist"}
MAX_FILE_BYTES = 1_000_000
MAX_FILES = 5_000


@dataclass(frozen=True)
class SourceFile:
    path: Path
    relative: str
    language: Language
    text: str


@dataclass
class FolderContents:
    root: Path
    files: list[SourceFile] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # "relative/path (reason)"


def language_of(path: Path) -> Language | None:
    return LANGUAGES.get(path.suffix.lower())


def _inside(path: Path, root: Path) -> bool:
    return path == root or root in path.parents


def _read_text(path: Path, max_bytes: int) -> tuple[str | None, str]:
    """The file's text, or None and the reason it was skipped."""
    size = path.stat().st_size
    if size > max_bytes:
        return None, f"larger than {max_bytes // 1000} kB"
    data = path.read_bytes()
    if b"\0" in data[:8192]:
        return None, "binary"
    try:
        return data.decode("utf-8"), ""
    except UnicodeDecodeError:
        return data.decode("latin-1"), ""


def _candidate_paths(root: Path) -> list[Path]:
    if root.is_file():
        return [root]
    found: list[Path] = []
    for directory, dirs, names in os.walk(root, followlinks=False):
        dirs[:] = sorted(d for d in dirs if d not in SKIPPED_DIRS and not d.startswith("."))
        found.extend(Path(directory) / name for name in sorted(names))
    return found


def read_sources(path: str | Path, *, max_bytes: int = MAX_FILE_BYTES, max_files: int = MAX_FILES) -> FolderContents:
    """The source files at `path` (a file or a folder), with the ones left out and why.

    Raises AnalysisInputError when the path does not exist or holds no source file."""
    given = Path(path).expanduser()
    if not given.exists():
        raise AnalysisInputError(f"No such file or folder: {given} — check the path (relative paths start at {Path.cwd()})")
    root = given.resolve()
    base = root.parent if root.is_file() else root
    contents = FolderContents(root=root)
    for candidate in _candidate_paths(root):
        relative = candidate.relative_to(base).as_posix() if _inside(candidate, base) else candidate.name
        language = language_of(candidate)
        if language is None:
            continue
        if not _inside(candidate.resolve(), base):
            contents.skipped.append(f"{relative} (symlink pointing outside {base})")
            continue
        if not candidate.is_file():
            continue
        if len(contents.files) >= max_files:
            contents.skipped.append(f"{relative} (more than {max_files} files)")
            continue
        text, reason = _read_text(candidate, max_bytes)
        if text is None:
            contents.skipped.append(f"{relative} ({reason})")
            continue
        contents.files.append(SourceFile(candidate, relative, language, text))
    if not contents.files:
        kinds = ", ".join(sorted(set(LANGUAGES)))
        raise AnalysisInputError(f"No source files to analyse in {given} — expected files ending in {kinds}")
    return contents
