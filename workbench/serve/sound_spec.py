"""A caller's spec of the sound checked against what the render measured.

The measurements are the validator's (`RenderStats`); this only compares them with what the
caller asked for and says both numbers, so an agent can see how far off a program is.
"""

from __future__ import annotations

from workbench.serve.schemas import SoundSpec, SpecCheck
from workbench.validate import RenderStats


def check_spec(stats: RenderStats, spec: SoundSpec) -> list[SpecCheck]:
    """One check per field the spec sets, in the spec's field order."""
    checks = []
    if spec.frequency_hz is not None:
        measured = stats.peak_hz
        checks.append(SpecCheck(
            name="frequency", expected=f"{spec.frequency_hz:g} Hz ± {spec.tolerance:.0%}",
            measured=f"{measured:.1f} Hz" if measured is not None else "no tone (silence)",
            passed=measured is not None and abs(measured - spec.frequency_hz) <= spec.frequency_hz * spec.tolerance,
        ))
    if spec.channels is not None:
        checks.append(SpecCheck(name="channels", expected=str(spec.channels), measured=str(stats.channels),
                                passed=stats.channels == spec.channels))
    if spec.min_peak is not None:
        checks.append(SpecCheck(name="min_peak", expected=f"≥ {spec.min_peak:g}", measured=f"{stats.peak:.3f}",
                                passed=stats.peak >= spec.min_peak))
    if spec.max_peak is not None:
        checks.append(SpecCheck(name="max_peak", expected=f"≤ {spec.max_peak:g}", measured=f"{stats.peak:.3f}",
                                passed=stats.peak <= spec.max_peak))
    return checks
