"""Tokens for BM25, shaped for code documentation.

Identifiers are kept whole and also split at camelCase, snake_case and `.`/`::`, so
"AudioProcessorValueTreeState" matches "value tree state" and `fi.lowpass` matches
"lowpass" (the qualified name is also kept whole, so an exact name wins); a light plural strip makes "filters" meet "filter". Queries and documents go
through the same function, so the two sides always agree.
"""

from __future__ import annotations

import re

_QUALIFIED = re.compile(r"[A-Za-z_]\w*(?:(?:\.|::)[A-Za-z_]\w*)+")
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*|[0-9]+")
_CAMEL = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|[0-9]+")
STOPWORDS = frozenset(
    "a an and are as at be by can do does for from how i in into is it its me my of on or "
    "so that the their then this to use using what when where which with you your".split()
)


def _normalize(word: str) -> str:
    word = word.lower()
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def tokenize(text: str) -> list[str]:
    """Lower-case search tokens of a text: whole identifiers plus their parts."""
    tokens = [q.lower() for q in _QUALIFIED.findall(text)]  # "fi.lowpass" as one token too
    for word in _WORD.findall(text):
        parts = [p for piece in word.split("_") for p in _CAMEL.findall(piece)]
        for token in ([word] if len(parts) > 1 else []) + parts:
            token = _normalize(token)
            if token not in STOPWORDS and (len(token) > 1 or token.isdigit()):
                tokens.append(token)
    return tokens
