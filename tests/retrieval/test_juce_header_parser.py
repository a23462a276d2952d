"""The JUCE header parser, against Debian's juce-modules-source headers."""

from __future__ import annotations

from pathlib import Path

from workbench.retrieval.juce_header_parser import parse_header, parse_header_entries

MODULES = Path("/usr/share/juce/modules")
APVTS = MODULES / "juce_audio_processors/utilities/juce_AudioProcessorValueTreeState.h"


def test_apvts_class_comes_out_with_its_methods():
    decls = {d.title: d for d in parse_header(APVTS.read_text())}
    apvts = decls["AudioProcessorValueTreeState"]
    assert apvts.kind == "class"
    members = dict(apvts.members)
    assert {"getRawParameterValue", "copyState", "replaceState", "addParameterListener"} <= set(members)
    assert members["copyState"].startswith("Returns a copy of the state")
    method = decls["AudioProcessorValueTreeState::getRawParameterValue"]
    assert method.kind == "method"
    assert "std::atomic<float>* getRawParameterValue (StringRef parameterID)" in method.signature
    assert "Returns a pointer to a floating point representation" in method.doc
    assert decls["AudioProcessorValueTreeState::SliderAttachment"].kind == "class"


def test_line_numbers_point_at_the_declaration():
    lines = APVTS.read_text().splitlines()
    for decl in parse_header(APVTS.read_text()):
        assert decl.name.lstrip("~") in lines[decl.line - 1], decl.title


def test_entries_carry_file_line_and_namespace():
    entries = parse_header_entries(MODULES / "juce_dsp/processors/juce_ProcessContext.h", MODULES)
    spec = next(e for e in entries if e.title == "dsp::ProcessSpec")
    assert spec.location.startswith("juce_ProcessContext.h:")
    assert "juce_dsp/processors/juce_ProcessContext.h" in spec.text
    buffer = parse_header_entries(MODULES / "juce_audio_basics/buffers/juce_AudioSampleBuffer.h", MODULES)
    titles = {e.title for e in buffer}
    assert {"AudioBuffer", "AudioBuffer::getSample", "AudioBuffer::applyGain"} <= titles


def test_comments_inside_bodies_and_enums_are_not_methods():
    header = '''
namespace juce {
/** A widget. */
class JUCE_API Widget : public Base
{
public:
    /** Makes it spin. */
    void spin (int times) noexcept
    {
        /** not a declaration doc */
        helper();
    }
    /** Modes. */
    enum class Mode { /** first */ a, b };
    /** The size, in "units" (a string with a { brace). */
    int size() const;
};
}
'''
    decls = [(d.kind, d.title) for d in parse_header(header)]
    assert decls == [("class", "Widget"), ("method", "Widget::spin"), ("method", "Widget::size")]


def test_destructors_operators_and_bare_constructors_are_left_out():
    titles = {e.title for e in parse_header_entries(APVTS, MODULES)}
    assert "AudioProcessorValueTreeState::~AudioProcessorValueTreeState" not in titles
    assert not any(t.rsplit("::", 1)[-1].startswith(("~", "operator")) for t in titles)
    cls = next(e for e in parse_header_entries(APVTS, MODULES) if e.title == "AudioProcessorValueTreeState")
    assert "Key members:" in cls.text and "- getRawParameterValue: " in cls.text


def test_a_class_lists_its_public_data_members_documented_or_not():
    adsr = {d.title: d for d in parse_header((MODULES / "juce_audio_basics/utilities/juce_ADSR.h").read_text())}
    assert adsr["ADSR::Parameters"].fields == ["attack", "decay", "sustain", "release"]  # one undocumented line
    assert "sampleRate" not in adsr["ADSR"].fields  # private
    entries = parse_header_entries(MODULES / "juce_dsp/processors/juce_ProcessContext.h", MODULES)
    spec = next(e for e in entries if e.title == "dsp::ProcessSpec")
    assert "Data members: sampleRate, maximumBlockSize, numChannels" in spec.text


def test_functions_types_and_using_declarations_are_not_data_members():
    header = '''
namespace juce {
/** A thing. */
class JUCE_API Thing
{
public:
    /** Does it. */
    void doIt (int times);
    using Ptr = Thing*;
    class Inner;
    std::map<int, float> table, other;
    static constexpr int maxOrder = 6;
    int size() const = 0;
    bool operator== (const Thing&) const;
private:
    int hidden = 0;
};
}
'''
    thing = next(d for d in parse_header(header) if d.title == "Thing")
    assert thing.fields == ["table", "other", "maxOrder"]
