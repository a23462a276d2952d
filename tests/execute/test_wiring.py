"""`MultiModelGLMSystem()` with no arguments wires settings, storage and a backend by itself."""

from __future__ import annotations

import pytest

from multi_model_system import MultiModelGLMSystem
from workbench.execute.hooks import CodeValidator
from workbench.retrieval import KnowledgeBase


def test_no_arguments_falls_back_to_the_embedded_model_and_says_why(tmp_path, monkeypatch):
    monkeypatch.setenv("WORKBENCH_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("WORKBENCH_LLM__BACKEND", "auto")
    monkeypatch.setenv("OLLAMA_HOST", "127.0.0.1:9")
    glm = MultiModelGLMSystem()
    assert glm.backend_name == "embedded"
    assert "127.0.0.1:9" in glm.backend_notice and "embedded" in glm.backend_notice
    assert glm.settings.db_path.exists() and glm.list_projects() == []
    assert isinstance(glm.retriever, KnowledgeBase) and isinstance(glm.validator, CodeValidator)
    assert glm.models["Qwen2.5-Coder (Implementation)"] == "qwen2.5-coder:32b"
    assert glm.get_available_models() == [glm.backend.model_name]
    glm.set_backend("ollama")
    assert glm.backend_name == "ollama" and glm.backend_notice is None
    assert glm.get_available_models() == []  # unreachable: nothing to offer, no exception
    with pytest.raises(ValueError, match="Unknown backend"):
        glm.set_backend("gpt")
