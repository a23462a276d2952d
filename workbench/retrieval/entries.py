"""What the index stores (an `Entry`) and what a search returns (a `Passage`).

Every entry keeps where it came from (`location` as "file:line", plus the absolute path), so
a prompt can carry its sources and an answer can cite them.
"""

from __future__ import annotations

from pydantic import BaseModel

from workbench.vocabulary import DocSource

CHARS_PER_TOKEN = 4  # rough token count used for budgets: good enough for English and code


class Entry(BaseModel):
    """One retrievable unit: a FAUST function, a JUCE method, a primer section, a file chunk."""

    id: str
    source: DocSource
    kind: str  # "function", "class", "method", "example", "section", "chunk"
    title: str  # "fi.lowpass", "AudioBuffer::getSample", "knowledge/faust_syntax.md › Sequential"
    location: str  # "filters.lib:1558"
    path: str  # absolute path of the file it was read from
    line: int
    text: str  # what a prompt shows
    embed_text: str = ""  # shorter representative text for the dense index; empty: use `text`


class Passage(Entry):
    """An entry returned by a search, with its fused score (higher is better)."""

    score: float = 0.0


def estimate_tokens(text: str) -> int:
    """Rough token count (characters / 4, rounded up) — budgets only need an estimate."""
    return -(-len(text) // CHARS_PER_TOKEN)
