"""The held-out task sets of bench/answer_quality.py: every row is a real question with its
source, shaped like the tuned rows, and its reference passes the bench's own scoring with the
real faust, g++ and JUCE headers (a task whose reference fails would score every model down)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from workbench.config import Settings, load_settings

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))

import answer_quality  # noqa: E402

HELDOUT = answer_quality.TASK_SETS["heldout"]
TUNED = answer_quality.TASK_SETS["tuned"]
# where sources already feed tuning (routing, retrieval words, labelled questions)
USED_ELSEWHERE = [*TUNED.values(), *sorted((ROOT / "data").rglob("*.jsonl")),
                  ROOT / "workbench" / "retrieval" / "developer_words.toml"]


def rows(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


HELDOUT_ROWS = [(kind, row) for kind, path in HELDOUT.items() for row in rows(path)]


@pytest.fixture(scope="module")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return load_settings(data_dir=tmp_path_factory.mktemp("heldout"), retrieval={"use_embeddings": False},
                         validation={"render_seconds": 0.5})


@pytest.mark.parametrize("kind", list(HELDOUT))
def test_rows_have_the_tuned_fields_and_a_source(kind: str) -> None:
    fields = set(rows(TUNED[kind])[0]) | {"source"}
    held = rows(HELDOUT[kind])
    assert len(held) >= 10
    for row in held:
        assert set(row) == fields, row["id"]
        assert row["source"].startswith("https://"), row["id"]
        assert row["prompt"].strip() and row["reference"].strip(), row["id"]
    assert len({r["id"] for r in held}) == len(held)
    assert not {r["id"] for r in held} & {r["id"] for r in rows(TUNED[kind])}


def test_sources_are_distinct_and_used_nowhere_else() -> None:
    sources = [row["source"] for _, row in HELDOUT_ROWS]
    assert len(set(sources)) == len(sources)
    elsewhere = "\n".join(path.read_text() for path in USED_ELSEWHERE)
    assert [s for s in sources if s in elsewhere] == []


def test_the_bench_loads_the_heldout_set_on_request() -> None:
    loaded = answer_quality.load_tasks(None, 0, "heldout")
    assert [row["id"] for _, row in loaded] == [row["id"] for _, row in HELDOUT_ROWS]
    assert answer_quality.load_tasks("juce", 2, "tuned") == [("juce", r) for r in rows(TUNED["juce"])[:2]]


@pytest.mark.parametrize(("kind", "task"), HELDOUT_ROWS, ids=[row["id"] for _, row in HELDOUT_ROWS])
def test_reference_passes_its_own_checks(kind: str, task: dict, settings: Settings) -> None:
    reply = f"```{answer_quality.LANGUAGE[kind]}\n{task['reference']}```"
    result = answer_quality.score(kind, task, reply, settings, 0.5)
    assert result.compiled and result.behaved, result.badge
