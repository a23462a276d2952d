"""Which functions deserve attention first. Cyclomatic complexity above 10 is McCabe's
original limit for a testable function; the size and parameter limits are the usual review
limits. They are public so the report can print them."""

from __future__ import annotations

from workbench.analysis.findings import FileAnalysis, Hotspot

MAX_COMPLEXITY = 10
MAX_FUNCTION_NLOC = 60
MAX_PARAMETERS = 5
HIGH_COMPLEXITY_FILE = 8.0  # average complexity per function above which a file counts as complex


def _reasons(complexity: int, nloc: int, parameters: int) -> list[str]:
    reasons = []
    if complexity > MAX_COMPLEXITY:
        reasons.append(f"cyclomatic complexity {complexity} > {MAX_COMPLEXITY}")
    if nloc > MAX_FUNCTION_NLOC:
        reasons.append(f"{nloc} lines of code > {MAX_FUNCTION_NLOC}")
    if parameters > MAX_PARAMETERS:
        reasons.append(f"{parameters} parameters > {MAX_PARAMETERS}")
    return reasons


def find_hotspots(files: list[FileAnalysis]) -> list[Hotspot]:
    """Functions over any threshold, most complex first."""
    spots = [
        Hotspot(path=file.path, function=f.name, line=f.start_line, complexity=f.complexity, nloc=f.nloc,
                parameters=f.parameters, reasons=reasons)
        for file in files for f in file.functions
        if (reasons := _reasons(f.complexity, f.nloc, f.parameters))
    ]
    return sorted(spots, key=lambda s: (-s.complexity, -s.nloc, s.path, s.line))
