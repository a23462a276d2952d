"""A request of several parts gets each part's documentation, on the FAUST libraries
installed here."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench.config import load_settings
from workbench.domain import Role
from workbench.execute.planner import one_subtask_plan
from workbench.retrieval import KnowledgeBase
from workbench.retrieval.facets import facets
from workbench.vocabulary import DocSource

SUBTRACTIVE = ("Write a FAUST subtractive synth voice: a 220 Hz sawtooth through a 1000 Hz lowpass filter, "
               "enveloped by an ADSR driven by a gate button.")


@pytest.fixture(scope="module")
def faust_kb(tmp_path_factory) -> KnowledgeBase:
    """The installed FAUST libraries and examples (no JUCE, to keep the ingest short)."""
    if not Path("/usr/share/faust/stdfaust.lib").is_file():
        pytest.skip("the FAUST libraries are not installed (scripts/setup installs them)")
    empty = tmp_path_factory.mktemp("no-juce")
    settings = load_settings(data_dir=tmp_path_factory.mktemp("faust"), retrieval={
        "use_embeddings": False, "faust_lib_dir": Path("/usr/share/faust"), "juce_dir": empty})
    kb = KnowledgeBase(settings, background=False)
    kb.ingest(embeddings="skip")
    return kb


def test_a_request_is_cut_into_the_parts_it_names_without_its_opening_or_its_numbers():
    assert facets(SUBTRACTIVE) == ["sawtooth", "lowpass filter", "enveloped ADSR", "gate button."]
    assert facets("Write a FAUST program that outputs a 440 Hz sine wave at amplitude 0.5.") == []


def test_each_part_of_a_request_brings_its_own_library_function(faust_kb):
    subtask = one_subtask_plan(SUBTRACTIVE, Role.CODER).subtasks[0]
    titles = [p.title for p in faust_kb.context_for(subtask, 600)]
    assert {"os.sawtooth", "fi.lowpass", "en.adsr"} <= set(titles[:4])


def test_a_small_model_gets_functions_without_whole_example_programs(faust_kb):
    subtask = one_subtask_plan("Write a FAUST program that outputs white noise at amplitude 0.1.", Role.CODER).subtasks[0]
    assert DocSource.FAUST_EXAMPLES in {p.source for p in faust_kb.context_for(subtask, 1200)}
    without = faust_kb.context_for(subtask, 1200, examples=False)
    assert without and DocSource.FAUST_EXAMPLES not in {p.source for p in without}
