"""A project folder the user picks: which files to index, and how to chunk them.

Only files matching the include globs and none of the exclude globs, up to a size limit,
are read; dot-directories are skipped and a folder stops at a file count and a byte total. Binary or undecodable files are skipped with a note rather than failing the
ingest, and symlinks are never followed out of the folder.
"""

from __future__ import annotations

import fnmatch
import os
from pathlib import Path

from workbench.vocabulary import DocSource
from workbench.retrieval.entries import Entry
from workbench.retrieval.markdown_parser import parse_markdown_entries

CHUNK_LINES = 40


class UnreadableFile(ValueError):
    """A project file that is binary or not valid UTF-8 text."""


def _matches(relative: str, patterns: list[str]) -> bool:
    name = relative.rsplit("/", 1)[-1]
    return any(fnmatch.fnmatch(relative, p) or fnmatch.fnmatch(name, p) for p in patterns)


def scan_project(
    root: Path, include: list[str], exclude: list[str], max_bytes: int,
    max_files: int | None = None, max_total_bytes: int | None = None,
) -> tuple[list[Path], list[str]]:
    """The files of `root` to index, and a note for every file or folder left out on purpose.

    Dot-directories (.git, .venv, .cache, ...) are skipped; the scan stops at `max_files`
    files or `max_total_bytes` bytes and says so."""
    root = root.resolve()
    files: list[Path] = []
    notes: list[str] = []
    total = 0
    for directory, dirnames, filenames in os.walk(root, followlinks=False):
        here = Path(directory)
        dirnames.sort()
        for d in list(dirnames):
            rel = (here / d).relative_to(root).as_posix()
            if d.startswith("."):
                notes.append(f"{rel}/: dot-directory skipped")
                dirnames.remove(d)
            elif (here / d).is_symlink():
                notes.append(f"{rel}: symlinked folder not followed")
                dirnames.remove(d)
            elif _matches(rel + "/", exclude) or _matches(rel, exclude):
                dirnames.remove(d)
        for name in sorted(filenames):
            path = here / name
            rel = path.relative_to(root).as_posix()
            if not _matches(rel, include) or _matches(rel, exclude):
                continue
            if path.is_symlink() and not path.resolve().is_relative_to(root):
                notes.append(f"{rel}: symlink to {path.resolve()} points out of the folder, skipped")
                continue
            if not path.is_file():
                continue
            size = path.stat().st_size
            if size > max_bytes:
                notes.append(f"{rel}: {size} bytes is over the {max_bytes}-byte limit, skipped")
                continue
            if (max_files and len(files) >= max_files) or (
                max_total_bytes and total + size > max_total_bytes
            ):
                notes.append(
                    f"stopped at {len(files)} files, {total / 1e6:.1f} MB (the limits are "
                    f"retrieval.max_project_files={max_files}, retrieval.max_project_bytes="
                    f"{max_total_bytes}): {rel} and the rest of the folder skipped"
                )
                return files, notes
            files.append(path)
            total += size
    return files, notes


def decode_text(data: bytes, path: Path) -> str:
    """The file's text, or UnreadableFile saying why it is not text."""
    if b"\0" in data[:8192]:
        raise UnreadableFile(f"{path.name}: binary file (contains NUL bytes), skipped")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise UnreadableFile(
            f"{path.name}: not valid UTF-8 (byte {exc.start}), skipped — save it as UTF-8 to index it"
        ) from exc


def parse_project_file(path: Path, root: Path) -> list[Entry]:
    """Markdown by section, anything else in windows of CHUNK_LINES lines."""
    text = decode_text(path.read_bytes(), path)
    relative = path.resolve().relative_to(root.resolve()).as_posix()
    if path.suffix.lower() in (".md", ".markdown"):
        return parse_markdown_entries(path.resolve(), root.resolve(), DocSource.PROJECT_FILES)
    lines = text.splitlines()
    entries = []
    for start in range(0, len(lines), CHUNK_LINES):
        chunk = "\n".join(lines[start : start + CHUNK_LINES])
        if not chunk.strip():
            continue
        entries.append(
            Entry(
                id=f"project:{root.name}/{relative}:{start + 1}",
                source=DocSource.PROJECT_FILES,
                kind="chunk",
                title=f"{root.name}/{relative} (lines {start + 1}-{start + len(lines[start:start + CHUNK_LINES])})",
                location=f"{relative}:{start + 1}",
                path=str(path.resolve()),
                line=start + 1,
                text=chunk,
                embed_text=f"{relative}\n{chunk[:800]}",
            )
        )
    return entries
