"""Prompts fit their budgets and keep what matters."""

from __future__ import annotations

from tests.execute.conftest import make_plan
from workbench.domain import Role, Subtask, TaskType
from workbench.execute.prompts import (
    LANGUAGE_RULES, ROLE_SYSTEM_PROMPTS, DependencyOutput, build_answer_messages, build_subtask_messages, trim_to_tokens,
)
from workbench.retrieval.entries import estimate_tokens


def test_trimming_keeps_the_beginning_and_the_end_and_says_what_was_cut():
    text = "BEGIN " + "x" * 10_000 + " END"
    trimmed = trim_to_tokens(text, 100)
    assert trimmed.startswith("BEGIN") and trimmed.endswith("END")
    assert "characters left out" in trimmed and estimate_tokens(trimmed) < 120
    assert trim_to_tokens("short", 100) == "short"


def test_a_subtask_prompt_carries_role_docs_context_and_trimmed_dependencies():
    subtask = make_plan("q", [("s2", Role.CODER, ["s1"])]).subtasks[0]
    messages = build_subtask_messages(
        subtask, question="Build a reverb", docs="[1] re.mono_freeverb — reverbs.lib:10",
        project_context="uses JUCE 7", dependencies=[DependencyOutput("Design", "m", "y" * 40_000)],
        dependency_budget_tokens=500,
    )
    assert messages[0].content.startswith(ROLE_SYSTEM_PROMPTS[Role.CODER])
    user = messages[1].content
    for part in ("Build a reverb", "re.mono_freeverb", "uses JUCE 7", 'step "Design" (m)', "Step s2"):
        assert part in user
    assert estimate_tokens(user) < 700


def test_a_direct_answer_keeps_the_newest_turns_that_fit():
    answer = make_plan("now?", [("answer", Role.MATH, [])]).subtasks[0]
    history = [("user", "old " * 400), ("assistant", "older answer"), ("user", "recent"), ("assistant", "reply")]
    messages = build_answer_messages(answer, "now?", history, max_messages=10, budget_tokens=50)
    assert messages[0].content.startswith(ROLE_SYSTEM_PROMPTS[Role.MATH])
    assert [m.content for m in messages[1:]] == ["older answer", "recent", "reply", "now?"]
    capped = build_answer_messages(answer, "now?", history, max_messages=2, budget_tokens=5000)
    assert [m.content for m in capped[1:]] == ["recent", "reply", "now?"]
    assert len(build_answer_messages(answer, "now?", history, max_messages=0)) == 2
    with_docs = build_answer_messages(answer, "now?", docs="[1] ma.PI — maths.lib:3", project_context="JUCE 7")
    assert "JUCE 7" in with_docs[0].content
    assert with_docs[-1].content == "[1] ma.PI — maths.lib:3\n\nQuestion:\nnow?"


def test_a_subtask_carries_the_rules_of_its_language():
    faust = Subtask(id="dsp", title="DSP", description="a lowpass", task_type=TaskType.FAUST, role=Role.CODER)
    systems = {kind: build_subtask_messages(faust.model_copy(update={"task_type": kind}), question="q")[0].content
               for kind in (TaskType.FAUST, TaskType.JUCE, TaskType.FAUST_JUCE, TaskType.MATH)}
    assert systems[TaskType.FAUST] == f"{ROLE_SYSTEM_PROMPTS[Role.CODER]} {LANGUAGE_RULES[TaskType.FAUST]}"
    assert "import(\"stdfaust.lib\")" not in systems[TaskType.JUCE] and "override" in systems[TaskType.JUCE]
    assert "stdfaust" in systems[TaskType.FAUST_JUCE] and "JuceHeader" in systems[TaskType.FAUST_JUCE]
    assert systems[TaskType.MATH] == ROLE_SYSTEM_PROMPTS[Role.CODER]
