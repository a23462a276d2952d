"""The measured facts an analysis produces, shared by the report, the CLI, the page and
the advisors. Everything here is plain data (pydantic), so the JSON report is a dump."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

Severity = Literal["error", "warning", "info"]
Language = Literal["python", "cpp", "faust", "javascript", "typescript"]


class FunctionMetrics(BaseModel):
    """One function as lizard (or the FAUST reader) measured it."""

    name: str
    start_line: int
    end_line: int
    nloc: int
    complexity: int
    parameters: int
    tokens: int = 0


class Finding(BaseModel):
    """A problem found in the code, located, with what to do about it."""

    rule: str
    severity: Severity
    path: str
    line: int | None = None
    message: str
    advice: str = ""


class PatternMatch(BaseModel):
    """A design pattern seen in a file, with the line that shows it."""

    pattern: str
    path: str
    line: int
    evidence: str


class FileAnalysis(BaseModel):
    path: str  # relative to the analysed root
    language: Language
    nloc: int
    functions: list[FunctionMetrics] = Field(default_factory=list)
    patterns: list[PatternMatch] = Field(default_factory=list)
    findings: list[Finding] = Field(default_factory=list)
    documented_functions: int = 0  # Python functions with a docstring

    @property
    def average_complexity(self) -> float:
        return sum(f.complexity for f in self.functions) / len(self.functions) if self.functions else 0.0

    @property
    def max_complexity(self) -> int:
        return max((f.complexity for f in self.functions), default=0)


class Hotspot(BaseModel):
    """A function that exceeds a threshold, and which thresholds it exceeds."""

    path: str
    function: str
    line: int
    complexity: int
    nloc: int
    parameters: int
    reasons: list[str]


class Summary(BaseModel):
    files_analyzed: int
    files_skipped: int
    functions: int
    nloc: int
    average_complexity: float
    max_complexity: int
    high_complexity_files: int
    languages: dict[str, int]
    findings_by_severity: dict[str, int]


class AnalysisReport(BaseModel):
    """Everything `hrm-reason analyze` prints, in the order the Markdown report shows it."""

    root: str
    summary: Summary
    patterns: dict[str, int]  # pattern -> number of files showing it
    hotspots: list[Hotspot]
    findings: list[Finding]
    recommendations: list[str]
    recommendations_by: str = "rules"  # "rules", or the model that wrote them
    files: list[FileAnalysis]
    skipped: list[str] = Field(default_factory=list)  # "path (reason)"

    @property
    def has_errors(self) -> bool:
        return any(f.severity == "error" for f in self.findings)
