"""The FAUST bench under a validated FAUST block: choose a test input, move the program's
own controls (read from `faust -json`), hear and see the result at once, look at the block
diagram, and take the `.dsp`, the WAV and a JUCE project away.

The bench opens on request (building the binary takes most of a second, once per program);
after that a control change only re-runs the built binary, sandboxed, and renders already
heard are kept by Streamlit's data cache.
"""

from __future__ import annotations

import hashlib
import io
import zipfile

import numpy as np
import streamlit as st

from workbench.config import Settings
from workbench.validate import make_juce_project
from workbench.validate.faust_bench import (
    BenchProgram, BenchRender, Control, Response, TestInput, build_bench, decode_wav, drum_loop, fit_length,
    generated_input, measure_response, render_bench,
)
from workbench.validate.faust_bench.response import RESPONSE_SECONDS
from workbench.ui.sound_figures import (
    frequency_response_figure, impulse_response_figure, spectrum_figure, waveform_figure,
)

DURATIONS = (0.5, 1.0, 2.0, 4.0)


def stats_line(rendered: BenchRender) -> str:
    """The measured numbers of a render, as the bench shows them."""
    stats = rendered.stats
    if stats is None:
        return ""
    loudest = f"{stats.peak_hz:.1f} Hz" if stats.peak_hz else "—"
    return (f"peak {stats.peak:.3f} · rms {stats.rms:.3f} · dc {stats.dc:.3f} · loudest frequency {loudest} · "
            f"rendered in {rendered.duration_s * 1000:.0f} ms")


# ------------------------------------------------------------------ cached work


@st.cache_data(max_entries=16, show_spinner=False)
def _input_signal(kind: str, frames: int, sample_rate: int, upload: bytes | None, _settings: Settings) -> np.ndarray:
    chosen = TestInput(kind)
    if chosen == TestInput.DRUM_LOOP:
        return fit_length(drum_loop(_settings), frames, loop=True)
    if chosen == TestInput.WAV:
        return fit_length(decode_wav(upload or b"", sample_rate), frames, loop=False)
    return generated_input(chosen, frames, sample_rate)


@st.cache_data(max_entries=64, show_spinner=False)
def _render(digest: str, values: tuple[tuple[str, float], ...], input_id: str, seconds: float,
            _program: BenchProgram, _settings: Settings, _signal: np.ndarray | None) -> BenchRender:
    return render_bench(_program, _settings, dict(values), _signal, seconds)


@st.cache_data(max_entries=64, show_spinner=False)
def _response_of(digest: str, values: tuple[tuple[str, float], ...], rate: int, _program: BenchProgram,
                 _settings: Settings) -> Response | None:
    return measure_response(_program, _settings, dict(values))


# ------------------------------------------------------------------ widgets


def _control_widget(control: Control, key: str) -> float:
    label = f"{control.label} ({control.unit})" if control.unit else control.label
    help_text = control.tooltip or None
    if control.kind == "button":
        return float(st.toggle(f"{label}: pressed for the first half", value=True, key=key, help=help_text))
    if control.kind == "checkbox":
        return float(st.checkbox(label, value=False, key=key, help=help_text))
    if control.choices:
        names = list(control.choices)
        start = min(range(len(names)), key=lambda i: abs(control.choices[names[i]] - control.init))
        return control.choices[st.selectbox(label, names, index=start, key=key, help=help_text)]
    low, high = sorted((control.min, control.max))
    if low == high:
        st.caption(f"{label}: fixed at {low:g}")
        return low
    step = control.step if control.step > 0 else None
    value = control.clamp(control.init)
    if control.kind == "nentry":
        return float(st.number_input(label, low, high, value, step, key=key, help=help_text))
    return float(st.slider(label, low, high, value, step, key=key, help=help_text))


def _controls(program: BenchProgram, key: str) -> dict[str, float]:
    if not program.controls:
        st.caption("The program has no controls.")
        return {}
    columns = st.columns(min(3, len(program.controls)))
    values = {}
    for index, control in enumerate(program.controls):
        with columns[index % len(columns)]:
            values[control.address] = _control_widget(control, f"{key}-{program.digest}-{index}")
    return values


def _test_input(program: BenchProgram, settings: Settings, key: str, seconds: float) -> tuple[str, np.ndarray | None]:
    """The chosen input signal and a short id of it for the render cache; ("", None) for a synth."""
    if not program.is_effect:
        st.caption(f"A synth: no input ({program.outputs} output{'s' * (program.outputs != 1)}).")
        return "", None
    kinds = [k.value for k in TestInput]
    kind = st.selectbox("Test input", kinds, index=kinds.index(TestInput.WHITE_NOISE.value), key=f"{key}-input")
    upload = None
    if kind == TestInput.WAV.value:
        uploaded = st.file_uploader("A WAV file", type=["wav"], key=f"{key}-wav")
        if uploaded is None:
            st.info("Choose a WAV file to send through the program.")
            return "", None
        upload = uploaded.getvalue()
    rate = settings.validation.render_sample_rate
    frames = int(seconds * rate)
    try:
        with st.spinner("Rendering the drum loop with FAUST…" if kind == TestInput.DRUM_LOOP.value else "Preparing…"):
            signal = _input_signal(kind, frames, rate, upload, settings)
    except (ValueError, RuntimeError) as error:
        st.error(f"That input cannot be used: {error}")
        return "", None
    tag = hashlib.sha256(upload).hexdigest()[:12] if upload else ""
    return f"{kind}|{frames}|{rate}|{tag}", signal


