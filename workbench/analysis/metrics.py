"""Size and complexity of each function: lizard for Python, C++ and JS/TS, Python's own
`ast` for docstrings and syntax errors, and a definition counter for FAUST (lizard has no
FAUST reader)."""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field

import lizard

from workbench.analysis.context_reader import SourceFile
from workbench.analysis.findings import Finding, FunctionMetrics

_LIZARD_NAMES = {"python": "x.py", "cpp": "x.cpp", "javascript": "x.js", "typescript": "x.ts"}
# a FAUST definition: `name(args) = ...;` or `name = ...;` at the start of a line
_FAUST_DEFINITION = re.compile(r"^\s*([A-Za-z_][\w]*)\s*(\(([^)]*)\))?\s*=(?!=)")


@dataclass
class Measured:
    nloc: int
    functions: list[FunctionMetrics]
    documented_functions: int = 0
    findings: list[Finding] = field(default_factory=list)


def _code_lines(text: str, comment: str) -> int:
    return sum(1 for line in text.splitlines() if line.strip() and not line.strip().startswith(comment))


def _faust(source: SourceFile) -> Measured:
    functions = []
    for number, line in enumerate(source.text.splitlines(), start=1):
        if match := _FAUST_DEFINITION.match(line.split("//")[0]):
            params = [p for p in (match[3] or "").split(",") if p.strip()]
            functions.append(FunctionMetrics(name=match[1], start_line=number, end_line=number, nloc=1,
                                             complexity=1, parameters=len(params)))
    return Measured(nloc=_code_lines(source.text, "//"), functions=functions)


def _python_facts(source: SourceFile, measured: Measured) -> None:
    """Docstring count, and a located finding when the file does not parse."""
    try:
        tree = ast.parse(source.text, filename=source.relative)
    except SyntaxError as error:
        measured.findings.append(Finding(
            rule="syntax-error", severity="error", path=source.relative, line=error.lineno,
            message=f"Python cannot parse this file: {error.msg}",
            advice="Fix the syntax error; metrics for this file are incomplete until it parses."))
        return
    defs = [n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]
    measured.documented_functions = sum(1 for n in defs if ast.get_docstring(n))


def measure(source: SourceFile) -> Measured:
    """Metrics of one source file."""
    if source.language == "faust":
        return _faust(source)
    info = lizard.analyze_file.analyze_source_code(_LIZARD_NAMES[source.language], source.text)
    functions = [
        FunctionMetrics(name=f.name, start_line=f.start_line, end_line=f.end_line, nloc=f.nloc,
                        complexity=f.cyclomatic_complexity, parameters=f.parameter_count, tokens=f.token_count)
        for f in info.function_list
    ]
    measured = Measured(nloc=info.nloc, functions=functions)
    if source.language == "python":
        _python_facts(source, measured)
    return measured
