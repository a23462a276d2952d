"""Which folders an ingest may read: never the whole disk or the whole home folder.

`--path /` once selected 112k files (1.3 GB, the dot-directories of the home folder among
them) and was remembered, so every later ingest walked the disk again. A project folder is
now refused before anything is read or remembered when it is the filesystem root, the home
folder itself, or a folder above the home folder; inside an accepted folder the scan skips
dot-directories and stops at the file and byte caps of the settings.
"""

from __future__ import annotations

from pathlib import Path


class RefusedFolder(ValueError):
    """A folder too broad to index; the message says why and what to pass instead."""


def check_project_folder(folder: Path, home: Path | None = None) -> Path:
    """The resolved folder, or RefusedFolder when it is /, the home folder or above it."""
    resolved = folder.expanduser().resolve()
    home = (home or Path.home()).resolve()
    if resolved == Path(resolved.anchor):
        raise RefusedFolder(
            f"{folder} is the whole filesystem — pass the project's own folder, "
            "e.g. --path ~/dev/my-plugin"
        )
    if resolved == home or home.is_relative_to(resolved):
        raise RefusedFolder(
            f"{folder} is {'your home folder' if resolved == home else 'above your home folder'} "
            "— pass the project's own folder, e.g. --path ~/dev/my-plugin"
        )
    return resolved
