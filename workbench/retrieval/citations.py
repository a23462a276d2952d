"""How retrieved passages appear in a prompt and in an answer's list of sources.

The executor calls these two functions; their output format is part of the contract:
each passage is labelled "name — file:line" (e.g. "fi.lowpass — filters.lib:1558",
"juce::AudioBuffer — juce_AudioSampleBuffer.h:32").
"""

from __future__ import annotations

from workbench.vocabulary import DocSource
from workbench.retrieval.entries import Passage


def label(passage: Passage) -> str:
    """"fi.lowpass — filters.lib:1558"; JUCE names carry their namespace."""
    name = f"juce::{passage.title}" if passage.source == DocSource.JUCE_HEADERS else passage.title
    return f"{name} — {passage.location}"


def format_passages(passages: list[Passage]) -> str:
    """The documentation block of a prompt: numbered passages, each headed by its source."""
    if not passages:
        return ""
    blocks = [f"[{i}] {label(p)}\n{p.text.strip()}" for i, p in enumerate(passages, start=1)]
    return (
        "Reference documentation from the user's installed libraries "
        "(cite the [n] sources you rely on):\n\n" + "\n\n".join(blocks)
    )


def cite(passages: list[Passage]) -> list[str]:
    """The sources list of an answer: one label per distinct passage, in retrieval order."""
    return list(dict.fromkeys(label(p) for p in passages))
