"""Generated FAUST code is checked with the real compiler and repaired once by the coder."""

from __future__ import annotations

from tests.execute.conftest import make_plan
from tests.fakes import FakeBackend
from workbench.domain import EventKind, Role
from workbench.execute.caller import ModelCaller
from workbench.execute.events import EventEmitter
from workbench.execute.executor import DAGExecutor
from workbench.execute.hooks import CodeValidator

BROKEN = '```faust\nimport("stdfaust.lib");\nprocess = os.oscx(440) * 0.1;\n```'
FIXED = '```faust\nimport("stdfaust.lib");\nprocess = os.osc(440) * 0.1;\n```'


def test_a_failing_block_is_repaired_and_every_attempt_recorded(settings):
    settings.validation.render_seconds = 0.0
    backend = FakeBackend(lambda model, msgs: FIXED if "failed when checked" in msgs[-1].content else BROKEN)
    events = []
    executor = DAGExecutor(settings, ModelCaller(settings, backend), validator=CodeValidator(settings))
    [result] = executor.run(make_plan("q", [("s1", Role.CODER, [])]), EventEmitter("r", [events.append]))
    assert result.status == "complete"
    assert "os.osc(440)" in result.output and "oscx" not in result.output
    checks = [a for a in result.attempts if a["kind"] in ("validation", "repair")]
    assert [(a["kind"], a["ok"]) for a in checks] == [("validation", False), ("repair", True)]
    assert "oscx" in checks[0]["errors"][0]["message"]
    assert len([e for e in events if e.kind == EventKind.VALIDATION]) == 2
    assert len(backend.requests) == 2
