"""g++ errors about JUCE code get the declarations they name, from the installed headers."""

from workbench.validate import validate_code
from workbench.validate.juce_errors import explain_cpp_errors
from workbench.validate.results import CodeError
from workbench.validate.tools import find_tools

MISSPELT = """class Gain : public juce::AudioProcessor {
public:
    void processBlock (juce::AudioBuffer<float>& b, juce::MidiBuffer&) override { b.applyGainz (0.5f); }
};
"""


def test_a_misspelt_member_gets_the_real_declaration_and_its_doc(vsettings):
    result = validate_code(MISSPELT, "cpp", vsettings)
    error = next(e for e in result.errors if e.kind == "juce_member")
    assert error.line == 3 and error.symbol == "AudioBuffer::applyGainz"
    assert error.hint.startswith("juce::AudioBuffer::applyGain (juce_AudioSampleBuffer.h:")
    assert "gain" in error.hint.lower()


def test_names_and_constructors_from_the_headers(vsettings):
    modules = find_tools(vsettings).juce_modules
    errors = [
        CodeError(line=4, message="'AudioParamFloat' is not a member of 'juce'; did you mean 'AudioParameterFloat'?"),
        CodeError(line=5, message="no matching function for call to 'juce::AudioParameterFloat::AudioParameterFloat(const char [2], int)'"),
        CodeError(line=6, message="'juce::dsp' has not been declared"),
        CodeError(line=7, message="expected ';' before '}' token"),
    ]
    named, constructor, module, other = explain_cpp_errors(errors, modules, vsettings)
    assert "juce::AudioParameterFloat (juce_AudioParameterFloat.h:" in named.hint
    assert constructor.hint.startswith("declared as: ") and "ParameterID" in constructor.hint
    assert "#include <juce_dsp/juce_dsp.h>" in module.hint
    assert other == errors[3]


def test_projucers_juceheader_stands_for_the_modules(vsettings):
    code = '#include <JuceHeader.h>\n\nstruct Gain : AudioProcessor {\n    void f (AudioBuffer<float>& b) { b.applyGainz (0.5f); }\n};\n'
    result = validate_code(code, "cpp", vsettings)
    assert [e.line for e in result.errors if e.kind == "juce_member"] == [4]


def test_a_class_template_without_its_arguments_gets_its_template_line(vsettings):
    code = "#include <JuceHeader.h>\n\nclass Stereo : public juce::dsp::ProcessorDuplicator {\n};\n"
    error = validate_code(code, "cpp", vsettings).errors[0]
    assert error.line == 3 and error.kind == "juce_template" and error.symbol == "dsp::ProcessorDuplicator"
    assert "template <typename MonoProcessorType, typename StateType>" in error.hint
    delay = validate_code("#include <JuceHeader.h>\n\nstruct Echo { juce::dsp::DelayLine line; };\n", "cpp", vsettings).errors[0]
    assert delay.kind == "juce_template" and "template <typename SampleType" in delay.hint, delay
