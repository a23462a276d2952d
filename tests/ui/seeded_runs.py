"""Runs written into a data directory before `streamlit run` starts on it, so browser tests
see stored answers without waiting for a real model (the pages and storage stay real)."""

from __future__ import annotations

from pathlib import Path

from multi_model_system import MultiModelGLMSystem
from tests.fakes import FakeBackend, use_backend
from tests.ui.plans import FixedPlanner
from workbench.config import load_settings


def seed_run(data_dir: Path, answer: str, question: str, *, decompose: bool, token_delay_s: float = 0.0) -> int:
    """Ask `question` of a scripted model answering `answer`; the conversation's id."""
    settings = load_settings(data_dir=data_dir, llm={"backend": "embedded", "ollama_host": "http://127.0.0.1:9"})
    glm = MultiModelGLMSystem(use_backend(settings, FakeBackend(answer, token_delay_s=token_delay_s, models=["fake-model"])),
                              retriever=None, validator=None, hrm=FixedPlanner())
    return glm.chat_with_model_enhanced(question, use_hrm_decomposition=decompose).conversation_id
