"""Plans and a facade wired to a scripted backend, for the execution tests."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from multi_model_system import MultiModelGLMSystem
from tests.fakes import FakeBackend
from workbench.config import Settings
from workbench.domain import Method, Role, Strategy, Subtask, TaskDecomposition, TaskType
from workbench.storage import Storage


def make_plan(question: str, steps: list[tuple[str, Role, list[str]]], *, complexity: int = 6,
              confidence: float = 0.9) -> TaskDecomposition:
    """A plan of `(id, role, dependencies)` steps, as the template engine would build it."""
    return TaskDecomposition(
        query=question, complexity=complexity, domains=[TaskType.FAUST], primary_role=Role.CODER,
        strategy=Strategy.DIRECT if len(steps) == 1 else Strategy.HIERARCHICAL,
        confidence=confidence, method=Method.RULES,
        subtasks=[Subtask(id=sid, title=f"Step {sid}", description=f"Do step {sid} of: {question}",
                          task_type=TaskType.FAUST, role=role, dependencies=deps)
                  for sid, role, deps in steps],
    )


class FixedDecomposer:
    """Stands in for the HRM wrapper: hands out one given plan (orchestration tests only)."""

    def __init__(self, plan: TaskDecomposition) -> None:
        self.plan = plan

    def decompose_task(self, query: str, context: dict | None = None) -> TaskDecomposition:
        return self.plan.model_copy(update={"query": query})

    def get_status(self) -> dict:
        return {"available": True, "engine": "fixed plan for tests"}


DIAMOND = [("s1", Role.REASONING, []), ("s2", Role.CODER, ["s1"]), ("s3", Role.MATH, ["s1"]),
           ("s4", Role.CODER, ["s2", "s3"])]


@pytest.fixture
def storage(settings: Settings) -> Storage:
    store = Storage(settings.db_path)
    yield store
    store.close()


@pytest.fixture
def make_glm(settings: Settings, storage: Storage) -> Callable[..., MultiModelGLMSystem]:
    def build(backend: FakeBackend, plan: TaskDecomposition | None = None, **kwargs) -> MultiModelGLMSystem:
        return MultiModelGLMSystem(settings, backends=backend, storage=storage,
                                   hrm=FixedDecomposer(plan) if plan else None,
                                   retriever=kwargs.pop("retriever", None),
                                   validator=kwargs.pop("validator", None), **kwargs)
    return build
