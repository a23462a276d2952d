import subprocess
import sys
import time

import pytest

from workbench.validate import sandbox
from workbench.validate.sandbox import Confinement, run_bounded


@pytest.fixture(params=["prlimit", "preexec_fn"])
def limit_mechanism(request, monkeypatch):
    """Run the test once through each way of setting limits; record every Popen call to
    check which way was really taken (the child itself runs for real)."""
    if request.param == "preexec_fn":
        monkeypatch.setattr(sandbox, "prlimit_path", lambda: None)
    else:
        assert sandbox.prlimit_path(), "prlimit (util-linux) is installed here and on every Debian"
    calls = []

    class RecordingPopen(subprocess.Popen):
        def __init__(self, args, **kwargs):
            calls.append((args, kwargs))
            super().__init__(args, **kwargs)

    monkeypatch.setattr(sandbox.subprocess, "Popen", RecordingPopen)
    yield request.param
    args, kwargs = calls[-1]
    if request.param == "prlimit":
        assert args[0] == sandbox.prlimit_path() and kwargs["preexec_fn"] is None
    else:
        assert args[0] != "prlimit" and callable(kwargs["preexec_fn"])
    assert kwargs["start_new_session"] is True


def test_a_timeout_kills_the_whole_process_tree(tmp_path):
    marker = tmp_path / "survivor"
    started = time.monotonic()
    run = run_bounded(["sh", "-c", f"(sleep 3; touch {marker}) & sleep 30"], cwd=tmp_path, timeout_s=0.5)
    assert run.timed_out and time.monotonic() - started < 3
    time.sleep(3.5)
    assert not marker.exists()


def test_the_memory_limit_stops_a_greedy_program(tmp_path, limit_mechanism):
    greedy = [sys.executable, "-c", "x = bytearray(2_000_000_000)"]
    run = run_bounded(greedy, cwd=tmp_path, timeout_s=20, memory_mb=300)
    assert run.returncode != 0 and "MemoryError" in run.stderr


def test_a_memory_hog_growing_step_by_step_is_stopped_at_the_limit(tmp_path, limit_mechanism):
    # grows in 10 MB steps, touching every page; only the address-space limit can stop it
    hog = [sys.executable, "-c", "chunks = []\nwhile True: chunks.append(bytearray(10_000_000))"]
    started = time.monotonic()
    run = run_bounded(hog, cwd=tmp_path, timeout_s=20, memory_mb=200)
    assert not run.timed_out and run.returncode != 0 and time.monotonic() - started < 10
    assert "MemoryError" in run.stderr


def test_the_child_really_runs_under_every_limit(tmp_path, limit_mechanism):
    report = "ulimit -v; ulimit -t; ulimit -f; ulimit -c"  # KiB, seconds, 512-byte blocks, blocks
    run = run_bounded(["sh", "-c", report], cwd=tmp_path, timeout_s=4.5, memory_mb=300, file_mb=3)
    assert run.returncode == 0, run.stderr
    assert run.stdout.split() == [str(300 * 1024), "5", str(3 * 2048), "0"]


def test_without_a_memory_limit_the_address_space_stays_unlimited(tmp_path, limit_mechanism):
    run = run_bounded(["sh", "-c", "ulimit -v"], cwd=tmp_path, timeout_s=5)
    assert run.stdout.strip() == "unlimited"


def test_an_isolated_run_sees_no_network_interface_but_loopback(tmp_path):
    run = run_bounded(["cat", "/proc/net/dev"], cwd=tmp_path, timeout_s=10, confinement=Confinement(tmp_path))
    interfaces = {line.split(":")[0].strip() for line in run.stdout.splitlines()[2:]}
    assert run.confined and interfaces == {"lo"}


def test_limits_and_confinement_combine(tmp_path, limit_mechanism):
    run = run_bounded(["sh", "-c", "ulimit -v; wc -l < /proc/net/dev"], cwd=tmp_path, timeout_s=10,
                      memory_mb=300, confinement=Confinement(tmp_path))
    assert run.confined and run.stdout.split() == [str(300 * 1024), "3"]


def test_a_timeout_kills_a_confined_tree_too(tmp_path):
    marker = tmp_path / "survivor"
    run = run_bounded(["sh", "-c", f"(sleep 3; touch {marker}) & sleep 30"], cwd=tmp_path, timeout_s=0.5,
                      confinement=Confinement(tmp_path))
    assert run.timed_out
    time.sleep(3.5)
    assert not marker.exists()


def test_a_confined_child_killed_by_a_signal_reads_as_killed(tmp_path):
    run = run_bounded(["sh", "-c", "kill -15 $$"], cwd=tmp_path, timeout_s=10, confinement=Confinement(tmp_path))
    assert run.returncode == -15
