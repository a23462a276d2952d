"""The typed inputs and outputs of the MCP tools: their JSON Schemas are what agents see.

Results are built from the validators', the knowledge base's and the facade's own models,
re-shaped only where an agent needs something they leave implicit (an error's
"file:line:col", a passage's citation label, a plan's phases).
"""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, Field

from workbench.domain import DocSource, TaskDecomposition
from workbench.validate import CodeError, RenderStats


class Diagnostic(BaseModel):
    """One compiler message, located in the caller's own lines."""

    location: str = Field(description='"file:line" or "file:line:col", as a compiler prints it')
    line: int | None = None
    column: int | None = None
    message: str

    @classmethod
    def of(cls, error: CodeError, file_name: str) -> Diagnostic:
        where = ":".join(str(part) for part in (file_name, error.line, error.column) if part is not None)
        return cls(location=where, line=error.line, column=error.column, message=error.message)


class SoundSpec(BaseModel):
    """What the rendered sound should measure; every field left out is not checked."""

    frequency_hz: float | None = Field(default=None, gt=0, le=96_000, description="expected loudest frequency")
    tolerance: float = Field(default=0.03, gt=0, le=0.5, description="relative tolerance of frequency_hz")
    channels: int | None = Field(default=None, ge=1, le=64, description="expected number of outputs")
    min_peak: float | None = Field(default=None, ge=0, description="the peak sample must reach this")
    max_peak: float | None = Field(default=None, gt=0, description="the peak sample must stay below this")


class SpecCheck(BaseModel):
    name: str
    expected: str
    measured: str
    passed: bool


class FaustCheckResult(BaseModel):
    """`ok` None: nothing could be checked (see `summary`); False: an error, a bad sound or a
    failed spec check; True: everything asked for passed."""

    ok: bool | None
    compiled: bool | None = Field(description="None when the compiler could not be run")
    summary: str = Field(description="one line, as `hrm-reason validate` prints it")
    errors: list[Diagnostic] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)
    render: RenderStats | None = None
    sound_problems: list[str] = Field(default_factory=list, description="NaN, silence, clipping, DC offset")
    spec_checks: list[SpecCheck] = Field(default_factory=list)
    wav_path: Path | None = Field(default=None, description="the rendered WAV, when rendered")
    duration_ms: float = 0.0


class JuceCheckResult(BaseModel):
    ok: bool | None = Field(description="None when g++ or the JUCE headers are missing")
    summary: str
    errors: list[Diagnostic] = Field(default_factory=list)
    duration_ms: float = 0.0


class DocPassage(BaseModel):
    citation: str = Field(description='how an answer cites it: "fi.lowpass — filters.lib:1558"')
    title: str
    source: DocSource
    location: str
    path: str
    score: float
    text: str


class DocsSearchResult(BaseModel):
    query: str
    mode: str = Field(description="bm25, dense or hybrid")
    passages: list[DocPassage]


class PlanResult(TaskDecomposition):
    """The plan as `hrm-reason decompose --json` prints it: the decomposition and its phases."""

    phases: list[list[str]] = Field(description="subtask ids that can run together, in order")


class Attribution(BaseModel):
    """Who wrote which part of an answer, and what was checked."""

    part: str = Field(description="the subtask id, or 'answer' for a direct answer")
    title: str
    role: str | None = None
    model: str | None = None
    status: str
    checks: list[str] = Field(default_factory=list, description="validation badges of its code")
    sources: list[str] = Field(default_factory=list)


class AskResult(BaseModel):
    run_id: str
    conversation_id: int
    project: str
    status: str = Field(description="complete, partial, error or cancelled")
    answer: str
    error: str | None = None
    model: str | None = None
    backend: str | None = None
    attribution: list[Attribution]
    sources: list[str]
    duration_ms: float

