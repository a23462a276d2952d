"""The parts of a request that each need their own documentation.

"a 220 Hz sawtooth through a 1000 Hz lowpass filter, enveloped by an ADSR driven by a gate
button" needs `os.sawtooth`, `fi.lowpass` and `en.adsr`; one search for the whole sentence
ranks whatever matches most of its words (`sy.clap`, `ef.gate_mono`) above each of them. Each
facet, a clause of the request, is searched on its own and its best entry is kept first.
"""

from __future__ import annotations

import re

# where one part of a request ends and the next begins
_BOUNDARY = re.compile(
    r"[,;:()]|\.\s|\b(?:and|then|plus|with|through|into|followed by|driven by|shaped by|"
    r"modulated by|fed back|whose|which|where|while)\b",
    re.IGNORECASE,
)
# words that say what to do, or set a parameter, not what the program is made of
_GENERIC = frozenset(
    "a an the its it of to in on at by for from as is are be that this write show make create "
    "implement give program code effect faust juce c++ cpp function class simple mono stereo "
    "input inputs output outputs signal sound value default level amplitude gain half hz khz ms db one two "
    "three four left right peak below above frequency mix dry wet copy scaled named called".split()
)
# a request's opening clause says what to do ("Write a FAUST effect that filters its input"),
# and the whole request's ranking already covers it
_FRAMING = re.compile(r"^\s*(?:please\s+)?(?:write|show|implement|make|create|build|give|generate|code)\b", re.I)
MAX_FACETS = 4


def facets(request: str) -> list[str]:
    """The request's clauses that name something of their own, in order, its opening
    "write a …" clause left out; none for a request of one clause, which is its own query."""
    clauses = [c for c in _BOUNDARY.split(request) if c and c.strip()]
    if len(clauses) < 2:
        return []
    if _FRAMING.match(clauses[0]):
        clauses = clauses[1:]
    parts: list[str] = []
    for clause in clauses:
        words = [w for w in re.findall(r"[A-Za-z][\w+#.]*", clause) if w.lower() not in _GENERIC]
        if words and " ".join(words).lower() not in (p.lower() for p in parts):
            parts.append(" ".join(words))
    return parts[:MAX_FACETS]
