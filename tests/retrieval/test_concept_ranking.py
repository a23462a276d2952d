"""Plain-language questions of each concept family find their entries in the real installed
JUCE modules and FAUST libraries (with the project's primers), by BM25 alone — what a fresh
install searches with before its vectors are built.

The questions are the project's own (three are the issue's examples), none from the held-out
half of bench/retrieval_real_questions.jsonl. One ingest of everything is shared by the module.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench.config import load_settings
from workbench.domain import DocSource
from workbench.retrieval import KnowledgeBase
from workbench.retrieval.entries import Entry
from workbench.retrieval.developer_words import load_bridges
from workbench.retrieval.index import CLASS_PRIOR, MAX_PER_GROUP, entry_prior
from workbench.retrieval.search_tokens import tokenize

FAMILIES = [
    ("callback", "the audio callback where a plugin processes samples",
     ["AudioProcessor::processBlock", "knowledge/juce_audio_callback.md"]),
    ("prepare", "set up my filters with the sample rate before playback starts",
     ["AudioProcessor::prepareToPlay", "knowledge/juce_plugin_lifecycle.md"]),
    ("parameters", "declare the plugin's parameters in a parameter layout",
     ["AudioProcessorValueTreeState::ParameterLayout", "knowledge/juce_parameters_apvts.md"]),
    ("state", "save and restore plugin parameters between sessions",
     ["AudioProcessor::getStateInformation", "AudioProcessor::setStateInformation",
      "knowledge/juce_state_save_restore.md"]),
    ("editor", "a knob component for a plugin editor", ["Slider", "knowledge/juce_editor_attachments.md"]),
    ("attachments", "keep a slider and a parameter in sync",
     ["AudioProcessorValueTreeState::SliderAttachment", "SliderParameterAttachment",
      "knowledge/juce_editor_attachments.md"]),
    ("midi", "read the note on messages that arrive with each block",
     ["MidiBuffer", "knowledge/juce_midi.md"]),
    ("dsp", "juce dsp processor that adds reverb", ["dsp::Reverb"]),
    ("smoothing", "avoid zipper noise when the gain changes",
     ["SmoothedValue", "knowledge/parameter_smoothing.md"]),
    ("tempo", "sync my delay time to the host tempo",
     ["AudioPlayHead", "AudioPlayHead::PositionInfo", "AudioProcessor::getPlayHead", "ba.tempo"]),
    ("sidechain", "add a sidechain input to my compressor plugin",
     ["AudioProcessor::BusesProperties", "AudioProcessor::isBusesLayoutSupported", "dsp::Compressor"]),
    ("release", "free memory when playback stops", ["AudioProcessor::releaseResources"]),
    ("latency", "report the plugin's latency to the host", ["AudioProcessor::setLatencySamples"]),
    ("dropdown", "a dropdown to pick the filter type",
     ["ComboBox", "AudioProcessorValueTreeState::ComboBoxAttachment", "AudioParameterChoice"]),
    ("toggle", "an on off toggle for the effect",
     ["ToggleButton", "AudioParameterBool", "AudioProcessorValueTreeState::ButtonAttachment"]),
    ("audio file", "open a wav file and read its samples", ["AudioFormatManager", "AudioFormatReader"]),
    ("decibels", "convert a level in dB to a gain factor", ["Decibels::decibelsToGain", "Decibels", "ba.db2linear"]),
    ("fifo", "pass data to the audio thread through a lock free queue", ["AbstractFifo"]),
    ("convolution", "load an impulse response for a cabinet",
     ["dsp::Convolution", "dsp::Convolution::loadImpulseResponse"]),
    ("juce filter", "a low-pass filter in the juce dsp module",  # hyphen joined, JUCE named: JUCE entries first
     ["dsp::IIR::Coefficients::makeLowPass", "dsp::StateVariableTPTFilter", "dsp::IIR::Filter",
      "dsp::FirstOrderTPTFilter", "dsp::LadderFilter"]),
    ("colour", "set the background colour of my component", ["Component::setColour", "LookAndFeel::setColour"]),
    ("log range", "a cutoff parameter on a log scale", ["NormalisableRange", "NormalisableRange::setSkewForCentre"]),
    ("faust oscillator", "faust sine oscillator", ["os.osc", "os.oscsin"]),
    ("faust smoothing", "smoothing a control signal in faust", ["si.smoo", "si.smooth"]),
    ("faust reverb", "mono freeverb", ["re.mono_freeverb"]),  # the reverb bridge's other names do not bury it
    ("faust filter", "resonant lowpass filter in faust", ["fi.resonlp"]),
    # a bridged name is not buried under the literal words: "limiter" once, not again for the limiter bridge
    ("lookahead latency", "a lookahead limiter has to report how late its output is",
     ["AudioProcessor::setLatencySamples"]),
    ("data members", "juce ADSR parameters: attack, decay, sustain and release times",  # undocumented fields
     ["ADSR::Parameters"]),
    ("faust example", "example program of a plucked string",
     ["physicalModeling/karplus.dsp", "physicalModeling/mi-faust/10_PluckedString/pluckedString.dsp"]),
]


def is_answer(title: str, expected: list[str]) -> bool:
    return any(title == e or title.startswith(e + " › ") for e in expected)


@pytest.fixture(scope="module")
def installed_kb(tmp_path_factory) -> KnowledgeBase:
    if not Path("/usr/share/juce/modules/juce_core").is_dir() or not Path("/usr/share/faust/stdfaust.lib").is_file():
        pytest.skip("JUCE modules or FAUST libraries are not installed (scripts/setup installs them)")
    settings = load_settings(data_dir=tmp_path_factory.mktemp("installed"), retrieval={
        "use_embeddings": False, "faust_lib_dir": Path("/usr/share/faust"),
        "juce_dir": Path("/usr/share/juce/modules")})
    kb = KnowledgeBase(settings, background=False)
    kb.ingest(embeddings="skip")
    return kb


@pytest.mark.parametrize(("family", "question", "expected"), FAMILIES, ids=[f[0] for f in FAMILIES])
def test_a_plain_question_finds_its_concept(installed_kb, family, question, expected):
    titles = [p.title for p in installed_kb.search(question, k=5)]
    assert any(is_answer(t, expected) for t in titles), f"{family}: {titles}"


FIRSTS = [  # found in the first five before, by their literal words; first now
    ("stereo width", "make a stereo mix sound wider in faust", ["ef.stereo_width"]),  # the "wider" bridge
    ("look and feel colour", "one colour for every slider in the plugin", ["LookAndFeel::setColour"]),
    ("c++", "which C++ class does faust generate for my dsp", ["knowledge/faust_juce_integration.md"]),
]


@pytest.mark.parametrize(("family", "question", "expected"), FIRSTS, ids=[f[0] for f in FIRSTS])
def test_a_bridged_or_cpp_question_ranks_its_answer_first(installed_kb, family, question, expected):
    first = installed_kb.search(question, k=1)[0].title
    assert is_answer(first, expected), f"{family}: {first}"


def test_naming_a_language_ranks_its_entries_first(installed_kb):
    faust = installed_kb.search("a lowpass filter in faust", k=5)
    juce = installed_kb.search("a lowpass filter in juce", k=5)
    assert all(p.source.value.startswith("faust") or p.source.value == "primers" for p in faust)
    assert all(p.source.value in ("juce_headers", "primers") for p in juce)


def test_bridge_phrases_read_from_the_docs_are_in_the_docs(installed_kb):
    """A bridge citing the JUCE documentation uses words its API's doc comment itself uses."""
    docs_bridges = [b for b in load_bridges() if any("docs.juce.com" in s for s in b.sources)]
    assert docs_bridges
    for bridge in docs_bridges:
        texts = [set(tokenize(e.text)) for e in installed_kb.entries()
                 if e.title.rsplit("::", 1)[-1] in bridge.api]
        assert texts, bridge.api
        for phrase in bridge.phrases:
            assert any(phrase <= text for text in texts), (sorted(phrase), bridge.api)


