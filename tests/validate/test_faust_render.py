import subprocess
import time
from pathlib import Path

import numpy as np

from tests.validate.conftest import OSC_440, with_validation
from workbench.validate import validate_code
from workbench.validate.faust_render import run_render_binary
from workbench.validate.signal_checks import band_level_db
from workbench.validate.wav_file import read_wav


def test_a_440_hz_oscillator_peaks_at_440_hz(vsettings):
    result = validate_code(OSC_440, "faust", vsettings, render_seconds=0.5)
    assert result.ok is True and result.checks == ["compiled", "rendered"]
    stats = result.render
    assert abs(stats.peak_hz - 440) < 1
    assert abs(stats.peak - 0.5) < 0.01 and abs(stats.rms - 0.5 / np.sqrt(2)) < 0.01
    samples, rate = read_wav(result.wav_path)
    assert rate == 48000 and samples.shape == (24000, 1)


def test_nan_output_is_flagged(vsettings):
    code = 'import("stdfaust.lib");\nprocess = os.osc(440) - 2 : sqrt;\n'
    result = validate_code(code, "faust", vsettings, render_seconds=0.2)
    assert result.ok is False and result.render.nan
    assert result.checks == ["compiled"]
    assert "NaN" in result.errors[0].message


def test_silence_is_flagged(vsettings):
    result = validate_code('import("stdfaust.lib");\nprocess = os.osc(440) * 0;\n', "faust", vsettings, render_seconds=0.2)
    assert result.ok is False and result.render.silent
    assert result.badge == "failed — the output is silent"


def test_clipping_is_flagged(vsettings):
    result = validate_code('import("stdfaust.lib");\nprocess = os.osc(100) * 1.5;\n', "faust", vsettings, render_seconds=0.2)
    assert result.ok is False and result.render.clipped and result.render.peak > 1.4


def test_a_filter_gets_noise_at_its_input_and_attenuates_above_cutoff(vsettings):
    code = 'import("stdfaust.lib");\nprocess = fi.lowpass(4, 500);\n'
    result = validate_code(code, "faust", vsettings, render_seconds=0.5)
    assert result.ok is True
    samples, rate = read_wav(result.wav_path)
    assert band_level_db(samples, rate, 100, 400) - band_level_db(samples, rate, 4000, 8000) > 40


def test_buttons_are_held_for_the_first_half_so_envelopes_open_and_close(vsettings):
    code = 'import("stdfaust.lib");\nprocess = os.osc(220) * en.asr(0.01, 1, 0.05, button("gate")) * 0.5;\n'
    result = validate_code(code, "faust", vsettings, render_seconds=0.4)
    samples, _ = read_wav(result.wav_path)
    assert np.abs(samples[2000:9000]).max() > 0.4
    assert np.abs(samples[-2000:]).max() < 1e-3


def _hostile_binary(workdir: Path, body: str) -> Path:
    """A `render` binary doing `body` in main: what a program that got past the FAUST checks
    could do. Built with the real g++."""
    (workdir / "hostile.cpp").write_text(
        "#include <csignal>\n#include <cstdio>\n#include <unistd.h>\nint main() {" + body + "}\n")
    subprocess.run(["g++", "-O0", "hostile.cpp", "-o", "render"], cwd=workdir, check=True, timeout=120)
    return workdir


def test_a_render_that_never_returns_is_killed_at_the_time_limit(vsettings, tmp_path):
    workdir = _hostile_binary(tmp_path, "sleep(100); return 0;")
    started = time.monotonic()
    error = run_render_binary(workdir, with_validation(vsettings, render_timeout_s=2.0), 100)
    assert time.monotonic() - started < 10
    assert "did not finish within 2 s" in error.message


def test_a_render_that_kills_itself_or_closes_its_stdout_is_reported(vsettings, tmp_path):
    error = run_render_binary(_hostile_binary(tmp_path, "raise(15); return 0;"), vsettings, 100)
    assert "killed by signal 15" in error.message
    error = run_render_binary(_hostile_binary(tmp_path, "close(1); return 0;"), vsettings, 100)
    assert "ended without finishing its output" in error.message


def test_foreign_functions_other_than_pure_math_are_refused_before_compiling(vsettings):
    hostile = 'sleep = ffunction(int sleep(int), <unistd.h>, "");\nprocess = sleep(100);\n'
    result = validate_code(hostile, "faust", vsettings, render_seconds=0.1)
    assert result.ok is False and result.checks == [] and "ffunction 'sleep' is not allowed" in result.errors[0].message
    maths = ('import("stdfaust.lib");\nsh = ffunction(float sinhf|sinh|sinhl (float), <math.h>, "");\n'
             'process = os.osc(440) * sh(0.5);\n')
    result = validate_code(maths, "faust", vsettings, render_seconds=0.1)
    assert result.ok is True and abs(result.render.peak - 0.521) < 0.01


def test_a_program_without_outputs_is_reported(vsettings):
    result = validate_code("process = !;\n", "faust", vsettings, render_seconds=0.1)
    assert result.ok is False and result.errors[0].message == "the Faust program has no output signal"


def test_a_delay_line_larger_than_the_stack_renders(vsettings):
    # 16 MB of delay line in the DSP object: more than the default 8 MB stack, so the render
    # program must keep the object on the heap
    code = 'import("stdfaust.lib");\nprocess = os.osc(440) <: _, @(4000000) :> _;\n'
    result = validate_code(code, "faust", vsettings, render_seconds=0.2)
    assert result.render is not None, result.errors
    assert result.ok is True and abs(result.render.peak_hz - 440) < 2
