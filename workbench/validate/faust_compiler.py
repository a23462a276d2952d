"""Compiling FAUST with the real compiler and turning its messages into located errors."""

from __future__ import annotations

import functools
import os
import re
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from workbench.config import Settings
from workbench.validate.faust_foreign import foreign_refusals
from workbench.validate.outside_files import files_outside, outside_references, real_roots, withheld
from workbench.validate.results import CodeError
from workbench.validate.sandbox import BoundedRun, run_bounded, tool_confinement

SOURCE_NAME = "program.dsp"
# faust 2.54: "program.dsp : 2 : ERROR : undefined symbol : oscx"
_LOCATED = re.compile(r"(?P<file>[^\s:]+) : (?P<line>\d+) : (?:ERROR|WARNING) : (?P<message>.+)$")
_COMPOSITION = re.compile(r"ERROR in (?P<kind>\w+) composition (?P<expr>.+)$")
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


@dataclass(frozen=True)
class FaustCompile:
    run: BoundedRun | None  # None: refused before the compiler ran
    errors: list[CodeError]
    cpp_path: Path | None  # the generated C++ when compiled with an output file


def _line_of_expression(expression: str, source: str) -> int | None:
    """Where a composition error comes from; faust 2.54 does not say, so find the source
    line that names most of the expression's identifiers (the composition's own line)."""
    names = set(_IDENTIFIER.findall(expression))
    best, best_score = None, 0
    for number, text in enumerate(source.splitlines(), start=1):
        score = len(names & set(_IDENTIFIER.findall(text.split("//")[0])))
        if score > best_score:
            best, best_score = number, score
    return best


def parse_faust_errors(stderr: str, source: str) -> list[CodeError]:
    """Located errors from faust's stderr; unlocated messages keep line None."""
    errors: list[CodeError] = []
    lines = [line for line in stderr.splitlines() if line.strip()]
    for position, text in enumerate(lines):
        located = _LOCATED.search(text)
        composition = _COMPOSITION.search(text)
        if located and Path(located["file"].strip()).name == SOURCE_NAME:
            errors.append(CodeError(line=int(located["line"]), message=located["message"].strip()))
        elif located:  # an error inside a library the program imports
            where = f"{Path(located['file'].strip()).name} line {located['line']}"
            errors.append(CodeError(message=f"{where}: {located['message'].strip()}"))
        elif composition:
            detail = " ".join(lines[position + 1 : position + 2])
            message = f"{composition['kind']} composition {composition['expr'].strip()}: {detail}"
            errors.append(CodeError(line=_line_of_expression(composition["expr"], source), message=message))
        elif text.startswith("ERROR"):
            errors.append(CodeError(message=text.removeprefix("ERROR").strip(" :")))
    if not errors and stderr.strip():
        errors.append(CodeError(message=stderr.strip().splitlines()[0]))
    return errors


@functools.cache
def _installed_libraries(faust: str) -> tuple[str, ...]:
    """Where this faust finds its own libraries and architectures (`--dspdir`, `--archdir`)."""
    folders = []
    for flag in ("--dspdir", "--archdir"):
        try:
            printed = subprocess.run([faust, flag], capture_output=True, text=True, timeout=20).stdout.strip()
        except (OSError, subprocess.TimeoutExpired):
            continue
        folders += [printed] if printed else []
    return tuple(folders)


def library_folders(settings: Settings, architecture: Path | None) -> tuple[Path, ...]:
    """Every folder a FAUST program may legitimately import from: faust's own libraries, the
    configured and FAUST_LIB_PATH ones, and the architecture file's folder."""
    folders = [Path(f) for f in _installed_libraries(settings.validation.faust_command)]
    folders += [Path(f) for f in os.environ.get("FAUST_LIB_PATH", "").split(os.pathsep) if f]
    if settings.retrieval.faust_lib_dir:
        folders.append(settings.retrieval.faust_lib_dir)
    if architecture:
        folders.append(architecture.parent)
    return tuple(folders)


def _files_in_errors(stderr: str) -> list[str]:
    return [m["file"].strip() for line in stderr.splitlines() if (m := _LOCATED.search(line))]


def compile_faust(
    code: str,
    settings: Settings,
    workdir: Path | None = None,
    *,
    architecture: Path | None = None,
) -> FaustCompile:
    """Compile `code` to C++ in `workdir` (a fresh temp dir when None), bounded in time."""
    if refused := outside_references(code, "faust") + foreign_refusals(code):
        return FaustCompile(None, refused, None)
    if workdir is None:
        with tempfile.TemporaryDirectory(prefix="wb-faust-") as scratch:
            return compile_faust(code, settings, Path(scratch), architecture=architecture)
    (workdir / SOURCE_NAME).write_text(code)
    command = [settings.validation.faust_command]
    if architecture:
        command += ["-a", str(architecture)]
    command += [SOURCE_NAME, "-o", "program.cpp"]
    libraries = library_folders(settings, architecture)
    run = run_bounded(
        command, cwd=workdir, timeout_s=settings.validation.faust_timeout_s,
        memory_mb=settings.validation.compiler_memory_mb,
        confinement=tool_confinement(workdir, libraries, settings.validation.faust_command),
    )
    read_outside = files_outside(
        [f for f in _files_in_errors(run.stderr + run.stdout) if f != SOURCE_NAME],
        real_roots(libraries), workdir,
    )
    if run.timed_out:
        errors = [CodeError(message=(
            f"the FAUST compiler did not finish within {settings.validation.faust_timeout_s:g} s "
            "(endless recursion or a huge expansion?); simplify the program")
        )]
    elif read_outside:
        errors = withheld(read_outside)
    elif run.returncode != 0:
        errors = parse_faust_errors(run.stderr + run.stdout, code)
    else:
        errors = []
    cpp = workdir / "program.cpp"
    return FaustCompile(run, errors, cpp if not errors and cpp.is_file() else None)
