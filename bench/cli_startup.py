"""How long `hrm-reason --help` takes, against a bare `python -c pass` measured in the same run.

Run: .venv/bin/python bench/cli_startup.py [RUNS]
"""

from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path


def median_seconds(command: list[str], runs: int) -> float:
    """Median wall time of `runs` runs of `command` (after one warm-up run for the file cache)."""
    subprocess.run(command, check=True, capture_output=True)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 9
    script = Path(sys.executable).with_name("hrm-reason")
    cli = [str(script)] if script.exists() else [shutil.which("hrm-reason") or "hrm-reason"]
    baseline = median_seconds([sys.executable, "-c", "pass"], runs)
    rows = [("python -c pass (baseline)", baseline), ("hrm-reason --help", median_seconds([*cli, "--help"], runs))]
    print(f"median of {runs} runs")
    print(f"{'command':28} {'seconds':>8} {'× baseline':>11}")
    for name, seconds in rows:
        print(f"{name:28} {seconds:8.3f} {seconds / baseline:11.1f}")


if __name__ == "__main__":
    main()
