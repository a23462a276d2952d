import sys
import time

from workbench.validate.sandbox import run_bounded


def test_a_timeout_kills_the_whole_process_tree(tmp_path):
    marker = tmp_path / "survivor"
    started = time.monotonic()
    run = run_bounded(["sh", "-c", f"(sleep 3; touch {marker}) & sleep 30"], cwd=tmp_path, timeout_s=0.5)
    assert run.timed_out and time.monotonic() - started < 3
    time.sleep(3.5)
    assert not marker.exists()


def test_the_memory_limit_stops_a_greedy_program(tmp_path):
    greedy = [sys.executable, "-c", "x = bytearray(2_000_000_000)"]
    run = run_bounded(greedy, cwd=tmp_path, timeout_s=20, memory_mb=300)
    assert run.returncode != 0 and "MemoryError" in run.stderr


def test_an_isolated_run_sees_no_network_interface_but_loopback(tmp_path):
    run = run_bounded(["cat", "/proc/net/dev"], cwd=tmp_path, timeout_s=10, isolate_network=True)
    interfaces = {line.split(":")[0].strip() for line in run.stdout.splitlines()[2:]}
    assert run.network_isolated and interfaces == {"lo"}
