"""The repair rounds behind an answer, in its details: the first answer, then what each round
was (the lint's own fixes, a repair of the code, a fresh answer), what its check said, how
long it took, and its code. The line under the answer names only the version shown; this is
how a user sees why that version was picked, and can take an earlier one that did what they
wanted."""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from workbench.storage.records import SubtaskRecord

_VERDICTS = {True: "passed", False: "failed", None: "not checked"}


def _step(attempt: dict) -> str:
    if attempt.get("kind") == "validation":
        return "first answer"
    if attempt.get("fixes"):
        return "lint fix: " + "; ".join(attempt["fixes"])
    if attempt.get("resampled"):
        return f"fresh answer (seed {attempt['seed']})" if attempt.get("seed") is not None else "fresh answer"
    return "repair round"


def _row(subtask_id: str, attempt: dict) -> dict:
    verdict = _VERDICTS.get(attempt.get("ok"), "not checked")
    return {"subtask": subtask_id, "round": attempt.get("round", 0), "language": attempt.get("language"),
            "step": _step(attempt), "check": f"{verdict}: {attempt['badge']}" if attempt.get("badge") else verdict,
            "seconds": attempt.get("seconds"), "shown": "✓" if attempt.get("best") else "",
            "code": attempt.get("code") or ""}


def repair_rows(subtasks: Sequence[SubtaskRecord]) -> list[dict]:
    """For each checked code block that was repaired: its first version (round 0), then one row
    per repair attempt, each with its code ("" when the reply had none, or for a run stored
    before attempts kept their code)."""
    rows: list[dict] = []
    for subtask in subtasks:
        blocks: list[tuple[dict, list[dict]]] = []  # each checked block and the repairs that follow it
        for attempt in subtask.attempts:
            if isinstance(attempt, dict) and attempt.get("kind") == "validation":
                blocks.append((attempt, []))
            elif isinstance(attempt, dict) and attempt.get("kind") == "repair" and blocks:
                blocks[-1][1].append(attempt)
        for checked, repairs in blocks:
            if repairs:
                first = {**checked, "best": not any(r.get("best") for r in repairs)}
                rows += [_row(subtask.subtask_id, attempt) for attempt in (first, *repairs)]
    return rows


def render_repair_rounds(subtasks: Sequence[SubtaskRecord], key: str) -> None:
    """A collapsed "Repair rounds" expander: the rounds' table, then each version's code."""
    rows = repair_rows(subtasks)
    if not rows:
        return
    rounds = sum(row["round"] > 0 for row in rows)
    with st.expander(f"Repair rounds · {rounds}", icon=":material/build:"):
        several = len({row["subtask"] for row in rows}) > 1
        columns = ["subtask"] * several + ["round", "step", "check", "seconds", "shown"]
        st.dataframe([{name: row[name] for name in columns} for row in rows], hide_index=True, key=key)
        with_code = [row for row in rows if row["code"]]
        if with_code:
            tabs = st.tabs([f"{row['subtask']} · round {row['round']}" if several else f"round {row['round']}"
                            for row in with_code])
            for tab, row in zip(tabs, with_code):
                tab.code(row["code"], language="cpp" if row["language"] == "cpp" else None)
