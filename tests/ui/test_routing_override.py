"""The user overrules the router on the chat page, and each choice is stored as routing
feedback (AppTest on a scripted backend and a real database; the rules route)."""

from __future__ import annotations

from tests.ui.test_chat_page import ask, only_conversation, open_page
from workbench.ui.routing_override import CHOICE_KEY, SPLIT


def _verdicts(glm) -> list[tuple[int, bool | None, str]]:
    return [(f.message_id, f.should_split, f.note) for f in glm.storage.list_feedback()]


def _subtasks(glm, message) -> int:
    """How many subtasks answered it: 1 for a direct answer (planned or with no plan at all)."""
    decomposition = glm.get_run(message.run_id).decomposition
    return len(decomposition["subtasks"]) if decomposition else 1


def test_split_it_and_answer_directly_under_an_answer_rerun_it_and_store_the_verdict(glm):
    at = ask(open_page(decompose=True), "Which filter should I use for a guitar tone stack?")
    first = glm.get_messages(only_conversation(glm).id)[1]
    assert _subtasks(glm, first) == 1  # the rules answer it directly

    at.button(key=f"rerun-split-{first.id}").click().run(timeout=60)
    assert not at.exception
    messages = glm.get_messages(only_conversation(glm).id)
    assert [m.role for m in messages] == ["user", "assistant"] * 2
    assert messages[2].content == messages[0].content and _subtasks(glm, messages[3]) > 1
    assert _verdicts(glm) == [(first.id, True, "re-run: split it")]

    at.button(key=f"rerun-direct-{messages[3].id}").click().run(timeout=60)
    messages = glm.get_messages(only_conversation(glm).id)
    assert len(messages) == 6 and _subtasks(glm, messages[5]) == 1
    assert _verdicts(glm)[-1] == (messages[3].id, False, "re-run: answer directly")


def test_the_choice_before_asking_routes_the_question_and_is_stored_on_its_answer(glm):
    at = open_page(decompose=True)
    at.button_group(key=CHOICE_KEY).set_value(SPLIT).run()
    at = ask(at, "What does si.smoo do?")

    assert not at.exception
    answer = glm.get_messages(only_conversation(glm).id)[1]
    assert _subtasks(glm, answer) > 1
    assert _verdicts(glm) == [(answer.id, True, "asked to split it")]
    assert at.button_group(key=CHOICE_KEY).value == SPLIT  # the choice stays for the next question
