"""Saving and loading the HRM checkpoint: weights, config, tokenizer and training record in
one file, so a checkpoint can never be paired with the wrong tokenizer."""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch
from tokenizers import Tokenizer

from workbench.hrm.model import HRM, HRMConfig

FORMAT_VERSION = 1


class CheckpointError(RuntimeError):
    """The checkpoint is missing, unreadable, or not an HRM checkpoint of this version."""


@dataclass
class LoadedCheckpoint:
    model: HRM
    tokenizer: Tokenizer
    sha256: str
    meta: dict[str, Any]


def save_checkpoint(path: Path, model: HRM, tokenizer: Tokenizer, meta: dict[str, Any] | None = None) -> str:
    """Write atomically (temp file, then rename) and return the file's sha256."""
    payload = {
        "format_version": FORMAT_VERSION,
        "config": model.config.to_dict(),
        "state_dict": {k: v.detach().cpu() for k, v in model.state_dict().items()},
        "tokenizer": tokenizer.to_str(),
        "meta": meta or {},
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    torch.save(payload, buffer)
    data = buffer.getvalue()
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_bytes(data)
    tmp.replace(path)
    return hashlib.sha256(data).hexdigest()


def load_checkpoint(path: Path, device: torch.device) -> LoadedCheckpoint:
    """Load a checkpoint or raise CheckpointError saying what is wrong and what to do."""
    path = Path(path)
    if not path.is_file():
        raise CheckpointError(f"no HRM checkpoint at {path}: train one with `hrm-reason train --output {path}`")
    data = path.read_bytes()
    try:
        payload = torch.load(io.BytesIO(data), map_location=device, weights_only=True)
    except Exception as error:  # torch raises many types for a damaged file
        raise CheckpointError(
            f"HRM checkpoint {path} is corrupt or not a torch file ({type(error).__name__}); "
            f"retrain it with `hrm-reason train --output {path}`"
        ) from error
    if not isinstance(payload, dict) or payload.get("format_version") != FORMAT_VERSION:
        raise CheckpointError(
            f"{path} is not an HRM checkpoint of format {FORMAT_VERSION}; retrain it with `hrm-reason train`"
        )
    try:
        model = HRM(HRMConfig(**payload["config"]))
        model.load_state_dict(payload["state_dict"])
        tokenizer = Tokenizer.from_str(payload["tokenizer"])
    except Exception as error:  # a config, state dict or tokenizer this code cannot use
        raise CheckpointError(f"HRM checkpoint {path} does not match this code ({error}); retrain it") from error
    return LoadedCheckpoint(model.to(device).eval(), tokenizer, hashlib.sha256(data).hexdigest(), payload.get("meta", {}))
