"""What a validation says about one code block, in a form the UI, CLI and storage share."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field

Check = Literal["compiled", "rendered", "syntax"]


class CodeError(BaseModel):
    """One diagnostic, located in the user's own lines (1-based) when the tool said where.

    `kind` says who found it ("" for the compiler's own message; "unknown_identifier",
    "argument_count", "missing_import", "not_faust", … for the lint; "spec" for a render
    that does not do what was asked), `symbol` the name involved, `hint` the nearest real
    names with their documented usage or the declaration a C++ error is about."""

    line: int | None = None
    column: int | None = None
    message: str
    kind: str = ""
    symbol: str | None = None
    hint: str = ""

    def text(self, limit: int = 400) -> str:
        """One line for prompts and the CLI; a compiler's message can run to megabytes (faust
        prints whole expanded expressions), so each part is cut at `limit` characters."""
        where = f"line {self.line}: " if self.line else ""
        message = self.message if len(self.message) <= limit else self.message[:limit] + " …"
        return where + message + (f" — {self.hint[:limit]}" if self.hint else "")


class SpecCheck(BaseModel):
    """One thing the question asked for, checked against the rendered sound."""

    what: str  # "frequency", "outputs", "delay", …
    asked: str  # "440 Hz"
    measured: str  # "peak at 441 Hz"
    passed: bool

    def line(self) -> str:
        mark = "✓" if self.passed else "✗"
        if self.measured == self.asked:
            return f"{self.measured} {mark}"
        return f"{self.measured}, asked {self.asked} {mark}"


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
    spec: list[SpecCheck] = Field(default_factory=list)  # what the question asked, as measured

    @property
    def spec_summary(self) -> str:
        """"peak at 441 Hz, asked 440 Hz ✓; 2 outputs ✓", empty when nothing was asked."""
        return "; ".join(check.line() for check in self.spec)

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
        return " · ".join([words[c] for c in self.checks] + ([self.spec_summary] if self.spec else []))

    def error_text(self) -> str:
        """The errors as the lines a compiler would print (with the lint's hints), for repair
        prompts and the CLI."""
        return "\n".join(e.text() for e in self.errors)
