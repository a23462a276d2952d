"""The spine's chat through the facade: storage before the model, streaming, failures kept."""

from __future__ import annotations

import pytest

from multi_model_system import MultiModelGLMSystem
from tests.fakes import FakeBackend
from workbench.domain import EventKind
from workbench.llm.base import BackendError


def test_a_direct_answer_streams_and_is_stored_with_the_user_message_first(make_glm, storage):
    seen_by_model = []

    def script(model, messages):
        # the user's message is already on disk when the model is called
        conversation = storage.list_conversations(storage.list_projects()[0].id)[0]
        seen_by_model.extend(m.content for m in storage.list_messages(conversation.id))
        return "Use fi.lowpass(2, 1000)."

    events = []
    glm = make_glm(FakeBackend(script, thinking="let me think", token_delay_s=0.001))
    result = glm.chat_with_model_enhanced("How do I low-pass in FAUST?", "DeepSeek-R1 (Reasoning)",
                                          use_hrm_decomposition=False, project="synth", on_event=events.append)
    assert seen_by_model[0] == "How do I low-pass in FAUST?"
    assert result.status == "complete" and result.answer == "Use fi.lowpass(2, 1000)."
    assert result.thinking.strip() == "let me think"
    assert "deepseek-r1:70b" in result.notice  # the fake has no such tag: the stand-in is named
    user, answer = glm.get_messages(result.conversation_id)
    assert (user.role, answer.role) == ("user", "assistant")
    assert answer.content == result.answer and answer.thinking == result.thinking
    assert answer.status == "complete" and answer.run_id == result.run_id and answer.model == "scripted-model"
    # the fake counts one token per word: "Use fi.lowpass(2, 1000)." is three
    assert answer.completion_tokens == result.completion_tokens == 3
    assert answer.prompt_tokens == result.prompt_tokens and answer.prompt_tokens > 0
    kinds = [e.kind for e in events]
    assert kinds[0] == EventKind.RUN_STARTED and kinds[-1] == EventKind.RUN_DONE
    assert "".join(e.text for e in events if e.kind == EventKind.TOKEN) == result.answer
    assert glm.get_run(result.run_id).status == "complete"
    assert [p.name for p in glm.list_projects()] == ["synth"]


def test_the_history_of_the_conversation_goes_with_the_next_question(make_glm):
    backend = FakeBackend("an answer")
    glm = make_glm(backend)
    first = glm.chat_with_model_enhanced("first question", use_hrm_decomposition=False)
    glm.chat_with_model_enhanced("second question", use_hrm_decomposition=False,
                                 conversation_id=first.conversation_id)
    sent = [(m.role, m.content) for m in backend.requests[-1]["messages"]]
    assert sent[1:] == [("user", "first question"), ("assistant", "an answer"), ("user", "second question")]
    assert len(glm.get_messages(first.conversation_id)) == 4


@pytest.mark.parametrize(("question", "message"), [("", "Type a question first"),
                                                    ("   \n", "Type a question first"),
                                                    ("x" * 101, "the limit is 100"),
                                                    ("a\x00b", "NUL"), ("bad \ud800 text", "not valid Unicode"),
                                                    (b"bytes", "must be text")])
def test_bad_questions_are_refused_before_anything_is_stored_or_sent(make_glm, settings, question, message):
    settings.limits.max_question_chars = 100
    backend = FakeBackend("never")
    glm = make_glm(backend)
    with pytest.raises(ValueError, match=message):
        glm.chat_with_model_enhanced(question, use_hrm_decomposition=False)
    with pytest.raises(ValueError, match=message):
        glm.start_run(question, use_hrm_decomposition=False)
    assert backend.requests == [] and glm.list_projects() == []


def test_an_error_mid_stream_keeps_the_partial_answer_and_the_error(make_glm):
    class BreaksMidStream(FakeBackend):
        def chat(self, model, messages, **kwargs):
            for i, chunk in enumerate(super().chat(model, messages, **kwargs)):
                if i == 3:
                    raise BackendError("Ollama closed the connection — is it still running?")
                yield chunk

    glm = make_glm(BreaksMidStream("one two three four five"))
    result = glm.chat_with_model_enhanced("q", use_hrm_decomposition=False)
    assert result.status == "partial" and result.answer == "one two three "
    stored = glm.get_messages(result.conversation_id)[1]
    assert (stored.status, stored.content) == ("partial", "one two three ")
    assert "closed the connection" in stored.error


def test_ollama_down_gives_a_clear_error_in_the_result(settings, storage):
    settings.llm.backend = "ollama"  # chosen, not auto: no fallback to the embedded model
    glm = MultiModelGLMSystem(settings, storage=storage, retriever=None, validator=None)
    result = glm.chat_with_model_enhanced("hello", use_hrm_decomposition=False)
    assert result.status == "error"
    assert "127.0.0.1:9" in result.error and "ollama serve" in result.error.lower()
    user, answer = glm.get_messages(result.conversation_id)
    assert user.content == "hello" and answer.status == "error" and answer.error == result.error


def test_a_background_run_streams_events_and_can_be_cancelled(make_glm):
    glm = make_glm(FakeBackend(" ".join(["tok"] * 500), token_delay_s=0.002))
    handle = glm.start_run("stream please", use_hrm_decomposition=False)
    tokens = 0
    for event in handle:
        if event.kind == EventKind.TOKEN:
            tokens += 1
            if tokens == 5:
                handle.cancel()
    result = handle.result(timeout=10)
    assert result.status == "cancelled" and 5 <= len(result.answer.split()) < 500
    stored = glm.get_messages(result.conversation_id)[1]
    assert stored.status == "partial" and stored.content == result.answer
    assert glm.get_run(result.run_id).status == "cancelled"
