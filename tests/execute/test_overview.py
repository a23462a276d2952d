"""The reasoning model's overview above a decomposed answer: on top, parts untouched, and
never at the cost of the assembled answer (failure, stall, Stop)."""

from __future__ import annotations

import json
import threading
import time

from tests.execute.conftest import DIAMOND, StallingBackend, make_plan
from tests.fakes import FakeBackend
from workbench.domain import EventKind, Role, SubtaskResult
from workbench.execute.caller import ModelCaller
from workbench.execute.events import EventEmitter
from workbench.execute.prompts import OVERVIEW_SYSTEM_PROMPT, build_overview_messages
from workbench.execute.slots import BackendSlots
from workbench.execute.synthesis import synthesize, write_overview
from workbench.llm.base import BackendError
from workbench.ui.live_run import LiveRun

TAGS = ["deepseek-r1:70b", "qwen2.5-coder:32b", "qwen2.5:32b"]
CODE = "```faust\nimport(\"stdfaust.lib\");\nprocess = fi.lowpass(2, 1000) : *(0.5);\n```"
SUMMARY = "First read the design in Step s1, then use the code of Step s2 with the cutoff from Step s3."
TWO = [("s1", Role.REASONING, []), ("s2", Role.CODER, ["s1"])]


def is_overview(messages) -> bool:
    return messages[0].content == OVERVIEW_SYSTEM_PROMPT


def scripted(model, messages) -> str:
    if is_overview(messages):
        return SUMMARY
    text = messages[-1].content
    return CODE if "Step s2:" in text else f"Output of {text.rsplit('Step ', 1)[-1][:2]}  with  spacing \n"


def overview_requests(backend) -> list[dict]:
    return [r for r in backend.requests if is_overview(r["messages"])]


def answer_tokens(events) -> str:
    return "".join(e.text for e in events if e.kind == EventKind.TOKEN and e.subtask_id is None)


def test_the_overview_opens_the_answer_and_the_parts_follow_byte_for_byte(make_glm):
    events = []
    backend = FakeBackend(scripted, models=TAGS, thinking="weighing the parts")
    glm = make_glm(backend, make_plan("Build a filter", DIAMOND))
    result = glm.chat_with_model_enhanced("Build a filter", on_event=events.append)
    assert result.status == "complete" and result.error is None
    assembled = synthesize(result.subtasks)
    assert result.answer == f"### Overview (deepseek-r1:70b)\n\n{SUMMARY}\n\n{assembled}"
    assert CODE in result.answer and "Output of s3  with  spacing" in result.answer
    [request] = overview_requests(backend)
    assert request["model"] == "deepseek-r1:70b" and request["think"] is True
    assert result.overview.model == "deepseek-r1:70b" and result.overview.status == "complete"
    # thinking goes to the thinking box, never into the answer
    assert "weighing" not in result.answer and "[overview — deepseek-r1:70b]\nweighing the parts" in result.thinking
    # the overview streamed live; the live answer ends up exactly as stored
    first_token = next(e for e in events if e.kind == EventKind.TOKEN and e.subtask_id is None)
    assert first_token.text.startswith("### Overview (deepseek-r1:70b)\n\n") and first_token.text != result.answer
    live = LiveRun(question="Build a filter", handle=None, project_id=1)
    for event in events:
        live.absorb(event)
    assert live.answer == answer_tokens(events) == result.answer
    assert "weighing" in live.thinking and "weighing" not in live.answer
    stored = glm.get_messages(result.conversation_id)[1]
    assert stored.content == result.answer and stored.status == "complete"
    overview = glm.get_run(result.run_id).overview
    assert overview["model"] == "deepseek-r1:70b" and overview["status"] == "complete"
    assert overview["duration_ms"] > 0 and "text" not in overview


def test_a_code_fence_the_overview_leaves_open_cannot_swallow_the_parts(make_glm):
    def opens_a_fence(model, messages):
        return "Use the parts in order.\n```faust\nprocess = _;" if is_overview(messages) else scripted(model, messages)

    result = make_glm(FakeBackend(opens_a_fence, models=TAGS), make_plan("q", TWO)).chat_with_model_enhanced("q")
    overview, parts = result.answer.split("\n\n### Step s1", 1)
    assert overview.endswith("process = _;\n```") and "### Step s1" + parts == synthesize(result.subtasks)


