"""The chat page through Streamlit's AppTest, on a scripted backend and a real database."""

from __future__ import annotations

from collections.abc import Iterator

from streamlit.testing.v1 import AppTest

from multi_model_system import MultiModelGLMSystem
from tests.fakes import FakeBackend
from tests.ui.conftest import APP
from tests.ui.plans import FixedPlanner, plan_column
from workbench.domain import ChatChunk
from workbench.llm.base import BackendUnavailable
from workbench.ui import session
from workbench.ui.live_run import LiveRun

TIMEOUT = 30
ANSWER = "A **lowpass** is `fi.lowpass(2, 1000)`."


def ask(at: AppTest, question: str) -> AppTest:
    at.chat_input[0].set_value(question)
    return at.run(timeout=TIMEOUT)


def open_page(decompose: bool = False, **query: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params.update(query)
    at.run()
    at.toggle(key="decompose").set_value(decompose)
    return at.run()


def texts(element) -> str:
    return " ".join(md.value for md in element.markdown)


def only_conversation(glm):
    (conversation,) = glm.list_conversations(glm.list_projects()[0].id)
    return conversation


def test_question_streams_an_answer_that_is_stored(glm):
    at = ask(open_page(), "What is a lowpass in FAUST?")

    assert not at.exception
    assert [m.name for m in at.chat_message] == ["user", "assistant"]
    assert ANSWER in texts(at.chat_message[1])
    conversation = only_conversation(glm)
    stored = glm.get_messages(conversation.id)
    assert [(m.role, m.status) for m in stored] == [("user", "complete"), ("assistant", "complete")]
    assert stored[1].content == ANSWER
    assert at.query_params["conversation"] == str(conversation.id)


def test_thinking_is_in_a_collapsed_expander_and_not_in_the_answer(glm):
    at = ask(open_page(), "Design a lowpass")

    answer = at.chat_message[1]
    (thinking,) = [e for e in answer.expander if e.label == "Thinking"]
    assert "the user wants a filter" in texts(thinking)
    assert not thinking.proto.expanded
    outside = [md.value for md in answer.markdown if md not in thinking.markdown]
    assert ANSWER in outside and not any("the user wants" in text for text in outside)
    assert glm.get_messages(only_conversation(glm).id)[1].thinking.strip() == "the user wants a filter"


def test_reopening_the_page_shows_the_history_again(glm):
    ask(open_page(), "First question")
    conversation = only_conversation(glm)

    again = open_page(project="default", conversation=str(conversation.id))

    assert [m.name for m in again.chat_message] == ["user", "assistant"]
    assert "First question" in texts(again.chat_message[0])
    assert ANSWER in texts(again.chat_message[1])


def test_a_second_question_continues_the_same_conversation(glm, backend):
    at = ask(open_page(), "First question")
    at = ask(at, "Second question")

    assert [m.name for m in at.chat_message] == ["user", "assistant", "user", "assistant"]
    assert len(glm.get_messages(only_conversation(glm).id)) == 4
    history = [m.content for m in backend.requests[-1]["messages"]]
    assert any("First question" in text for text in history)


def test_an_empty_question_is_ignored_with_a_hint(glm, backend):
    at = ask(open_page(), "   ")

    assert not at.chat_message
    assert "Type a question first" in at.info[0].value
    assert backend.requests == []
    assert glm.list_conversations(glm.list_projects()[0].id) == []


def test_a_question_over_the_limit_is_refused_naming_it(glm, backend):
    limit = glm.settings.limits.max_question_chars
    at = ask(open_page(), "x" * (limit + 1))

    assert f"{limit:,}" in at.error[0].value
    assert backend.requests == [] and not at.chat_message


class CutOffBackend(FakeBackend):
    """Streams the first words, then the server goes away."""

    def chat(self, model, messages, **kwargs) -> Iterator[ChatChunk]:
        for number, chunk in enumerate(super().chat(model, messages, **kwargs)):
            if number == 3:
                raise BackendUnavailable("Ollama is not reachable at http://127.0.0.1:9 — start it with 'ollama serve'")
            yield chunk


def test_backend_down_mid_stream_keeps_question_and_partial_answer(monkeypatch, build_glm):
    system = build_glm(CutOffBackend("one two three four five six"))
    monkeypatch.setattr(session, "facade_factory", lambda: system)
    session.get_system.clear()

    at = ask(open_page(), "Count for me")

    banner = at.error[0].value
    assert "cut off" in banner and "not reachable" in banner
    user, assistant = system.get_messages(only_conversation(system).id)
    assert user.content == "Count for me"
    assert assistant.status == "partial" and assistant.content == "one two three "
    assert "one two three" in texts(at.chat_message[1])


def test_backend_down_at_start_says_so_and_names_the_way_out(monkeypatch, build_glm):
    down = FakeBackend(fail_when=lambda *_: BackendUnavailable("Ollama is not reachable at http://127.0.0.1:9"))
    system = build_glm(down)
    monkeypatch.setattr(session, "facade_factory", lambda: system)
    session.get_system.clear()

    at = ask(open_page(), "Hello?")

    assert "not reachable" in at.error[0].value and "embedded" in at.error[0].value
    assert [m.role for m in system.get_messages(only_conversation(system).id)] == ["user", "assistant"]


def test_thumbs_and_routing_feedback_are_stored(glm):
    at = ask(open_page(), "Which filter?")
    message_id = glm.get_messages(only_conversation(glm).id)[1].id

    at.feedback(key=f"thumbs-{message_id}").set_value(0).run()
    at.button(key=f"routing-button-{message_id}").click().run()
    [s for s in at.selectbox if s.label == "Should have gone to"][0].set_value("coder")
    [r for r in at.radio if r.label == "Splitting"][0].set_value("should have been split")
    [b for b in at.button if b.label == "Send"][0].click()
    at.run()

    verdicts = [(f.message_id, f.rating, f.correct_role, f.should_split) for f in glm.storage.list_feedback()]
    assert verdicts == [(message_id, -1, None, None), (message_id, 0, "coder", True)]


def test_sidebar_names_the_active_backend(glm):
    at = open_page()

    assert any("Active backend: **scripted**" in md.value for md in at.sidebar.markdown)
    assert [o for o in at.selectbox(key="model_name").options] == list(glm.models)


def test_a_decomposed_question_shows_plan_subtasks_and_attributed_answer(monkeypatch, build_glm, backend):
    system = build_glm(backend, hrm=FixedPlanner())
    monkeypatch.setattr(session, "facade_factory", lambda: system)
    session.get_system.clear()

    at = ask(open_page(decompose=True), "Build a guitar effect")

    assert not at.exception
    answer = at.chat_message[1]
    labels = [e.label for e in answer.expander]
    assert labels[0] == "Plan · 3 subtasks"
    assert [label for label in labels if label.startswith("s")] == [
        "s1 · Design the distortion — scripted-model (complete)", "s2 · Sketch the GUI — scripted-model (complete)",
        "s3 · Integrate — scripted-model (complete)"]
    stored = system.get_messages(only_conversation(system).id)[1]
    assert "scripted-model" in stored.content and stored.content in [md.value for md in answer.markdown]
    # the stored plan is drawn once its expander is opened, not on every rerun of the page
    assert not [md for md in answer.markdown if md.value.startswith("| id |")] and not at.get("plotly_chart")
    at.session_state[f"plan-open-{stored.id}"] = True
    answer = at.run().chat_message[1]
    assert plan_column([md.value for md in answer.markdown], "depends on") == ["—", "—", "s1, s2"]
    assert len(at.get("plotly_chart")) == 1  # the DAG


def show_live_run(live_run):
    """The live view alone, drawn from a finished run's events (no rerun afterwards)."""
    from workbench.ui.chat_view import stream_live_run
    from workbench.ui.session import get_system

    stream_live_run(get_system(), live_run, on_started=lambda run: None)


def test_while_running_each_subtask_has_a_status_with_its_output(monkeypatch, build_glm, backend):
    system = build_glm(backend, hrm=FixedPlanner())
    monkeypatch.setattr(session, "facade_factory", lambda: system)
    session.get_system.clear()
    handle = system.start_run("Build a guitar effect", use_hrm_decomposition=True)
    handle.result(timeout=TIMEOUT)
    live = LiveRun("Build a guitar effect", handle, project_id=1)

    at = AppTest.from_function(show_live_run, args=(live,), default_timeout=TIMEOUT).run()

    assert not at.exception
    statuses = at.status
    assert [s.label for s in statuses] == [
        "s1 · Design the distortion — scripted-model (complete)", "s2 · Sketch the GUI — scripted-model (complete)",
        "s3 · Integrate — scripted-model (complete)"]
    assert all(s.state == "complete" for s in statuses)
    assert ANSWER in texts(statuses[0])
    assert plan_column([md.value for md in at.markdown], "phase") == ["1", "1", "2"]
    assert live.answer and live.answer in texts(at.chat_message[1])


def test_without_ollama_the_sidebar_says_the_embedded_model_answers(monkeypatch, settings):
    settings.llm.backend = "auto"  # the real choice: probe Ollama (nobody listens), fall back
    system = MultiModelGLMSystem(settings)
    monkeypatch.setattr(session, "facade_factory", lambda: system)
    session.get_system.clear()

    at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()

    assert any("Active backend: **embedded**" in md.value for md in at.sidebar.markdown)
    (notice,) = at.sidebar.info
    assert "Ollama is not reachable at http://127.0.0.1:9" in notice.value and "embedded" in notice.value
    assert at.selectbox(key="backend_choice").value == "auto"


def test_switching_to_an_unusable_backend_says_why_and_keeps_the_old_one(glm):
    at = open_page()
    at.selectbox(key="backend_choice").set_value("openai").run()

    assert "Cannot switch to openai" in at.sidebar.error[0].value
    assert any("Active backend: **scripted**" in md.value for md in at.sidebar.markdown)


def test_sidebar_switches_conversations_and_creates_projects(glm):
    first = glm.chat_with_model_enhanced("First topic", use_hrm_decomposition=False)
    glm.chat_with_model_enhanced("Second topic", use_hrm_decomposition=False)

    at = open_page()
    assert not at.chat_message  # no conversation chosen: a fresh one
    at.sidebar.button(key=f"conversation-{first.conversation_id}").click().run()
    assert at.query_params["conversation"] == str(first.conversation_id)
    assert "First topic" in texts(at.chat_message[0])

    [b for b in at.sidebar.button if b.label == "New conversation"][0].click().run()
    assert not at.chat_message and "conversation" not in at.query_params

    [t for t in at.sidebar.text_input if t.label == "Name of the new project"][0].set_value("delays")
    [b for b in at.sidebar.button if b.label == "Create"][0].click().run()
    assert at.query_params["project"] == "delays"
    assert at.sidebar.selectbox[0].value == "delays"
    assert {p.name for p in glm.list_projects()} == {"default", "delays"}


class Replayed:
    """A finished run's handle that hands out its events one per poll, as they would arrive."""

    def __init__(self, events) -> None:
        self.pending, self.done = list(events), True

    def drain(self):
        return [self.pending.pop(0)] if self.pending else []


def test_the_template_plan_shows_at_once_and_the_refined_plan_replaces_it():
    from workbench.domain import EventKind, PlanMade, Role, RunEvent
    from workbench.execute.scripted_plans import make_plan

    template = make_plan("q", [("s1", Role.REASONING, []), ("s2", Role.CODER, ["s1"])])
    refined = make_plan("q", [("a", Role.MATH, []), ("b", Role.CODER, []), ("c", Role.CODER, ["a", "b"])])
    live = LiveRun("q", Replayed([
        RunEvent(kind=EventKind.PLAN, run_id="r", data=PlanMade(
            decomposition=template.model_dump(mode="json"), phases=[["s1"], ["s2"]], refining=True)),
        RunEvent(kind=EventKind.PLAN, run_id="r", data=PlanMade(
            decomposition=refined.model_dump(mode="json"), phases=[["a", "b"], ["c"]])),
    ]), project_id=1)

    at = AppTest.from_function(show_live_run, args=(live,), default_timeout=TIMEOUT).run()

    assert not at.exception
    assert plan_column([md.value for md in at.markdown], "id") == ["a", "b", "c"]
