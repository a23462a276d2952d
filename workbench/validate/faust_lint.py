"""Checking a FAUST block against the user's installed libraries before the compiler runs.

The compiler stops at the first undefined symbol and names no alternative; small models write
`osc(440)` for `os.osc(440)` and `fi.lowpass(300)` for `fi.lowpass(N, fc)`. The lint reports
every such mistake at once, each with its line and the nearest real names and their
documented usage (`osc` → `os.osc(freq)`), and calls out code that is not FAUST at all
(Python or C++ in a faust block) or that forgot `import("stdfaust.lib")`.

Scoping is read generously: every name defined anywhere in the block (definitions in `with`
blocks, parameters, lambda and iteration variables, pattern variables) counts as known, so
the lint can miss a mistake but does not flag correct code for a local name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from workbench.validate.faust_source import (
    IDENTIFIER, PROCESS, call_arguments, definition, line_at, mask, non_definitions, statements,
)
from workbench.validate.faust_symbols import FaustSymbols
from workbench.validate.results import CodeError

# the language's own words and primitives (FAUST 2.5x), which no library defines
PRIMITIVES = frozenset("""
process with letrec where environment library component import declare case inputs outputs
ffunction fconstant fvariable par seq sum prod route waveform soundfile ondemand upsampling
downsampling mem prefix rdtable rwtable select2 select3 int float abs min max pow sqrt exp exp10
log log10 floor ceil fmod remainder rint round sin cos tan asin acos atan atan2 button checkbox
vslider hslider nentry vgroup hgroup tgroup vbargraph hbargraph attach enable control
isnan isinf copysign int32 int64 float32 float64 sinh cosh tanh asinh acosh atanh infix
""".split())
_PYTHON = re.compile(
    r"^\s*(def \w+\(.*\)\s*:|import \w+(\.\w+)*( as \w+)?\s*$|from [\w.]+ import |class \w+.*:\s*$"
    r"|print\(|if __name__|for \w+ in |while .*:\s*$|return\s)|\bnp\.|\bnumpy\b|\bself\.",
    re.M)
_CPP = re.compile(r"^\s*#\s*include\b|\bstd::|\bjuce::|\bint\s+main\s*\(|\bvoid\s+\w+\s*\(|\bfloat\s+\w+\s*[=;(]"
                  r"|\bclass\s+\w+\s*(:|\{)|\bfor\s*\(\s*(int|auto)\b", re.M)
_IMPORTED = re.compile(r'\bimport\s*\(\s*"([^"]+)"\s*\)')
_BINDERS = re.compile(r"\\\s*\(([^)]*)\)\s*\.|\b(?:par|seq|sum|prod)\s*\(\s*([A-Za-z_]\w*)\s*,")
_CASE_PATTERN = re.compile(r"\(([^()]*)\)\s*=>")
_FOREIGN = re.compile(r"\b(ffunction|fconstant|fvariable)\s*\(")  # C declarations, not FAUST names
_DECLARE = re.compile(r"\bdeclare\s+(\w+\s+)?$")


@dataclass
class LintReport:
    """What the lint found; `not_faust` means the compiler need not run at all."""

    errors: list[CodeError] = field(default_factory=list)
    not_faust: bool = False


def _not_faust(code: str) -> CodeError | None:
    """Python or C++ passed off as FAUST: what it is, where it shows."""
    if PROCESS.search(code):
        return None
    for language, pattern in (("Python", _PYTHON), ("C++", _CPP)):
        if match := pattern.search(code):
            return CodeError(line=line_at(code, match.start()), kind="not_faust", message=(
                f"this block is {language}, not FAUST (`{match.group(0).strip()[:40]}`)"),
                hint='write FAUST: start with import("stdfaust.lib"); and define process = …;')
    return None


def _non_definitions(code: str) -> tuple[list[CodeError], set[str]]:
    """The lint's errors for statements that define nothing (`faust_source.non_definitions`),
    and the names the C declarations meant to define, so they are not reported again as unknown."""
    errors: list[CodeError] = []
    for found in non_definitions(code):
        shown = " ".join(found.text.split())
        line = line_at(code, found.start)
        if found.typed_name:
            errors.append(CodeError(line=line, kind="typed_definition", symbol=found.typed_name,
                                    message=f"`{shown[:60]}` is C: a FAUST definition has no type",
                                    hint=f"write {found.typed_name} = {shown.split('=', 1)[1].strip()[:60]};"))
        else:
            errors.append(CodeError(line=line, kind="no_definition", message=(
                f"`{shown[:60]}` stands alone and defines nothing"),
                hint=f"name it and use the name: {found.control_name or 'x'} = {shown[:60]};"))
    return errors, {e.symbol for e in errors if e.symbol}


def _local_names(masked: str) -> set[str]:
    """Every name the block defines or binds, wherever it does."""
    names: set[str] = set()
    for statement in statements(masked):
        made = definition(statement)
        if made:
            names.add(made.name)
            names.update(p for param in made.params or () for p in IDENTIFIER.findall(param))
    for match in _BINDERS.finditer(masked):
        names.update(IDENTIFIER.findall(match.group(1) or match.group(2) or ""))
    for match in _CASE_PATTERN.finditer(masked):
        names.update(IDENTIFIER.findall(match.group(1)))
    return names


def _blank_foreign(masked: str) -> str:
    """`ffunction(float f(float), <m.h>, "")` and the like hold C, which the lint must not read."""
    for match in reversed(list(_FOREIGN.finditer(masked))):
        parsed = call_arguments(masked, match.end() - 1)
        if parsed:
            close = parsed[1]
            masked = masked[: match.end()] + re.sub(r"[^\n]", " ", masked[match.end() : close]) + masked[close:]
    return masked


def _suggestion(symbols: FaustSymbols, matches: list[tuple[str, object]]) -> str:
    cards = [symbols.card(prefix, symbol) for prefix, symbol in matches[:2]]
    return ("did you mean " + "; or ".join(cards)) if cards else ""


class _Lint:
    def __init__(self, code: str, symbols: FaustSymbols) -> None:
        self.code, self.symbols = code, symbols
        self.masked = _blank_foreign(mask(code))
        imported = _IMPORTED.findall(code)
        self.std = any(lib == "all.lib" or symbols.imports_stdfaust(lib) for lib in imported)
        # prefix → library file, for the prefixes this program can use
        self.available = dict(symbols.prefixes) if self.std else {}
        for lib in imported:
            self.available.update({k: v for k, v in symbols.prefixes_of(lib).items() if k not in self.available})
        self.bare_libraries = [lib for lib in imported if lib not in ("stdfaust.lib",)]
        self.statement_errors, meant = _non_definitions(code)
        self.local = _local_names(self.masked) | meant
        self.errors: list[CodeError] = []
        self.reported: set[str] = set()

    def add(self, error: CodeError) -> None:
        key = f"{error.kind}:{error.symbol}"
        if key not in self.reported:
            self.reported.add(key)
            self.errors.append(error)

    def run(self) -> list[CodeError]:
        for error in self.statement_errors:
            self.add(error)
        if not PROCESS.search(self.masked):
            self.add(CodeError(kind="no_process", message="the program defines no `process`",
                               hint="a FAUST program's output is `process = …;`"))
        used_prefixes = []
        for match in IDENTIFIER.finditer(self.masked):
            name, start, end = match.group(1), match.start(), match.end()
            if self._skipped(name, start):
                continue
            member = re.match(r"\s*\.\s*([A-Za-z_]\w*)", self.masked[end:])
            if member:
                used_prefixes.append(name)
                self._prefixed(name, member.group(1), start, end + member.end())
            else:
                self._bare(name, start, end)
        own_library = any(lib not in self.symbols.libraries for lib in self.bare_libraries)  # may import stdfaust
        missing = [p for p in used_prefixes if p in self.symbols.prefixes and p not in self.available
                   and p not in self.local]
        if missing and not own_library:
            names = ", ".join(dict.fromkeys(f"{p}." for p in missing))
            self.errors.insert(0, CodeError(line=1, kind="missing_import", symbol="stdfaust.lib", message=(
                f'missing import("stdfaust.lib"); — the library prefixes {names} come from it'),
                hint='add import("stdfaust.lib"); as the first line'))
        return self.errors

    def _skipped(self, name: str, start: int) -> bool:
        line_before = self.masked[self.masked.rfind("\n", 0, start) + 1 : start]
        if _DECLARE.search(line_before):  # `declare name "…"`, `declare fn author "…"`
            return True
        return name == "_" or name in self.local or name in PRIMITIVES

    def _prefixed(self, prefix: str, name: str, start: int, end: int) -> None:
        library = self.available.get(prefix) or self.symbols.prefixes.get(prefix)
        if prefix in self.local or library is None:
            if prefix not in self.local and library is None and not self.bare_libraries:
                known = ", ".join(sorted(p for p in self.symbols.prefixes if p not in ("sf",)))
                self.add(CodeError(line=line_at(self.masked, start), kind="unknown_prefix", symbol=prefix,
                                   message=f"`{prefix}.` is not a library prefix of stdfaust.lib",
                                   hint=f"the prefixes are: {known}"))
            return
        symbol = self.symbols.lookup(library, name)
        line = line_at(self.masked, start)
        if symbol is None:
            near = self.symbols.nearest(name, prefix) or self.symbols.nearest(name)
            self.add(CodeError(line=line, kind="unknown_identifier", symbol=f"{prefix}.{name}", message=(
                f"`{prefix}.{name}` does not exist: {library} has no `{name}`"), hint=_suggestion(self.symbols, near)))
            return
        self._arity(f"{prefix}.{name}", prefix, symbol, end, line)

    def _bare(self, name: str, start: int, end: int) -> None:
        line = line_at(self.masked, start)
        for library in self.bare_libraries:
            if symbol := self.symbols.lookup(library, name):
                self._arity(name, "", symbol, end, line)
                return
        if self.bare_libraries and not all(lib in self.symbols.libraries for lib in self.bare_libraries):
            return  # a library of the user's own: its names are unknown here
        near = self.symbols.nearest(name)
        self.add(CodeError(line=line, kind="unknown_identifier", symbol=name, message=f"unknown identifier `{name}`",
                           hint=_suggestion(self.symbols, near)))

    def _arity(self, shown: str, prefix: str, symbol, end: int, line: int) -> None:
        following = self.masked[end:]
        if not following.lstrip().startswith("("):
            return
        allowed = self.symbols.arities(symbol)
        parsed = call_arguments(self.masked, end + len(following) - len(following.lstrip()))
        if not allowed or parsed is None:
            return
        # more arguments than parameters is legal FAUST (the extra ones feed the result's
        # inputs, as in ba.selectn(N, i, a, b)); fewer than the documented usage is the mistake
        if not symbol.usage_arities:  # undocumented: partial application may be meant
            return
        given, fewest = len(parsed[0]), min(symbol.usage_arities)
        if given >= fewest:
            return
        expected = " or ".join(str(n) for n in sorted(allowed))
        self.add(CodeError(line=line, kind="argument_count", symbol=shown, message=(
            f"`{shown}` takes {expected} argument{'s' if expected != '1' else ''}, {given} given"),
            hint=self.symbols.card(prefix, symbol)))


def lint_faust(code: str, symbols: FaustSymbols | None) -> LintReport:
    """The lint's findings for one FAUST block; without a symbol table only the checks that
    need none (not FAUST at all) run."""
    if wrong := _not_faust(code):
        return LintReport(errors=[wrong], not_faust=True)
    if symbols is None:
        return LintReport()
    return LintReport(errors=_Lint(code, symbols).run())
