"""The bridge from developer words to API names: its data, its matching, its provenance."""

from __future__ import annotations

import sys
from pathlib import Path

from workbench.hrm.real_questions import load_real_questions, normalise_source
from workbench.retrieval.developer_words import api_tokens, api_words, expand_query, load_bridges, phrase_words

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
import retrieval as bench  # noqa: E402 - the benchmark owns the question sets and their split


def test_every_bridge_has_phrases_api_names_and_public_sources():
    bridges = load_bridges()
    assert len(bridges) >= 20
    for bridge in bridges:
        assert bridge.phrases and bridge.api
        assert bridge.sources and all(s.startswith(("http://", "https://")) for s in bridge.sources)


def test_no_bridge_was_drawn_from_a_benchmark_question():
    sets = bench.question_sets()
    assert sets["real-heldout"], "the held-out half is empty"
    benchmark = {normalise_source(q["source"]) for q in sets["real-heldout"] + sets["real-tune"]}
    drawn = {normalise_source(source) for bridge in load_bridges() for source in bridge.sources}
    assert not drawn & benchmark


def test_every_phrase_was_read_from_a_train_question_it_cites():
    """A bridge's phrases come from the train split of the routing corpus: each occurs in a
    question of a thread the bridge cites (bridges citing the JUCE docs are checked against
    the installed headers in test_concept_ranking)."""
    train: dict[str, list[set[str]]] = {}
    for question in load_real_questions("train"):
        train.setdefault(normalise_source(question.source), []).append(phrase_words(question.question))
    for bridge in load_bridges():
        if any("docs.juce.com" in source for source in bridge.sources):
            continue
        cited = [tokens for source in bridge.sources for tokens in train.get(normalise_source(source), [])]
        assert len(cited) >= len(set(bridge.sources)), f"{bridge.api}: a source is not a train-split thread"
        for phrase in bridge.phrases:
            assert any(phrase <= tokens for tokens in cited), (sorted(phrase), bridge.api)


def test_words_map_to_api_names():
    assert "Slider" in api_words("a knob for my plugin editor")
    assert "processBlock" in api_words("the audio callback where samples are processed")
    state = api_words("load the preset when the session is reopened")
    assert {"getStateInformation", "setStateInformation"} <= set(state)
    assert {"SmoothedValue", "si.smoo"} <= set(api_words("zipper noise on the volume"))
    assert api_words("butterworth lowpass of order 4") == []
    # bridges read from the routing corpus's train split
    assert "fi.dcblocker" in api_words("remove the DC offset after my waveshaper")
    assert {"AudioPlayHead", "os.lf_triangle"} <= set(api_words("an LFO synced to the host tempo"))


def test_every_word_of_a_phrase_must_be_there_in_any_order_plural_or_not():
    assert "AbstractFifo" in api_words("lock free queue between threads")
    assert "AbstractFifo" not in api_words("a free plugin")


def test_api_names_become_whole_tokens_and_query_text():
    assert api_tokens(["getStateInformation", "dsp::DelayLine", "si.smoo"]) == [
        "getstateinformation", "dsp::delayline", "delayline", "si.smoo", "smoo"]
    assert expand_query("a knob").endswith("Slider")
    assert expand_query("butterworth lowpass") == "butterworth lowpass"


def test_no_thread_is_in_both_halves_of_the_real_questions():
    """The halves are split by the URL's hash; two URLs of one thread (a post number, a
    comment anchor) must still land in one half, or a tuning question leaks into the held-out one."""
    sets = bench.question_sets()
    tune = {normalise_source(q["source"]) for q in sets["real-tune"]}
    assert not tune & {normalise_source(q["source"]) for q in sets["real-heldout"]}


def test_function_words_of_a_phrase_must_be_there_too():
    """"note on" is two words, not "note": a FAUST envelope question about a note took the
    MIDI bridge while the phrase's "on" was dropped as a search stopword."""
    assert "MidiBuffer" not in api_words("a pluck envelope for each note of the synth")
    assert "MidiBuffer" in api_words("react to note on messages")
    assert "ToggleButton" not in api_words("fade the reverb tail off")
    assert "ToggleButton" in api_words("an on/off switch for the delay")
