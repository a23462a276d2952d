"""The FAUST bench with the real faust and g++: one build per program, then every control
change and test input only re-runs the sandboxed binary."""

from __future__ import annotations

import io
import wave

import numpy as np
import pytest

from workbench.validate.faust_bench import (
    TestInput, build_bench, decode_wav, drum_loop, fit_length, generated_input, measure_response, render_bench,
)
from workbench.validate.signal_checks import band_level_db, peak_frequency

RATE = 48000
EFFECT = """import("stdfaust.lib");
gain = hslider("h:Main/gain [unit:lin]", 0.5, 0, 1, 0.01);
shape = nentry("shape [style:menu{'soft':0;'hard':1}]", 0, 0, 1, 1);
bypass = checkbox("bypass");
process = _ * gain * (1 - bypass) * (1 + 0.001 * shape) : hbargraph("level", 0, 1);
"""
SYNTH = """import("stdfaust.lib");
process = os.osc(hslider("freq", 440, 50, 2000, 1)) * 0.5 * button("gate");
"""
LOWPASS = """import("stdfaust.lib");
process = fi.lowpass(2, hslider("cutoff [unit:Hz]", 1000, 100, 10000, 1));
"""


@pytest.fixture
def effect(vsettings):
    build = build_bench(EFFECT, vsettings)
    assert not build.errors
    return build.program


def noise(seconds: float) -> np.ndarray:
    return generated_input(TestInput.WHITE_NOISE, int(seconds * RATE), RATE)


def test_the_controls_come_from_faust_json_in_the_binary_order(effect):
    assert [(c.kind, c.label, c.address) for c in effect.controls] == [
        ("hslider", "gain", "/program/Main/gain"), ("checkbox", "bypass", "/program/bypass"),
        ("nentry", "shape", "/program/shape")]  # faust's order; the bargraph is an output, not a control
    gain, _, shape = effect.controls
    assert (gain.init, gain.min, gain.max, gain.step, gain.unit) == (0.5, 0.0, 1.0, 0.01, "lin")
    assert shape.choices == {"soft": 0.0, "hard": 1.0}
    assert (effect.inputs, effect.outputs, effect.is_effect) == (1, 1, True)
    assert [p.name for p in effect.diagrams()][0] == "process.svg"
    assert "<svg" in effect.diagrams()[0].read_text()


def test_a_program_is_built_once_and_then_taken_from_the_cache(vsettings, effect):
    again = build_bench(EFFECT, vsettings)
    assert not again.built and again.program.folder == effect.folder
    assert again.program.binary.stat().st_mtime_ns == effect.binary.stat().st_mtime_ns


def test_moving_a_slider_rerenders_with_the_new_value(vsettings, effect):
    signal = noise(0.5)
    loud = render_bench(effect, vsettings, {"/program/Main/gain": 0.8}, signal, 0.5)
    quiet = render_bench(effect, vsettings, {"/program/Main/gain": 0.2}, signal, 0.5)
    assert not loud.errors and not quiet.errors
    assert loud.stats.peak == pytest.approx(4 * quiet.stats.peak, rel=1e-3)
    assert loud.stats.peak == pytest.approx(0.8 * np.max(np.abs(signal)), rel=1e-3)
    assert loud.wav_bytes.startswith(b"RIFF")
    bypassed = render_bench(effect, vsettings, {"/program/bypass": 1}, signal, 0.5)
    assert bypassed.stats.silent


def test_values_outside_a_range_are_clamped_and_unknown_ones_ignored(vsettings, effect):
    signal = noise(0.25)
    clamped = render_bench(effect, vsettings, {"/program/Main/gain": 7, "/nowhere": 3}, signal, 0.25)
    full = render_bench(effect, vsettings, {"/program/Main/gain": 1}, signal, 0.25)
    assert clamped.stats.peak == pytest.approx(full.stats.peak)


def test_a_button_is_held_for_the_first_half_or_not_at_all(vsettings):
    synth = build_bench(SYNTH, vsettings).program
    assert not synth.is_effect
    pressed = render_bench(synth, vsettings, {"/program/freq": 1000}, None, 0.5)
    half = len(pressed.samples) // 2
    assert np.max(np.abs(pressed.samples[: half - 256])) > 0.4 and np.max(np.abs(pressed.samples[half + 256:])) == 0
    assert abs(peak_frequency(pressed.samples[: half - 256], RATE) - 1000) < 5
    released = render_bench(synth, vsettings, {"/program/gate": 0}, None, 0.5)
    assert released.stats.silent


