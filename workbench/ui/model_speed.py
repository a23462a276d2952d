"""Tokens per second and first-token latency per model, from the runs already stored.

Each decomposed subtask's successful generation attempt gives one sample (its completion
tokens over that attempt's time, so validation and retries do not count); an answer with no
subtasks gives one from its message. First-token latency comes from the generation attempt's
`first_token_ms` where the executor recorded it, and stays empty otherwise.
"""

from __future__ import annotations

import pandas as pd

from workbench.system import System

COLUMNS = ["model", "host", "tokens_per_s", "first_token_ms", "when"]


def speed_samples(glm: System, max_runs: int = 500) -> pd.DataFrame:
    """One row per generation of the newest `max_runs` runs of every project."""
    rows: list[dict] = []
    runs = sorted((run for project in glm.list_projects() for run in glm.list_runs(project.id)),
                  key=lambda run: run.created_at, reverse=True)[:max_runs]
    for run in runs:
        subtasks = glm.list_subtasks(run.id)
        rows.extend(filter(None, (_subtask_sample(s, run.created_at) for s in subtasks)))
        if not subtasks and run.message_id is not None:
            rows.extend(filter(None, [_message_sample(glm, run)]))
    return pd.DataFrame(rows, columns=COLUMNS)


def _subtask_sample(subtask, when: float) -> dict | None:
    generation = next((a for a in reversed(subtask.attempts)
                       if a.get("kind") == "generation" and a.get("ok")), None)
    if not subtask.model or not subtask.completion_tokens or not generation or not generation.get("duration_ms"):
        return None
    return {"model": subtask.model, "host": subtask.backend or "", "when": when,
            "tokens_per_s": subtask.completion_tokens / (generation["duration_ms"] / 1000),
            "first_token_ms": generation.get("first_token_ms")}


def _message_sample(glm: System, run) -> dict | None:
    message = next((m for m in glm.get_messages(run.conversation_id) if m.id == run.message_id), None)
    if message is None or not message.model or not message.completion_tokens or not message.duration_ms:
        return None
    return {"model": message.model, "host": message.backend or "", "when": run.created_at,
            "tokens_per_s": message.completion_tokens / (message.duration_ms / 1000), "first_token_ms": None}
