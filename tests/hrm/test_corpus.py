"""The labelled corpus: labels from structure, valid types, leak-free splits."""

from __future__ import annotations

import random
import re

import pytest

from workbench.domain import PlanStep, Role, TaskType
from workbench.hrm.corpus import TEMPLATES, _render, label, load_seeds, split_of
from workbench.hrm.corpus_templates import OPENERS


def test_splits_share_no_template_and_no_seed_line(corpus):
    groups = {name: {e.group for e in items} for name, items in corpus.items()}
    assert not groups["train"] & groups["val"]
    assert not groups["train"] & groups["test"]
    assert not groups["val"] & groups["test"]
    assert all(split_of(e.group) == name for name, items in corpus.items() for e in items)


def test_the_corpus_has_hundreds_of_hand_written_questions_and_every_split_some(corpus):
    seeds = load_seeds()
    assert len(seeds) >= 250 and len({e.query for e in seeds}) == len(seeds)
    assert all(len(items) >= 100 for items in corpus.values())
    tests_templates = {e.group for e in corpus["test"] if e.source == "template"}
    assert tests_templates and tests_templates <= {f"template:{t.name}" for t in TEMPLATES}


def test_labels_follow_the_structure():
    # a short bug report is answered directly, as the engine's bands say
    domains, role, complexity, steps = label("debug", "juce", words=8)
    assert domains == (TaskType.DEBUGGING, TaskType.JUCE) and role is Role.REASONING
    assert steps == (PlanStep.ANSWER,) and complexity == 2
    # a long one earns a point; with two frameworks it reaches the split band and the debugging skeleton
    _, _, longer, long_steps = label("debug", "juce", words=30)
    assert longer == 3 and long_steps == (PlanStep.ANSWER,)
    _, _, both, split_steps = label("debug", "faust_juce", words=30)
    assert both == 5 and split_steps == (PlanStep.REPRODUCE, PlanStep.HYPOTHESES, PlanStep.VERIFY, PlanStep.FIX)
    assert label("chat", "none")[0] == (TaskType.GENERAL,)
    assert label("build", "faust_juce")[0] == (TaskType.FAUST, TaskType.JUCE)
    _, _, harder, with_gui = label("build", "juce", add_steps=(PlanStep.GUI,), complexity_delta=2, parts=3)
    assert harder == 5 and PlanStep.GUI in with_gui and PlanStep.ANSWER not in with_gui
    assert label("build", "juce", complexity_delta=1, parts=1)[3] == (PlanStep.ANSWER,)


def test_every_example_is_consistent(corpus):
    for example in (e for items in corpus.values() for e in items):
        assert 1 <= example.complexity <= 10
        assert example.decompose == (PlanStep.ANSWER not in example.steps)
        assert example.domains


def test_a_bad_seed_line_names_the_file_line_and_the_fix(tmp_path):
    seeds = tmp_path / "seeds.txt"
    seeds.write_text("[build faust]\nwrite a reverb || +no_such_step\n")
    with pytest.raises(ValueError, match=r"seeds.txt:2: bad modifier '\+no_such_step'.*use cN"):
        load_seeds(seeds)
    seeds.write_text("[dance faust]\nwrite a reverb\n")
    with pytest.raises(ValueError, match="unknown intent 'dance'"):
        load_seeds(seeds)


def test_an_enumeration_counts_its_items_as_parts_the_way_the_engine_does():
    rng = random.Random(3)
    strip = next(t for t in TEMPLATES if t.name == "faust-strip")
    for _ in range(30):
        example = _render(strip, rng)
        listed = example.query.split(" with ", 1)[1]
        items = listed.count(",") + listed.count(" and ") + 1
        # the build intent's 3, +1 per part beyond the first (at most 4), +1 over 40 words
        words = len(re.findall(r"\w+", example.query))
        assert example.complexity == 3 + min(4, items - 1) + (words > 40)
        assert example.decompose  # two parts or more and at least 4 points: split
        assert example.domains == (TaskType.FAUST,) and example.role is Role.CODER


def test_an_opener_sentence_changes_only_what_its_length_changes():
    # a short quick fix never reaches 40 words, so an opener leaves every label as it was
    fix = next(t for t in TEMPLATES if t.name == "any-fix")
    plain, opened = {}, {}
    for seed in range(400):
        example = _render(fix, random.Random(seed))
        target = opened if example.query.split(" ", 1)[0] in {o.split(" ", 1)[0] for o in OPENERS} else plain
        target[(example.domains, example.role, example.complexity, example.steps)] = example.query
    assert opened and set(opened) <= set(plain)


def test_long_bug_reports_earn_the_investigation_point():
    report = next(t for t in TEMPLATES if t.name == "long-debug-fj")
    example = _render(report, random.Random(0))
    assert len(re.findall(r"\w+", example.query)) >= 25
    assert example.complexity >= 5 and example.decompose  # 2 + 2 (two frameworks) + 1 (long investigation)
    assert example.steps == (PlanStep.REPRODUCE, PlanStep.HYPOTHESES, PlanStep.VERIFY, PlanStep.FIX)
