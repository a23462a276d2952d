"""End to end on the real embedded SmolLM2 model: real tokens, real storage, small limits."""

from __future__ import annotations

import io

import pytest

from multi_model_system import MultiModelGLMSystem
from tests.execute.conftest import FixedDecomposer, make_plan
from tests.fakes import use_backend
from workbench.domain import EventKind, GenerationOptions, Role
from workbench.execute.synthesis import synthesize
from workbench.cli.chat import TerminalProgress
from workbench.llm.embedded import EmbeddedBackend
from workbench.storage.timeline import run_spans

SMALL = GenerationOptions(max_tokens=24, temperature=0.0, seed=1)


@pytest.fixture(scope="module")
def embedded(tmp_path_factory):
    from workbench.config import load_settings

    settings = load_settings(data_dir=tmp_path_factory.mktemp("embedded"), llm={"backend": "embedded"})
    return EmbeddedBackend(settings)


def test_a_direct_question_gets_a_real_streamed_answer(settings, storage, embedded):
    events = []
    glm = MultiModelGLMSystem(use_backend(settings, embedded), storage=storage, retriever=None,
                              validator=None, options=SMALL)
    result = glm.chat_with_model_enhanced("What is a low-pass filter?", use_hrm_decomposition=False,
                                          on_event=events.append)
    assert result.status == "complete", result.error
    tokens = [e.text for e in events if e.kind == EventKind.TOKEN]
    assert len(tokens) > 3 and "".join(tokens) == result.answer
    stored = glm.get_messages(result.conversation_id)[1]
    assert stored.content == result.answer and stored.backend == "embedded"
    assert stored.model == embedded.model_name
    # the direct answer ran as a plan of one subtask: its text is the answer, unwrapped
    [subtask] = glm.list_subtasks(result.run_id)
    assert (subtask.status, subtask.output, subtask.role) == ("complete", result.answer, "reasoning")
    assert not any(e.kind == EventKind.SYNTHESIS_STARTED for e in events)


def test_a_plan_from_the_real_decomposer_runs_on_the_real_model(settings, storage, embedded):
    from hrm_local_wrapper import HRMLocalWrapper

    glm = MultiModelGLMSystem(use_backend(settings, embedded), storage=storage, hrm=HRMLocalWrapper(settings=settings),
                              retriever=None, validator=None, options=SMALL)
    # FAUST DSP plus its JUCE host: work the router splits (one-language builds are answered directly)
    result = glm.chat_with_model_enhanced("Write a FAUST reverb and wrap it in a JUCE plugin")
    assert result.status == "complete", result.error
    assert len(result.subtasks) >= 3 and all(s.status == "complete" for s in result.subtasks)
    assert result.subtasks[0].role == "reasoning" and "coder" in {s.role for s in result.subtasks[1:]}
    assert all(s.output.strip() and s.completion_tokens for s in result.subtasks)
    assert all(s.model == embedded.model_name for s in result.subtasks)
    assert f"({result.subtasks[-1].id} — {embedded.model_name})" in result.answer
    stored = glm.list_subtasks(result.run_id)
    assert [s.output for s in stored] == [s.output for s in result.subtasks]
    planned = glm.get_run(result.run_id).decomposition["subtasks"]
    assert planned[1]["dependencies"] == [result.subtasks[0].id]  # the DSP follows the design
    # the timeline has the real analysis before the subtasks (no LLM planner on the embedded model)
    spans = run_spans(glm.get_run(result.run_id), stored)
    assert [s.kind for s in spans[:2]] == ["run", "plan"] and spans[1].name == "analysis and template plan"
    assert spans[1].end <= min(s.started_at for s in stored)
    assert sorted(s.subtask_id for s in spans if s.kind == "subtask") == sorted(s.id for s in result.subtasks)


def test_the_first_request_says_the_model_is_loading_on_stderr_and_the_next_does_not(settings, storage):
    fresh = EmbeddedBackend(settings)  # not loaded yet
    glm = MultiModelGLMSystem(use_backend(settings, fresh), storage=storage, retriever=None, validator=None,
                              options=SMALL)
    out, err = io.StringIO(), io.StringIO()
    events = []
    progress = TerminalProgress(out, err)
    result = glm.chat_with_model_enhanced("What is a comb filter?", use_hrm_decomposition=False,
                                          on_event=lambda e: (events.append(e), progress(e)))
    assert result.status == "complete", result.error
    kinds = [e.kind for e in events]
    assert EventKind.PREPARING in kinds and kinds.index(EventKind.PREPARING) < kinds.index(EventKind.TOKEN)
    assert err.getvalue().startswith(f"loading the embedded model {fresh.model_name} (")
    assert "loading" not in out.getvalue()  # stdout is the answer
    again = []
    glm.chat_with_model_enhanced("And a notch?", use_hrm_decomposition=False, on_event=again.append)
    assert EventKind.PREPARING not in [e.kind for e in again] and fresh.pending_load() is None


def test_the_overview_is_written_by_the_real_model_above_the_untouched_parts(settings, storage, embedded):
    settings.execution.synthesis_summary = "on"
    plan = make_plan("Design and code a FAUST tremolo", [("s1", Role.REASONING, []), ("s2", Role.CODER, ["s1"])])
    events = []
    glm = MultiModelGLMSystem(use_backend(settings, embedded), storage=storage, hrm=FixedDecomposer(plan),
                              retriever=None, validator=None, options=SMALL)
    result = glm.chat_with_model_enhanced(plan.query, on_event=events.append)
    assert result.status == "complete", result.error
    assert result.overview.status == "complete" and result.overview.completion_tokens, result.overview.error
    heading = f"### Overview ({embedded.model_name})\n\n"
    # the parts stay untouched under the overview (a fence the overview left open is closed between)
    assert result.answer.startswith(f"{heading}{result.overview.text.strip()}")
    assert result.answer.endswith(f"\n\n{synthesize(result.subtasks)}")
    assert "".join(e.text for e in events if e.kind == EventKind.TOKEN and e.subtask_id is None).startswith(heading)
    assert glm.get_run(result.run_id).overview["model"] == embedded.model_name
    assert glm.get_messages(result.conversation_id)[1].content == result.answer
