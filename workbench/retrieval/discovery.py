"""Find the user's FAUST libraries, FAUST examples and JUCE modules.

Order: an explicit directory (command line), settings, the environment (`FAUST_LIB_PATH`,
`JUCE_DIR`, each may list several directories separated by os.pathsep), Debian, then
Homebrew. The first candidate that really holds the files wins; when none does the source
is reported missing with the places looked at, never raised as an error.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from workbench.vocabulary import DocSource

FAUST_LIB_DEFAULTS = [
    Path("/usr/share/faust"),
    Path("/usr/local/share/faust"),
    Path("/opt/homebrew/share/faust"),
]
FAUST_EXAMPLE_DEFAULTS = [
    Path("/usr/share/faust/examples"),
    Path("/usr/share/doc/faust-common/examples"),
    Path("/usr/local/share/faust/examples"),
    Path("/opt/homebrew/share/faust/examples"),
]
JUCE_DEFAULTS = [
    Path("/usr/share/juce/modules"),
    Path("/usr/local/share/juce/modules"),
    Path("/opt/homebrew/share/juce/modules"),
]


@dataclass
class Located:
    """Where one source was found, or where it was looked for."""

    source: DocSource
    root: Path | None
    searched: list[Path] = field(default_factory=list)

    @property
    def found(self) -> bool:
        return self.root is not None

    def describe(self) -> str:
        if self.root:
            return str(self.root)
        if not self.searched:
            return "none configured (add one with `hrm-reason knowledge ingest --path DIR`)"
        return "not found (looked in " + ", ".join(str(p) for p in self.searched) + ")"


def _env_paths(name: str) -> list[Path]:
    return [Path(p) for p in os.environ.get(name, "").split(os.pathsep) if p]


def _first(source: DocSource, candidates: list[Path], holds) -> Located:
    seen: list[Path] = []
    for candidate in candidates:
        candidate = candidate.expanduser()
        if candidate in seen:
            continue
        seen.append(candidate)
        if candidate.is_dir() and holds(candidate):
            return Located(source, candidate, seen)
    return Located(source, None, seen)


def _has_faust_libs(d: Path) -> bool:
    return (d / "stdfaust.lib").is_file() or any(d.glob("*.lib"))


def _has_examples(d: Path) -> bool:
    return any(d.rglob("*.dsp"))


def _has_juce_modules(d: Path) -> bool:
    return (d / "juce_core").is_dir() or any(d.glob("juce_*"))


def _juce_candidates(d: Path) -> list[Path]:
    """Accept a JUCE checkout root as well as its modules folder."""
    return [d, d / "modules"]


def find_faust_libraries(explicit: Path | None, configured: Path | None) -> Located:
    candidates = [p for p in (explicit, configured) if p] + _env_paths("FAUST_LIB_PATH")
    return _first(DocSource.FAUST_LIBRARIES, candidates + FAUST_LIB_DEFAULTS, _has_faust_libs)


def find_faust_examples(configured: Path | None, faust_libs: Path | None) -> Located:
    candidates = [p for p in (configured, faust_libs and faust_libs / "examples") if p]
    return _first(DocSource.FAUST_EXAMPLES, candidates + FAUST_EXAMPLE_DEFAULTS, _has_examples)


def find_juce_modules(explicit: Path | None, configured: Path | None) -> Located:
    given = [p for p in (explicit, configured) if p] + _env_paths("JUCE_DIR")
    candidates = [c for d in given for c in _juce_candidates(d)]
    return _first(DocSource.JUCE_HEADERS, candidates + JUCE_DEFAULTS, _has_juce_modules)
