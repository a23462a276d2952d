"""A direct answer is a plan of one subtask: the same retrieval, role prompt, project context,
validation and repair as a decomposed one, streamed and saved as the answer itself."""

from __future__ import annotations

from tests.execute.conftest import make_plan
from tests.fakes import FakeBackend
from workbench.domain import DocSource, EventKind, PlanMade, Role, Subtask, TaskType
from workbench.execute.hooks import CodeValidator
from workbench.execute.prompts import LANGUAGE_RULES, ROLE_SYSTEM_PROMPTS
from workbench.retrieval.entries import Passage

BROKEN = '```faust\nimport("stdfaust.lib");\nprocess = os.oscx(440) * 0.1;\n```'
FIXED = '```faust\nimport("stdfaust.lib");\nprocess = os.osc(440) * 0.1;\n```'
STILL_BROKEN = '```faust\nprocess = nosuchthing;\n```'


class OnePassage:
    """A retriever with one FAUST passage, recording what it was asked for."""

    def __init__(self) -> None:
        self.asked: list[Subtask] = []

    def context_for(self, subtask: Subtask, budget_tokens: int | None = None, *,
                    examples: bool = True) -> list[Passage]:
        self.asked.append(subtask)
        return [Passage(id="os.osc", source=DocSource.FAUST_LIBRARIES, kind="function", title="os.osc",
                        location="oscillators.lib:1", path="/usr/share/faust/oscillators.lib", line=1,
                        text="os.osc(freq): a sine oscillator")]


def test_a_direct_answer_gets_docs_role_prompt_context_validation_and_repair(make_glm, settings):
    settings.validation.render_seconds = 0.0
    backend = FakeBackend(lambda model, msgs: FIXED if "failed when checked" in msgs[-1].content else BROKEN)
    retriever = OnePassage()
    glm = make_glm(backend, retriever=retriever, validator=CodeValidator(settings))
    events = []
    result = glm.chat_with_model_enhanced("Write a FAUST sine at 440 Hz", "Qwen2.5-Coder (Implementation)",
                                          use_hrm_decomposition=False, context="target: mac_vst",
                                          on_event=events.append)

    assert result.status == "complete", result.error
    assert [s.description for s in retriever.asked] == ["Write a FAUST sine at 440 Hz"]
    system, *_, user = backend.requests[0]["messages"]
    assert system.content.startswith(ROLE_SYSTEM_PROMPTS[Role.CODER]) and "target: mac_vst" in system.content
    assert LANGUAGE_RULES[TaskType.FAUST] in system.content  # a FAUST question, decomposition off or not
    assert retriever.asked[0].task_type == TaskType.FAUST
    assert "os.osc(freq): a sine oscillator" in user.content and user.content.endswith("Write a FAUST sine at 440 Hz")
    # the repair continues the conversation, which carries the retrieved docs once
    *conversation, repair = backend.requests[1]["messages"]
    assert conversation[1].content == user.content and "os.osc(freq): a sine oscillator" not in repair.content
    # the broken block was compiled, repaired, and the repaired code is the answer (no synthesis
    # wrapper), with what was checked and the documentation it stood on under it
    answer_text, check_line, sources_line = result.answer.split("\n\n")
    assert answer_text == FIXED and result.sources == ["os.osc — oscillators.lib:1"]
    assert check_line.startswith("> Checked (faust) (after 1 repair round): compiled")
    assert sources_line == "Sources: os.osc — oscillators.lib:1"
    assert not any(e.kind == EventKind.SYNTHESIS_STARTED for e in events)
    [stored] = glm.list_subtasks(result.run_id)
    assert stored.status == "complete" and stored.output == FIXED
    assert [(a["kind"], a["ok"]) for a in stored.attempts if a["kind"] != "generation"] == [
        ("validation", False), ("repair", True)]


def test_a_block_that_stays_broken_is_noted_under_the_answer(make_glm, settings):
    settings.validation.render_seconds = 0.0
    settings.validation.repair_rounds = 0
    glm = make_glm(FakeBackend(STILL_BROKEN), validator=CodeValidator(settings))
    result = glm.chat_with_model_enhanced("Write FAUST", use_hrm_decomposition=False)
    assert result.answer.startswith(STILL_BROKEN)
    assert result.answer.splitlines()[-1].startswith("> Code check failed (faust): failed")


