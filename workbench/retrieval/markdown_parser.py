"""Split Markdown (the project's primers, READMEs) into one entry per section.

A section is a heading with the text under it, down to the next heading of the same or a
higher level; its title names the file and the heading path ("faust_syntax.md › Composition").
"""

from __future__ import annotations

import re
from pathlib import Path

from workbench.vocabulary import DocSource
from workbench.retrieval.entries import Entry

_HEADING = re.compile(r"^(#{1,4})\s+(.*?)\s*#*\s*$")


def parse_markdown(text: str) -> list[tuple[str, int, str]]:
    """(heading path, first line, section text) for every section with some body text."""
    sections: list[tuple[str, int, str]] = []
    path: list[str] = []
    start, body = 1, []
    in_fence = False

    def flush() -> None:
        content = "\n".join(body).strip()
        if content:
            sections.append((" › ".join(path) or "(top)", start, content))

    for number, line in enumerate(text.splitlines(), start=1):
        if line.lstrip().startswith("```"):
            in_fence = not in_fence
        heading = None if in_fence else _HEADING.match(line)
        if heading:
            flush()
            level = len(heading.group(1))
            path = path[: level - 1] + [heading.group(2)]
            start, body = number, []
        else:
            body.append(line)
    flush()
    return sections


def parse_markdown_entries(
    path: Path, root: Path, source: DocSource = DocSource.PRIMERS
) -> list[Entry]:
    """Entries for one Markdown file; `root` makes the shown file name relative."""
    relative = path.relative_to(root).as_posix()
    entries = []
    for heading, line, content in parse_markdown(path.read_text(encoding="utf-8")):
        title = f"{relative} › {heading}"
        entries.append(
            Entry(
                id=f"{source.value}:{relative}:{line}",
                source=source,
                kind="section",
                title=title,
                location=f"{relative}:{line}",
                path=str(path),
                line=line,
                text=f"{heading}\n{content}",
                embed_text=f"{heading}: {content[:600]}",
            )
        )
    return entries
