"""The real-time checks on the fixture processor (known violations) and on clean code."""

from pathlib import Path

from workbench.analysis.audio_checks import check_realtime
from workbench.analysis.context_reader import read_sources

CLEAN_HEADER = """
class CleanProcessor : public juce::AudioProcessor
{
public:
    void prepareToPlay (double sampleRate, int samplesPerBlock) override;
    void processBlock (juce::AudioBuffer<float>& buffer, juce::MidiBuffer&) override;
    void setGain (float g);
private:
    void resetState();
    std::atomic<float> gain { 1.0f };
    float z1 = 0.0f;
    std::vector<float> scratch;
};
"""
CLEAN_SOURCE = """
void CleanProcessor::prepareToPlay (double, int samplesPerBlock)
{
    scratch.resize ((size_t) samplesPerBlock);
    resetState();
}
void CleanProcessor::resetState()
{
    z1 = 0.0f;
}
void CleanProcessor::processBlock (juce::AudioBuffer<float>& buffer, juce::MidiBuffer&)
{
    // no DBG ("...") here: comments and strings do not count
    auto* data = buffer.getWritePointer (0);
    const auto g = gain.load();
    for (int i = 0; i < buffer.getNumSamples(); ++i)
    {
        z1 += 0.1f * (data[i] - z1);
        data[i] = z1 * g;
    }
}
void CleanProcessor::setGain (float g)
{
    gain = g;
}
"""


def test_fixture_violations_are_found_where_they_are(fixture_project: Path) -> None:
    findings = check_realtime(read_sources(fixture_project).files)
    found = {(f.rule, f.path, f.line) for f in findings}
    assert found == {
        ("rt-lock", "Source/PluginProcessor.cpp", 18),
        ("rt-allocation", "Source/PluginProcessor.cpp", 19),
        ("rt-io", "Source/PluginProcessor.cpp", 20),
        ("rt-state-not-reset", "Source/PluginProcessor.cpp", 24),
        ("rt-unsynchronized-parameter", "Source/PluginProcessor.h", 19),
    }
    by_rule = {f.rule: f for f in findings}
    assert "lowpassState" in by_rule["rt-state-not-reset"].message
    assert "setGain" in by_rule["rt-unsynchronized-parameter"].message
    assert 'DBG ("processing block")' in by_rule["rt-io"].message
    assert all(f.advice for f in findings)


def test_clean_processor_has_no_finding(tmp_path: Path) -> None:
    (tmp_path / "Clean.h").write_text(CLEAN_HEADER)
    (tmp_path / "Clean.cpp").write_text(CLEAN_SOURCE)
    assert check_realtime(read_sources(tmp_path).files) == []


def test_moving_the_allocation_into_process_block_is_caught(tmp_path: Path) -> None:
    (tmp_path / "Clean.h").write_text(CLEAN_HEADER)
    (tmp_path / "Clean.cpp").write_text(CLEAN_SOURCE.replace(
        "    auto* data = buffer.getWritePointer (0);",
        "    scratch.push_back (0.0f);\n    auto* data = buffer.getWritePointer (0);"))
    assert [f.rule for f in check_realtime(read_sources(tmp_path).files)] == ["rt-allocation"]


def test_forgetting_the_reset_is_caught(tmp_path: Path) -> None:
    (tmp_path / "Clean.h").write_text(CLEAN_HEADER)
    (tmp_path / "Clean.cpp").write_text(CLEAN_SOURCE.replace("    z1 = 0.0f;\n", ""))
    assert [f.rule for f in check_realtime(read_sources(tmp_path).files)] == ["rt-state-not-reset"]


def test_editor_writing_a_processor_member_directly_is_caught(tmp_path: Path) -> None:
    (tmp_path / "Clean.h").write_text(CLEAN_HEADER.replace("std::atomic<float> gain { 1.0f };",
                                                           "std::atomic<float> gain { 1.0f };\n    float mix = 1.0f;"))
    (tmp_path / "Clean.cpp").write_text(CLEAN_SOURCE.replace("data[i] = z1 * g;", "data[i] = z1 * g * mix;"))
    (tmp_path / "Editor.h").write_text(
        "class MixEditor : public juce::AudioProcessorEditor, private juce::Slider::Listener\n{\n"
        "    void sliderValueChanged (juce::Slider* s) override { processor.mix = (float) s->getValue(); }\n"
        "    CleanProcessor& processor;\n};\n")
    findings = check_realtime(read_sources(tmp_path).files)
    assert [(f.rule, f.path) for f in findings] == [("rt-unsynchronized-parameter", "Clean.h")]
    assert "`mix` is written by sliderValueChanged()" in findings[0].message


def test_setter_holding_a_lock_is_synchronised(tmp_path: Path) -> None:
    (tmp_path / "Clean.h").write_text(CLEAN_HEADER.replace("std::atomic<float> gain { 1.0f };",
                                                           "float gain = 1.0f;\n    juce::SpinLock gainLock;"))
    (tmp_path / "Clean.cpp").write_text(CLEAN_SOURCE.replace(
        "const auto g = gain.load();", "const auto g = gain;").replace(
        "    gain = g;", "    const juce::SpinLock::ScopedLockType sl (gainLock);\n    gain = g;"))
    assert check_realtime(read_sources(tmp_path).files) == []


def test_equal_member_names_in_unrelated_classes_do_not_mix(tmp_path: Path) -> None:
    (tmp_path / "Clean.h").write_text(CLEAN_HEADER)
    (tmp_path / "Clean.cpp").write_text(CLEAN_SOURCE)
    (tmp_path / "Meter.h").write_text(
        "class Meter\n{\npublic:\n    void setZ (float v) { z1 = v; }\nprivate:\n    float z1 = 0.0f;\n};\n")
    assert check_realtime(read_sources(tmp_path).files) == []
