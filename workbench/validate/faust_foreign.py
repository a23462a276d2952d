"""FAUST's doors to C: `ffunction`, `fconstant` and `fvariable`, limited to pure math.

A FAUST program may declare any C function with a header to include, and the compiled
render binary then calls it: `ffunction(int kill(int,int), <signal.h>, "")` made a rendered
answer kill another process. Before anything compiles, every foreign declaration in the
code is checked against a short allowlist: the headers `<math.h>`/`<cmath>` and the pure
math functions the FAUST libraries themselves declare (`sinhf|sinh|sinhl`, `hypot`, ...),
the sample rate constant and the block size variable. Anything else is refused by name.
"""

from __future__ import annotations

import re

from workbench.validate.outside_files import as_compiler_reads_it
from workbench.validate.results import CodeError

HEADERS = frozenset({"<math.h>", "<cmath>"})
_MATH = (
    "sin cos tan asin acos atan atan2 sinh cosh tanh asinh acosh atanh exp exp2 expm1 log log2 "
    "log10 log1p logb ilogb pow sqrt cbrt hypot fabs fmod remainder floor ceil round trunc rint "
    "nearbyint fmin fmax fdim copysign erf erfc tgamma lgamma ldexp scalbn nextafter isnan isinf "
    "j0 j1 jn y0 y1 yn"
).split()
FUNCTIONS = frozenset(name + suffix for name in _MATH for suffix in ("", "f", "l")) | {"abs"}
CONSTANTS = frozenset({"fSamplingFreq"})
VARIABLES = frozenset({"count"})
_ALLOWED = {"ffunction": FUNCTIONS, "fconstant": CONSTANTS, "fvariable": VARIABLES}
_FOREIGN = re.compile(r"\b(?P<kind>ffunction|fconstant|fvariable)\s*\(")
_NAMES = re.compile(r"(?P<names>[A-Za-z_]\w*(?:\s*\|\s*[A-Za-z_]\w*)*)\s*$")


def _arguments(text: str, start: int) -> list[str] | None:
    """The comma-separated arguments of the call whose `(` is just before `start`, split at
    its own top level; None when the parentheses never close."""
    depth, current, arguments = 0, [], []
    for position in range(start, len(text)):
        char = text[position]
        if char == "(":
            depth += 1
        elif char == ")":
            if depth == 0:
                return [*arguments, "".join(current).strip()]
            depth -= 1
        elif char == "," and depth == 0:
            arguments.append("".join(current).strip())
            current = []
            continue
        current.append(char)
    return None


def _declared_names(kind: str, signature: str) -> list[str]:
    """The C names a declaration binds: `float sinhf|sinh|sinhl (float)` -> the three,
    `int fSamplingFreq` -> the one."""
    head = signature.split("(")[0] if kind == "ffunction" else signature
    found = _NAMES.search(head)
    return [name.strip() for name in found["names"].split("|")] if found else []


def _problem(kind: str, arguments: list[str] | None) -> str | None:
    expected = 3 if kind == "ffunction" else 2
    if arguments is None or len(arguments) != expected:
        return f"a {kind} declaration the check cannot read"
    names = _declared_names(kind, arguments[0])
    refused = [n for n in names if n not in _ALLOWED[kind]] or ([] if names else [arguments[0] or "?"])
    if refused:
        return f"{kind} '{refused[0]}' is not allowed"
    if arguments[1].replace(" ", "") not in HEADERS:
        return f"{kind} header {arguments[1]} is not allowed"
    if kind == "ffunction" and arguments[2] not in ('""', ""):
        return f"{kind} library {arguments[2]} is not allowed"
    return None


def foreign_refusals(code: str) -> list[CodeError]:
    """One error per foreign declaration outside the allowlist, with its line."""
    text = as_compiler_reads_it(code, "faust")
    errors = []
    for match in _FOREIGN.finditer(text):
        if problem := _problem(match["kind"], _arguments(text, match.end())):
            errors.append(CodeError(
                line=text.count("\n", 0, match.start()) + 1,
                message=(f"{problem}: generated FAUST may call only pure math functions of <math.h> "
                         "(sin, exp, hypot, ...), so no foreign code runs when the program is rendered"),
            ))
    return errors
