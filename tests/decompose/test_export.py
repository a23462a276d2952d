"""Export → import round trip, hostile files refused, and the published schema kept current."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hrm_local_wrapper import HRMLocalWrapper, load_decomposition
from workbench.config import Settings
from workbench.decompose.export import SCHEMA_PATH, DecompositionFileError, render_schema
from workbench.decompose.export import load_decomposition as load_with_limit


def test_round_trip_keeps_every_field(hrm: HRMLocalWrapper, tmp_path: Path) -> None:
    plan = hrm.decompose_task("Build a modular synthesis engine with FAUST and JUCE GUI",
                              {"target_platform": "mac_vst", "performance_requirements": ["low_latency"]})
    path = hrm.export_decomposition(plan, tmp_path / "out" / "my_task.json")
    assert json.loads(path.read_text())["schema_version"] == 1
    assert load_decomposition(path, hrm.settings) == plan
    assert hrm.get_execution_order(load_decomposition(path)) == hrm.get_execution_order(plan)


def test_published_schema_is_up_to_date() -> None:
    assert SCHEMA_PATH.read_text(encoding="utf-8") == render_schema(), (
        "docs/decomposition.schema.json is stale: run `python -m workbench.decompose.export`")


@pytest.fixture
def good(hrm: HRMLocalWrapper) -> dict:
    return json.loads(hrm.decompose_task("Build a JUCE audio plugin with FAUST reverb processing").model_dump_json())


def _write(tmp_path: Path, content: str | bytes) -> Path:
    path = tmp_path / "plan.json"
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    return path


def _cycle(data: dict) -> dict:
    data["subtasks"][0]["dependencies"] = [data["subtasks"][-1]["id"]]
    return data


@pytest.mark.parametrize(("mutate", "message"), [
    (lambda d: "{not json", "not valid JSON"),
    (lambda d: b"\xff\xfe\x00garbage", "not UTF-8"),
    (lambda d: "[1, 2]", "JSON list"),
    (lambda d: "[" * 100_000 + "]" * 100_000, "nested too deeply|not valid JSON"),
    (lambda d: json.dumps({**d, "schema_version": 99}), "newer workbench"),
    (lambda d: json.dumps({k: v for k, v in d.items() if k != "schema_version"}), "schema_version"),
    (lambda d: json.dumps({**d, "__class__": "os.system"}), "unknown field"),
    (lambda d: json.dumps({**d, "complexity": 99}), "complexity"),
    (lambda d: json.dumps({**d, "confidence": "NaN"}).replace('"NaN"', "NaN"), "NaN is not valid JSON"),
    (lambda d: json.dumps(d)[:-1] + ', "query": "again"}', "duplicate key"),
    (lambda d: json.dumps(_cycle(d)), "cycle"),
    (lambda d: json.dumps({**d, "subtasks": [{**d["subtasks"][0], "id": "../../etc/passwd"}]}), "subtasks.0.id"),
])
def test_corrupt_and_hostile_files_are_refused(tmp_path: Path, good: dict, mutate, message: str) -> None:
    path = _write(tmp_path, mutate(dict(good)))
    with pytest.raises(DecompositionFileError, match=message) as error:
        load_decomposition(path)
    assert str(path) in str(error.value) and "export_decomposition" in str(error.value)


def test_oversized_and_missing_files_are_refused(tmp_path: Path, good: dict, settings: Settings) -> None:
    path = _write(tmp_path, json.dumps(good))
    with pytest.raises(DecompositionFileError, match="over the 100-byte limit"):
        load_with_limit(path, max_bytes=100)
    with pytest.raises(DecompositionFileError, match="cannot be read"):
        load_decomposition(tmp_path / "nope.json", settings)
