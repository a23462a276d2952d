"""FAUST programs are checked by compiling them with the real faust compiler (through
`workbench.validate`). The `.lib` and `.dsp` files next to a program are copied beside it
first, so a program importing its project's own files compiles as it does in the user's
folder; a `.dsp` without `process` is such an imported piece and is not compiled alone."""

from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path

from workbench.analysis.context_reader import SourceFile
from workbench.analysis.findings import Finding
from workbench.config import Settings
from workbench.validate.faust_compiler import compile_faust
from workbench.validate.tools import find_tools

MAX_SIBLING_BYTES = 2_000_000
_PROCESS = re.compile(r"^\s*process\s*(\(|=)", re.MULTILINE)


def _copy_siblings(program: Path, scratch: Path) -> None:
    for sibling in program.parent.iterdir():
        if (sibling.suffix in (".lib", ".dsp") and sibling.is_file() and not sibling.is_symlink()
                and sibling.stat().st_size <= MAX_SIBLING_BYTES):
            shutil.copyfile(sibling, scratch / sibling.name)


def check_faust(source: SourceFile, settings: Settings) -> list[Finding]:
    """A finding per compiler error; one `info` finding when faust is not installed."""
    missing = find_tools(settings).missing_for("faust", render=False)
    if missing:
        return [Finding(rule="faust-not-checked", severity="info", path=source.relative,
                        message=f"FAUST program not compiled: {missing}")]
    if not _PROCESS.search(source.text):
        return [Finding(rule="faust-no-process", severity="info", path=source.relative,
                        message="no `process` definition: a piece other programs import, not compiled on its own")]
    with tempfile.TemporaryDirectory(prefix="wb-analysis-faust-") as scratch:
        _copy_siblings(Path(source.path), Path(scratch))
        compiled = compile_faust(source.text, settings, Path(scratch))
    return [
        Finding(rule="faust-compile", severity="error", path=source.relative, line=error.line,
                message=f"does not compile: {error.message}",
                advice="Run `faust` on the file and fix the first error; later errors often follow from it.")
        for error in compiled.errors
    ]
