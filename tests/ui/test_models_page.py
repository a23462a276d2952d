"""The Models page through AppTest: hosts and their models, a role's missing model pulled from
a local server speaking Ollama's streamed pull, the role map saved, speeds charted."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from streamlit.testing.v1 import AppTest

from multi_model_system import MultiModelGLMSystem
from tests.fakes import FakeBackend, use_backend
from tests.llm.test_model_pull import PULL_LINES
from tests.llm.test_role_backends import TAGS
from tests.ui.conftest import APP
from workbench.config import load_settings
from workbench.ui import session

TIMEOUT = 30


@pytest.fixture
def laptop(httpserver: HTTPServer) -> str:
    """An Ollama host with one model installed, which is not the coder role's."""
    httpserver.expect_request("/api/tags").respond_with_json(TAGS)
    httpserver.expect_request("/api/pull", method="POST").respond_with_data(
        "".join(json.dumps(line) + "\n" for line in PULL_LINES), content_type="application/x-ndjson")
    return httpserver.url_for("/").rstrip("/")


@pytest.fixture
def glm(tmp_path: Path, laptop: str, monkeypatch: pytest.MonkeyPatch) -> MultiModelGLMSystem:
    config = tmp_path / "settings.toml"
    config.write_text(f'[hosts.laptop]\nbackend = "ollama"\nbase_url = "{laptop}"\n[roles.coder]\nhost = "laptop"\n')
    monkeypatch.setenv("WORKBENCH_CONFIG", str(config))
    settings = load_settings(
        data_dir=tmp_path / "data",
        llm={"backend": "embedded", "ollama_host": "http://127.0.0.1:9", "connect_timeout_s": 2.0},
    )
    system = MultiModelGLMSystem(use_backend(settings, FakeBackend("one two three four", models=["fake-model"], token_delay_s=0.002)),
                                 retriever=None, validator=None)
    monkeypatch.setattr(session, "facade_factory", lambda: system)
    session.get_system.clear()
    yield system
    session.get_system.clear()


def open_page() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.switch_page("pages/5_Models.py")
    return at.run()


def test_hosts_show_health_latency_and_installed_models(glm):
    at = open_page()

    hosts = at.dataframe[0].value
    # the run's own backend (the tests' scripted one, registered by name) is a host too
    assert list(hosts["host"]) == ["ollama", "embedded", "laptop", "scripted"]
    assert list(hosts["health"]) == ["down", "up", "up", "up"]
    assert hosts["latency_ms"].ge(0).all()
    assert "Ollama is not reachable at http://127.0.0.1:9" in hosts["detail"][0]
    laptop_models = next(df.value for df in at.dataframe[1:] if "qwen2.5-coder:7b" in list(df.value["model"]))
    row = laptop_models.iloc[0]
    assert (row["family"], row["parameters"], row["quantization"], row["size_gb"]) == ("qwen2", "7.6B", "Q4_K_M", 4.68)
    assert any("**coder** · `qwen2.5-coder:32b` on **laptop**" in w.value and "not installed" in w.value
               for w in at.warning)
    assert any("**reasoning**" in w.value and "on **scripted**" in w.value for w in at.warning)


def test_a_missing_role_model_is_pulled_with_a_progress_bar(glm, httpserver):
    at = open_page()
    (pull,) = [b for b in at.button if b.label == "Pull qwen2.5-coder:32b on laptop"]
    at = pull.click().run()

    (bar,) = at.get("progress")
    assert bar.proto.value == 100 and bar.proto.text == "success"
    assert [s.value for s in at.success] == ["Pulled qwen2.5-coder:32b on laptop"]
    pulls = [request for request, _ in httpserver.log if request.path == "/api/pull"]
    assert [r.get_json()["model"] for r in pulls] == ["qwen2.5-coder:32b"]


def test_the_role_map_is_saved_to_the_settings_file(glm, tmp_path):
    at = open_page()
    at.selectbox(key="map_host_math").set_value("laptop")
    at.text_input(key="map_tag_math").set_value("qwen2.5-coder:7b")
    at.multiselect(key="map_fallback_math").set_value(["embedded"])
    (save,) = [b for b in at.button if b.label.startswith("Save to")]
    at = save.click().run()

    saved = tomllib.loads((tmp_path / "settings.toml").read_text())
    assert saved["roles"]["math"] == {"tag": "qwen2.5-coder:7b", "host": "laptop", "fallback": ["embedded"]}
    assert saved["roles"]["coder"] == {"tag": "qwen2.5-coder:32b", "host": "laptop"}
    assert saved["roles"]["reasoning"] == {"tag": "deepseek-r1:70b"}
    assert saved["hosts"]["laptop"]["backend"] == "ollama"  # the rest of the file is kept
    assert any(s.value.startswith("Saved the role map to") for s in at.success)


def test_speeds_are_charted_from_the_stored_runs(glm):
    glm.chat_with_model_enhanced("What is a biquad?", use_hrm_decomposition=False)
    at = open_page()
    tokens, first_token = (json.loads(c.proto.spec) for c in at.get("plotly_chart"))
    assert tokens["layout"]["title"]["text"] == "tokens per second"
    assert first_token["layout"]["title"]["text"] == "first-token latency (ms)"
    assert "fake-model" in json.dumps(tokens["data"]) and "fake-model" in json.dumps(first_token["data"])
