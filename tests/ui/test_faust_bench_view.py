"""The FAUST bench view through AppTest, on the real faust, g++ and sandboxed binary."""

from __future__ import annotations

import re

from streamlit.testing.v1 import AppTest

EFFECT = """import("stdfaust.lib");
process = _ * hslider("gain", 0.5, 0, 1, 0.01) : fi.lowpass(1, hslider("cutoff [unit:Hz]", 2000, 100, 8000, 1));
"""
SYNTH = """import("stdfaust.lib");
process = os.osc(440) * 0.5 * button("gate");
"""
TIMEOUT = 60


def _bench(data_dir: str, code: str) -> None:
    from workbench.config import load_settings
    from workbench.ui.faust_bench_view import render_faust_bench

    render_faust_bench(code, load_settings(data_dir=data_dir), key="b")


def _opened(tmp_path, code: str) -> AppTest:
    at = AppTest.from_function(_bench, args=(str(tmp_path / "data"), code), default_timeout=TIMEOUT).run()
    assert not at.exception and [b.label for b in at.button] == ["Make a JUCE plugin project"]
    at.toggle(key="b-bench").set_value(True).run()
    assert not at.exception
    return at


def _peak(at: AppTest) -> float:
    (line,) = [c.value for c in at.caption if c.value.startswith("peak ")]
    return float(re.match(r"peak ([0-9.]+)", line)[1])


def test_an_effect_gets_its_controls_sound_response_diagram_and_downloads(tmp_path):
    at = _opened(tmp_path, EFFECT)

    assert [s.label for s in at.slider] == ["cutoff (Hz)", "gain"]
    assert at.selectbox(key="b-input").value == "white noise"
    charts = [c.proto.spec for c in at.get("plotly_chart")]
    assert [t for t in ("Waveform", "Spectrum", "Impulse response", "Frequency response") if any(t in c for c in charts)] \
        == ["Waveform", "Spectrum", "Impulse response", "Frequency response"]
    assert len(at.get("audio")) == 1 and len(at.get("image")) == 1
    diagrams, *files = [d.proto.label for d in at.get("download_button")]
    assert re.fullmatch(r"Download the \d+ diagrams \(zip\)", diagrams)  # fi.lowpass draws its own blocks
    assert files == ["Download program.dsp", "Download the WAV"]
    before = _peak(at)

    at.slider[1].set_value(0.1).run()

    assert not at.exception and _peak(at) < before / 3


def test_the_impulse_input_measures_the_gain_and_a_broken_upload_is_refused(tmp_path):
    at = _opened(tmp_path, EFFECT)
    at.slider[0].set_value(8000.0).run()
    at.selectbox(key="b-input").set_value("impulse").run()
    assert 0.1 < _peak(at) <= 0.5  # one pole at 8 kHz passes a good part of the impulse's first sample

    at.selectbox(key="b-input").set_value("uploaded WAV").run()
    at.file_uploader(key="b-wav").set_value(("take.wav", b"not a wav at all", "audio/wav")).run()
    assert not at.exception and "not a PCM WAV file" in at.error[0].value


def test_a_synth_has_no_input_and_its_button_can_be_left_up(tmp_path):
    at = _opened(tmp_path, SYNTH)
    assert not [s for s in at.selectbox if s.key == "b-input"]
    assert 0.45 < _peak(at) <= 0.5
    (gate,) = [t for t in at.toggle if t.label.startswith("gate")]
    gate.set_value(False).run()
    assert _peak(at) == 0 and any("silent" in w.value for w in at.warning)


def test_a_program_the_bench_cannot_build_says_why(tmp_path):
    at = _opened(tmp_path, "process = oscx;\n")
    assert "undefined symbol : oscx" in at.error[0].value
