"""A training corpus from a codebase: every function with its docstring, comments, code
and metrics, the detected patterns and findings, and `metadata` statistics
(`jq .metadata corpus.json`). The shape is the pydantic model `Corpus`; its JSON Schema
(`corpus_schema()`) is what the output is validated against."""

from __future__ import annotations

import ast
import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field
from tqdm import tqdm

from workbench.analysis.audio_checks import check_realtime
from workbench.analysis.context_reader import SourceFile, read_sources
from workbench.analysis.findings import Finding, FunctionMetrics, Language, PatternMatch
from workbench.analysis.metrics import measure
from workbench.analysis.patterns import detect_patterns

CORPUS_SCHEMA_VERSION = 1
MAX_CODE_CHARS = 4000
_COMMENT = {"python": re.compile(r"(?:^|\s)#\s?(.*)$"), "default": re.compile(r"//+\s?(.*)$")}
_LEADING_COMMENT = re.compile(r"^\s*(//+|/\*+|\*+/?|#)\s?")


class CorpusFunction(BaseModel):
    id: str  # path:line:name, unique in the corpus
    path: str
    language: Language
    name: str
    start_line: int
    end_line: int
    nloc: int
    complexity: int
    parameters: int
    docstring: str = ""
    comments: list[str] = Field(default_factory=list)
    code: str


class CorpusFile(BaseModel):
    path: str
    language: Language
    nloc: int
    functions: int
    patterns: list[str]


class CorpusMetadata(BaseModel):
    schema_version: int = CORPUS_SCHEMA_VERSION
    source: str
    files: int
    skipped_files: int
    functions: int
    documented_functions: int
    comment_lines: int
    nloc: int
    average_complexity: float
    max_complexity: int
    languages: dict[str, int]
    patterns: dict[str, int]
    findings: dict[str, int]


class Corpus(BaseModel):
    metadata: CorpusMetadata
    files: list[CorpusFile]
    functions: list[CorpusFunction]
    patterns: list[PatternMatch]
    findings: list[Finding]


def corpus_schema() -> dict[str, Any]:
    return Corpus.model_json_schema()


def _python_docstrings(text: str) -> dict[int, str]:
    try:
        tree = ast.parse(text)
    except SyntaxError:
        return {}
    return {n.lineno: ast.get_docstring(n) or "" for n in ast.walk(tree)
            if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))}


def _leading_comment(lines: list[str], start_line: int) -> str:
    """The comment block right above a function (its doc comment in C++, JS and FAUST)."""
    block: list[str] = []
    index = start_line - 2
    while index >= 0 and _LEADING_COMMENT.match(lines[index]) and lines[index].strip():
        block.insert(0, _LEADING_COMMENT.sub("", lines[index]).rstrip(" */"))
        index -= 1
    return "\n".join(line for line in block if line.strip())


def _comments(body: list[str], language: str) -> list[str]:
    pattern = _COMMENT.get(language, _COMMENT["default"])
    return [m[1].strip() for line in body if (m := pattern.search(line)) and m[1].strip()]


def _function_entry(source: SourceFile, f: FunctionMetrics, lines: list[str], docstrings: dict[int, str]) -> CorpusFunction:
    body = lines[f.start_line - 1:f.end_line]
    doc = docstrings.get(f.start_line, "") if source.language == "python" else _leading_comment(lines, f.start_line)
    return CorpusFunction(
        id=f"{source.relative}:{f.start_line}:{f.name}", path=source.relative, language=source.language,
        name=f.name, start_line=f.start_line, end_line=f.end_line, nloc=f.nloc, complexity=f.complexity,
        parameters=f.parameters, docstring=doc, comments=_comments(body, source.language),
        code="\n".join(body)[:MAX_CODE_CHARS])


def build_corpus(path: str | Path, *, progress: bool = False) -> dict[str, Any]:
    """The corpus of the codebase at `path` as a JSON-ready dict (see `Corpus`).

    Raises AnalysisInputError when the path is missing or holds no source file."""
    contents = read_sources(path)
    files: list[CorpusFile] = []
    functions: list[CorpusFunction] = []
    patterns: list[PatternMatch] = []
    findings: list[Finding] = []
    sources = tqdm(contents.files, desc="building corpus", unit="file", leave=False) if progress else contents.files
    for source in sources:
        measured = measure(source)
        lines = source.text.splitlines()
        docstrings = _python_docstrings(source.text) if source.language == "python" else {}
        functions += [_function_entry(source, f, lines, docstrings) for f in measured.functions]
        found = detect_patterns(source)
        patterns += found
        findings += measured.findings
        files.append(CorpusFile(path=source.relative, language=source.language, nloc=measured.nloc,
                                functions=len(measured.functions), patterns=[m.pattern for m in found]))
    findings += check_realtime(contents.files)
    complexities = [f.complexity for f in functions]
    metadata = CorpusMetadata(
        source=str(contents.root), files=len(files), skipped_files=len(contents.skipped),
        functions=len(functions), documented_functions=sum(1 for f in functions if f.docstring),
        comment_lines=sum(len(f.comments) for f in functions), nloc=sum(f.nloc for f in files),
        average_complexity=round(sum(complexities) / len(complexities), 2) if complexities else 0.0,
        max_complexity=max(complexities, default=0),
        languages=dict(sorted(Counter(f.language for f in files).items())),
        patterns=dict(Counter(m.pattern for m in patterns).most_common()),
        findings=dict(Counter(f.rule for f in findings).most_common()))
    corpus = Corpus(metadata=metadata, files=files, functions=functions, patterns=patterns, findings=findings)
    return corpus.model_dump(mode="json")


def write_corpus(path: str | Path, output: str | Path, *, progress: bool = False) -> dict[str, Any]:
    """Build the corpus and write it as JSON to `output`; returns its metadata."""
    corpus = build_corpus(path, progress=progress)
    target = Path(output).expanduser()
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(corpus, indent=2))
    return corpus["metadata"]