def test_trivia_is_not_indexed(installed_kb):
    names = [e.title.rsplit("::", 1)[-1] for e in installed_kb.entries() if e.source.value == "juce_headers"]
    assert names and not any(n.startswith(("~", "operator")) for n in names)


def test_faust_entries_carry_their_usage_line_and_prefix(installed_kb):
    osc = next(e for e in installed_kb.entries() if e.title == "os.osc")
    assert "Usage: " in osc.text and "os.osc(freq)" in osc.text.replace(" ", "") + osc.embed_text
    karplus = next(e for e in installed_kb.entries() if e.title == "physicalModeling/karplus.dsp")
    assert "uses physical model" in karplus.text  # from its pm. calls: what the example does
    shelf = next(e for e in installed_kb.entries() if e.title == "filtering/lowShelf.dsp")
    assert 'filtering example "lowShelf" (low shelf)' in shelf.text and "controls: Gain, Freq, Q" in shelf.text


def test_a_faust_card_shows_its_own_usage_not_its_siblings(installed_kb):
    """filters.lib documents resonlp, resonhp and resonbp with all three usage lines, the
    siblings bare (no `fi.`): each card keeps its own line, prefixed, and a sibling's name
    finds the sibling first."""
    cards = {e.title: e.text for e in installed_kb.entries() if e.title in ("fi.resonlp", "fi.resonhp", "fi.resonbp")}
    for title, text in cards.items():
        usage = next(line for line in text.splitlines() if line.startswith("Usage: "))
        assert usage == f"Usage: _ : {title}(fc,Q,gain) : _", usage
    assert installed_kb.search("resonbp", k=1)[0].title == "fi.resonbp"


