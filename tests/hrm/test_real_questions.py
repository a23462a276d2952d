"""The real-question corpus: every row readable and sourced, splits by thread, fixed in the data."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import pytest

from workbench.hrm.label_agreement import (
    ADJUDICATION, BLIND_PASS_ALL, SECOND_PASS, agreement, cohen_kappa, corpus_labels,
)
from workbench.hrm.real_questions import (
    DOMAIN_MAP, SPLITS, CorpusError, assign_splits, corpus_files, load_file, load_real_questions, normalise_source,
    split_of_source,
)

ROW = {"id": "x-1", "question": "Why does my FAUST reverb click?", "source": "https://forum.juce.com/t/clicks/123/4",
       "source_kind": "forum", "primary_role": "reasoning", "complexity": 4, "decompose": False,
       "domains": ["faust", "debugging"], "expected_subtasks": []}


@pytest.fixture(scope="module")
def rows():
    return load_real_questions()


def test_the_corpus_is_complete_and_every_row_is_sourced_and_in_range(rows):
    assert len(rows) >= 400
    assert len({q.id for q in rows}) == len(rows)
    for q in rows:
        assert q.source.startswith(("https://", "http://")) and q.source_kind in ("forum", "qa", "issue")
        assert 1 <= q.complexity <= 10 and all(d in DOMAIN_MAP for d in q.domains)
        assert bool(q.expected_subtasks) == q.decompose, q.origin  # subtasks exactly when split


def test_no_thread_is_in_two_splits_and_the_split_is_written_into_the_data(rows):
    splits_of = defaultdict(set)
    for q in rows:
        splits_of[q.thread].add(q.split)
    assert all(len(s) == 1 for s in splits_of.values())
    for path in corpus_files():
        assert all("split" in json.loads(line) for line in path.read_text().splitlines() if line.strip())
    counts = {name: sum(q.split == name for q in rows) for name in SPLITS}
    assert counts["train"] > counts["test"] > counts["validation"] > 40
    assert sum(q.decompose for q in rows if q.split == "test") >= 3  # split F1 has something to find


def test_urls_of_one_thread_normalise_to_one_key():
    assert normalise_source("https://forum.juce.com/t/some-slug/67797/10") == "forum.juce.com/t/67797"
    assert normalise_source("https://forum.juce.com/t/some-slug/67797") == "forum.juce.com/t/67797"
    assert normalise_source("https://github.com/Org/Repo/issues/95#issuecomment-1") == "github.com/org/repo/issues/95"
    assert normalise_source("https://stackoverflow.com/questions/123/why-x?answertab=votes") == \
        "stackoverflow.com/questions/123"
    assert normalise_source("https://www.kvraudio.com/forum/viewtopic.php?t=42&start=15") == \
        "kvraudio.com/forum/viewtopic.php?t=42"
    assert split_of_source("https://forum.juce.com/t/a/67797/2") == split_of_source("https://forum.juce.com/t/b/67797")


def test_assign_splits_fills_only_missing_splits(tmp_path: Path):
    path = tmp_path / "q.jsonl"
    kept = {**ROW, "id": "x-2", "split": "validation"}
    path.write_text(json.dumps(ROW) + "\n" + json.dumps(kept) + "\n")
    assert assign_splits(path) == 1
    first, second = load_file(path)
    assert first.split == split_of_source(ROW["source"]) and second.split == "validation"
    assert assign_splits(path) == 0


@pytest.mark.parametrize("change, message", [
    ({"source": "forum post"}, "source is not a URL"),
    ({"complexity": 11}, "complexity is not 1-10"),
    ({"primary_role": "poet"}, "not a role"),
    ({"domains": ["faust", "rust"]}, "unknown domain"),
    ({"split": "holdout"}, "split 'holdout'"),
])
def test_a_bad_row_names_its_file_line_and_what_is_wrong(tmp_path: Path, change, message):
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps(ROW) + "\n" + json.dumps({**ROW, **change}) + "\n")
    with pytest.raises(CorpusError, match=rf"bad.jsonl:2: .*{message}"):
        load_file(path)


def test_kappa_on_hand_computed_cases_and_the_recorded_second_pass():
    assert cohen_kappa(["a", "b", "a", "b"], ["a", "b", "a", "b"]) == 1.0
    assert cohen_kappa(["a", "a", "b", "b"], ["a", "b", "a", "b"]) == 0.0  # observed 0.5 = chance 0.5
    figures = agreement(SECOND_PASS)
    assert figures["questions"] >= 60
    assert 0 < figures["role_kappa"] <= 1 and 0 <= figures["complexity_mae"] < 2


def test_the_blind_pass_covers_every_row_once_and_settling_is_undone_to_the_first_pass(rows):
    blind = [json.loads(line) for line in BLIND_PASS_ALL.read_text().splitlines() if line.strip()]
    assert sorted(r["id"] for r in blind) == sorted(q.id for q in rows)
    assert all(set(r) == {"id", "primary_role", "decompose"} for r in blind)  # no complexity in this pass
    settled, first = corpus_labels(), corpus_labels(settled=False)
    changes = [json.loads(line) for line in ADJUDICATION.read_text().splitlines() if line.strip()]
    for change in changes:  # the corpus holds the settled label, the first pass the recorded one
        assert settled[change["id"]][change["field"]] == change["settled"] != change["first_pass"]
        assert first[change["id"]][change["field"]] == change["first_pass"] and change["reason"]
    changed = {(c["id"], c["field"]) for c in changes}
    assert all(first[i][f] == settled[i][f] for i in settled for f in ("primary_role", "decompose")
               if (i, f) not in changed)
    before, after = agreement(BLIND_PASS_ALL), agreement(BLIND_PASS_ALL, settled=True)
    assert before["questions"] == len(rows) and "complexity_mae" not in before
    assert after["split_kappa"] > before["split_kappa"]  # settling moved the corpus towards the guideline's reading
