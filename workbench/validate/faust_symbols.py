"""What the user's installed FAUST libraries define: every top-level name of every `.lib`, its
parameters, and, for documented functions, the usage line and summary the library gives
(read with `retrieval.faust_lib_parser`). The lint checks code against it and repair prompts
quote from it, so a suggestion is always something the installed FAUST really has.

Built once per library folder and kept on disk (`cache_dir/faust_symbols/`), keyed by the
files' names, sizes and modification times; rebuilt when any of them changes.
"""

from __future__ import annotations

import difflib
import functools
import hashlib
import json
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path

from workbench.config import Settings
from workbench.retrieval.discovery import find_faust_libraries
from workbench.retrieval.faust_lib_parser import library_prefixes, parse_library
from workbench.validate.faust_source import call_arguments, definition, line_at, mask, statements

CACHE_VERSION = 3
_IMPORT = re.compile(r'\bimport\s*\(\s*"([^"]+)"\s*\)')
_LIBRARY = re.compile(r'^\s*library\s*\(\s*"([^"]+)"\s*\)\s*$')
_ALIAS = re.compile(r"^([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)?)$")
# prefixes that re-export everything: never offered as a suggestion
_CATCH_ALL = {"sf"}


@dataclass(frozen=True)
class FaustSymbol:
    """One name a library defines."""

    library: str
    name: str
    line: int
    params: tuple[str, ...] | None = None  # None: defined without a parameter list
    alias_of: str | None = None  # `osc = oscsin;` → "oscsin"
    usage: str = ""  # the documented call, e.g. "os.osc(freq)"
    usage_arities: tuple[int, ...] = ()  # argument counts of the documented usage lines
    summary: str = ""


@dataclass
class FaustSymbols:
    folder: str
    prefixes: dict[str, str]  # "os" → "oscillators.lib", from stdfaust.lib
    libraries: dict[str, dict[str, FaustSymbol]] = field(default_factory=dict)
    imports: dict[str, list[str]] = field(default_factory=dict)  # lib → libs it import()s
    aliases: dict[str, dict[str, str]] = field(default_factory=dict)  # lib → its own `ma = library("maths.lib")`

    def prefixes_of(self, library: str) -> dict[str, str]:
        """The `xx = library(…)` names importing `library` brings, through what it imports."""
        found: dict[str, str] = {}
        pending, seen = [library], set()
        while pending:
            current = pending.pop()
            if current in seen:
                continue
            seen.add(current)
            found.update({k: v for k, v in self.aliases.get(current, {}).items() if k not in found})
            pending += self.imports.get(current, [])
        return found

    def lookup(self, library: str, name: str) -> FaustSymbol | None:
        """`name` as `library` sees it: its own definitions, then what it imports."""
        pending, seen = [library], set()
        while pending:
            current = pending.pop(0)
            if current in seen:
                continue
            seen.add(current)
            if found := self.libraries.get(current, {}).get(name):
                return found
            pending += self.imports.get(current, [])
        return None

    def imports_stdfaust(self, library: str) -> bool:
        """Whether `library` brings the standard prefixes (os., fi., …) with it."""
        pending, seen = [library], set()
        while pending:
            current = pending.pop()
            if current == "stdfaust.lib":
                return True
            if current not in seen:
                seen.add(current)
                pending += self.imports.get(current, [])
        return False

    def member(self, prefix: str, name: str) -> FaustSymbol | None:
        library = self.prefixes.get(prefix)
        return self.lookup(library, name) if library else None

    def resolved(self, symbol: FaustSymbol) -> FaustSymbol:
        """Follow `osc = oscsin;` style aliases (within the same library) to the definition."""
        for _ in range(5):
            if not symbol.alias_of or "." in symbol.alias_of:
                return symbol
            target = self.lookup(symbol.library, symbol.alias_of)
            if target is None or target is symbol:
                return symbol
            symbol = target
        return symbol

    def arities(self, symbol: FaustSymbol) -> set[int] | None:
        """Argument counts a call may have: the documented usages and the full parameter list;
        None when the library does not say (no parameter list anywhere)."""
        allowed = set(symbol.usage_arities)
        params = self.resolved(symbol).params
        if params is not None:
            allowed.add(len(params))
        return allowed or None

    @functools.cached_property
    def by_name(self) -> dict[str, list[tuple[str, FaustSymbol]]]:
        """Short name → (prefix, symbol) for every prefixed library's own definitions."""
        table: dict[str, list[tuple[str, FaustSymbol]]] = {}
        for prefix, library in sorted(self.prefixes.items()):
            if prefix in _CATCH_ALL:
                continue
            for name, symbol in self.libraries.get(library, {}).items():
                table.setdefault(name, []).append((prefix, symbol))
        return table

    def everywhere(self, name: str) -> list[tuple[str, FaustSymbol]]:
        """Every prefixed library that defines exactly `name`, documented ones first."""
        found = self.by_name.get(name, [])
        return sorted(found, key=lambda pair: (not pair[1].usage, pair[0]))

    def nearest(self, name: str, prefix: str | None = None, limit: int = 3) -> list[tuple[str, FaustSymbol]]:
        """Real names close to `name`: exact matches in other libraries first, then spelling
        neighbours (in `prefix`'s library when given, else anywhere)."""
        exact = [] if prefix else self.everywhere(name)
        if prefix:
            pool = {n: [(prefix, s)] for n, s in self.libraries.get(self.prefixes.get(prefix, ""), {}).items()}
        else:
            pool = self.by_name
        close = set(difflib.get_close_matches(name, list(pool), n=limit * 2, cutoff=0.6))
        # a longer name that starts with it (`saw` → `sawtooth`) counts as near too
        close |= {n for n in pool if n.startswith(name) and len(n) <= len(name) + 6}
        found = list(exact)
        ranked = sorted((self._rank(name, c, pool[c]), c) for c in close if c != name or prefix)
        for _, candidate in ranked:
            pair = min(pool[candidate], key=lambda p: (not p[1].usage, p[0]))
            if pair not in found:
                found.append(pair)
        return found[:limit]

    @staticmethod
    def _rank(name: str, candidate: str, pairs: list[tuple[str, FaustSymbol]]) -> tuple:
        """Documented names first, then plain words before numbered variants, then closeness."""
        documented = any(symbol.usage for _, symbol in pairs)
        return (not documented, bool(re.search(r"\d|[a-z][A-Z]+p?$", candidate)),
                -difflib.SequenceMatcher(None, name, candidate).ratio(), candidate)

    def card(self, prefix: str, symbol: FaustSymbol) -> str:
        """One line a prompt or a hint can quote: the call, where it is defined, what it does."""
        qualified = f"{prefix}.{symbol.name}" if prefix else symbol.name
        call = symbol.usage or qualified + (
            f"({','.join(self.resolved(symbol).params or ())})" if self.resolved(symbol).params else "")
        summary = f" — {symbol.summary}" if symbol.summary else ""
        return f"{call} ({symbol.library}:{symbol.line}){summary}"


