#pragma once
#include <JuceHeader.h>
#include <atomic>

// A gain/tone plugin written for the analysis tests. Its processBlock breaks the
// real-time rules on purpose (see tests/analysis/test_audio_checks.py).
class GainProcessor : public juce::AudioProcessor
{
public:
    GainProcessor();
    void prepareToPlay (double sampleRate, int samplesPerBlock) override;
    void releaseResources() override {}
    void processBlock (juce::AudioBuffer<float>& buffer, juce::MidiBuffer& midi) override;
    juce::AudioProcessorEditor* createEditor() override;
    void setGain (float newGain);
    float computeCoefficient (int mode, float cutoff, float q, float sampleRate, bool boost, int slope);

private:
    float gain = 1.0f;
    std::atomic<float> mix { 0.5f };
    float lowpassState = 0.0f;
    float phase = 0.0f;
    double currentSampleRate = 44100.0;
    juce::CriticalSection callbackLock;
};
