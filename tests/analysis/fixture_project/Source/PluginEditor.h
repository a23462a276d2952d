#pragma once
#include "PluginProcessor.h"

class GainEditor : public juce::AudioProcessorEditor, private juce::Slider::Listener
{
public:
    explicit GainEditor (GainProcessor&);
    void sliderValueChanged (juce::Slider* slider) override;

private:
    GainProcessor& processor;
    juce::Slider gainSlider;
};
