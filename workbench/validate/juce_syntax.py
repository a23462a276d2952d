"""Syntax-checking C++ answers against the real JUCE module headers with g++ -fsyntax-only.

The code is never linked or run; g++ runs confined (see `sandbox.py`) and its `-H` list of
the headers it read is checked, so a file outside JUCE and the system is never echoed. A snippet without an `#include` gets
`#include <juce_audio_processors/juce_audio_processors.h>` prepended, and error lines are
mapped back to the user's own lines (so does one that uses `juce::` but includes only
standard headers). JUCE modules expect `JUCE_MODULE_AVAILABLE_<name>` for
every module in the build, so those are defined for the included modules and everything they
depend on (read from each module header's declaration block).

Parsing the JUCE headers is most of the ~3.4 s a check takes; a precompiled header of
juce_audio_processors + juce_dsp is built once into `cache_dir` (keyed by the g++ version and
the flags) and reused by every later check whose includes it covers.
"""

from __future__ import annotations

import functools
import hashlib
import re
import subprocess
import tempfile
from pathlib import Path

from workbench.config import Settings
from workbench.validate.outside_files import (
    files_outside, gxx_search_dirs, outside_references, real_roots, split_header_trace, withheld,
)
from workbench.validate.results import CodeError
from workbench.validate.sandbox import BoundedRun, run_bounded, tool_confinement
from workbench.validate.tools import find_tools

DEFAULT_MODULE = "juce_audio_processors"
PCH_MODULES = ("juce_audio_processors", "juce_dsp")
SOURCE_NAME = "snippet.cpp"
_INCLUDE = re.compile(r"^\s*#\s*include\s*[<\"](?P<module>juce_\w+)/(?P=module)\.h[>\"]", re.MULTILINE)
_ANY_INCLUDE = re.compile(r"^\s*#\s*include\b", re.MULTILINE)
_JUCE_HEADER = re.compile(r"^[ \t]*#[ \t]*include[ \t]*[<\"](?:\.\./)*JuceHeader\.h[>\"][^\n]*$", re.MULTILINE)
_DEPENDENCIES = re.compile(r"^\s*dependencies:\s*(?P<names>.*)$", re.MULTILINE)
_DIAGNOSTIC = re.compile(
    r"^(?P<file>[^:\n]+):(?P<line>\d+):(?P<column>\d+): (?P<kind>error|fatal error|warning): (?P<message>.+)$",
    re.MULTILINE,
)
BASE_FLAGS = (
    "-std=c++17", "-fsyntax-only", "-ftemplate-depth=512", "-fmax-errors=20",
    "-DJUCE_GLOBAL_MODULE_SETTINGS_INCLUDED=1", "-DJUCE_STANDALONE_APPLICATION=0",
)


@functools.cache
def module_closure(modules_dir: Path, modules: tuple[str, ...]) -> tuple[str, ...]:
    """`modules` and every module they depend on, transitively, sorted."""
    seen: set[str] = set()
    pending = list(modules)
    while pending:
        name = pending.pop()
        header = modules_dir / name / f"{name}.h"
        if name in seen or not header.is_file():
            continue
        seen.add(name)
        declared = _DEPENDENCIES.search(header.read_text(errors="replace")[:4000])
        if declared:
            pending += re.split(r"[\s,]+", declared["names"].strip())  # JUCE uses both separators
    return tuple(sorted(seen))


def _flags(modules_dir: Path, modules: tuple[str, ...]) -> list[str]:
    available = [f"-DJUCE_MODULE_AVAILABLE_{m}=1" for m in module_closure(modules_dir, modules)]
    return [*BASE_FLAGS, f"-I{modules_dir}", *available]


def prepare_source(code: str) -> tuple[str, int, tuple[str, ...]]:
    """The text to compile, how many lines were prepended, and the JUCE modules it uses.
    `JuceHeader.h`, which Projucer generates per project and answers include by habit, stands
    for the modules of the precompiled header, prepended, and its own line becomes the
    `using namespace juce;` that the generated header declares."""
    prepended = 0
    if _JUCE_HEADER.search(code):
        code = _JUCE_HEADER.sub("using namespace juce;", code)
        code = "".join(f"#include <{m}/{m}.h>\n" for m in PCH_MODULES) + code
        prepended = len(PCH_MODULES)
    modules = tuple(sorted(set(_INCLUDE.findall(code))))
    if modules or (_ANY_INCLUDE.search(code) and "juce::" not in code):
        return code, prepended, modules
    return f"#include <{DEFAULT_MODULE}/{DEFAULT_MODULE}.h>\n{code}", 1, (DEFAULT_MODULE,)


