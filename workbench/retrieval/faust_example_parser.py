"""FAUST example programs (`.dsp`) as entries: one per file, named by its `declare name`.

The text keeps the leading comments and the code (capped, so one long example cannot fill
a prompt's budget on its own); the dense index sees the name, description and imports.
"""

from __future__ import annotations

import re
from pathlib import Path

from workbench.domain import DocSource
from workbench.retrieval.entries import Entry

MAX_EXAMPLE_CHARS = 4000
_DECLARE = re.compile(r'^\s*declare\s+(\w+)\s+"([^"]*)"\s*;', re.M)
_LIBRARY_CALL = re.compile(r"\b([a-z]{2})\.(\w+)")


def parse_example(path: Path, root: Path) -> Entry:
    """One entry for one example program."""
    text = path.read_text(encoding="utf-8", errors="replace")
    relative = path.relative_to(root).as_posix()
    declares = dict(_DECLARE.findall(text))
    name = declares.get("name") or path.stem
    calls = sorted({f"{p}.{n}" for p, n in _LIBRARY_CALL.findall(text)})
    body = text if len(text) <= MAX_EXAMPLE_CHARS else text[:MAX_EXAMPLE_CHARS] + "\n…"
    summary = declares.get("description", "")
    return Entry(
        id=f"example:{relative}",
        source=DocSource.FAUST_EXAMPLES,
        kind="example",
        title=relative,
        location=f"{relative}:1",
        path=str(path),
        line=1,
        text=f"FAUST example {relative}: {name}. {summary}\n{body}",
        embed_text=f"FAUST example {name} {path.stem} {summary} uses {' '.join(calls[:30])}",
    )
