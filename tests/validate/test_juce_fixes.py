"""The JUCE fixes that need no model, on the real headers and checked by the real g++."""

from workbench.validate import validate_code
from workbench.validate.juce_fixes import autofix
from workbench.validate.repair import repair_code
from workbench.validate.tools import find_tools

# what Qwen2.5-Coder-1.5B wrote for bench/juce_tasks.jsonl's state-save-restore, shortened
WRONG_OVERRIDES = """#include <JuceHeader.h>

class MyPlugin : public AudioProcessor {
public:
    void prepareToPlay(int sampleRate, int blockSize) override {
        rate = sampleRate * 2 + blockSize;
    }
    void processBlock(AudioBuffer<float>& buffer, MidiBuffer&) override { buffer.applyGain (0.5f); }
    void setStateInformation(const void* data, size_t length) override;
private:
    double rate = 0;
};

void MyPlugin::setStateInformation(const void* data, size_t length) { juce::ignoreUnused (data, length); }

juce::AudioProcessor* createPluginFilter() { return new MyPlugin(); }
"""


def fix(code: str, settings) -> tuple[str, list[str]]:
    errors = validate_code(code, "cpp", settings).errors
    assert errors
    return autofix(code, errors, find_tools(settings).juce_modules, settings.cache_dir)


def test_overrides_get_the_headers_signatures_and_keep_their_names_and_the_class_its_missing_functions(vsettings):
    fixed, fixes = fix(WRONG_OVERRIDES, vsettings)
    assert "    void prepareToPlay (double sampleRate, int blockSize) override {" in fixed
    assert "    void setStateInformation (const void* data, int length) override;" in fixed
    assert "void MyPlugin::setStateInformation (const void* data, int length) {" in fixed  # out of class too
    assert "int getNumPrograms() override { return 1; }" in fixed
    assert "const juce::String getName() const override { return {}; }" in fixed
    assert "processBlock (" not in fixed.split("added by the workbench")[1]  # the answer's own stays alone
    assert any(f.startswith("MyPlugin: added the 13 functions juce::AudioProcessor requires") for f in fixes)
    assert validate_code(fixed, "cpp", vsettings).ok  # `new MyPlugin()` of an abstract class no longer


def test_functions_a_juce_class_implements_itself_are_not_added(vsettings):
    code = ("#include <JuceHeader.h>\n\nclass Panel : public juce::CodeEditorComponent,\n"
            "              public juce::AudioProcessorValueTreeState::Listener {\n"
            "public:\n    void paint (juce::Graphics&) override { missing(); }\n};\n")
    fixed, fixes = fix(code, vsettings)
    assert fixes == ["Panel: added the 1 functions juce::AudioProcessorValueTreeState::Listener requires (parameterChanged)"]
    assert "void parameterChanged (const juce::String& parameterID, float newValue) override {}" in fixed
    assert "insertTextAtCaret" not in fixed  # CodeEditorComponent overrides TextInputTarget's


def test_a_class_of_no_juce_base_is_left_alone(vsettings):
    code = "struct Counter { void prepareToPlay (int n) override { count = n; } int count = 0; };\n"
    assert fix(code, vsettings) == (code, [])


def test_the_repair_loop_fixes_juce_overrides_without_asking_the_model(vsettings):
    asked: list[str] = []
    first = validate_code(WRONG_OVERRIDES, "cpp", vsettings)
    outcome = repair_code(WRONG_OVERRIDES, "cpp", first, lambda prompt: asked.append(prompt) or "", vsettings)
    assert outcome.stopped == "passed" and not asked
    assert outcome.attempts[1].fixes and outcome.best.round == 1 and outcome.best.result.ok
