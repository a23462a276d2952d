"""Inline `<think>` splitting gives the same result however the text is cut."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from workbench.llm.think_split import ThinkSplitter, split_think

# texts built mostly from tag pieces, so tags and near-tags land on every cut
PIECES = st.sampled_from(["<think>", "</think>", "<", "</", "<th", "think>", "ink", ">", " ", "\n", "a", "b"])
TEXTS = st.lists(PIECES, max_size=30).map("".join)


def reference_split(text: str) -> tuple[str, str]:
    """The meaning of the splitter, written the obvious way over the whole text."""
    parts = {False: "", True: ""}
    inside = False
    while True:
        tag = "</think>" if inside else "<think>"
        at = text.find(tag)
        if at < 0:
            parts[inside] += text
            break
        parts[inside] += text[:at]
        text = text[at + len(tag):]
        inside = not inside
    return parts[False].lstrip(), parts[True].lstrip()


@given(TEXTS, st.lists(st.integers(min_value=0, max_value=400), max_size=12))
def test_any_chunking_gives_the_whole_text_split(text: str, cuts: list[int]) -> None:
    bounds = sorted({0, len(text), *(c % (len(text) + 1) for c in cuts)})
    splitter = ThinkSplitter()
    content, thinking = "", ""
    for start, end in zip(bounds, bounds[1:]):
        c, t = splitter.feed(text[start:end])
        content, thinking = content + c, thinking + t
    c, t = splitter.flush()
    assert (content + c, thinking + t) == reference_split(text) == split_think(text)


def test_typical_reasoning_answer():
    assert split_think("<think>\nThe user wants a filter.\n</think>\n\nUse `fi.lowpass`.") == (
        "Use `fi.lowpass`.", "The user wants a filter.\n")


def test_text_that_only_looks_like_a_tag_is_answer():
    assert split_think("a <b> c <thin") == ("a <b> c <thin", "")


def test_held_back_characters_are_released_when_no_tag_follows():
    splitter = ThinkSplitter()
    assert splitter.feed("x <th") == ("x ", "")
    assert splitter.feed("e") == ("<the", "")


def test_unclosed_think_stays_thinking():
    assert split_think("<think>still going") == ("", "still going")
