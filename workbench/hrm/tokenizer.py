"""A small byte-level BPE trained offline on the project's own text; nothing is downloaded.

The network sees `[CLS] tokens…` truncated to `max_len`; the first position is where the
heads read the H-state, like the puzzle-embedding position of the reference model.
"""

from __future__ import annotations

from collections.abc import Iterable

import torch
from tokenizers import Tokenizer, decoders, models, normalizers, pre_tokenizers, trainers

SPECIAL_TOKENS = ["[PAD]", "[CLS]", "[UNK]"]
PAD_ID, CLS_ID, UNK_ID = 0, 1, 2


def train_tokenizer(texts: Iterable[str], vocab_size: int) -> Tokenizer:
    """Train a lower-cased byte-level BPE on `texts` (deterministic for the same input)."""
    tokenizer = Tokenizer(models.BPE(unk_token="[UNK]"))
    tokenizer.normalizer = normalizers.Sequence([normalizers.NFKC(), normalizers.Lowercase()])
    tokenizer.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=True)
    tokenizer.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=vocab_size, special_tokens=SPECIAL_TOKENS, min_frequency=2,
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(), show_progress=False,
    )
    tokenizer.train_from_iterator(texts, trainer=trainer)
    return tokenizer


def encode_batch(tokenizer: Tokenizer, texts: list[str], max_len: int) -> tuple[torch.Tensor, torch.Tensor]:
    """Token ids (B, T) padded to the longest text (at most max_len) and the real-token mask."""
    rows = [[CLS_ID] + enc.ids[: max_len - 1] for enc in tokenizer.encode_batch(texts)]
    length = max(len(r) for r in rows)
    ids = torch.full((len(rows), length), PAD_ID, dtype=torch.long)
    for i, row in enumerate(rows):
        ids[i, : len(row)] = torch.tensor(row)
    return ids, ids != PAD_ID
