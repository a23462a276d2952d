"""One answer from many subtask outputs, each part attributed to its subtask and model.

The parts are assembled, not rewritten by a model: code blocks reach the user exactly as the
coder model wrote (and the validator approved) them, and nothing is lost to a summary.
"""

from __future__ import annotations

from workbench.execute.results import SubtaskResult


def synthesize(results: list[SubtaskResult]) -> str:
    """Markdown: one section per finished subtask in plan order, then what is missing and
    the documentation sources the subtasks relied on."""
    done = [r for r in results if r.status == "complete"]
    missing = [r for r in results if r.status != "complete"]
    sections = [f"### {r.title} ({r.id} — {r.model or 'unknown model'})\n\n{_closed(r.output.strip())}"
                for r in done]
    if missing:
        sections.append("### Not answered\n\n" + "\n".join(
            f"- {r.title} ({r.id}): {r.status} — {r.error or 'no output'}" for r in missing))
    sources = sources_of(results)
    if sources:
        sections.append("### Sources\n\n" + "\n".join(f"- {s}" for s in sources))
    return "\n\n".join(sections)


def sources_of(results: list[SubtaskResult]) -> list[str]:
    """Distinct documentation sources of all subtasks, in the order first used."""
    return list(dict.fromkeys(s for r in results for s in r.sources))


def _closed(markdown: str) -> str:
    """Close a code fence a truncated output left open, so it cannot swallow the next part."""
    fences = sum(1 for line in markdown.splitlines() if line.lstrip().startswith("```"))
    return markdown + "\n```" if fences % 2 else markdown
