"""The bridge from the words developers ask with to the API names the docs use.

Questions say "knob", "the audio callback", "my settings reset when I reopen the project";
the entries say Slider, processBlock, getStateInformation. `api_words` finds the API names
of every bridge whose phrase is in the query; BM25 gets them as whole tokens (`api_tokens`),
the dense ranker as text (`expand_query`). The pairs live in `developer_words.toml` with the public questions they came from.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from workbench.retrieval.search_tokens import identifier_token, stem, tokenize

BRIDGE_FILE = Path(__file__).with_name("developer_words.toml")


_PLAIN_WORD = re.compile(r"[A-Za-z0-9]+")


def phrase_words(text: str) -> set[str]:
    """The words a bridge phrase is matched on: the search tokens plus every plain word,
    function words included and stemmed alike, so "note on" needs its "on" (as a search token
    it was "note" alone, and every question about a note took the note-on bridge) and "on off"
    its "on"."""
    return set(tokenize(text)) | {stem(word.lower()) for word in _PLAIN_WORD.findall(text)}


@dataclass(frozen=True)
class Bridge:
    phrases: tuple[frozenset[str], ...]  # each phrase as its set of words (`phrase_words`)
    api: tuple[str, ...]
    sources: tuple[str, ...]

    def matches(self, query_tokens: set[str]) -> bool:
        return any(phrase <= query_tokens for phrase in self.phrases)


@lru_cache(maxsize=1)
def load_bridges(path: Path = BRIDGE_FILE) -> tuple[Bridge, ...]:
    """The bridges of the data file, phrases read into words like queries (so plurals match)."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    bridges = []
    for item in data.get("bridge", []):
        phrases = tuple(frozenset(phrase_words(p)) for p in item["phrases"] if phrase_words(p))
        bridges.append(Bridge(phrases, tuple(item["api"]), tuple(item.get("sources", []))))
    return tuple(bridges)


def api_words(query: str) -> list[str]:
    """API names the query's developer words point to, in bridge order, without repeats."""
    tokens = set(tokenize(query))
    words = phrase_words(query)
    found: dict[str, None] = {}
    for bridge in load_bridges():
        if bridge.matches(words):
            found.update(dict.fromkeys(bridge.api))
    return [word for word in found if word.lower() not in tokens]


def api_tokens(words: list[str]) -> list[str]:
    """BM25 tokens for API names: each name whole ("getstateinformation", "dsp::delayline" and
    "delayline"), never its camelCase parts, so "get" or "state" gain no weight; a one-word
    name is stemmed as the documents' words are ("Decibels" gives "decibel")."""
    tokens: list[str] = []
    for word in words:
        qualified = re.split(r"::|\.", word)
        tokens.append(word.lower() if len(qualified) > 1 else identifier_token(word))
        if len(qualified) > 1:
            tokens.append(identifier_token(qualified[-1]))
    return list(dict.fromkeys(tokens))


def expand_query(query: str) -> str:
    """The query followed by the API names its developer words stand for (for the dense side)."""
    extra = api_words(query)
    return f"{query}\n{' '.join(extra)}" if extra else query
