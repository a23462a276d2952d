"""What a small model's documentation budget holds: several entries and the primer with the
pattern, not one long class entry; and no stray match of a few words of the request."""

from workbench.domain import Role
from workbench.execute.planner import one_subtask_plan
from workbench.retrieval.entries import estimate_tokens
from workbench.retrieval.knowledge_base import PASSAGE_SHARE

from tests.retrieval.test_concept_ranking import installed_kb  # noqa: F401 - the fixture

STATE = ("Implement getStateInformation and setStateInformation for a JUCE plugin whose parameters live in a "
         "juce::AudioProcessorValueTreeState apvts, saving the state as XML.")
BUTTON = ('In a JUCE editor component, add a juce::ToggleButton named "Bypass" connected to the "bypass" '
          "parameter of an AudioProcessorValueTreeState with a ButtonAttachment.")


def context(kb, question: str, budget: int = 600):
    return kb.context_for(one_subtask_plan(question, Role.CODER).subtasks[0], budget, examples=False)


def test_a_long_class_entry_leaves_room_for_the_primer_and_the_functions(installed_kb):  # noqa: F811
    passages = context(installed_kb, STATE)
    titles = [p.title for p in passages]
    assert len(passages) >= 3, titles
    assert any(t.startswith("knowledge/") for t in titles[:2]), titles
    assert "AudioProcessor::setStateInformation" in titles
    assert all(estimate_tokens(p.text) <= 600 // PASSAGE_SHARE for p in passages)


def test_a_part_of_the_request_the_whole_does_not_rank_brings_nothing(installed_kb):  # noqa: F811
    titles = [p.title for p in context(installed_kb, BUTTON)]
    assert "AudioProcessorValueTreeState::ButtonAttachment" in titles[:3], titles
    assert not {"CodeEditorComponent", "PropertyPanel"} & set(titles), titles  # "editor component", "add"
