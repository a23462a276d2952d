"""Parse the documented functions of FAUST `.lib` files.

The FAUST libraries document each public function in a block that opens with a dashed line
naming it — "//------`(fi.)lowpass`------" — followed by a description, a "#### Usage" code
fence and a "Where:" list of parameters. Each documented name becomes one entry carrying its
library prefix (`fi.` comes from stdfaust.lib's `fi = library("filters.lib");`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from workbench.vocabulary import DocSource
from workbench.retrieval.entries import Entry

_HEADER = re.compile(r"^//-{2,}\s*(.*?`.*?)\s*-*\s*$")
_BACKTICKED = re.compile(r"`([^`]+)`")
_PREFIXED_NAME = re.compile(r"\((\w+)\.?\)\.?\s*([A-Za-z_][\w']*)")
_BARE_NAME = re.compile(r"\s*([A-Za-z_][\w']*)")
_PREFIX_LINE = re.compile(r'^\s*(\w+)\s*=\s*library\("([^"]+)"\)\s*;', re.M)
_PARAM = re.compile(r"^\*\s+`([^`]+)`\s*:?\s*(.*)$")


@dataclass
class FaustFunction:
    """A documented FAUST function, before it becomes an index entry."""

    library: str
    prefix: str
    name: str
    line: int
    usage: list[str] = field(default_factory=list)
    description: str = ""
    parameters: list[tuple[str, str]] = field(default_factory=list)

    @property
    def qualified_name(self) -> str:
        return f"{self.prefix}.{self.name}" if self.prefix else self.name

    def own_usage(self) -> list[str]:
        """The usage lines that call this function: a block documenting `resonlp` also shows
        `resonhp(fc,Q,gain)` and `resonbp(...)`, bare and without the library prefix (a card
        copied from fails with an undefined symbol), and those siblings have cards of their
        own; a block whose lines name it nowhere keeps them all."""
        own = [u for u in self.usage if re.search(rf"(?<![\w.]){re.escape(self.name)}\b", u)]
        return own or self.usage

    def signature(self) -> str:
        """The call as a user writes it, e.g. `fi.lowpass(N,fc)`, taken from the usage lines."""
        for usage in self.usage:
            match = re.search(rf"(?<![\w.]){re.escape(self.name)}(\([^)]*\))?", usage)
            if match:
                return f"{self.qualified_name}{match.group(1) or ''}"
        return self.qualified_name


def library_prefixes(faust_dir: Path) -> dict[str, str]:
    """Map each library file to its official prefix, read from stdfaust.lib."""
    stdfaust = faust_dir / "stdfaust.lib"
    if not stdfaust.is_file():
        return {}
    text = stdfaust.read_text(encoding="utf-8", errors="replace")
    return {lib: prefix for prefix, lib in _PREFIX_LINE.findall(text)}


def parse_library(path: Path, prefix: str = "") -> list[FaustFunction]:
    """Every documented function of one `.lib` file, in file order."""
    lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    functions: list[FaustFunction] = []
    i = 0
    while i < len(lines):
        header = _HEADER.match(lines[i])
        names = _documented_names(header.group(1)) if header else []
        if not names:
            i += 1
            continue
        block, j = _comment_block(lines, i + 1)
        for explicit_prefix, name in names:
            functions.append(
                _function_from_block(path.name, explicit_prefix or prefix, name, i + 1, block)
            )
        i = j
    return functions


def _documented_names(header: str) -> list[tuple[str, str]]:
    """(prefix, name) pairs of a header such as "`(os.)saw2, (os.)saw3`" or "`(pm).modalModel`"."""
    names: list[tuple[str, str]] = []
    for content in _BACKTICKED.findall(header):
        found = _PREFIXED_NAME.findall(content)
        if not found and (bare := _BARE_NAME.match(content)):
            found = [("", bare.group(1))]
        names.extend(found)
    return names


def _comment_block(lines: list[str], start: int) -> tuple[list[str], int]:
    """The comment lines after a header, up to the closing dashed line or the first code."""
    block: list[str] = []
    j = start
    while j < len(lines) and lines[j].startswith("//"):
        if re.match(r"^//-{4,}\s*$", lines[j]) or _HEADER.match(lines[j]):
            if _HEADER.match(lines[j]) and not re.match(r"^//-{4,}\s*$", lines[j]):
                break
            j += 1
            break
        block.append(lines[j][2:].removeprefix(" "))
        j += 1
    return block, j


def _function_from_block(
    library: str, prefix: str, name: str, line: int, block: list[str]
) -> FaustFunction:
    fn = FaustFunction(library=library, prefix=prefix, name=name, line=line)
    description: list[str] = []
    section = "description"
    in_fence = False
    for raw in block:
        text = raw.rstrip()
        if text.startswith("```"):
            in_fence = not in_fence
            continue
        if text.startswith("#### "):
            section = text[5:].strip().lower()
            continue
        if in_fence:
            if section == "usage" and text.strip():
                fn.usage.append(text.strip())
            elif section == "description":
                description.append(text)
            continue
        param = _PARAM.match(text.strip())
        if param and section in ("usage", "description"):
            fn.parameters.append((param.group(1), param.group(2).strip()))
        elif section == "description" and text.strip() != "Where:":
            description.append(text)
    fn.description = "\n".join(description).strip()
    return fn


def qualified_usage(fn: FaustFunction, usage: str) -> str:
    """A usage line as a program calls it: `_ : lowpass(N,fc) : _` -> `_ : fi.lowpass(N,fc) : _`
    (the library writes the bare name; code that copies it fails with an undefined symbol)."""
    if fn.qualified_name == fn.name:
        return usage
    return re.sub(rf"(?<![\w.]){re.escape(fn.name)}\b", fn.qualified_name, usage, count=1)


def to_entry(fn: FaustFunction, path: Path) -> Entry:
    """An index entry whose text reads like a reference card."""
    parts = [f"{fn.qualified_name} — {fn.library}"]
    if fn.usage:
        parts.append("Usage: " + " | ".join(qualified_usage(fn, usage) for usage in fn.own_usage()))
    if fn.description:
        parts.append(fn.description)
    if fn.parameters:
        parts.append("Parameters:\n" + "\n".join(f"- {p}: {d}" for p, d in fn.parameters))
    text = "\n".join(parts)
    embed = f"{fn.signature()} {fn.name.replace('_', ' ')}: {fn.description[:400]}"
    return Entry(
        id=f"faust:{fn.library}:{fn.name}:{fn.line}",
        source=DocSource.FAUST_LIBRARIES,
        kind="function",
        title=fn.qualified_name,
        location=f"{fn.library}:{fn.line}",
        path=str(path),
        line=fn.line,
        text=text,
        embed_text=embed,
    )


def parse_library_entries(path: Path, prefixes: dict[str, str]) -> list[Entry]:
    """Parse one library file straight into index entries."""
    return [to_entry(fn, path) for fn in parse_library(path, prefixes.get(path.name, ""))]
