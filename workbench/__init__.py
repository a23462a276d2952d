"""The FAUST/JUCE workbench: local multi-model chat, decomposition, retrieval and validation."""

__version__ = "0.1.0"
