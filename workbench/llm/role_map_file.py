"""Writing the role → host/model map into the settings file, keeping everything else in it.

The file is the user's: tomlkit edits only the `[roles.*]` keys the Models page sets and
keeps the other sections, their comments and their order. The new map is validated as
settings before anything is written, and the file is replaced atomically, so a bad choice
or a crash never leaves a half-written or unreadable settings file.
"""

from __future__ import annotations

import os
import tempfile
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import tomlkit
from pydantic import ValidationError

from workbench.config import Settings
from workbench.domain import Role


@dataclass(frozen=True)
class RoleChoice:
    """Where a role should run: a named `host`, or a server given inline (`backend` +
    `base_url`), or neither for `backend = "auto"`."""

    tag: str
    host: str | None = None
    fallback: list[str] = field(default_factory=list)
    backend: str | None = None
    base_url: str | None = None


def settings_error_line(error: ValidationError) -> str:
    """The first problem of a settings validation, on one line: `roles.coder: role … — …`."""
    first = error.errors()[0]
    where = ".".join(str(part) for part in first["loc"])
    message = first["msg"].removeprefix("Value error, ")
    return f"{where}: {message}" if where else message


def save_role_map(path: Path, choices: dict[Role, RoleChoice]) -> Settings:
    """Set each chosen role's tag, host and fallback in the TOML file at `path` (created when
    missing) and return the settings it now gives. Raises `ValueError` with one line saying
    what is wrong (nothing written) when the result would not load, or the file is not TOML."""
    text = path.read_text(encoding="utf-8") if path.is_file() else ""
    try:
        document = tomlkit.parse(text)
    except tomlkit.exceptions.ParseError as error:
        raise ValueError(f"{path} is not valid TOML ({error}) — fix it by hand first") from error
    roles = document.setdefault("roles", tomlkit.table(is_super_table=True))
    for role, choice in choices.items():
        table = roles.setdefault(role.value, tomlkit.table())
        table["tag"] = choice.tag
        for key in ("host", "backend", "base_url", "fallback"):
            table.pop(key, None)  # the page's choice replaces however the role was placed
        if choice.host:
            table["host"] = choice.host
        elif choice.backend and choice.base_url:
            table["backend"], table["base_url"] = choice.backend, choice.base_url
        if choice.fallback:
            table["fallback"] = list(choice.fallback)
    new_text = tomlkit.dumps(document)
    try:
        settings = Settings(**tomllib.loads(new_text))
    except ValidationError as error:
        raise ValueError(settings_error_line(error)) from error
    _replace(path, new_text)
    return settings


def _replace(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        if path.exists():
            os.chmod(temporary, path.stat().st_mode)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
