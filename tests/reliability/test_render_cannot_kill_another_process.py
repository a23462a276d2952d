"""Case: a FAUST answer calling `kill` through ffunction killed an unrelated process of the
same user. Now the declaration is refused before compiling, and a render binary that does
call kill (what a program past the checks could do) cannot see any process but its own.
(Never `kill(-1, ...)` here: should the sandbox ever break, it would kill every process of
the user running the tests.)"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from workbench.validate import validate_code
from workbench.validate.faust_render import run_render_binary


@pytest.fixture
def victim():
    """A real process of the same user, as the issue's attack found one."""
    process = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])
    yield process
    process.kill()
    process.wait()


def test_the_issue_program_is_refused_and_the_victim_lives(vsettings, victim):
    attack = f'k = ffunction(int kill(int,int), <signal.h>, "");\nprocess = k({victim.pid}, 9);\n'
    result = validate_code(attack, "faust", vsettings, render_seconds=0.1)
    assert result.ok is False and result.checks == []
    assert "ffunction 'kill' is not allowed" in result.errors[0].message and result.errors[0].line == 1
    assert victim.poll() is None


def test_a_render_binary_that_calls_kill_reaches_no_process_outside_its_sandbox(vsettings, victim, tmp_path: Path):
    (tmp_path / "attack.cpp").write_text(
        "#include <csignal>\n#include <cerrno>\n#include <cstdio>\n#include <cstdlib>\n"
        "int main(int argc, char** argv) {\n"
        f"  int direct = kill({victim.pid}, SIGKILL); int direct_errno = errno;\n"
        "  FILE* f = std::fopen(\"result.txt\", \"w\"); std::fprintf(f, \"%d %d\", direct, direct_errno);\n"
        "  std::fclose(f); return 0; }\n")
    subprocess.run(["g++", "attack.cpp", "-o", "render"], cwd=tmp_path, check=True, timeout=120)
    run_render_binary(tmp_path, vsettings, 10)
    assert victim.poll() is None, "the render binary killed a process outside its sandbox"
    assert (tmp_path / "result.txt").read_text() == "-1 3"  # it ran, and kill found no such process (ESRCH)
