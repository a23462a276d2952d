"""Case: `hrm-reason validate ... | head` ended in a BrokenPipeError traceback, and a
command-line argument that is not UTF-8 in a codec error. The real CLI, as a subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

OSC = 'import("stdfaust.lib");\nprocess = os.osc(440) * 0.5;\n'


def _cli(tmp_path: Path) -> tuple[list[str], dict[str, str]]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "WORKBENCH_DATA_DIR": str(tmp_path / "data")}
    return [sys.executable, "-m", "workbench"], env


def test_output_cut_short_by_the_reader_ends_quietly(tmp_path):
    program = tmp_path / "osc.dsp"
    program.write_text(OSC)
    command, env = _cli(tmp_path)
    process = subprocess.Popen([*command, "validate", str(program), "--json"], cwd=tmp_path, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    process.stdout.close()  # what `| head` does once it has its lines: the write gets EPIPE
    stderr = process.stderr.read().decode()
    assert process.wait(120) == 141, stderr
    assert "Traceback" not in stderr and "BrokenPipeError" not in stderr


def test_an_argument_that_is_not_utf8_is_refused_in_one_line(tmp_path):
    command, env = _cli(tmp_path)
    run = subprocess.run([*command, "validate", os.fsdecode(b"synth\xff.dsp")], cwd=tmp_path, env=env,
                         capture_output=True, timeout=120)
    stderr = run.stderr.decode()
    assert run.returncode == 2
    assert stderr == "hrm-reason: argument 2 is not valid UTF-8 text (byte 0xff at character 6) — pass the text in UTF-8\n"
