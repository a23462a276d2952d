"""Rendered WAVs are pruned to the newest `validation.keep_renders`."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from tests.validate.conftest import OSC_440, with_validation
from workbench.config import load_settings
from workbench.validate.faust_render import render_faust
from workbench.validate.render_cache import prune_renders
from workbench.validate.wav_file import write_wav

BASE_TIME = 1_700_000_000


def old_renders(folder: Path, count: int) -> list[Path]:
    """`count` WAVs written one minute apart, oldest first."""
    folder.mkdir(parents=True, exist_ok=True)
    made = []
    for n in range(count):
        wav = write_wav(folder / f"{n:016x}.wav", np.zeros((8, 1)), 48000)
        os.utime(wav, (BASE_TIME + 60 * n, BASE_TIME + 60 * n))
        made.append(wav)
    return made


def test_the_oldest_beyond_keep_are_deleted(tmp_path):
    keep = 20
    made = old_renders(tmp_path, keep + 5)
    (tmp_path / "notes.txt").write_text("not a render")

    deleted = prune_renders(tmp_path, keep)

    assert sorted(deleted) == made[:5]
    assert sorted(tmp_path.glob("*.wav")) == made[5:]
    assert (tmp_path / "notes.txt").exists()


def test_nothing_is_deleted_within_keep(tmp_path):
    made = old_renders(tmp_path, 3)
    assert prune_renders(tmp_path, 3) == [] and sorted(tmp_path.glob("*.wav")) == made


def test_a_render_prunes_the_folder_and_keeps_its_own_wav(tmp_path):
    settings = with_validation(load_settings(data_dir=tmp_path), keep_renders=4)
    made = old_renders(settings.cache_dir / "renders", 4 + 5)

    outcome = render_faust(OSC_440, settings, seconds=0.05)

    left = sorted((settings.cache_dir / "renders").glob("*.wav"))
    assert outcome.wav_path in left and len(left) == 4
    assert set(left) - {outcome.wav_path} == set(made[-3:])


def test_the_default_keeps_two_hundred():
    assert load_settings().validation.keep_renders == 200
