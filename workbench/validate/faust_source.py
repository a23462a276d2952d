"""Reading FAUST source text without a FAUST parser: comments and strings blanked, definitions
and calls found by their shape. Shared by the library symbol table and the lint, so both
read the language the same way."""

from __future__ import annotations

import re
from dataclasses import dataclass

# comments, strings (which may span lines) and <mdoc> documentation sections
_MASKED = re.compile(r'/\*.*?\*/|//[^\n]*|"(?:\\.|[^"\\])*"|<mdoc>.*?</mdoc>', re.S)
# where the program defines its output, `process = …` or `process(x) = …`
PROCESS = re.compile(r"^\s*process\s*(\([^)]*\))?\s*=(?!=)", re.M)
IDENTIFIER = re.compile(r"(?<![\w.'])([A-Za-z_][A-Za-z0-9_]*)")
# `name(params) = body` or `name = body` at the start of a statement (not `==`)
_DEFINITION = re.compile(r"^\s*([A-Za-z_]\w*)\s*(\((?P<params>[^()]*(?:\([^()]*\)[^()]*)*)\))?\s*=(?!=)", re.S)


def mask(source: str) -> str:
    """`source` with comments and string literals replaced by spaces (quotes kept, so a
    label stays one token); offsets and line numbers are unchanged."""
    def blank(match: re.Match) -> str:
        token = match.group(0)
        if token.startswith('"'):
            return '"' + re.sub(r"[^\n]", " ", token[1:-1]) + '"'
        return re.sub(r"[^\n]", " ", token)

    return _MASKED.sub(blank, source)


def line_at(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def split_top_level(text: str, separator: str = ",") -> list[str]:
    """`text` split at `separator` outside parentheses and braces."""
    parts, depth, start = [], 0, 0
    for index, char in enumerate(text):
        if char in "({[":
            depth += 1
        elif char in ")}]":
            depth -= 1
        elif char == separator and depth == 0:
            parts.append(text[start:index])
            start = index + 1
    parts.append(text[start:])
    return parts


@dataclass(frozen=True)
class Statement:
    text: str  # masked
    offset: int  # where it starts in the masked source
    depth: int  # braces around it: 0 at the top level of the file


def statements(masked: str) -> list[Statement]:
    """Every `;`-ended statement, including those inside `with { … }` and `environment { … }`,
    with its brace depth."""
    found: list[Statement] = []
    parens: list[int] = [0]  # open parentheses per brace level: `vgroup("x", environment { a; b; })`
    start = 0
    for index, char in enumerate(masked):
        if char == "(":
            parens[-1] += 1
        elif char == ")":
            parens[-1] = max(0, parens[-1] - 1)
        elif char == "{":
            found.append(Statement(masked[start:index], start, len(parens) - 1))
            parens.append(0)
            start = index + 1
        elif char == "}":
            if len(parens) > 1:
                found.append(Statement(masked[start:index], start, len(parens) - 1))
                parens.pop()
            start = index + 1
        elif char == ";" and parens[-1] == 0:
            found.append(Statement(masked[start:index], start, len(parens) - 1))
            start = index + 1
    depth = len(parens) - 1
    if masked[start:].strip():
        found.append(Statement(masked[start:], start, depth))
    return found


@dataclass(frozen=True)
class Definition:
    name: str
    params: tuple[str, ...] | None  # None: defined without a parameter list
    body: str
    offset: int


def definition(statement: Statement) -> Definition | None:
    """The definition a statement makes, if it is one."""
    match = _DEFINITION.match(statement.text)
    if not match:
        return None
    params = match["params"]
    names = None if params is None else tuple(p.strip() for p in split_top_level(params) if p.strip())
    start = statement.offset + len(statement.text) - len(statement.text.lstrip())
    return Definition(match.group(1), names, statement.text[match.end():].strip(), start)


def call_arguments(masked: str, open_paren: int) -> tuple[list[str], int] | None:
    """The top-level arguments of the call whose `(` is at `open_paren`, and where it closes."""
    depth = 0
    for index in range(open_paren, len(masked)):
        if masked[index] == "(":
            depth += 1
        elif masked[index] == ")":
            depth -= 1
            if depth == 0:
                inner = masked[open_paren + 1 : index]
                return ([a for a in split_top_level(inner)] if inner.strip() else []), index
    return None


_TYPED = re.compile(r"^(?:const\s+)?(?:float|int|double|bool|auto|var|let)\s+(?P<name>[A-Za-z_]\w*)\s*=(?!=)")
_DIRECTIVE = re.compile(r"^\s*(?:import|declare|library|component|environment)\b")
# a control's label: a string, or a bare name where a small model forgot the quotes (`button(gate)`)
_CONTROL_LABEL = re.compile(r'^(?:button|checkbox|[hv]slider|nentry)\s*\(\s*(?:"([^"]+)"|([A-Za-z_]\w*)\s*[,)])')


@dataclass(frozen=True)
class NonDefinition:
    """A top-level statement that defines nothing, as a small model writes one: a C
    declaration (`float attack = 0.1`, `typed_name` "attack") or a bare expression
    (`button("gate")`, `control_name` "gate" when it is a labelled control)."""

    start: int  # its first token in the source
    end: int  # where its `;` is
    text: str  # the source between them
    typed_name: str | None
    control_name: str | None


def non_definitions(source: str) -> list[NonDefinition]:
    """Every top-level statement that is neither a definition nor a directive, in order."""
    masked, found = mask(source), []
    for statement in statements(masked):
        text = statement.text
        if statement.depth or not text.strip() or definition(statement) or _DIRECTIVE.match(text):
            continue
        start, end = statement.offset + len(text) - len(text.lstrip()), statement.offset + len(text)
        original = source[start:end]
        typed = _TYPED.match(original)
        label = None if typed else _CONTROL_LABEL.match(original)
        control = re.sub(r"\W+", "_", label.group(1) or label.group(2)).strip("_").lower() if label else ""
        found.append(NonDefinition(start, end, original, typed["name"] if typed else None,
                                   control if control[:1].isalpha() else None))
    return found
