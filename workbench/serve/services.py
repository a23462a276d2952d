"""`Workbench`: the system's public faces, built once per server process and on first use.

A server that only checks FAUST code never loads the facade, the index or torch; the first
question builds the facade, the first search opens the index. Tests and scripts pass a
ready facade instead (e.g. one wired to a scripted backend).
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from workbench.config import Settings

if TYPE_CHECKING:
    from workbench.system import System
    from workbench.retrieval import KnowledgeBase


class Workbench:
    """Lazily built facade and knowledge base, shared by every request of one server."""

    def __init__(self, settings: Settings, glm: System | None = None) -> None:
        self.settings = settings
        self._glm = glm
        self._knowledge: KnowledgeBase | None = None
        self._lock = threading.Lock()  # two first requests must not build two facades

    @property
    def glm(self) -> System:
        with self._lock:
            if self._glm is None:
                from workbench.system import System

                self._glm = System(self.settings)
            return self._glm

    @property
    def knowledge(self) -> KnowledgeBase:
        with self._lock:
            if self._knowledge is None:
                from workbench.retrieval import KnowledgeBase

                self._knowledge = KnowledgeBase(self.settings)
            return self._knowledge