def test_the_overview_prompt_names_each_part_and_shares_one_budget():
    long = "x" * 40_000
    results = [
        SubtaskResult(id="s1", title="Design", role="reasoning", model="r1", status="complete", output=long),
        SubtaskResult(id="s2", title="Code", role="coder", model="coder", status="complete", output=CODE),
        SubtaskResult(id="s3", title="Math", role="math", model="m", status="failed", error="model crashed"),
    ]
    system, user = build_overview_messages("Build a filter", results, budget_tokens=1000)
    assert system.content == OVERVIEW_SYSTEM_PROMPT and "no code" in system.content.lower()
    assert 'Part 1 — "Design" (s1, model r1), complete:' in user.content
    assert 'Part 2 — "Code" (s2, model coder), complete:\n' + CODE in user.content
    assert 'Part 3 — "Math" (s3, model m), failed: model crashed' in user.content
    assert "characters left out" in user.content and len(user.content) < 3_000


def test_the_export_names_the_overviews_model(make_glm):
    glm = make_glm(FakeBackend(scripted, models=TAGS), make_plan("Build a filter", TWO))
    result = glm.chat_with_model_enhanced("Build a filter", project="alpha")
    exported = json.loads(glm.export_run(result.run_id, "json"))
    assert exported["run"]["overview"]["model"] == "deepseek-r1:70b"
    assert "Overview: deepseek-r1:70b · complete · " in glm.export_run(result.run_id, "markdown")
    copy = glm.import_run(glm.export_run(result.run_id, "json"), project="beta")
    assert glm.get_run(copy).overview == glm.get_run(result.run_id).overview


def test_off_and_auto_on_the_embedded_backend_keep_the_assembled_answer_alone(make_glm, settings):
    for mode, name in (("off", "scripted"), ("auto", "embedded")):
        settings.execution.synthesis_summary = mode
        backend = FakeBackend(scripted, models=TAGS, name=name)
        result = make_glm(backend, make_plan("q", TWO)).chat_with_model_enhanced("q")
        assert result.answer == synthesize(result.subtasks) and result.overview is None
        assert overview_requests(backend) == [] and len(backend.requests) == 2


def test_one_finished_part_needs_no_overview(make_glm, settings):
    settings.execution.retry_backoff_s = 0.0
    settings.execution.synthesis_summary = "on"
    fail = lambda m, msgs: BackendError("model crashed") if "Step s1:" in msgs[-1].content else None  # noqa: E731
    backend = FakeBackend(scripted, models=TAGS, fail_when=fail)
    result = make_glm(backend, make_plan("q", [("s1", Role.MATH, []), ("s2", Role.CODER, [])]))\
        .chat_with_model_enhanced("q")
    assert result.status == "partial" and result.overview is None and overview_requests(backend) == []


def test_a_failed_part_is_named_to_the_overview_and_the_run_stays_partial(make_glm, settings):
    settings.execution.retry_backoff_s = 0.0
    fail = lambda m, msgs: BackendError("model crashed") if "Step s3:" in msgs[-1].content else None  # noqa: E731
    backend = FakeBackend(scripted, models=TAGS, fail_when=fail)
    plan = make_plan("q", [("s1", Role.REASONING, []), ("s2", Role.CODER, []), ("s3", Role.MATH, [])])
    result = make_glm(backend, plan).chat_with_model_enhanced("q")
    assert result.status == "partial" and "s3 failed (model crashed)" in result.error
    [request] = overview_requests(backend)
    assert '"Step s3" (s3, model qwen2.5:32b), failed: model crashed' in request["messages"][-1].content
    assert result.answer.startswith("### Overview (deepseek-r1:70b)") and "### Not answered" in result.answer


def test_a_failing_overview_keeps_the_assembled_answer_with_a_note(make_glm):
    fail = lambda m, msgs: BackendError("the reasoning model crashed") if is_overview(msgs) else None  # noqa: E731
    events = []
    glm = make_glm(FakeBackend(scripted, models=TAGS, fail_when=fail), make_plan("q", DIAMOND))
    result = glm.chat_with_model_enhanced("q", on_event=events.append)
    assembled = synthesize(result.subtasks)
    assert result.status == "complete" and result.error is None
    assert result.answer == f"> No overview: the reasoning model crashed.\n\n{assembled}"
    assert answer_tokens(events) == result.answer
    run = glm.get_run(result.run_id)
    assert run.status == "complete" and run.overview["status"] == "failed"
    assert run.overview["error"] == "the reasoning model crashed"
    assert "Overview: deepseek-r1:70b · failed" in glm.export_run(result.run_id, "markdown")


