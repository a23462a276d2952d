"""A private workbench for the server tests: a temp data dir with a small BM25 index over
copies of real FAUST libraries and JUCE headers, the embedded SmolLM2 model with a small
token limit, and the environment that makes a server subprocess use exactly that."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.retrieval.conftest import copy_sources
from workbench.config import Settings, load_settings

REPO = Path(__file__).resolve().parents[2]
FAUST_LIBS = ["stdfaust.lib", "filters.lib", "oscillators.lib", "maths.lib", "basics.lib", "platform.lib"]
HEADERS = ["juce_audio_basics/buffers/juce_AudioSampleBuffer.h"]
ANSWER_TOKENS = 16
GOOD_FAUST = 'import("stdfaust.lib");\nprocess = os.osc(440) * 0.5;\n'


@pytest.fixture(scope="package")
def workbench_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Environment variables of a server subprocess, over an index ingested here once."""
    root = tmp_path_factory.mktemp("serve")
    sources = copy_sources(root, FAUST_LIBS, HEADERS, [])
    env = {
        "WORKBENCH_DATA_DIR": str(root / "data"),
        "WORKBENCH_LLM__BACKEND": "embedded",
        "WORKBENCH_LLM__OLLAMA_HOST": "http://127.0.0.1:9",
        "WORKBENCH_LLM__MAX_ANSWER_TOKENS": str(ANSWER_TOKENS),
        "WORKBENCH_RETRIEVAL__USE_EMBEDDINGS": "false",
        "WORKBENCH_RETRIEVAL__FAUST_LIB_DIR": str(sources["faust"]),
        "WORKBENCH_RETRIEVAL__FAUST_EXAMPLES_DIR": str(sources["examples"]),
        "WORKBENCH_RETRIEVAL__JUCE_DIR": str(sources["juce"]),
        "WORKBENCH_VALIDATION__JUCE_PRECOMPILED_HEADER": "false",  # one check costs less than building it
    }
    from workbench.retrieval import KnowledgeBase

    kb = KnowledgeBase(settings_from(env))
    kb.ingest()
    kb.close()
    return env


def settings_from(env: dict[str, str]) -> Settings:
    """The settings a subprocess with `env` reads (for checking what it stored)."""
    saved = {key: os.environ.get(key) for key in env}
    os.environ.update(env)
    try:
        return load_settings()
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key)
            else:
                os.environ[key] = value


def subprocess_env(env: dict[str, str]) -> dict[str, str]:
    return {**os.environ, **env, "PYTHONPATH": str(REPO)}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(args: list[str], env: dict[str, str], ready_url: str, headers: dict[str, str] | None = None,
                 timeout_s: float = 60.0) -> subprocess.Popen:
    """`python -m workbench ARGS` in the background, returned once `ready_url` answers."""
    process = subprocess.Popen([sys.executable, "-m", "workbench", *args], env=subprocess_env(env), cwd=REPO,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with {process.returncode}: {process.stderr.read()}")
        try:
            httpx.get(ready_url, headers=headers, timeout=1.0)
            return process
        except httpx.TransportError:
            time.sleep(0.2)
    stop(process)
    raise TimeoutError(f"{ready_url} did not answer within {timeout_s:g} s")


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
