import time
from pathlib import Path

from workbench.validate import validate_code
from workbench.validate.juce_syntax import check_cpp, module_closure

JUCE = Path("/usr/share/juce/modules")

PROCESSOR = """class GainProcessor : public juce::AudioProcessor
{
public:
    GainProcessor() : AudioProcessor (BusesProperties().withOutput ("Out", juce::AudioChannelSet::stereo())) {}
    const juce::String getName() const override { return "Gain"; }
    void prepareToPlay (double, int) override {}
    void releaseResources() override {}
    void processBlock (juce::AudioBuffer<float>& buffer, juce::MidiBuffer&) override { buffer.applyGain (0.5f); }
    double getTailLengthSeconds() const override { return 0.0; }
    bool acceptsMidi() const override { return false; }
    bool producesMidi() const override { return false; }
    juce::AudioProcessorEditor* createEditor() override { return nullptr; }
    bool hasEditor() const override { return false; }
    int getNumPrograms() override { return 1; }
    int getCurrentProgram() override { return 0; }
    void setCurrentProgram (int) override {}
    const juce::String getProgramName (int) override { return {}; }
    void changeProgramName (int, const juce::String&) override {}
    void getStateInformation (juce::MemoryBlock&) override {}
    void setStateInformation (const void*, int) override {}
};
"""
TYPO = PROCESSOR.replace("applyGain (", "applyGainz (")


def test_a_valid_processor_passes(vsettings):
    result = validate_code(PROCESSOR, "cpp", vsettings)
    assert result.ok is True and result.badge == "syntax OK"


def test_a_typo_fails_on_the_users_own_line_with_and_without_the_pch(vsettings):
    with_pch, _ = check_cpp(TYPO, vsettings, JUCE, use_pch=True)
    without_pch, _ = check_cpp(TYPO, vsettings, JUCE, use_pch=False)
    assert with_pch == without_pch
    assert with_pch[0].line == 8 and with_pch[0].column == 95
    assert "no member named 'applyGainz'" in with_pch[0].message


def test_with_its_own_include_lines_are_not_shifted(vsettings):
    code = "#include <juce_core/juce_core.h>\n\nstatic juce::Strin name;\n"
    result = validate_code(code, "cpp", vsettings)
    assert result.ok is False and result.errors[0].line == 3 and "Strin" in result.errors[0].message


def test_hostile_code_is_never_run_and_infinite_templates_are_bounded(vsettings, tmp_path):
    marker = tmp_path / "pwned"
    hostile = f"""#include <cstdlib>
template <int N> struct Forever {{ static const int value = Forever<N + 1>::value; }};
int main() {{ std::system("touch {marker}"); return Forever<0>::value; }}
static int run = std::system("touch {marker}");
"""
    started = time.monotonic()
    result = validate_code(hostile, "cpp", vsettings)
    assert time.monotonic() - started < 30
    assert not marker.exists()
    assert result.ok is False and result.errors[0].line == 2
    assert "template instantiation depth" in result.errors[0].message


def test_module_defines_cover_the_dependencies():
    closure = module_closure(JUCE, ("juce_audio_processors",))
    assert {"juce_core", "juce_events", "juce_graphics", "juce_gui_basics", "juce_gui_extra",
            "juce_audio_basics", "juce_data_structures", "juce_audio_processors"} <= set(closure)
    assert "juce_opengl" not in closure


def test_juce_code_with_only_standard_includes_gets_the_juce_header(vsettings):
    code = "#include <vector>\nstatic std::vector<juce::String> names;\nstatic juce::Strin broken;\n"
    result = validate_code(code, "cpp", vsettings)
    assert [(e.line, "Strin" in e.message) for e in result.errors][:1] == [(3, True)]