def test_the_frequency_response_of_a_lowpass_follows_its_cutoff(vsettings):
    lowpass = build_bench(LOWPASS, vsettings).program
    response = measure_response(lowpass, vsettings, {"/program/cutoff": 1000})
    at = lambda hz: response.magnitude_db[int(np.argmin(np.abs(response.freqs - hz))), 0]  # noqa: E731
    assert abs(at(100)) < 0.5 and at(10_000) < -35 and abs(at(1000) + 3) < 1
    opened = measure_response(lowpass, vsettings, {"/program/cutoff": 8000})
    assert opened.magnitude_db[np.argmin(np.abs(opened.freqs - 4000)), 0] > -1
    assert measure_response(build_bench(SYNTH, vsettings).program, vsettings, {}) is None


def test_a_bad_program_reports_located_errors_and_builds_nothing(vsettings):
    build = build_bench('process = oscx;\n', vsettings)
    assert build.program is None and build.errors[0].line == 1 and "oscx" in build.errors[0].message


def test_a_render_length_outside_the_limit_is_refused(vsettings, effect):
    refused = render_bench(effect, vsettings, {}, None, 60)
    assert refused.samples is None and "between 0 and 10 s" in refused.errors[0].message


def test_the_test_signals_are_what_their_names_say():
    frames = RATE
    assert not generated_input(TestInput.SILENCE, frames, RATE).any()
    white = generated_input(TestInput.WHITE_NOISE, frames, RATE)
    pink = generated_input(TestInput.PINK_NOISE, frames, RATE)
    # white noise is flat; pink falls 3 dB per octave, 12 dB over four octaves
    assert abs(band_level_db(white, RATE, 200, 400) - band_level_db(white, RATE, 3200, 6400)) < 1.5
    assert abs(band_level_db(pink, RATE, 200, 400) - band_level_db(pink, RATE, 3200, 6400) - 12) < 2
    sweep = generated_input(TestInput.SINE_SWEEP, frames, RATE)
    assert peak_frequency(sweep[: frames // 10], RATE) < 60 and peak_frequency(sweep[-frames // 10:], RATE) > 5000
    pulse = generated_input(TestInput.IMPULSE, frames, RATE)
    assert pulse[0, 0] == 1 and not pulse[1:].any()
    with pytest.raises(ValueError, match="not a generated signal"):
        generated_input(TestInput.WAV, frames, RATE)


def _wav(samples: np.ndarray, rate: int, width: int) -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(samples.shape[1])
        out.setsampwidth(width)
        out.setframerate(rate)
        scaled = np.round(samples * (2 ** (8 * width - 1) - 1)).astype("<i4")
        out.writeframes(b"".join(int(v).to_bytes(4, "little", signed=True)[:width] for v in scaled.ravel()))
    return buffer.getvalue()


@pytest.mark.parametrize("width", [2, 3])
def test_an_uploaded_wav_is_decoded_and_resampled(width):
    t = np.arange(2205) / 22050
    stereo = np.column_stack([0.5 * np.sin(2 * np.pi * 441 * t), -0.25 * np.ones_like(t)])
    decoded = decode_wav(_wav(stereo, 22050, width), RATE)
    assert decoded.shape == (4800, 2)
    assert abs(peak_frequency(decoded[:, :1], RATE) - 441) < 5 and np.allclose(decoded[100:, 1], -0.25, atol=1e-3)


def test_a_file_that_is_not_a_pcm_wav_is_refused_in_one_line():
    with pytest.raises(ValueError, match="not a PCM WAV file") as refused:
        decode_wav(b"ID3 this is an mp3", RATE)
    assert "\n" not in str(refused.value)


def test_fit_length_loops_or_pads():
    signal = np.arange(3, dtype=np.float32).reshape(3, 1)
    assert fit_length(signal, 7, loop=True)[:, 0].tolist() == [0, 1, 2, 0, 1, 2, 0]
    assert fit_length(signal, 5, loop=False)[:, 0].tolist() == [0, 1, 2, 0, 0]


def test_the_drum_loop_is_rendered_by_faust_with_its_kicks_on_the_beat(vsettings):
    loop = drum_loop(vsettings)
    assert loop.shape == (2 * RATE, 1) and 0.3 < np.max(np.abs(loop)) <= 1
    step = RATE // 8  # a sixteenth note at 120 BPM
    energy = [float(np.sqrt(np.mean(loop[i * step:(i + 1) * step] ** 2))) for i in range(16)]
    assert energy[0] > 2 * energy[7] and energy[8] > 2 * energy[7]  # kicks on 1 and 3, the step before is quiet
