"""Design patterns recognisable from declarations, for the report's pattern analysis and
the corpus. Each pattern is a list of telling lines; the first line that matches is kept
as evidence, so every claim in the report can be checked in the source."""

from __future__ import annotations

import re

from workbench.analysis.context_reader import SourceFile
from workbench.analysis.findings import PatternMatch

PATTERNS: dict[str, list[str]] = {
    "Plugin processor": [r"class\s+\w+\s*(final\s*)?:\s*public\s+(juce::)?AudioProcessor\b(?!Editor)"],
    "Plugin editor": [r"class\s+\w+\s*(final\s*)?:\s*public\s+(juce::)?AudioProcessorEditor\b"],
    "Parameter tree (APVTS)": [r"\bAudioProcessorValueTreeState\b"],
    "Lock-free FIFO": [r"\bAbstractFifo\b", r"\bspsc_queue\b", r"\blockfree::"],
    "Repository": [r"class\s+\w*Repository\b"],
    "Service": [r"class\s+\w*Service\b"],
    "Observer / event-driven": [
        r"\b(Change|Action)?Listener\b", r"\baddListener\s*\(", r"\bChangeBroadcaster\b",
        r"\bsubscribe\s*\(", r"\bemit\s*\(", r"\bon_\w+\s*=", r"\baddEventListener\s*\(",
    ],
    "Singleton": [r"\bJUCE_DECLARE_SINGLETON\b", r"\bgetInstance\s*\(", r"def\s+__new__\s*\(", r"_instance\s*=\s*None"],
    "Factory": [r"\b(def|static\s+\S+)\s+create\w*\s*\(", r"class\s+\w*Factory\b"],
    "FAUST library import": [r"\bimport\s*\(\s*\"\w+\.lib\"\s*\)"],
}
_COMPILED = {name: [re.compile(p) for p in regexes] for name, regexes in PATTERNS.items()}


def detect_patterns(source: SourceFile) -> list[PatternMatch]:
    """The patterns `source` shows, one match (the first) per pattern."""
    found: list[PatternMatch] = []
    lines = source.text.splitlines()
    for name, regexes in _COMPILED.items():
        for number, line in enumerate(lines, start=1):
            if any(r.search(line) for r in regexes):
                found.append(PatternMatch(pattern=name, path=source.relative, line=number, evidence=line.strip()[:160]))
                break
    return found

