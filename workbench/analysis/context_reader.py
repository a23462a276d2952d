"""Reading a user's folder safely: only source files inside it, never through a symlink
that leads out, never binaries, huge files, hidden files or folders, never more than a
bounded number of files and bytes, and never the whole filesystem or the home folder itself
(`--context ../../..` sent excerpts of unrelated files to the model). Every file left out is
reported with why, so nothing is dropped silently."""

from __future__ import annotations

import os
from collections.abc import Iterator
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
MAX_TOTAL_BYTES = 50_000_000


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


def _candidate_paths(root: Path, hidden: list[str]) -> Iterator[Path]:
    """The files to consider, walked lazily so reading can stop at the caps; the hidden
    files and folders passed over are added to `hidden`."""
    if root.is_file():
        yield root
        return
    for directory, dirs, names in os.walk(root, followlinks=False):
        hidden += [os.path.join(directory, n) for n in (*dirs, *names) if n.startswith(".")]
        dirs[:] = sorted(d for d in dirs if d not in SKIPPED_DIRS and not d.startswith("."))
        yield from (Path(directory) / name for name in sorted(names) if not name.startswith("."))


def _refuse_too_broad(root: Path, given: Path) -> None:
    """The filesystem root and the home folder itself hold everything a user has: never a
    project to read as context."""
    if root == Path(root.anchor):
        raise AnalysisInputError(f"{given} is the root of the filesystem — point at your project's folder")
    if root == Path.home().resolve():
        raise AnalysisInputError(f"{given} is your home folder itself — point at your project's folder inside it")


def read_sources(path: str | Path, *, max_bytes: int = MAX_FILE_BYTES, max_files: int = MAX_FILES,
                 max_total_bytes: int = MAX_TOTAL_BYTES) -> FolderContents:
    """The source files at `path` (a file or a folder), with the ones left out and why.

    Raises AnalysisInputError when the path does not exist, is `/` or the home folder
    itself, or holds no source file. Past `max_files` files or `max_total_bytes` bytes the
    walk stops, and one entry of `skipped` says so."""
    given = Path(path).expanduser()
    if not given.exists():
        raise AnalysisInputError(f"No such file or folder: {given} — check the path (relative paths start at {Path.cwd()})")
    root = given.resolve()
    _refuse_too_broad(root, given)
    base = root.parent if root.is_file() else root
    contents = FolderContents(root=root)
    total, hidden = 0, []
    for candidate in _candidate_paths(root, hidden):
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
            contents.skipped.append(f"{relative} and every file after it (the limit of {max_files} files was reached)")
            break
        text, reason = _read_text(candidate, max_bytes)
        if text is None:
            contents.skipped.append(f"{relative} ({reason})")
            continue
        if total + len(text) > max_total_bytes:
            contents.skipped.append(
                f"{relative} and every file after it (the limit of {max_total_bytes:,} bytes in all was reached)")
            break
        total += len(text)
        contents.files.append(SourceFile(candidate, relative, language, text))
    if hidden:
        names = ", ".join(Path(h).relative_to(base).as_posix() for h in hidden[:3])
        contents.skipped.append(f"{len(hidden)} hidden file(s) and folder(s), not read ({names}{', ...' * (len(hidden) > 3)})")
    if not contents.files:
        kinds = ", ".join(sorted(set(LANGUAGES)))
        raise AnalysisInputError(f"No source files to analyse in {given} — expected files ending in {kinds}")
    return contents
