"""What callers may write, checked before it reaches SQL.

The `**fields` of the update methods are validated by these models: an unknown field or
a wrong type becomes one `ValueError` that names the field and lists what is allowed,
and nothing is written. JSON columns are encoded here, once.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, JsonValue, StrictInt, ValidationError

from workbench.domain import MessageStatus, Role, RunStatus, SubtaskStatus

MAX_NAME_CHARS = 200


class _Fields(BaseModel):
    model_config = ConfigDict(extra="forbid")


class MessageUpdate(_Fields):
    content: str = ""
    thinking: str = ""
    status: MessageStatus = MessageStatus.COMPLETE
    error: str | None = None
    model: str | None = None
    backend: str | None = None
    prompt_tokens: int | None = Field(default=None, ge=0)
    completion_tokens: int | None = Field(default=None, ge=0)
    duration_ms: float | None = Field(default=None, ge=0)
    run_id: str | None = None


class RunUpdate(_Fields):
    status: RunStatus = RunStatus.RUNNING
    answer: str = ""
    decomposition: dict[str, JsonValue] | None = None
    error: str | None = None
    duration_ms: float | None = Field(default=None, ge=0)
    events_summary: JsonValue = None
    overview: dict[str, JsonValue] | None = None
    steps: list[JsonValue] = []


class SubtaskFields(_Fields):
    title: str = ""
    role: str | None = None
    model: str | None = None
    backend: str | None = None
    status: SubtaskStatus = SubtaskStatus.PENDING
    prompt_chars: int | None = Field(default=None, ge=0)
    output: str = ""
    thinking: str = ""
    error: str | None = None
    prompt_tokens: int | None = Field(default=None, ge=0)
    completion_tokens: int | None = Field(default=None, ge=0)
    started_at: float | None = None
    finished_at: float | None = None
    duration_ms: float | None = Field(default=None, ge=0)
    sources: list[JsonValue] = []
    attempts: list[JsonValue] = []


class FeedbackInput(_Fields):
    """`rating`: -1 (bad) / +1 (good) thumbs, or 1-5 stars; 0 means neutral."""

    rating: StrictInt = Field(ge=-1, le=5)
    correct_role: Role | None = None
    should_split: bool | None = None
    note: str = ""


JSON_COLUMNS = frozenset({"decomposition", "events_summary", "overview", "steps", "sources", "attempts"})


def checked(model: type[_Fields], fields: dict[str, Any], what: str) -> dict[str, Any]:
    """The given fields, validated and ready to bind as SQL parameters (JSON encoded)."""
    fields = {k: _plain(v) for k, v in fields.items()}
    try:
        parsed = model(**fields)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']) or 'value'}: {err['msg']}" for err in exc.errors()
        )
        allowed = ", ".join(model.model_fields)
        raise ValueError(f"Cannot store {what}: {problems} (allowed fields: {allowed})") from None
    values = parsed.model_dump(mode="json", include=set(fields))
    return {k: json.dumps(v) if k in JSON_COLUMNS and v is not None else v for k, v in values.items()}


def _plain(value: Any) -> Any:
    """Pydantic objects (a TaskDecomposition, say) are stored as their JSON form."""
    return value.model_dump(mode="json") if isinstance(value, BaseModel) else value


def clean_name(name: object, what: str) -> str:
    """A project name or conversation title, stripped; empty or overlong is refused."""
    if not isinstance(name, str) or not name.strip():
        raise ValueError(f"The {what} is empty — type a {what}")
    name = name.strip()
    if len(name) > MAX_NAME_CHARS:
        raise ValueError(
            f"The {what} is {len(name)} characters long — keep it under {MAX_NAME_CHARS}"
        )
    return name
