"""Model backends behind one protocol, and the choice between them."""

from workbench.llm.base import Backend, BackendError, BackendUnavailable, ModelNotFound
from workbench.llm.embedded import EmbeddedBackend
from workbench.llm.ollama_backend import OllamaBackend
from workbench.llm.openai_compat import OpenAICompatBackend
from workbench.llm.registry import CHOICES, resolve_model, select_backend

__all__ = [
    "CHOICES",
    "Backend",
    "BackendError",
    "BackendUnavailable",
    "EmbeddedBackend",
    "ModelNotFound",
    "OllamaBackend",
    "OpenAICompatBackend",
    "resolve_model",
    "select_backend",
]
