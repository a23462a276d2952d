"""What a validation says about one code block, in a form the UI, CLI and storage share."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field

Check = Literal["compiled", "rendered", "syntax"]


class CodeError(BaseModel):
    """One diagnostic, located in the user's own lines (1-based) when the tool said where."""

    line: int | None = None
    column: int | None = None
    message: str


class RenderStats(BaseModel):
    """Numbers about the rendered sound; the flags say what a listener would notice."""

    seconds: float
    sample_rate: int
    channels: int
    peak_hz: float | None = None
    rms: float = 0.0
    peak: float = 0.0
    dc: float = 0.0
    nan: bool = False
    silent: bool = False
    clipped: bool = False

    def problems(self) -> list[str]:
        """Human sentences for each flag that is set, empty when the sound looks sane."""
        found = []
        if self.nan:
            found.append("the output contains NaN or infinite samples")
        if self.silent:
            found.append("the output is silent")
        if self.clipped:
            found.append(f"the output clips (peak {self.peak:.2f} > 1.0)")
        if abs(self.dc) > 0.1:
            found.append(f"the output has a DC offset of {self.dc:.2f}")
        return found


class ValidationResult(BaseModel):
    """The outcome of checking one code block.

    `ok` is True when every check passed, False when one failed, None when nothing could be
    checked (tool missing, language without a checker); `tool_status` then says why and how
    to install what is missing.
    """

    ok: bool | None
    language: str
    checks: list[Check] = Field(default_factory=list)
    errors: list[CodeError] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)
    render: RenderStats | None = None
    wav_path: Path | None = None
    tool_status: str = ""
    duration_ms: float = 0.0
    code: str = ""

    @property
    def badge(self) -> str:
        """A few words for the chat: what passed, or the first failure."""
        if self.ok is None:
            return f"not checked — {self.tool_status}" if self.tool_status else "not checked"
        if not self.ok:
            first = self.errors[0] if self.errors else CodeError(message="failed")
            where = f"line {first.line}: " if first.line else ""
            return f"failed — {where}{first.message}"
        words = {"compiled": "compiled", "rendered": "rendered", "syntax": "syntax OK"}
        return " · ".join(words[c] for c in self.checks)

    def error_text(self) -> str:
        """The errors as the lines a compiler would print, for repair prompts and the CLI."""
        return "\n".join(
            (f"line {e.line}: " if e.line else "") + e.message for e in self.errors
        )
