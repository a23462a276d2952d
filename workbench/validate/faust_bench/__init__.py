"""The FAUST bench: a validated program built once into a binary that takes control values
and a test input, so moving a slider re-runs it (tens of milliseconds) instead of rebuilding
it (most of a second); plus its block diagram, UI description and measured response."""

from workbench.validate.faust_bench.controls import Control, parse_controls
from workbench.validate.faust_bench.drum_loop import drum_loop
from workbench.validate.faust_bench.inputs import TestInput, decode_wav, fit_length, generated_input
from workbench.validate.faust_bench.program import BenchBuild, BenchProgram, build_bench
from workbench.validate.faust_bench.render import BenchRender, render_bench
from workbench.validate.faust_bench.response import Response, frequency_response, measure_response

__all__ = [
    "BenchBuild", "BenchProgram", "BenchRender", "Control", "Response", "TestInput", "build_bench",
    "decode_wav", "drum_loop", "fit_length", "frequency_response", "generated_input", "measure_response",
    "parse_controls", "render_bench",
]
