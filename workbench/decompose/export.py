"""Versioned JSON export and import of plans, and the JSON Schema published for them.

An exported file is the `TaskDecomposition` as JSON; its `schema_version` says which
format it is. Importing treats the file as untrusted: size is bounded, JSON oddities
(duplicate keys, NaN, absurd nesting) and unknown fields are refused, and the plan must
pass the same DAG checks as a freshly built one. Every refusal is a
`DecompositionFileError` naming the file and what to do.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from workbench.decompose.dag import PlanError, validate_plan
from workbench.domain import DECOMPOSITION_SCHEMA_VERSION, TaskDecomposition

SCHEMA_ID = "https://faust-juce-workbench.local/schemas/decomposition.schema.json"
SCHEMA_PATH = Path(__file__).resolve().parents[2] / "docs" / "decomposition.schema.json"


class DecompositionFileError(ValueError):
    """A plan file that cannot be imported."""


def decomposition_json_schema() -> dict[str, Any]:
    """The JSON Schema of an exported plan, generated from the domain types."""
    schema = TaskDecomposition.model_json_schema()
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "FAUST/JUCE workbench task decomposition",
        "description": f"An exported plan (schema_version {DECOMPOSITION_SCHEMA_VERSION}).",
        **{k: v for k, v in schema.items() if k != "title"},
    }


def render_schema() -> str:
    return json.dumps(decomposition_json_schema(), indent=2, sort_keys=True) + "\n"


def export_decomposition(plan: TaskDecomposition, path: Path | str) -> Path:
    """Write `plan` atomically (a crash never leaves half a file) and return the path."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(plan.model_dump_json(indent=2))
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    keys = [k for k, _ in pairs]
    repeated = sorted({k for k in keys if keys.count(k) > 1})
    if repeated:
        raise ValueError(f"duplicate key(s) {', '.join(repeated)}")
    return dict(pairs)


def _no_constants(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def _parse(text: str) -> Any:
    return json.loads(text, object_pairs_hook=_no_duplicates, parse_constant=_no_constants)


def load_decomposition(path: Path | str, max_bytes: int) -> TaskDecomposition:
    """Read and check a plan exported by `export_decomposition`."""
    source = Path(path)

    def refuse(why: str) -> DecompositionFileError:
        return DecompositionFileError(
            f"Cannot import {source}: {why}. Use a file written by export_decomposition "
            "(or `hrm-reason decompose --json`)."
        )

    try:
        size = source.stat().st_size
        if size > max_bytes:
            raise refuse(f"it is {size:,} bytes, over the {max_bytes:,}-byte limit (settings.limits.max_import_bytes)")
        text = source.read_bytes().decode("utf-8")
    except OSError as exc:
        raise refuse(f"it cannot be read ({exc.strerror or exc})") from None
    except UnicodeDecodeError:
        raise refuse("it is not UTF-8 text") from None
    try:
        data = _parse(text)
    except RecursionError:
        raise refuse("its JSON is nested too deeply") from None
    except ValueError as exc:
        raise refuse(f"it is not valid JSON ({exc})") from None
    if not isinstance(data, dict):
        raise refuse(f"it holds a JSON {type(data).__name__}, not a plan object")
    version = data.get("schema_version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise refuse("it has no valid schema_version")
    if version > DECOMPOSITION_SCHEMA_VERSION:
        raise refuse(f"it was written by a newer workbench (schema_version {version}; "
                     f"this one reads up to {DECOMPOSITION_SCHEMA_VERSION}) — update the workbench")
    unknown = sorted(set(data) - set(TaskDecomposition.model_fields))
    if unknown:
        raise refuse(f"it has unknown field(s) {', '.join(unknown[:5])}")
    try:
        plan = TaskDecomposition.model_validate(data)
        validate_plan(plan.subtasks)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()[:3]
        )
        raise refuse(f"it does not match the plan schema ({problems})") from None
    except PlanError as exc:
        raise refuse(f"its plan is not executable ({exc})") from None
    return plan


if __name__ == "__main__":
    SCHEMA_PATH.parent.mkdir(parents=True, exist_ok=True)
    SCHEMA_PATH.write_text(render_schema(), encoding="utf-8")
    print(f"wrote {SCHEMA_PATH}")
