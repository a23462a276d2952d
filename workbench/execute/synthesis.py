"""One answer from many subtask outputs, each part attributed to its subtask and model.

The parts are assembled, not rewritten by a model: code blocks reach the user exactly as the
coder model wrote (and the validator approved) them, and nothing is lost to a summary. The
reasoning model may add a short overview *above* the parts, saying how they fit together; it
never replaces or edits them, and when it fails the parts stand alone with a note why.
"""

from __future__ import annotations

from workbench.config import Settings
from workbench.domain import EventKind, OverviewResult, Role, SubtaskResult
from workbench.execute.caller import ModelCaller
from workbench.execute.events import EventEmitter
from workbench.execute.prompts import build_overview_messages
from workbench.execute.streaming import Generation, RunCancelled


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


def one_answer(result: SubtaskResult) -> str:
    """A one-subtask plan's answer: the subtask's text as the validator left it (repairs
    applied), one line per checked code block saying what was checked and measured on the
    version shown (the best of the repair rounds, and which round gave it), then the
    documentation it was grounded in."""
    blocks: list[dict] = []
    for attempt in result.attempts:
        if attempt.get("kind") == "validation":
            blocks.append({**attempt, "rounds": 0})
        elif attempt.get("kind") == "repair" and attempt.get("best") and blocks:
            blocks[-1].update(ok=attempt.get("ok"), badge=attempt.get("badge"), rounds=attempt.get("round", 0),
                              resampled=attempt.get("resampled"))
    notes = [_check_line(b) for b in blocks if b.get("ok") is not None]
    if result.sources:
        notes.append("Sources: " + "; ".join(result.sources))
    return "\n\n".join([result.output, *notes]) if notes else result.output


def _check_line(block: dict) -> str:
    verdict = "Checked" if block.get("ok") else "Code check failed"
    rounds = block.get("rounds") or 0
    source = "a fresh answer, " if block.get("resampled") else ""
    after = f" ({source}after {rounds} repair round{'s' if rounds != 1 else ''})" if rounds else ""
    return f"> {verdict} ({block['language']}){after}: {block['badge']}"


def sources_of(results: list[SubtaskResult]) -> list[str]:
    """Distinct documentation sources of all subtasks, in the order first used."""
    return list(dict.fromkeys(s for r in results for s in r.sources))


def _closed(markdown: str) -> str:
    """Close a code fence a truncated output left open, so it cannot swallow the next part."""
    fences = sum(1 for line in markdown.splitlines() if line.lstrip().startswith("```"))
    return markdown + "\n```" if fences % 2 else markdown


# ------------------------------------------------------------------ the overview above the parts


def overview_wanted(settings: Settings, backend_name: str, results: list[SubtaskResult]) -> bool:
    """Whether to ask for an overview: the setting allows it on this backend, and at least
    two parts finished (one part needs no tying together)."""
    mode = settings.execution.synthesis_summary
    if mode == "off" or (mode == "auto" and backend_name == "embedded"):
        return False
    return sum(r.status == "complete" for r in results) >= 2


def overview_heading(model: str | None) -> str:
    return f"### Overview ({model or 'unknown model'})\n\n"


def write_overview(
    question: str,
    results: list[SubtaskResult],
    caller: ModelCaller,
    settings: Settings,
    emit: EventEmitter,
) -> OverviewResult:
    """Stream the reasoning role's overview of `results` as answer tokens (no subtask id),
    its heading sent with the first word and its thinking as thinking events; the call
    waits for one of its backend's slots like a subtask does.

    Never raises for the model's failure, a timeout or Stop: the result's status and error
    say why there is no overview, and the assembled parts are unaffected."""
    overview = OverviewResult(backend=caller.backend_for(Role.REASONING).name, status="failed")
    generation = Generation(model="")
    headed = False

    def on_content(text: str) -> None:
        nonlocal headed
        emit(EventKind.TOKEN, None, text if headed else overview_heading(generation.model) + text)
        headed = True

    try:
        generation.model, _stand_in_note = caller.model_for(Role.REASONING)
        overview.model = generation.model
        messages = build_overview_messages(
            question, results, budget_tokens=settings.execution.synthesis_summary_token_budget)
        caller.stream(Role.REASONING, generation, messages, on_content=on_content,
                      on_thinking=lambda text: emit(EventKind.THINKING, None, text))
        if generation.content.strip():
            overview.status = "complete"
        else:
            overview.error = f"{generation.model} returned no text"
    except RunCancelled:
        overview.status, overview.error = "cancelled", "stopped by the user"
    except Exception as error:  # noqa: BLE001 - an optional overview must never cost the assembled answer
        overview.error = str(error) or type(error).__name__
    overview.text, overview.thinking = generation.content, generation.thinking
    overview.prompt_tokens, overview.completion_tokens = generation.prompt_tokens, generation.completion_tokens
    overview.duration_ms = generation.duration_ms
    return overview


def with_overview(assembled: str, overview: OverviewResult | None) -> str:
    """The final answer: the overview (or one line saying why it is missing) above the
    assembled parts, which stay exactly as `synthesize` made them."""
    if overview is None:
        return assembled
    if overview.status == "complete":
        return f"{overview_heading(overview.model)}{_closed(overview.text.strip())}\n\n{assembled}"
    reason = " ".join((overview.error or "no reason given").split()).rstrip(".")
    return f"> No overview: {reason}.\n\n{assembled}"


def unstreamed(answer: str, assembled: str, overview: OverviewResult | None) -> str:
    """What of the final `answer` the live view has not received yet: all of it, unless the
    overview already streamed its heading and text."""
    if overview is None or not overview.text:
        return answer
    return "\n\n" + (assembled if overview.status == "complete" else answer)
