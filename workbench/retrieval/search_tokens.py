"""Tokens for BM25, shaped for code documentation.

Identifiers are kept whole and also split at camelCase, snake_case and `.`/`::`, so
"AudioProcessorValueTreeState" matches "value tree state" and `fi.lowpass` matches
"lowpass" (the qualified name is also kept whole, so an exact name wins); a hyphenated word
also counts joined ("drop-down" meets "dropdown", "low-pass" meets "lowpass"), and in a
document so do two neighbouring parts of a longer identifier (`makeLowPass` meets "lowpass",
`getPlayHead` "playhead": developers write such compounds as one word; a query's own long
identifier is matched whole, and its pairs would only count its words again). Words are
cut to a light stem ("filters", "sampling", "smoothed" meet "filter", "sample", "smooth");
whole identifiers are not, so a bridged API name (`api_token`) meets its entries exactly.
"C++" is the word `cpp` (its "+" signs are no word characters, and the bare "c" was dropped
as too short), so "the C++ generated from my dsp" meets the docs that say C++.
Queries and documents go through the same function, so the two sides always agree.
"""

from __future__ import annotations

import re

_QUALIFIED = re.compile(r"[A-Za-z_]\w*(?:(?:\.|::)[A-Za-z_]\w*)+")
_HYPHENATED = re.compile(r"\b([A-Za-z]{2,})-([A-Za-z]{2,})\b")
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*|[0-9]+")
_CAMEL = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|[0-9]+")
_VOWEL = re.compile(r"[aeiouy]")
_CPP = re.compile(r"\bc\+\+", re.I)
STOPWORDS = frozenset(
    "a an and are as at be by can do does for from how i in into is it its me my of on or "
    "so that the their then this to use using what when where which with you your "
    # function words a question is full of and a doc comment's identifiers are not: "one"
    # matched every onePole and "through" every "passes the signal through" (not "between" or
    # "before": bridge phrases need them, "switch between", "before playback")
    "about after all also any been both each every get had has have just like "
    "need one only other our over should some than these they those through too very want "
    "was we were will would could".split()
)
MIN_STEM = 4  # "string" keeps its "ing", "speed" its "ed"


def stem(word: str) -> str:
    """A light English stem of a lower-case word: plural -s/-es/-ies, -ing, -ed and a final
    -e go ("sampling", "sampled", "samples" and "sample" all give "sampl"); a doubled last
    consonant left by -ing/-ed is undone ("clipping" gives "clip"). Short words stay."""
    if len(word) <= 3 or not word.isalpha():
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("sses", "xes", "ches", "shes", "uses")):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    for suffix in ("ing", "ed"):
        base = word[: -len(suffix)]
        if word.endswith(suffix) and len(base) >= MIN_STEM and _VOWEL.search(base):
            if base[-1] == base[-2] and base[-1] not in "aeiouls":
                base = base[:-1]
            return base.removesuffix("e") if len(base) > MIN_STEM else base
    return word[:-1] if word.endswith("e") and len(word) > MIN_STEM else word


def identifier_token(word: str) -> str:
    """The token of a whole identifier or word: an identifier of several parts ("SmoothedValue")
    lower-cased as it is, a plain word ("Decibels", "knobs") stemmed."""
    parts = [p for piece in word.split("_") for p in _CAMEL.findall(piece)]
    return word.lower() if len(parts) > 1 else stem(word.lower())


def tokenize(text: str, compounds: bool = False) -> list[str]:
    """Lower-case search tokens of a text: whole identifiers plus their (stemmed) parts, and
    with `compounds` (documents) the neighbouring parts of a longer identifier joined."""
    text = _CPP.sub("cpp", text)
    tokens = [q.lower() for q in _QUALIFIED.findall(text)]  # "fi.lowpass" as one token too
    tokens += [stem(f"{a}{b}".lower()) for a, b in _HYPHENATED.findall(text)]
    for word in _WORD.findall(text):
        parts = [p for piece in word.split("_") for p in _CAMEL.findall(piece)]
        whole = [word.lower()] if len(parts) > 1 else []
        joined = [f"{a}{b}".lower() for a, b in zip(parts, parts[1:])] if compounds and len(parts) > 2 else []
        words = [stem(p.lower()) for p in parts if p.lower() not in STOPWORDS]  # "does", not its stem
        for token in whole + words + joined:
            if token not in STOPWORDS and (len(token) > 1 or token.isdigit()):
                tokens.append(token)
    return tokens
