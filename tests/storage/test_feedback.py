from __future__ import annotations

import pytest

from workbench.storage import Storage
from workbench.storage.records import Conversation


def test_add_and_list_feedback(storage: Storage, conversation: Conversation) -> None:
    answer = storage.add_message(conversation.id, "assistant", "a")
    first = storage.add_feedback(answer.id, rating=-1, correct_role="math", should_split=True, note="needs the maths")
    second = storage.add_feedback(answer.id, rating=5, correct_role=None, should_split=None)
    assert storage.list_feedback() == [first, second]
    assert (first.rating, first.correct_role, first.should_split, first.note) == (-1, "math", True, "needs the maths")
    assert (second.correct_role, second.should_split, second.note) == (None, None, "")


@pytest.mark.parametrize(
    ("fields", "complaint"),
    [
        ({"rating": 9}, "rating"),
        ({"rating": "good"}, "rating"),
        ({"rating": True}, "rating"),
        ({"rating": 1, "correct_role": "drummer"}, "correct_role"),
    ],
)
def test_bad_feedback_is_refused(storage: Storage, conversation: Conversation, fields: dict, complaint: str) -> None:
    answer = storage.add_message(conversation.id, "assistant", "a")
    with pytest.raises(ValueError, match=complaint):
        storage.add_feedback(answer.id, **{"correct_role": None, "should_split": None, **fields})
    assert storage.list_feedback() == []


def test_feedback_on_unknown_message(storage: Storage) -> None:
    with pytest.raises(KeyError, match="No message with id 5"):
        storage.add_feedback(5, rating=1, correct_role=None, should_split=None)
