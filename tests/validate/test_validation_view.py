import numpy as np
from streamlit.testing.v1 import AppTest

from tests.validate.conftest import OSC_440
from workbench.ui.validation_view import spectrum_figure, waveform_figure
from workbench.validate import validate_answer
from workbench.validate.wav_file import read_wav


def _page(data_dir: str, answer: str) -> None:
    from workbench.config import load_settings
    from workbench.ui.validation_view import render_validation
    from workbench.validate import validate_answer

    settings = load_settings(data_dir=data_dir)
    render_validation(validate_answer(answer, settings, render_seconds=0.3), settings)


ANSWER = f"""```faust
{OSC_440}```
```faust
process = oscx;
```
```python
print(1)
```
"""


def test_the_view_shows_a_badge_per_block_the_sound_and_the_juce_button(shared_data_dir):
    app = AppTest.from_function(_page, args=(str(shared_data_dir), ANSWER), default_timeout=60).run()
    assert not app.exception
    markdown = [m.value for m in app.markdown]
    assert any("faust · compiled · rendered" in m for m in markdown)
    assert any("faust · failed — line 1: unknown identifier `oscx`" in m for m in markdown)
    assert any("python · not checked" in m for m in markdown)
    assert len(app.get("plotly_chart")) == 2 and len(app.get("audio")) == 1
    assert [b.label for b in app.button] == ["Make a JUCE plugin project"]
    app.button[0].click().run()
    assert not app.exception
    assert [d.proto.label for d in app.get("download_button")] == ["Download FaustPlugin-juce.zip"]


def test_the_figures_show_the_rendered_sound(vsettings):
    [result] = validate_answer(f"```faust\n{OSC_440}```", vsettings, render_seconds=0.5)
    samples, rate = read_wav(result.wav_path)
    wave = waveform_figure(samples, rate)
    assert len(wave.data[0].x) <= 4001 and wave.data[0].x[-1] < 0.5
    assert abs(np.max(wave.data[0].y) - 0.5) < 0.01
    spectrum = spectrum_figure(samples, rate)
    peak = spectrum.data[0].x[int(np.argmax(spectrum.data[0].y))]
    assert abs(peak - 440) < 10
