"""The folder of rendered WAVs, kept to its newest files so it cannot fill the disk.

Every FAUST render writes one WAV (named by a hash of the code); the chat shows the ones of
recent answers, and an older answer whose WAV was pruned simply shows no player.
"""

from __future__ import annotations

from pathlib import Path


def prune_renders(folder: Path, keep: int) -> list[Path]:
    """Delete all but the `keep` most recently written WAVs in `folder`; return the deleted.

    Files that vanish meanwhile (another render pruning at the same time) are skipped.
    """
    dated = []
    for wav in folder.glob("*.wav"):
        try:
            dated.append((wav.stat().st_mtime_ns, wav.name, wav))
        except FileNotFoundError:
            continue
    dated.sort(reverse=True)
    stale = [wav for _, _, wav in dated[keep:]]
    for wav in stale:
        wav.unlink(missing_ok=True)
    return stale
