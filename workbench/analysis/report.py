"""The analysis report as Markdown (for people) and JSON (for scripts: the same data)."""

from __future__ import annotations

from workbench.analysis.findings import AnalysisReport
from workbench.analysis.hotspots import MAX_COMPLEXITY, MAX_FUNCTION_NLOC, MAX_PARAMETERS

MAX_ROWS = 20


def to_json(report: AnalysisReport) -> str:
    return report.model_dump_json(indent=2)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def to_markdown(report: AnalysisReport) -> str:
    """Summary, Pattern analysis, Hotspots, Findings and Recommendations, in that order."""
    s = report.summary
    out = ["# Code Analysis Report", "", f"Analysed: `{report.root}`", "", "## Summary",
           f"- **Files Analyzed**: {s.files_analyzed}" + (f" ({s.files_skipped} skipped)" if s.files_skipped else ""),
           "- **Languages**: " + ", ".join(f"{lang} {n}" for lang, n in s.languages.items()),
           f"- **Functions**: {s.functions} ({s.nloc} lines of code)",
           f"- **Average Complexity**: {s.average_complexity:.1f} (max {s.max_complexity})",
           f"- **High Complexity Files**: {s.high_complexity_files}",
           "- **Findings**: " + ", ".join(f"{n} {sev}" for sev, n in s.findings_by_severity.items()),
           "", "## Pattern Analysis"]
    out += [f"- **{name}**: {n} files" for name, n in report.patterns.items()] or ["- no known pattern detected"]
    out += ["", "## Hotspots",
            f"Functions over complexity {MAX_COMPLEXITY}, {MAX_FUNCTION_NLOC} lines or {MAX_PARAMETERS} parameters.", ""]
    if report.hotspots:
        out += ["| function | file:line | complexity | NLOC | params | why |", "|---|---|---|---|---|---|"]
        out += [f"| `{_cell(h.function)}` | {h.path}:{h.line} | {h.complexity} | {h.nloc} | {h.parameters} | "
                f"{_cell('; '.join(h.reasons))} |" for h in report.hotspots[:MAX_ROWS]]
    else:
        out.append("- none")
    out += ["", "## Findings", ""]
    if report.findings:
        out += ["| severity | rule | where | what |", "|---|---|---|---|"]
        out += [f"| {f.severity} | {f.rule} | {f.path}:{f.line or '-'} | {_cell(f.message)} |"
                for f in report.findings[:MAX_ROWS * 2]]
    else:
        out.append("- none")
    out += ["", "## Recommendations", f"_written by {report.recommendations_by}_", ""]
    out += [f"- {item}" for item in report.recommendations] or ["- nothing to recommend: no finding, no hotspot"]
    if report.skipped:
        out += ["", "## Skipped files"] + [f"- {item}" for item in report.skipped[:MAX_ROWS]]
    return "\n".join(out) + "\n"
