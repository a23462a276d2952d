"""Settings pointing the backends at a local test server."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from tests.llm.llama_server import LlamaServer
from workbench.config import Settings, load_settings


@pytest.fixture
def server_settings(tmp_path: Path, httpserver: HTTPServer) -> Settings:
    """Ollama and the OpenAI-compatible client both aimed at the pytest-httpserver."""
    base = httpserver.url_for("/").rstrip("/")
    return load_settings(
        data_dir=tmp_path / "data",
        llm={
            "ollama_host": base,
            "openai_base_url": base + "/v1",
            "ollama_keep_alive": "7m",
            "connect_timeout_s": 2.0,
            "request_timeout_s": 10.0,
        },
    )


@pytest.fixture(scope="session")
def llama_server() -> Iterator[LlamaServer]:
    """One real llama.cpp server for the session: the model loads once."""
    with LlamaServer() as server:
        yield server


@pytest.fixture
def llama_settings(tmp_path: Path, llama_server: LlamaServer) -> Settings:
    """Settings whose openai backend is the real llama.cpp server."""
    return load_settings(
        data_dir=tmp_path / "data",
        llm={"backend": "openai", "openai_base_url": llama_server.base_url, "ollama_host": "http://127.0.0.1:9",
             "connect_timeout_s": 5.0, "request_timeout_s": 120.0},
    )