def test_top_level_classes_rank_up_and_nested_helpers_do_not():
    def prior(title: str) -> float:
        return entry_prior(Entry(id=title, source=DocSource.JUCE_HEADERS, kind="class", title=title,
                                 location="x.h:1", path="/x.h", line=1, text=f"{title}\nclass {title}\n"))

    assert prior("Slider") == prior("dsp::Reverb") == CLASS_PRIOR > 1.0
    assert prior("Slider::SliderLayout") == prior("AudioProcessorValueTreeState::Listener") == 1.0


def _members(titles: list[str], cls: str) -> int:
    """How many of `titles` are the class `cls` or one of its methods (not a nested class)."""
    return sum(t == cls or (t.startswith(f"{cls}::") and t[len(cls) + 2:][:1].islower()) for t in titles)


def test_one_class_does_not_take_every_place(installed_kb):
    """PluginHostType's four dozen "is the host X" members match any question about the host;
    past MAX_PER_GROUP they wait behind other classes' entries."""
    titles = [p.title for p in installed_kb.search("which DAW is hosting my plugin", k=5)]
    assert titles[0] == "PluginHostType"
    assert _members(titles, "PluginHostType") == MAX_PER_GROUP, titles


def test_a_class_the_question_names_keeps_its_members(installed_kb):
    named = [p.title for p in installed_kb.search("the PluginHostType of the host running my plugin", k=5)]
    assert _members(named, "PluginHostType") > MAX_PER_GROUP, named
    apvts = [p.title for p in installed_kb.search("add a parameter listener to the AudioProcessorValueTreeState", k=5)]
    assert _members(apvts, "AudioProcessorValueTreeState") > MAX_PER_GROUP, apvts
    words = [p.title for p in installed_kb.search("get a write pointer to a channel of the audio buffer", k=5)]
    assert _members(words, "AudioBuffer") > MAX_PER_GROUP, words  # named word by word


def test_overloads_take_one_place(installed_kb):
    titles = [p.title for p in installed_kb.search("apply a gain to all channels of an AudioBuffer", k=5)]
    assert titles[0] == "AudioBuffer::applyGain" and len(set(titles)) == len(titles), titles


def test_a_compound_word_meets_the_identifier_that_joins_it(installed_kb):
    """"lowpass" reaches makeLowPass (and a class entry that only lists it), not only entries
    whose comment writes low-pass."""
    titles = [p.title for p in installed_kb.search("IIR filter coefficients for a lowpass in juce dsp", k=5)]
    assert any(t.endswith("Coefficients::makeLowPass") for t in titles), titles
