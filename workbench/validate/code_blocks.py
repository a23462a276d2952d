"""Finding the code blocks in a model's markdown answer and naming their language."""

from __future__ import annotations

import re

from pydantic import BaseModel

_FENCE = re.compile(r"^(?P<indent> {0,3})(?P<fence>`{3,}|~{3,})[ \t]*(?P<info>[^\n`]*)$")
_LANGUAGE_TAGS = {
    "faust": "faust", "dsp": "faust", "fst": "faust", "lib": "faust",
    "cpp": "cpp", "c++": "cpp", "cxx": "cpp", "cc": "cpp", "hpp": "cpp", "h": "cpp", "juce": "cpp",
    "python": "python", "py": "python",
}
_FAUST_HINTS = re.compile(r"^\s*process\s*=|import\s*\(\s*\"stdfaust\.lib\"\s*\)", re.MULTILINE)
_CPP_HINTS = re.compile(r"^\s*#\s*include\b|\bjuce::|\bclass\s+\w+\s*:\s*public\b", re.MULTILINE)


class CodeBlock(BaseModel):
    """One fenced block: its language, its text, and where it starts in the answer (1-based)."""

    language: str
    code: str
    start_line: int


def guess_language(info: str, code: str) -> str:
    """The block's language from its fence tag, else from what the code looks like."""
    tag = info.strip().split(maxsplit=1)[0].lower() if info.strip() else ""
    if tag:
        return _LANGUAGE_TAGS.get(tag, tag)
    if _FAUST_HINTS.search(code):
        return "faust"
    if _CPP_HINTS.search(code):
        return "cpp"
    return "text"


def extract_code_blocks(markdown: str) -> list[CodeBlock]:
    """Every fenced block, in order; a block left open at the end (a cut-off answer) counts."""
    blocks: list[CodeBlock] = []
    lines = markdown.splitlines()
    index = 0
    while index < len(lines):
        opening = _FENCE.match(lines[index])
        if not opening:
            index += 1
            continue
        fence = opening["fence"]
        body: list[str] = []
        index += 1
        start = index + 1
        while index < len(lines) and not lines[index].strip().startswith(fence[0] * len(fence)):
            body.append(lines[index])
            index += 1
        index += 1
        code = "\n".join(body) + "\n"
        if code.strip():
            blocks.append(CodeBlock(language=guess_language(opening["info"], code), code=code, start_line=start))
    return blocks
