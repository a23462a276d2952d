"""The analysis pipeline: read → measure → patterns → checks → hotspots → recommendations.
Pure of any model; `advisors.CodeAnalyzer` adds the model-written recommendations."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from tqdm import tqdm

from workbench.analysis.audio_checks import check_realtime
from workbench.analysis.context_reader import FolderContents, SourceFile, read_sources
from workbench.analysis.faust_check import check_faust
from workbench.analysis.findings import AnalysisReport, FileAnalysis, Finding, Summary
from workbench.analysis.hotspots import HIGH_COMPLEXITY_FILE, find_hotspots
from workbench.analysis.metrics import measure
from workbench.analysis.patterns import detect_patterns
from workbench.analysis.recommendations import rule_recommendations
from workbench.config import Settings

_SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


def analyze_source(source: SourceFile, settings: Settings) -> FileAnalysis:
    """Metrics, patterns and per-file checks of one file (cross-file C++ checks excluded)."""
    measured = measure(source)
    findings = list(measured.findings)
    if source.language == "faust":
        findings += check_faust(source, settings)
    return FileAnalysis(path=source.relative, language=source.language, nloc=measured.nloc,
                        functions=measured.functions, patterns=detect_patterns(source), findings=findings,
                        documented_functions=measured.documented_functions)


def _summary(files: list[FileAnalysis], skipped: int, findings: list[Finding]) -> Summary:
    functions = [f for file in files for f in file.functions]
    return Summary(
        files_analyzed=len(files), files_skipped=skipped, functions=len(functions),
        nloc=sum(file.nloc for file in files),
        average_complexity=round(sum(f.complexity for f in functions) / len(functions), 2) if functions else 0.0,
        max_complexity=max((f.complexity for f in functions), default=0),
        high_complexity_files=sum(1 for file in files if file.average_complexity > HIGH_COMPLEXITY_FILE),
        languages=dict(sorted(Counter(file.language for file in files).items())),
        findings_by_severity={s: sum(1 for f in findings if f.severity == s) for s in _SEVERITY_ORDER},
    )


def build_report(contents: FolderContents, files: list[FileAnalysis], cross_file: list[Finding]) -> AnalysisReport:
    """Assemble the report from analysed files plus the findings that span files."""
    by_path = {file.path: file for file in files}
    for finding in cross_file:
        if finding.path in by_path:
            by_path[finding.path].findings.append(finding)
    findings = sorted((f for file in files for f in file.findings),
                      key=lambda f: (_SEVERITY_ORDER[f.severity], f.path, f.line or 0, f.rule))
    patterns = Counter(m.pattern for file in files for m in file.patterns)
    hotspots = find_hotspots(files)
    return AnalysisReport(
        root=str(contents.root), summary=_summary(files, len(contents.skipped), findings),
        patterns=dict(patterns.most_common()), hotspots=hotspots, findings=findings,
        recommendations=rule_recommendations(findings, hotspots, dict(patterns)),
        files=files, skipped=contents.skipped,
    )


def analyze_path(path: str | Path, settings: Settings, *, progress: bool = False) -> AnalysisReport:
    """Analyse a file or a folder. Raises AnalysisInputError for a missing or empty path."""
    return analyze_contents(read_sources(path), settings, progress=progress)


def analyze_contents(contents: FolderContents, settings: Settings, *, progress: bool = False) -> AnalysisReport:
    """Analyse files already read (the advisors reuse them for their context)."""
    sources: Iterable[SourceFile] = contents.files
    if progress:
        sources = tqdm(contents.files, desc="analysing", unit="file", leave=False)
    files = [analyze_source(source, settings) for source in sources]
    return build_report(contents, files, check_realtime(contents.files))
