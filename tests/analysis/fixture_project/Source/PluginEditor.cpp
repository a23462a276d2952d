#include "PluginEditor.h"

GainEditor::GainEditor (GainProcessor& p) : juce::AudioProcessorEditor (p), processor (p)
{
    gainSlider.addListener (this);
    addAndMakeVisible (gainSlider);
    setSize (300, 200);
}

void GainEditor::sliderValueChanged (juce::Slider* slider)
{
    processor.setGain ((float) slider->getValue());
}
