"""Code that reads files outside its own tree is not checked.

The compilers echo the text around a parse error, so an `#include "/etc/shadow"` or a FAUST
`import("../../secrets.txt")` written by a model (or planted in a document it read) would put
that file's lines into the error shown to the user and sent back to the model for repair.
Only JUCE, system and FAUST library files are legitimate here. Three layers keep it so:

1. before any compiler runs, the source as the compiler will read it (C++ line splices
   joined, `%:` digraphs and comments gone) is searched for absolute paths, `..`, URLs and
   includes of a macro, each refused with its line;
2. the compilers run confined (see `sandbox.py`) where only the system, the libraries and
   the scratch directory exist, so another file cannot even be opened;
3. what the compilers actually opened is checked after the run: g++'s own `-H` list of every
   header it read, and the file each faust error is located in. A file outside the allowed
   folders withholds every diagnostic, and the message names only the path.
"""

from __future__ import annotations

import functools
import os
import re
import subprocess
from collections.abc import Iterable
from pathlib import Path

from workbench.validate.results import CodeError

_TOKENS = re.compile(r'"(?:\\.|[^"\\\n])*"|//[^\n]*|/\*.*?\*/', re.DOTALL)
_CPP = re.compile(r"^[ \t]*#[ \t]*(?:include(?:_next)?|import)\b[ \t]*(?P<target>[^\n]*)", re.MULTILINE)
_QUOTED = re.compile(r"[<\"](?P<path>[^>\"]+)[>\"]")
_FAUST = re.compile(r"\b(?:import|library|component)\s*\(\s*\"(?P<path>[^\"]+)\"")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_INCLUDED = re.compile(r"^[.!x]+ (?P<path>\S.*)$", re.MULTILINE)  # g++ -H: ". /usr/include/math.h"


def _blank_comments(code: str) -> str:
    """`code` with every comment replaced by spaces (newlines kept, so lines still count);
    string literals are left alone, so a `//` inside a path is not taken for a comment."""
    def blank(match: re.Match[str]) -> str:
        text = match.group()
        return text if text.startswith('"') else re.sub(r"[^\n]", " ", text)

    return _TOKENS.sub(blank, code)


def _join_splices(code: str) -> str:
    """C++ translation phase 2: a backslash at the end of a line joins the next one. The
    newlines taken out are put back after the joined line, so later lines keep their numbers."""
    lines = code.split("\n")
    parts, pending = [], 0
    for number, line in enumerate(lines, start=1):
        if line.rstrip("\r").endswith("\\") and number < len(lines):
            parts.append(line.rstrip("\r")[:-1])
            pending += 1
        else:
            parts.append(line + ("\n" if number < len(lines) else "") + "\n" * pending)
            pending = 0
    return "".join(parts)


def as_compiler_reads_it(code: str, language: str) -> str:
    """The text the compiler tokenizes: C++ line splices joined (each splice's newline moved
    to the end of the joined line, so line numbers stay true) and `%:` read as `#`; comments
    blanked in both languages."""
    if language == "cpp":
        code = _join_splices(code).replace("%:", "#")
    return _blank_comments(code)


def _outside(path: str) -> bool:
    return path.startswith(("/", "~", "\\")) or bool(_SCHEME.match(path)) or ".." in re.split(r"[\\/]", path)


def _refusal(line: int, path: str) -> CodeError:
    return CodeError(
        line=line,
        message=f"'{path}' is outside the project: the check reads only JUCE, system and FAUST "
                "library files — use a library name or a path inside your source tree",
    )


def outside_references(code: str, language: str) -> list[CodeError]:
    """One error per include/import of an absolute path, a path through `..`, a URL, or (C++)
    a file named by a macro, which only the preprocessor could resolve."""
    text = as_compiler_reads_it(code, language)
    errors = []
    if language == "cpp":
        for match in _CPP.finditer(text):
            line = text.count("\n", 0, match.start()) + 1
            quoted = _QUOTED.match(match["target"].strip())
            if not quoted:
                errors.append(CodeError(line=line, message=(
                    "an #include of a macro is not checked: name the header itself, "
                    "e.g. #include <juce_core/juce_core.h>")))
            elif _outside(quoted["path"].strip()):
                errors.append(_refusal(line, quoted["path"].strip()))
        return errors
    for match in _FAUST.finditer(text):
        if _outside(path := match["path"].strip()):
            errors.append(_refusal(text.count("\n", 0, match.start("path")) + 1, path))
    return errors


def _within(path: Path, roots: Iterable[Path]) -> bool:
    return any(path == root or root in path.parents for root in roots)


def real_roots(folders: Iterable[Path | str]) -> tuple[Path, ...]:
    """`folders` with symlinks resolved, as `files_outside` compares them."""
    return tuple(Path(os.path.realpath(folder)) for folder in folders)


def files_outside(paths: Iterable[str], roots: tuple[Path, ...], cwd: Path) -> list[str]:
    """The files among `paths` (as a compiler printed them, relative to `cwd` or absolute)
    that lie in none of `roots`, symlinks resolved."""
    return [p for p in paths if not _within(Path(os.path.realpath(cwd / p)), roots)]


def split_header_trace(gxx_stderr: str) -> tuple[list[str], str]:
    """g++'s `-H` list of every file it opened as a header, and the rest of its stderr."""
    headers = [match["path"].strip() for match in _INCLUDED.finditer(gxx_stderr)]
    rest = _INCLUDED.sub("", gxx_stderr).split("Multiple include guards may be useful for:")[0]
    return headers, re.sub(r"\n{2,}", "\n", rest).strip("\n")


@functools.cache
def gxx_search_dirs(gxx: str) -> tuple[Path, ...]:
    """The folders g++ searches for `<...>` headers by itself (its `-v` search list)."""
    try:
        printed = subprocess.run([gxx, "-xc++", "-E", "-v", os.devnull], capture_output=True,
                                 text=True, timeout=30).stderr
    except (OSError, subprocess.TimeoutExpired):
        return ()
    listed = printed.partition("#include <...> search starts here:")[2].partition("End of search list.")[0]
    return real_roots(line.strip() for line in listed.splitlines() if line.strip())


def withheld(paths: list[str]) -> list[CodeError]:
    """The one error shown when a compiler read files outside the allowed folders: their
    paths, none of their text."""
    names = ", ".join(sorted(set(paths))[:3])
    return [CodeError(message=(
        f"the code made the compiler read {names}, outside the project and the libraries; "
        "its messages are withheld so no text of that file is shown — include only JUCE, "
        "system or FAUST library files"))]
