"""Recommendations derived from the measured findings, written from rules, one per kind of
problem, naming the places. `findings_brief` is the same facts as text, which the advisors
hand to a model (`workbench.advisors.assistants.write_with_model`), so both rest on them."""

from __future__ import annotations

from collections import defaultdict

from workbench.analysis.findings import AnalysisReport, Finding, Hotspot

_RULE_ADVICE = {
    "rt-allocation": "Move memory allocation out of the audio callback",
    "rt-lock": "Replace locks in the audio callback with a lock-free hand-over",
    "rt-io": "Remove logging and file I/O from the audio callback",
    "rt-blocking": "Remove waiting and sleeping from the audio callback",
    "rt-state-not-reset": "Reset DSP state in prepareToPlay",
    "rt-unsynchronized-parameter": "Share parameters with the audio thread through std::atomic or the APVTS",
    "faust-compile": "Fix the FAUST programs that do not compile",
    "syntax-error": "Fix the Python files that do not parse",
}
MAX_PLACES = 3


def _places(findings: list[Finding]) -> str:
    spots = [f"{f.path}:{f.line}" if f.line else f.path for f in findings]
    more = f" and {len(spots) - MAX_PLACES} more" if len(spots) > MAX_PLACES else ""
    return ", ".join(spots[:MAX_PLACES]) + more


def rule_recommendations(findings: list[Finding], hotspots: list[Hotspot], patterns: dict[str, int]) -> list[str]:
    """One recommendation per kind of finding (errors first), then the hotspots."""
    by_rule: dict[str, list[Finding]] = defaultdict(list)
    for finding in findings:
        by_rule[finding.rule].append(finding)
    order = {"error": 0, "warning": 1, "info": 2}
    out = []
    for rule, group in sorted(by_rule.items(), key=lambda item: (order[item[1][0].severity], item[0])):
        if rule in _RULE_ADVICE:
            out.append(f"{_RULE_ADVICE[rule]} ({_places(group)}): {group[0].advice}")
    for spot in hotspots[:MAX_PLACES]:
        out.append(f"Break down `{spot.function}` ({spot.path}:{spot.line}) into smaller functions: "
                   + "; ".join(spot.reasons))
    if patterns.get("Plugin processor") and not patterns.get("Parameter tree (APVTS)"):
        out.append("Manage plugin parameters with juce::AudioProcessorValueTreeState: it gives thread-safe "
                   "parameter access, automation and state saving in one place")
    return out


def findings_brief(report: AnalysisReport, max_items: int = 12) -> str:
    """The measured facts as a compact text for a model prompt or an advisor's context."""
    s = report.summary
    lines = [f"{s.files_analyzed} files, {s.functions} functions, average complexity {s.average_complexity:.1f}, "
             f"max {s.max_complexity}; languages: {', '.join(f'{k} {v}' for k, v in s.languages.items())}"]
    if report.patterns:
        lines.append("Patterns: " + ", ".join(f"{name} ({n})" for name, n in report.patterns.items()))
    lines += [f"- [{f.severity} {f.rule}] {f.path}:{f.line or '-'} {f.message}" for f in report.findings[:max_items]]
    lines += [f"- hotspot {h.path}:{h.line} {h.function}: {'; '.join(h.reasons)}" for h in report.hotspots[:5]]
    return "\n".join(lines)

