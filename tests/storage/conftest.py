"""A real SQLite file per test, opened through the workbench's own settings."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from workbench.config import Settings
from workbench.storage import Storage
from workbench.storage.records import Conversation, Project


@pytest.fixture
def storage(settings: Settings) -> Iterator[Storage]:
    store = Storage(settings.db_path)
    yield store
    store.close()


@pytest.fixture
def project(storage: Storage) -> Project:
    return storage.create_project("Reverb")


@pytest.fixture
def conversation(storage: Storage, project: Project) -> Conversation:
    return storage.create_conversation(project.id, "Schroeder reverb in FAUST")