def test_a_missing_reasoning_model_falls_back_like_the_subtasks_do(make_glm):
    backend = FakeBackend(scripted, models=["qwen2.5-coder:32b"])
    result = make_glm(backend, make_plan("q", TWO)).chat_with_model_enhanced("q")
    [request] = overview_requests(backend)
    assert request["model"] == "qwen2.5-coder:32b" and result.subtasks[0].model == "qwen2.5-coder:32b"
    assert result.answer.startswith("### Overview (qwen2.5-coder:32b)\n\n")


def test_a_stalled_overview_times_out_and_keeps_the_assembled_answer(make_glm, settings):
    settings.execution.subtask_timeout_s = 0.5
    backend = StallingBackend(scripted, models=TAGS, stall_when=lambda _m, msgs: is_overview(msgs))
    try:
        started = time.perf_counter()
        result = make_glm(backend, make_plan("q", TWO)).chat_with_model_enhanced("q")
        assert time.perf_counter() - started < 5
    finally:
        backend.release.set()
    assert result.status == "complete" and result.overview.status == "failed"
    assert result.answer.startswith("> No overview: deepseek-r1:70b on scripted took longer than 0.5 s")
    assert result.answer.endswith(synthesize(result.subtasks))


def test_stop_during_the_overview_keeps_the_parts_and_says_why(make_glm):
    backend = StallingBackend(scripted, models=TAGS, stall_when=lambda _m, msgs: is_overview(msgs))
    cancel = threading.Event()
    timers = []

    def stop_soon(event):
        if event.kind == EventKind.SYNTHESIS_STARTED:
            timers.append(threading.Timer(0.3, cancel.set))
            timers[0].start()

    try:
        result = make_glm(backend, make_plan("q", TWO)).chat_with_model_enhanced("q", on_event=stop_soon,
                                                                                 cancel=cancel)
    finally:
        backend.release.set()
        for timer in timers:
            timer.join()
    assert backend.closed.wait(2)  # the overview's stream was given up and closed
    # every part had finished: Stop cost only the overview, the run is not an error
    assert result.status == "complete" and result.overview.status == "cancelled"
    assert result.answer == f"> No overview: stopped by the user.\n\n{synthesize(result.subtasks)}"


def test_stop_during_the_subtasks_skips_the_overview_and_stays_cancelled(make_glm):
    cancel = threading.Event()
    backend = FakeBackend(scripted, models=TAGS, token_delay_s=0.01)
    plan = make_plan("q", [("s1", Role.REASONING, []), ("s2", Role.CODER, []), ("s3", Role.MATH, ["s2"])])

    def stop_after_two(event):
        if event.kind == EventKind.SUBTASK_DONE and event.subtask_id == "s2":
            cancel.set()

    result = make_glm(backend, plan).chat_with_model_enhanced("q", on_event=stop_after_two, cancel=cancel)
    assert result.status == "cancelled" and result.overview is None and overview_requests(backend) == []
    assert result.answer == synthesize(result.subtasks)


def test_the_overview_waits_for_a_free_backend_slot_and_stop_ends_the_wait(settings):
    backend = FakeBackend(SUMMARY)
    results = [SubtaskResult(id=i, title=f"Step {i}", role="coder", status="complete", output="x", model="m")
               for i in ("s1", "s2")]
    slots = BackendSlots(per_backend=1)
    busy = slots.for_backend(backend.name)
    busy.acquire()  # another run's subtask holds the only slot

    def overview(cancel: threading.Event):
        return write_overview("q", results, ModelCaller(settings, backend, slots, cancel=cancel), settings,
                              EventEmitter("r", []))

    cancel = threading.Event()
    threading.Timer(0.3, cancel.set).start()
    stopped = overview(cancel)
    assert stopped.status == "cancelled" and not backend.requests  # it never reached the backend

    threading.Timer(0.3, busy.release).start()
    started = time.perf_counter()
    done = overview(threading.Event())
    assert done.status == "complete" and done.text == SUMMARY and time.perf_counter() - started >= 0.3
