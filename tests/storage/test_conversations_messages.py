from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings as hypothesis_settings
from hypothesis import strategies as st

from workbench.storage import Storage
from workbench.storage.records import Conversation, Project


def test_conversations_newest_activity_first(storage: Storage, project: Project) -> None:
    first = storage.create_conversation(project.id, "first")
    second = storage.create_conversation(project.id, "second")
    assert [c.id for c in storage.list_conversations(project.id)] == [second.id, first.id]
    storage.add_message(first.id, "user", "back to the first one")
    assert [c.id for c in storage.list_conversations(project.id)] == [first.id, second.id]
    assert storage.get_conversation(first.id).updated_at > first.updated_at
    assert storage.get_conversation(12345) is None


def test_conversation_errors(storage: Storage, project: Project) -> None:
    with pytest.raises(KeyError, match="No project with id 404"):
        storage.create_conversation(404, "orphan")
    with pytest.raises(KeyError, match="No project"):
        storage.list_conversations(404)
    with pytest.raises(ValueError, match="conversation title is empty"):
        storage.create_conversation(project.id, "")
    assert storage.list_conversations(project.id) == []


def test_rename_and_delete_conversation(storage: Storage, conversation: Conversation) -> None:
    storage.rename_conversation(conversation.id, "Plate reverb")
    assert storage.get_conversation(conversation.id).title == "Plate reverb"
    message = storage.add_message(conversation.id, "user", "q")
    storage.delete_conversation(conversation.id)
    assert storage.get_conversation(conversation.id) is None
    assert storage.get_message(message.id) is None
    with pytest.raises(KeyError, match="No conversation"):
        storage.rename_conversation(conversation.id, "x")
    with pytest.raises(KeyError, match="No conversation"):
        storage.delete_conversation(conversation.id)


def test_add_update_and_list_messages(storage: Storage, conversation: Conversation) -> None:
    question = storage.add_message(conversation.id, "user", "How do I write a lowpass?")
    answer = storage.add_message(
        conversation.id, "assistant", "", status="streaming", model="qwen2.5-coder:32b", backend="ollama"
    )
    assert storage.get_message(answer.id) == answer
    storage.update_message(
        answer.id,
        content="Use fi.lowpass(2, 1000)",
        thinking="The user wants FAUST.",
        status="complete",
        prompt_tokens=12,
        completion_tokens=7,
        duration_ms=153.5,
    )
    stored = storage.get_message(answer.id)
    assert (stored.content, stored.thinking, stored.status) == (
        "Use fi.lowpass(2, 1000)", "The user wants FAUST.", "complete",
    )
    assert (stored.prompt_tokens, stored.completion_tokens, stored.duration_ms) == (12, 7, 153.5)
    assert (stored.model, stored.backend) == ("qwen2.5-coder:32b", "ollama")
    assert stored.updated_at >= answer.updated_at
    storage.update_message(answer.id, status="error", error="Ollama went away")
    assert storage.get_message(answer.id).error == "Ollama went away"
    assert [m.id for m in storage.list_messages(conversation.id)] == [question.id, answer.id]
    assert storage.get_message(999) is None


def test_message_errors_write_nothing(storage: Storage, conversation: Conversation) -> None:
    message = storage.add_message(conversation.id, "assistant", "draft", status="partial")
    with pytest.raises(ValueError, match="role 'system' is not one of user, assistant"):
        storage.add_message(conversation.id, "system", "x")
    with pytest.raises(ValueError, match="status"):
        storage.add_message(conversation.id, "user", "x", status="done")
    with pytest.raises(ValueError, match="content"):
        storage.add_message(conversation.id, "user", None)  # type: ignore[arg-type]
    with pytest.raises(KeyError, match="No conversation with id 77"):
        storage.add_message(77, "user", "x")
    with pytest.raises(KeyError, match="No conversation"):
        storage.list_messages(77)
    with pytest.raises(ValueError, match=r"colour: Extra inputs.*allowed fields: content"):
        storage.update_message(message.id, content="changed", colour="red")
    with pytest.raises(ValueError, match="prompt_tokens"):
        storage.update_message(message.id, prompt_tokens="many")
    with pytest.raises(ValueError, match="no such run"):
        storage.update_message(message.id, run_id="not-a-run")
    with pytest.raises(KeyError, match="No message with id 999"):
        storage.update_message(999, content="x")
    assert storage.get_message(message.id) == message
    assert len(storage.list_messages(conversation.id)) == 1


def test_unicode_and_huge_contents_round_trip(storage: Storage, conversation: Conversation) -> None:
    unicode = "Ré­verb 🎛️ 混响 \u202eRTL\u202c e\u0301 \u2028 tab\t NUL\x00 end"
    huge = ("process = os.osc(440) : fi.lowpass(2, 1000);\n" * 2300)[:100_000]
    assert len(huge) == 100_000
    a = storage.add_message(conversation.id, "user", unicode)
    b = storage.add_message(conversation.id, "assistant", huge)
    storage.update_message(b.id, thinking=huge + unicode)
    storage.close()
    reopened = Storage(storage.path)
    assert reopened.get_message(a.id).content == unicode
    assert reopened.get_message(b.id).content == huge
    assert reopened.get_message(b.id).thinking == huge + unicode
    reopened.close()


@hypothesis_settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text())
def test_any_text_round_trips(storage: Storage, conversation: Conversation, text: str) -> None:
    message = storage.add_message(conversation.id, "user", text)
    assert storage.get_message(message.id).content == text