# ------------------------------------------------------------------ sections


def _diagram(program: BenchProgram, key: str) -> None:
    diagrams = program.diagrams()
    if not diagrams:
        st.caption("faust drew no block diagram for this program.")
        return
    with st.expander("Block diagram", expanded=True, icon=":material/schema:"):
        st.image(str(diagrams[0]), caption="process (faust -svg)")
        if len(diagrams) == 1:
            st.download_button("Download process.svg", diagrams[0].read_bytes(), file_name="process.svg",
                               mime="image/svg+xml", key=f"{key}-svg")
            return
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in diagrams:
                archive.write(path, path.name)
        st.download_button(f"Download the {len(diagrams)} diagrams (zip)", buffer.getvalue(),
                           file_name="block-diagram.zip", mime="application/zip", key=f"{key}-svg")


def _sound(rendered: BenchRender, key: str) -> None:
    st.caption(stats_line(rendered))
    for error in rendered.errors:
        st.warning(error.message)
    if rendered.samples is None:
        return
    left, right = st.columns(2)
    left.plotly_chart(waveform_figure(rendered.samples, rendered.sample_rate), key=f"{key}-bench-wave")
    right.plotly_chart(spectrum_figure(rendered.samples, rendered.sample_rate), key=f"{key}-bench-spectrum")
    st.audio(rendered.wav_bytes, format="audio/wav")


def _response(program: BenchProgram, settings: Settings, values: dict[str, float], key: str) -> None:
    response = _response_of(program.digest, tuple(sorted(values.items())), settings.validation.render_sample_rate,
                            program, settings)
    if response is None:
        return
    left, right = st.columns(2)
    left.plotly_chart(impulse_response_figure(response.impulse_response, response.render.sample_rate),
                      key=f"{key}-impulse")
    right.plotly_chart(frequency_response_figure(response.freqs, response.magnitude_db), key=f"{key}-frequency")
    st.caption(f"Measured with one full-scale sample through the program, {RESPONSE_SECONDS:g} s.")


def juce_download(code: str, settings: Settings, key: str) -> None:
    """Offer the faust2juce project; built only when asked, kept for the session."""
    store_key = f"{key}-juce-{hashlib.sha256(code.encode()).hexdigest()[:12]}"
    if store_key not in st.session_state:
        if not st.button("Make a JUCE plugin project", key=f"{key}-make-juce"):
            return
        with st.spinner("Running faust2juce…"):
            st.session_state[store_key] = make_juce_project(code, settings)
    project = st.session_state[store_key]
    if project.ok:
        st.download_button(f"Download {project.file_name}", project.zip_bytes, file_name=project.file_name,
                           mime="application/zip", key=f"{key}-download-juce")
    else:
        st.warning(project.status)


def render_faust_bench(code: str, settings: Settings, *, key: str) -> None:
    """The JUCE project offer, and the bench behind a toggle."""
    juce_download(code, settings, key)
    if not st.toggle("Open the FAUST bench", key=f"{key}-bench", help="Play the program with your own input and "
                     "controls; the first opening builds it (about a second)"):
        return
    with st.spinner("Building the bench binary (once per program)…"):
        build = build_bench(code, settings)
    if build.program is None:
        st.error("The bench could not build this program: " + "; ".join(e.message for e in build.errors))
        return
    program = build.program
    input_column, length_column = st.columns([3, 1])
    with length_column:
        seconds = st.select_slider("Seconds", DURATIONS, value=1.0, key=f"{key}-seconds")
    with input_column:
        input_id, signal = _test_input(program, settings, key, seconds)
    if program.is_effect and signal is None:
        return
    values = _controls(program, key)
    rendered = _render(program.digest, tuple(sorted(values.items())), input_id, seconds, program, settings, signal)
    _sound(rendered, key)
    _response(program, settings, values, key)
    _diagram(program, key)
    dsp_column, wav_column = st.columns(2)
    dsp_column.download_button("Download program.dsp", code, file_name="program.dsp", mime="text/plain",
                               key=f"{key}-dsp")
    if rendered.wav_bytes:
        wav_column.download_button("Download the WAV", rendered.wav_bytes, file_name="bench.wav", mime="audio/wav",
                                   key=f"{key}-bench-wav")
