"""Case: the render ran with prlimit and `unshare -n` only, so it saw every file and process of
the user. Confined now: read-only system, its scratch the only writable place, a private
/tmp, no home, no data directory, no environment, no network, no other process."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from workbench.validate import sandbox, validate_code
from workbench.validate.sandbox import Confinement, ConfinementUnavailable, run_bounded

PROBE = r"""
for path in "$HOME_DIR" "$DATA_DIR" "$OUTSIDE_TMP"; do test -e "$path" && echo "sees $path"; done
touch /usr/written 2>/dev/null && echo "wrote /usr"
touch "$HOME_DIR/written" 2>/dev/null && echo "wrote home"
touch ./inside && echo "scratch writable"
echo "pid 1 is $(cat /proc/1/comm), this shell is $$"
echo "interfaces $(tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d ' ' | tr '\n' ,)"
echo "token ${WB_TEST_TOKEN:-none}"
"""


def test_a_confined_program_sees_only_the_system_and_its_scratch(tmp_path: Path, vsettings, monkeypatch):
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    outside_tmp = Path(os.environ.get("TMPDIR", "/tmp")) / f"wb-visible-{os.getpid()}"
    outside_tmp.write_text("x")
    monkeypatch.setenv("WB_TEST_TOKEN", "secret-token")
    script = PROBE.replace("$HOME_DIR", str(Path.home())).replace("$DATA_DIR", str(vsettings.data_dir))
    script = script.replace("$OUTSIDE_TMP", str(outside_tmp))
    try:
        run = run_bounded(["sh", "-c", script], cwd=scratch, timeout_s=20, confinement=Confinement(scratch))
    finally:
        outside_tmp.unlink()
    assert run.returncode == 0, run.stderr
    assert run.stdout.split("\n")[:-1] == [
        "scratch writable", "pid 1 is bwrap, this shell is 2", "interfaces lo,", "token none"]
    assert (scratch / "inside").exists()


def test_without_bubblewrap_generated_code_is_compiled_but_never_run(vsettings, no_sandbox, tmp_path):
    result = validate_code('import("stdfaust.lib");\nprocess = os.osc(440) * 0.5;\n', "faust", vsettings, render_seconds=0.1)
    assert result.ok is True and result.checks == ["compiled"] and result.render is None
    assert result.warnings == [f"not rendered: generated code runs only in a sandbox, and {no_sandbox}"]
    with pytest.raises(ConfinementUnavailable, match="simulated"):
        run_bounded(["true"], cwd=tmp_path, timeout_s=5, confinement=Confinement(tmp_path))


def test_a_missing_bwrap_is_named_with_how_to_install_it(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))  # a PATH where no bwrap lives
    sandbox.confinement_problem.cache_clear()
    try:
        assert sandbox.confinement_problem() == (
            "bubblewrap (bwrap) is not installed — install bubblewrap (`apt-get install bubblewrap`) "
            "so generated code can run isolated")
    finally:
        monkeypatch.undo()
        sandbox.confinement_problem.cache_clear()
    assert sandbox.confinement_problem() is None, subprocess.run(["bwrap", "--version"], capture_output=True).stderr