def parse_gcc_errors(stderr: str, offset: int) -> list[CodeError]:
    """Errors in the user's code, located in the user's lines; errors inside JUCE headers that
    the snippet caused are reported without a line (the snippet's own line usually follows)."""
    errors: list[CodeError] = []
    for match in _DIAGNOSTIC.finditer(stderr):
        if match["kind"] == "warning":
            continue
        if Path(match["file"]).name == SOURCE_NAME:
            line = int(match["line"]) - offset
            errors.append(CodeError(line=line if line > 0 else None, column=int(match["column"]), message=match["message"]))
        elif not errors:
            errors.append(CodeError(message=f"{Path(match['file']).name}:{match['line']}: {match['message']}"))
    if not errors and stderr.strip():
        errors.append(CodeError(message=stderr.strip().splitlines()[-1]))
    return errors


@functools.cache
def _gxx_version(gxx: str) -> str:
    return subprocess.run([gxx, "--version"], capture_output=True, text=True, timeout=10).stdout


PCH_BUILD_NOTICE = "building the JUCE precompiled header (once per JUCE and g++ version, about a minute on 2 cores)"


def _pch_folder(settings: Settings, modules_dir: Path) -> Path:
    """Where the header for this g++ and these flags lives (built or not)."""
    flags = _flags(modules_dir, PCH_MODULES)
    key = hashlib.sha256(f"{_gxx_version(settings.validation.cxx_command)}|{flags}".encode()).hexdigest()[:16]
    return settings.cache_dir / "juce_pch" / key


def precompiled_header_pending(settings: Settings, modules_dir: Path) -> bool:
    """Whether the next C++ check builds the header first (it is on and not built yet), so the
    caller can tell the user what they wait for."""
    return settings.validation.juce_precompiled_header and not (
        _pch_folder(settings, modules_dir) / "juce_pch.h.gch").is_file()


def pch_build_notice(settings: Settings) -> str | None:
    """`PCH_BUILD_NOTICE` when the next C++ check will build the header first; None when it is
    built, off, or C++ cannot be checked here at all."""
    tools = find_tools(settings)
    if tools.missing_for("cpp") or not precompiled_header_pending(settings, tools.juce_modules):
        return None
    return PCH_BUILD_NOTICE


def precompiled_header(settings: Settings, modules_dir: Path) -> Path | None:
    """The folder holding `juce_pch.h` + its `.gch`, built on first use; None if it can't be."""
    gxx = settings.validation.cxx_command
    flags = _flags(modules_dir, PCH_MODULES)
    folder = _pch_folder(settings, modules_dir)
    if (folder / "juce_pch.h.gch").is_file():
        return folder
    folder.mkdir(parents=True, exist_ok=True)
    header = "".join(f"#include <{m}/{m}.h>\n" for m in PCH_MODULES)
    (folder / "juce_pch.h").write_text(header)
    with tempfile.TemporaryDirectory(dir=folder) as scratch:
        building = Path(scratch) / "juce_pch.h.gch"
        flags_pch = [f for f in flags if f != "-fsyntax-only"]
        run = run_bounded(
            [gxx, *flags_pch, "-x", "c++-header", str(folder / "juce_pch.h"), "-o", str(building)],
            cwd=folder, timeout_s=max(120.0, settings.validation.cpp_timeout_s),
            memory_mb=settings.validation.compiler_memory_mb, file_mb=2048,
        )
        if run.returncode != 0 or not building.is_file():
            return None
        building.replace(folder / "juce_pch.h.gch")  # atomic: parallel checks never see half a file
    return folder


def check_cpp(
    code: str, settings: Settings, modules_dir: Path, *, use_pch: bool | None = None,
) -> tuple[list[CodeError], BoundedRun | None]:
    """g++ -fsyntax-only of `code`; returns the located errors and the run (None when the
    code was refused before g++ ran)."""
    if refused := outside_references(code, "cpp"):
        return refused, None
    use_pch = settings.validation.juce_precompiled_header if use_pch is None else use_pch
    source, offset, modules = prepare_source(code)
    pch = precompiled_header(settings, modules_dir) if use_pch and set(modules) <= set(PCH_MODULES) else None
    flags = _flags(modules_dir, PCH_MODULES if pch else modules)
    if pch:
        flags = [f"-I{pch}", "-include", "juce_pch.h", *flags]
    gxx = settings.validation.cxx_command
    allowed = (modules_dir, *([pch] if pch else []))
    with tempfile.TemporaryDirectory(prefix="wb-cpp-") as scratch:
        (Path(scratch) / SOURCE_NAME).write_text(source)
        run = run_bounded(
            [gxx, *flags, "-H", SOURCE_NAME],
            cwd=Path(scratch), timeout_s=settings.validation.cpp_timeout_s,
            memory_mb=settings.validation.compiler_memory_mb,
            confinement=tool_confinement(Path(scratch), allowed, gxx),
        )
        headers, stderr = split_header_trace(run.stderr)
        outside = files_outside(headers, (*gxx_search_dirs(gxx), *real_roots([*allowed, scratch])), Path(scratch))
    if outside:
        return withheld(outside), run
    if run.timed_out:
        limit = settings.validation.cpp_timeout_s
        return [CodeError(message=f"the syntax check did not finish within {limit:g} s; simplify the templates")], run
    return (parse_gcc_errors(stderr, offset) if run.returncode != 0 else []), run