def _usage_arities(name: str, usage: list[str]) -> tuple[int, ...]:
    counts: set[int] = set()
    for line in usage:
        for match in re.finditer(rf"(?<![\w]){re.escape(name)}\s*(\()?", line):
            if match.group(1) is None:
                continue
            parsed = call_arguments(line, match.end() - 1)
            if parsed:
                counts.add(len(parsed[0]))
    return tuple(sorted(counts))


def _first_sentence(text: str) -> str:
    flat = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", " ".join(text.split()))  # markdown links → their text
    return re.split(r"(?<=[.!?])\s", flat, maxsplit=1)[0][:120]


def parse_symbols(path: Path, prefix: str) -> tuple[dict[str, FaustSymbol], list[str], dict[str, str]]:
    """The top-level names `path` defines, the libraries it imports, and its library aliases."""
    source = path.read_text(encoding="utf-8", errors="replace")
    masked = mask(source)
    imports = _IMPORT.findall(source)
    documented = {fn.name: fn for fn in parse_library(path, prefix)}
    symbols: dict[str, FaustSymbol] = {}
    aliases: dict[str, str] = {}
    for statement in statements(masked):
        if statement.depth:
            continue
        made = definition(statement)
        if made is None or made.name in symbols:
            continue
        if _LIBRARY.match(made.body):
            original = source[statement.offset : statement.offset + len(statement.text)]
            if named := re.search(r'library\s*\(\s*"([^"]+)"', original):
                aliases[made.name] = named.group(1)
            continue
        doc = documented.get(made.name)
        alias = _ALIAS.match(made.body)
        usage = doc.signature() if doc and doc.usage else ""
        symbols[made.name] = FaustSymbol(
            library=path.name, name=made.name, line=line_at(masked, made.offset),
            params=made.params, alias_of=alias.group(1) if alias else None, usage=usage,
            usage_arities=_usage_arities(made.name, doc.usage) if doc else (),
            summary=_first_sentence(doc.description) if doc else "",
        )
    return symbols, imports, aliases


def build_symbols(folder: Path) -> FaustSymbols:
    names = library_prefixes(folder)  # "oscillators.lib" → "os"
    table = FaustSymbols(folder=str(folder), prefixes={prefix: lib for lib, prefix in names.items()})
    for path in sorted(folder.glob("*.lib")):
        table.libraries[path.name], table.imports[path.name], table.aliases[path.name] = parse_symbols(
            path, names.get(path.name, ""))
    return table


def _cache_key(folder: Path) -> str:
    stats = [(p.name, p.stat().st_size, p.stat().st_mtime_ns) for p in sorted(folder.glob("*.lib"))]
    return hashlib.sha256(f"{CACHE_VERSION}|{folder}|{stats}".encode()).hexdigest()[:16]


def _from_json(data: dict) -> FaustSymbols:
    libraries = {
        lib: {name: FaustSymbol(**{**s, "params": tuple(s["params"]) if s["params"] is not None else None,
                                   "usage_arities": tuple(s["usage_arities"])}) for name, s in names.items()}
        for lib, names in data["libraries"].items()
    }
    return FaustSymbols(folder=data["folder"], prefixes=data["prefixes"], libraries=libraries,
                        imports=data["imports"], aliases=data["aliases"])


@functools.cache
def _load(folder: Path, cache_dir: Path, key: str) -> FaustSymbols:
    cached = cache_dir / "faust_symbols" / f"{key}.json"
    if cached.is_file():
        try:
            return _from_json(json.loads(cached.read_text()))
        except (ValueError, KeyError, TypeError):
            pass  # a cache from another version: rebuild it
    table = build_symbols(folder)
    cached.parent.mkdir(parents=True, exist_ok=True)
    data = {"folder": table.folder, "prefixes": table.prefixes, "imports": table.imports, "aliases": table.aliases,
            "libraries": {lib: {n: asdict(s) for n, s in names.items()} for lib, names in table.libraries.items()}}
    partial = cached.with_suffix(".partial")
    partial.write_text(json.dumps(data))
    partial.replace(cached)
    return table


def faust_symbols(settings: Settings) -> FaustSymbols | None:
    """The symbol table of the FAUST libraries this installation uses; None when none is found."""
    located = find_faust_libraries(None, settings.retrieval.faust_lib_dir)
    if not located.root:
        return None
    return _load(located.root, settings.cache_dir, _cache_key(located.root))
