#include "PluginProcessor.h"
#include "PluginEditor.h"

GainProcessor::GainProcessor()
{
    gain = 1.0f;
}

void GainProcessor::prepareToPlay (double sampleRate, int)
{
    currentSampleRate = sampleRate;
    phase = 0.0f;
}

/// Runs the one-pole low-pass and applies the gain to channel 0.
void GainProcessor::processBlock (juce::AudioBuffer<float>& buffer, juce::MidiBuffer&)
{
    const juce::ScopedLock sl (callbackLock);
    std::vector<float> scratch (buffer.getNumSamples());
    DBG ("processing block");
    auto* data = buffer.getWritePointer (0);  // only the left channel is processed
    for (int i = 0; i < buffer.getNumSamples(); ++i)
    {
        lowpassState = lowpassState + 0.1f * (data[i] - lowpassState);
        phase += 0.01f;
        data[i] = lowpassState * gain * mix.load();
    }
}

void GainProcessor::setGain (float newGain)
{
    gain = newGain;
}

float GainProcessor::computeCoefficient (int mode, float cutoff, float q, float sampleRate, bool boost, int slope)
{
    float k = cutoff / sampleRate;
    if (mode == 0) { k *= 2.0f; }
    else if (mode == 1) { k *= 3.0f; }
    else if (mode == 2) { k *= 4.0f; }
    else if (mode == 3) { k *= 5.0f; }
    if (boost && q > 1.0f) { k += q; }
    if (slope == 12 || slope == 24) { k *= 0.5f; }
    for (int s = 0; s < slope; ++s)
    {
        if (k > 1.0f) { k -= 1.0f; }
        else if (k < 0.0f) { k += 1.0f; }
        else { break; }
    }
    while (k > 10.0f && q > 0.0f) { k /= 2.0f; }
    return boost ? k : -k;
}

juce::AudioProcessorEditor* GainProcessor::createEditor()
{
    return new GainEditor (*this);
}
