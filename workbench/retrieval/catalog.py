"""Which files make up the knowledge base right now, and how each one is parsed.

The catalog is rebuilt on every ingest from the discovered sources; comparing its file
hashes with the stored ones is what makes re-ingest incremental.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Callable

from workbench.config import RetrievalSettings
from workbench.vocabulary import DocSource
from workbench.retrieval.discovery import (
    Located,
    find_faust_examples,
    find_faust_libraries,
    find_juce_modules,
)
from workbench.retrieval.entries import Entry
from workbench.retrieval.faust_example_parser import parse_example
from workbench.retrieval.faust_lib_parser import library_prefixes, parse_library_entries
from workbench.retrieval.juce_header_parser import parse_header_entries
from workbench.retrieval.markdown_parser import parse_markdown_entries
from workbench.retrieval.project_files import parse_project_file, scan_project


@dataclass
class SourceFile:
    path: Path
    source: DocSource
    parse: Callable[[], list[Entry]]


@dataclass
class Roots:
    """The directories one ingest reads; explicit ones come from the command line or the UI."""

    faust_lib_dir: Path | None = None
    juce_dir: Path | None = None
    project_dirs: list[Path] = field(default_factory=list)


@dataclass
class Catalog:
    files: list[SourceFile]
    located: dict[DocSource, Located]
    notes: list[str]


def locate(settings: RetrievalSettings, roots: Roots) -> dict[DocSource, Located]:
    """Where each source is (or where it was looked for)."""
    faust = find_faust_libraries(roots.faust_lib_dir, settings.faust_lib_dir)
    primers = settings.knowledge_dir
    projects = [p for p in roots.project_dirs if p.is_dir()]
    return {
        DocSource.FAUST_LIBRARIES: faust,
        DocSource.FAUST_EXAMPLES: find_faust_examples(settings.faust_examples_dir, faust.root),
        DocSource.JUCE_HEADERS: find_juce_modules(roots.juce_dir, settings.juce_dir),
        DocSource.PRIMERS: Located(
            DocSource.PRIMERS, primers if primers.is_dir() else None, [primers]
        ),
        DocSource.PROJECT_FILES: Located(
            DocSource.PROJECT_FILES, projects[0] if projects else None, list(roots.project_dirs)
        ),
    }


def build_catalog(settings: RetrievalSettings, roots: Roots) -> Catalog:
    """Every file to index, each with the parser that turns it into entries."""
    located = locate(settings, roots)
    files: list[SourceFile] = []
    notes: list[str] = []
    if faust := located[DocSource.FAUST_LIBRARIES].root:
        prefixes = library_prefixes(faust)
        for lib in sorted(faust.glob("*.lib")):
            files.append(SourceFile(lib, DocSource.FAUST_LIBRARIES,
                                    partial(parse_library_entries, lib, prefixes)))
    if examples := located[DocSource.FAUST_EXAMPLES].root:
        for dsp in sorted(examples.rglob("*.dsp")):
            files.append(SourceFile(dsp, DocSource.FAUST_EXAMPLES,
                                    partial(_example_entries, dsp, examples)))
    if juce := located[DocSource.JUCE_HEADERS].root:
        for header in sorted(juce.rglob("juce_*.h")):  # JUCE's own, not the bundled SDKs
            files.append(SourceFile(header, DocSource.JUCE_HEADERS,
                                    partial(parse_header_entries, header, juce)))
    if primers := located[DocSource.PRIMERS].root:
        for md in sorted(primers.glob("*.md")):
            files.append(SourceFile(md, DocSource.PRIMERS,
                                    partial(parse_markdown_entries, md, primers.parent)))
    for project in roots.project_dirs:
        if not project.is_dir():
            notes.append(f"project folder {project} does not exist — check the path")
            continue
        paths, skipped = scan_project(
            project, settings.project_include, settings.project_exclude,
            settings.max_project_file_bytes, settings.max_project_files, settings.max_project_bytes,
        )
        notes.extend(f"{project.name}/{note}" for note in skipped)
        files.extend(SourceFile(p, DocSource.PROJECT_FILES, partial(parse_project_file, p, project))
                     for p in paths)
    return Catalog(files, located, notes)


def _example_entries(path: Path, root: Path) -> list[Entry]:
    return [parse_example(path, root)]
