"""Code that reads files outside its own tree is not checked.

The compilers echo the text around a parse error, so an `#include "/etc/shadow"` or a FAUST
`import("../../secrets.txt")` written by a model (or planted in a document it read) would put
that file's lines into the error shown to the user and sent back to the model for repair.
Only JUCE, system and FAUST library names are legitimate here; absolute paths and `..` are
refused before any compiler runs.
"""

from __future__ import annotations

import re

from workbench.validate.results import CodeError

_CPP = re.compile(r"^\s*#\s*include\s*[<\"](?P<path>[^>\"]+)[>\"]", re.MULTILINE)
_FAUST = re.compile(r"\b(?:import|library|component)\s*\(\s*\"(?P<path>[^\"]+)\"")


def outside_references(code: str, language: str) -> list[CodeError]:
    """One error per include/import of an absolute path or a path through `..`."""
    pattern = _CPP if language == "cpp" else _FAUST
    errors = []
    for match in pattern.finditer(code):
        path = match["path"].strip()
        if path.startswith(("/", "~")) or ".." in re.split(r"[\\/]", path):
            errors.append(CodeError(
                line=code.count("\n", 0, match.start("path")) + 1,
                message=f"'{path}' is outside the project: the check reads only JUCE, system and FAUST "
                        "library files — use a library name or a path inside your source tree",
            ))
    return errors