def test_a_direct_answer_is_saved_while_it_streams_and_has_no_progress_lines(make_glm, settings, storage):
    settings.execution.store_interval_s = 0
    glm = make_glm(FakeBackend("one two three four five"))
    events, saved = [], []

    def on_event(event):
        events.append(event)
        if event.kind == EventKind.TOKEN and len(saved) < 1 and "three" in event.text:
            [_, answer] = storage.list_messages(event_conversation(events))
            saved.append((answer.status, answer.content))

    result = glm.chat_with_model_enhanced("hello", use_hrm_decomposition=False, on_event=on_event)
    assert saved == [("streaming", "one two three ")]
    assert result.answer == "one two three four five"
    assert all(e.subtask_id is None for e in events if e.kind == EventKind.TOKEN)
    assert [e.data.is_answer for e in events if e.kind in (EventKind.SUBTASK_STARTED, EventKind.SUBTASK_DONE)] == [
        True, True]


def event_conversation(events) -> int:
    return next(e.data.conversation_id for e in events if e.kind == EventKind.RUN_STARTED)


def test_the_template_plan_is_shown_before_any_model_is_called(make_glm, settings):
    settings.execution.llm_planner = "on"
    backend = FakeBackend("not a plan")
    plans = []
    plan = make_plan("Build a reverb", [("s1", Role.REASONING, []), ("s2", Role.CODER, ["s1"])], complexity=9)

    def on_event(event):
        if isinstance(event.data, PlanMade):
            plans.append((event.data.refining, len(backend.requests), event.data.decomposition))

    glm = make_glm(backend, plan)
    result = glm.chat_with_model_enhanced("Build a reverb", on_event=on_event)
    assert result.status == "complete"
    (refining, calls_before, template), (final_refining, calls_after, final) = plans
    assert refining and calls_before == 0 and template["planner_fallback_reason"] is None
    assert not final_refining and calls_after == 1  # the planner's one call came in between
    assert final["planner_fallback_reason"].startswith("the planner's answer was not valid JSON")
    assert glm.get_run(result.run_id).decomposition == final


def test_the_planner_is_skipped_on_the_embedded_backend_by_default(make_glm):
    backend = FakeBackend("part", name="embedded")
    plan = make_plan("Build a reverb", [("s1", Role.REASONING, []), ("s2", Role.CODER, ["s1"])], complexity=9)
    events = []
    result = make_glm(backend, plan).chat_with_model_enhanced("Build a reverb", on_event=events.append)
    assert result.status == "complete"
    assert [e.data.refining for e in events if e.kind == EventKind.PLAN] == [False]
    assert all(r["json_schema"] is None for r in backend.requests)


def test_a_repair_without_progress_asks_the_model_afresh_at_the_resample_temperature(make_glm, settings):
    settings.validation.render_seconds = 0.0
    settings.validation.repair_rounds, settings.validation.resamples = 1, 2
    fresh_ones = iter([STILL_BROKEN, FIXED])

    def reply(model, msgs):
        if "failed when checked" in msgs[-1].content:
            return "I cannot see the problem."
        return BROKEN if len(backend.requests) == 1 else next(fresh_ones)

    backend = FakeBackend(reply)
    glm = make_glm(backend, validator=CodeValidator(settings))
    result = glm.chat_with_model_enhanced("Write a FAUST sine at 440 Hz", "Qwen2.5-Coder (Implementation)",
                                          use_hrm_decomposition=False)
    first, repair, *fresh = backend.requests
    assert [r["messages"] for r in fresh] == [first["messages"]] * 2  # the request itself, asked again
    assert [(r["options"].temperature, r["options"].seed) for r in fresh] == [(0.7, 1), (0.7, 2)]
    assert result.answer.startswith(FIXED)
    assert "> Checked (faust) (a fresh answer, after 3 repair rounds): compiled" in result.answer
    [stored] = glm.list_subtasks(result.run_id)
    assert [(a["round"], a["resampled"], a["best"]) for a in stored.attempts if a["kind"] == "repair"] == [
        (1, None, None), (2, True, None), (3, True, True)]
