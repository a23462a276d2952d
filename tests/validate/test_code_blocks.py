from workbench.validate import extract_code_blocks

ANSWER = """Here is an oscillator:

```faust
import("stdfaust.lib");
process = os.osc(440);
```

And the plugin side:

~~~C++
#include <juce_core/juce_core.h>
~~~

Untagged:

```
process = _ : *(0.5);
```

```
juce::AudioBuffer<float> buffer;
```

```
just prose in a fence
```
"""


def test_tagged_and_untagged_blocks_get_their_language_and_start_line():
    blocks = extract_code_blocks(ANSWER)
    assert [b.language for b in blocks] == ["faust", "cpp", "faust", "cpp", "text"]
    assert blocks[0].code == 'import("stdfaust.lib");\nprocess = os.osc(440);\n'
    assert blocks[0].start_line == 4
    assert ANSWER.splitlines()[blocks[2].start_line - 1] == "process = _ : *(0.5);"


def test_a_block_cut_off_at_the_end_still_counts():
    blocks = extract_code_blocks("Sure:\n```dsp\nprocess = 1;\n")
    assert len(blocks) == 1 and blocks[0].language == "faust" and blocks[0].code == "process = 1;\n"


def test_no_blocks_and_empty_blocks():
    assert extract_code_blocks("no code here") == []
    assert extract_code_blocks("```faust\n\n```\n") == []


def test_untagged_import_line_is_recognised_as_faust():
    blocks = extract_code_blocks('```\nimport("stdfaust.lib");\nosc = os.osc;\n```')
    assert blocks[0].language == "faust"
