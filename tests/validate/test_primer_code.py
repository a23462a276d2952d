"""The primers' whole programs compile: a small model copies them as they stand."""

import re

from workbench.config import PROJECT_ROOT
from workbench.validate import validate_code


def test_the_whole_processor_class_of_the_lifecycle_primer_compiles(vsettings):
    text = (PROJECT_ROOT / "knowledge" / "juce_plugin_lifecycle.md").read_text()
    section = text.split("## A whole processor class", 1)[1]
    code = re.search(r"```cpp\n(.*?)```", section, re.S).group(1)
    result = validate_code(code, "cpp", vsettings)
    assert result.ok, result.error_text()


def test_the_juce_rules_constructor_and_apvts_compile_as_written(vsettings):
    """The JUCE rule shows a small model two lines to copy; they must be real JUCE."""
    from workbench.domain import TaskType
    from workbench.execute.prompts import LANGUAGE_RULES

    rule = LANGUAGE_RULES[TaskType.JUCE]
    constructor = re.search(r"MyProcessor\(\) : AudioProcessor .*?\{\}", rule).group(0)
    apvts = re.search(r"juce::AudioProcessorValueTreeState apvts \{.*?\};", rule).group(0)
    code = ("#include <JuceHeader.h>\n\nstruct MyProcessor : juce::AudioProcessor {\n"
            f"    {constructor}\n"
            f"    {apvts}\n}};\n")
    result = validate_code(code, "cpp", vsettings)
    assert result.ok, result.error_text()
