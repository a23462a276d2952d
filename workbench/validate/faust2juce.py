"""Making a JUCE plugin project from a valid FAUST program with the real `faust2juce`.

The project folder faust2juce writes (a .jucer file and the generated sources) is zipped for
the chat's download button. When faust2juce is missing the result says how to install it.
"""

from __future__ import annotations

import io
import re
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from workbench.config import Settings
from workbench.validate.faust_foreign import foreign_refusals
from workbench.validate.outside_files import outside_references
from workbench.validate.sandbox import run_bounded
from workbench.validate.tools import FAUST2JUCE_HINT, find_tools

_NAME = re.compile(r"[^A-Za-z0-9_]")


@dataclass(frozen=True)
class JuceProject:
    ok: bool | None  # None: faust2juce is not installed
    status: str  # what happened, or how to install faust2juce
    zip_bytes: bytes = b""
    file_name: str = ""


def make_juce_project(code: str, settings: Settings, name: str = "FaustPlugin", *, midi: bool = False) -> JuceProject:
    """Run faust2juce on `code` and zip the project; ok=False carries faust2juce's message."""
    tool = find_tools(settings).faust2juce
    if not tool:
        return JuceProject(ok=None, status=f"faust2juce not found — {FAUST2JUCE_HINT}")
    if refused := outside_references(code, "faust") + foreign_refusals(code):  # faust2juce echoes faust's errors
        return JuceProject(ok=False, status=f"faust2juce not run: line {refused[0].line}: {refused[0].message}")
    name = _NAME.sub("_", name) or "FaustPlugin"
    with tempfile.TemporaryDirectory(prefix="wb-faust2juce-") as scratch:
        workdir = Path(scratch)
        (workdir / f"{name}.dsp").write_text(code)
        command = [tool, *(["-midi"] if midi else []), f"{name}.dsp"]
        run = run_bounded(command, cwd=workdir, timeout_s=settings.validation.render_timeout_s,
                          memory_mb=settings.validation.compiler_memory_mb)
        project = workdir / name
        if run.timed_out or run.returncode != 0 or not project.is_dir():
            reason = "timed out" if run.timed_out else (run.stderr or run.stdout).strip()[-400:]
            return JuceProject(ok=False, status=f"faust2juce failed: {reason}")
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in sorted(project.rglob("*")):
                if path.is_file():
                    archive.write(path, path.relative_to(workdir))
    files = len(zipfile.ZipFile(io.BytesIO(buffer.getvalue())).namelist())
    return JuceProject(ok=True, status=f"JUCE project {name} ({files} files)", zip_bytes=buffer.getvalue(),
                       file_name=f"{name}-juce.zip")
