"""Building a FAUST program once into a bench binary, kept on disk by the hash of its code.

A build compiles with the bench architecture (`architecture/bench.cpp`), asks faust for the
UI description (`-json`) and the block diagram (`-svg`), builds with g++ -O1 and asks the
binary to describe its controls, which must match the JSON one for one (the values are
passed by position). The finished folder is moved into place in one rename, so a reader
never sees half a build and two processes building the same code cannot corrupt it. Every
later parameter change or test input only runs the binary (`render.py`).
"""

from __future__ import annotations

import hashlib
import json
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from workbench.config import Settings
from workbench.validate.faust_bench.controls import Control, parse_controls
from workbench.validate.faust_compiler import SOURCE_NAME, compile_faust, library_folders
from workbench.validate.results import CodeError
from workbench.validate.sandbox import Confinement, ConfinementUnavailable, run_bounded, tool_confinement

ARCHITECTURE = Path(__file__).resolve().parent.parent / "architecture" / "bench.cpp"
BINARY = "bench"
DESCRIPTION = "program.json"
DIAGRAMS = "diagrams"
KEEP_BUILDS = 64  # newest bench builds kept in cache_dir/bench (a binary is a few hundred kB)


@dataclass(frozen=True)
class BenchProgram:
    """A built program: where its binary and diagrams are, and what it takes and gives."""

    digest: str
    folder: Path
    code: str
    controls: list[Control]
    inputs: int
    outputs: int

    @property
    def binary(self) -> Path:
        return self.folder / BINARY

    @property
    def is_effect(self) -> bool:
        """It processes sound coming in (a filter, a delay), so it has an impulse response."""
        return self.inputs > 0

    def diagrams(self) -> list[Path]:
        """The block diagram SVGs, `process.svg` first (faust writes one per named block)."""
        folder = self.folder / DIAGRAMS
        found = sorted(folder.glob("*.svg"), key=lambda p: (p.name != "process.svg", p.name))
        return found

    def defaults(self) -> dict[str, float]:
        return {control.address: control.default() for control in self.controls}


@dataclass(frozen=True)
class BenchBuild:
    program: BenchProgram | None
    errors: list[CodeError] = field(default_factory=list)
    built: bool = False  # False: taken from the cache


def program_digest(code: str, settings: Settings) -> str:
    """What a build depends on: the code, the architecture and the tools' names."""
    config = settings.validation
    parts = [code, ARCHITECTURE.read_text(), config.faust_command, config.cxx_command]
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()[:20]


def _load(folder: Path, code: str, digest: str) -> BenchProgram | None:
    try:
        description = json.loads((folder / DESCRIPTION).read_text())
    except (OSError, ValueError):
        return None
    if not (folder / BINARY).is_file():
        return None
    return BenchProgram(digest=digest, folder=folder, code=code, controls=parse_controls(description),
                        inputs=int(description["inputs"]), outputs=int(description["outputs"]))


def _fail(message: str) -> BenchBuild:
    return BenchBuild(None, [CodeError(message=message)], built=True)


def _describe_matches(workdir: Path, controls: list[Control], settings: Settings) -> str | None:
    """None when the binary's controls are the JSON's, in order; else what differs."""
    try:
        run = run_bounded([f"./{BINARY}", "describe"], cwd=workdir, timeout_s=settings.validation.render_timeout_s,
                          memory_mb=settings.validation.render_memory_mb, confinement=Confinement(workdir))
    except ConfinementUnavailable as error:
        return f"the bench binary was not run: {error}"
    if run.returncode != 0:
        return f"the bench binary could not describe its controls (exit {run.returncode}): {run.stderr.strip()[:200]}"
    lines = run.stdout.strip().splitlines()[:-1]
    described = [tuple(line.split("\t", 1)) for line in lines]
    expected = [(c.kind, c.label) for c in controls]
    if described != expected:
        return f"the bench binary's controls {described} differ from faust's UI description {expected}"
    return None


def _build_into(workdir: Path, code: str, settings: Settings) -> list[CodeError]:
    config = settings.validation
    compiled = compile_faust(code, settings, workdir, architecture=ARCHITECTURE)
    if compiled.errors or not compiled.cpp_path:
        return compiled.errors or [CodeError(message="faust produced no C++")]
    described = run_bounded(  # the same program again, in the same box as its compile
        [config.faust_command, "-json", "-svg", SOURCE_NAME, "-o", "/dev/null"], cwd=workdir,
        timeout_s=config.faust_timeout_s, memory_mb=config.compiler_memory_mb,
        confinement=tool_confinement(workdir, library_folders(settings, ARCHITECTURE), config.faust_command),
    )
    ui_json = workdir / f"{SOURCE_NAME}.json"
    if described.returncode != 0 or not ui_json.is_file():
        return [CodeError(message=f"faust could not describe the program's UI: {described.stderr.strip()[:200]}")]
    ui_json.replace(workdir / DESCRIPTION)
    svg = workdir / f"{Path(SOURCE_NAME).stem}-svg"
    if svg.is_dir():
        svg.replace(workdir / DIAGRAMS)
    build = run_bounded(
        [config.cxx_command, "-std=c++17", "-O1", "-w", "program.cpp", "-o", BINARY],
        cwd=workdir, timeout_s=config.render_timeout_s, memory_mb=config.compiler_memory_mb,
        confinement=tool_confinement(workdir, (), config.cxx_command),
    )
    if build.timed_out:
        return [CodeError(message=f"building the bench binary did not finish within {config.render_timeout_s:g} s")]
    if build.returncode != 0:
        first = next((line for line in build.stderr.splitlines() if "error" in line), build.stderr[-300:])
        return [CodeError(message=f"the generated C++ did not build: {first.strip()}")]
    controls = parse_controls(json.loads((workdir / DESCRIPTION).read_text()))
    if mismatch := _describe_matches(workdir, controls, settings):
        return [CodeError(message=mismatch)]
    (workdir / "program.cpp").unlink()
    return []


def prune_builds(root: Path, keep: int = KEEP_BUILDS) -> None:
    """Remove all but the `keep` most recently used builds (a use touches the folder)."""
    folders = sorted((p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")),
                     key=lambda p: p.stat().st_mtime_ns, reverse=True)
    for stale in folders[keep:]:
        shutil.rmtree(stale, ignore_errors=True)


def build_bench(code: str, settings: Settings) -> BenchBuild:
    """The bench program of `code`, built now or taken from the cache; never raises for a
    bad program (its errors come back instead)."""
    digest = program_digest(code, settings)
    root = settings.cache_dir / "bench"
    folder = root / digest
    if cached := _load(folder, code, digest):
        folder.touch()
        return BenchBuild(cached)
    root.mkdir(parents=True, exist_ok=True)
    workdir = Path(tempfile.mkdtemp(prefix=".build-", dir=root))
    try:
        errors = _build_into(workdir, code, settings)
        if errors:
            return BenchBuild(None, errors, built=True)
        try:
            workdir.replace(folder)
        except OSError:  # another process finished the same build first
            pass
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    program = _load(folder, code, digest)
    if program is None:
        return _fail("the bench build vanished from the cache while it was being stored")
    prune_builds(root)
    return BenchBuild(program, built=True)
