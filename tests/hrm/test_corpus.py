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
    # a bug report is a diagnosis for the reasoning model, answered directly however long it is
    domains, role, complexity, steps = label("debug", "juce", words=8)
    assert domains == (TaskType.DEBUGGING, TaskType.JUCE) and role is Role.REASONING
    assert steps == (PlanStep.ANSWER,) and complexity == 4  # a one-line report
    assert label("debug", "juce", words=60)[2:] == (5, (PlanStep.ANSWER,))
    assert label("debug", "faust_juce", words=60)[3] == (PlanStep.ANSWER,)
    assert label("chat", "none")[0] == (TaskType.GENERAL,)
    # one artifact in one language is direct however many parts it lists
    _, role, harder, direct = label("build", "juce", add_steps=(PlanStep.GUI,), parts=4)
    assert role is Role.CODER and harder == 5 and direct == (PlanStep.ANSWER,)
    assert label("build", "juce", parts=1)[2:] == (4, (PlanStep.ANSWER,))
    # a build across FAUST and JUCE is a system: split, 7 and up
    domains, _, system, steps = label("build", "faust_juce", add_steps=(PlanStep.GUI,), parts=3, scope=1)
    assert domains == (TaskType.FAUST, TaskType.JUCE) and system == 9
    assert steps[:2] == (PlanStep.SYSTEM_DESIGN, PlanStep.FAUST_DSP) and PlanStep.GUI in steps


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


def test_an_enumeration_is_still_one_artifact():
    rng = random.Random(3)
    strip = next(t for t in TEMPLATES if t.name == "faust-strip")
    for _ in range(30):
        example = _render(strip, rng)
        listed = example.query.split(" with ", 1)[1]
        items = listed.count(",") + listed.count(" and ") + 1
        # one FAUST program: the artifact's 4, +1 for four parts or more, never split
        assert example.complexity == 4 + (items >= 4)
        assert not example.decompose
        assert example.domains == (TaskType.FAUST,) and example.role is Role.CODER


def test_an_opener_sentence_changes_only_what_its_length_changes():
    # an opener can lift a one-line quick fix over 15 words (one point), nothing else
    fix = next(t for t in TEMPLATES if t.name == "any-fix")
    plain, opened = {}, {}
    for seed in range(400):
        example = _render(fix, random.Random(seed))
        target = opened if example.query.split(" ", 1)[0] in {o.split(" ", 1)[0] for o in OPENERS} else plain
        target[(example.domains, example.role, example.steps)] = example.complexity
    assert opened and set(opened) <= set(plain)
    assert all(abs(opened[key] - plain[key]) <= 1 for key in opened)


def test_long_bug_reports_are_one_diagnosis():
    report = next(t for t in TEMPLATES if t.name == "long-debug-fj")
    example = _render(report, random.Random(0))
    assert len(re.findall(r"\w+", example.query)) >= 25
    assert (example.role, example.complexity, example.steps) == (Role.REASONING, 5, (PlanStep.ANSWER,))
