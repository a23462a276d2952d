"""Settings pointing the backends at a local test server."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

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
