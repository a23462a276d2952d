"""The corpus of questions FAUST/JUCE/DSP developers really asked, and its fixed splits.

Rows live in `data/real_questions/*.jsonl` (one per gathering pass), each a paraphrased
question with its public source and labels by `LABELLING.md` (see the datasheet beside it).
The split is decided by the thread, never by the question: a stable hash of the normalised
source URL puts every question of one thread in the same split (about 60/15/25), and
`assign_splits` writes that choice into the rows so it never moves. Torch-free: the rule
engine's tests and the `eval-routing` command read it without loading a network.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit

from workbench.domain import Role, TaskType

DATA_DIR = Path(__file__).resolve().parents[2] / "data" / "real_questions"
SPLITS = ("train", "validation", "test")
SOURCE_KINDS = ("forum", "qa", "issue")
# LABELLING.md's domains, in the engine's vocabulary; gui and build_tooling have no domain
# of their own there (they are parts of a JUCE or C++ answer), so they are not compared.
DOMAIN_MAP: dict[str, TaskType | None] = {
    "faust": TaskType.FAUST, "juce": TaskType.JUCE, "cpp": TaskType.CPP, "python": TaskType.PYTHON,
    "dsp_math": TaskType.MATH, "architecture": TaskType.ARCHITECTURE, "debugging": TaskType.DEBUGGING,
    "performance": TaskType.PERFORMANCE, "gui": None, "build_tooling": None,
}
_STACK_QUESTION = re.compile(r"^/questions/(\d+)")
_GITHUB_THREAD = re.compile(r"^(/[^/]+/[^/]+/(?:issues|pull|discussions)/\d+)")
_KEPT_QUERY = {"t", "id", "topic", "f", "thread", "threadid"}  # forum software naming a thread


class CorpusError(ValueError):
    """A row of the corpus that cannot be read; the message names file and line."""


@dataclass(frozen=True)
class RealQuestion:
    id: str
    question: str
    source: str
    source_kind: str
    role: Role
    complexity: int
    decompose: bool
    domains: tuple[str, ...]  # LABELLING.md's names
    expected_subtasks: tuple[tuple[str, Role], ...]
    split: str
    origin: str  # "<file>:<line>", for error messages and the datasheet

    @property
    def thread(self) -> str:
        return normalise_source(self.source)

    @property
    def engine_domains(self) -> frozenset[TaskType]:
        """The labelled domains the engine and the network can name (GENERAL when none)."""
        mapped = {DOMAIN_MAP[d] for d in self.domains} - {None}
        return frozenset(mapped) or frozenset({TaskType.GENERAL})


def normalise_source(url: str) -> str:
    """One key per thread: lower case, host without www, the thread's path (a Discourse post
    number or slug, a Stack Exchange slug, an issue comment anchor dropped) and only the
    query fields that name a thread."""
    parts = urlsplit(url.strip().lower())
    host = parts.netloc.removeprefix("www.")
    path = parts.path.rstrip("/") or "/"
    segments = path.strip("/").split("/")
    if segments[0] == "t" and len(segments) > 1:  # Discourse: /t/slug/id/post, /t/id/post, /t/slug
        ids = [s for s in segments[1:3] if s.isdigit()]
        path = f"/t/{ids[0] if ids else segments[1]}"
    elif match := _STACK_QUESTION.match(path):
        path = f"/questions/{match.group(1)}"
    elif match := _GITHUB_THREAD.match(path):
        path = match.group(1)
    query = urlencode(sorted((k, v) for k, v in parse_qsl(parts.query) if k in _KEPT_QUERY))
    return host + path + (f"?{query}" if query else "")


def split_of_source(url: str) -> str:
    """The split a thread belongs to: sha256 of its normalised URL, 60 / 15 / 25."""
    bucket = int(hashlib.sha256(normalise_source(url).encode()).hexdigest(), 16) % 100
    return "train" if bucket < 60 else "validation" if bucket < 75 else "test"


def corpus_files(directory: Path = DATA_DIR) -> list[Path]:
    return sorted(directory.glob("*.jsonl"))


def _parse(row: dict, origin: str) -> RealQuestion:
    def need(ok: bool, what: str) -> None:
        if not ok:
            raise CorpusError(f"{origin}: {what}")

    for key in ("id", "question", "source", "source_kind", "primary_role", "complexity", "decompose", "domains"):
        need(key in row, f"missing field {key!r}")
    need(isinstance(row["question"], str) and row["question"].strip() != "", "empty question")
    need(isinstance(row["source"], str) and row["source"].startswith(("http://", "https://")), "source is not a URL")
    need(row["source_kind"] in SOURCE_KINDS, f"source_kind {row['source_kind']!r} is not one of {SOURCE_KINDS}")
    need(row["primary_role"] in {r.value for r in Role}, f"primary_role {row['primary_role']!r} is not a role")
    need(isinstance(row["complexity"], int) and 1 <= row["complexity"] <= 10, "complexity is not 1-10")
    need(isinstance(row["decompose"], bool), "decompose is not true/false")
    need(isinstance(row["domains"], list) and bool(row["domains"]), "domains is not a non-empty list")
    unknown = [d for d in row["domains"] if d not in DOMAIN_MAP]
    need(not unknown, f"unknown domain(s) {unknown}: use {', '.join(DOMAIN_MAP)}")
    subtasks = row.get("expected_subtasks") or []
    need(all(isinstance(s, dict) and s.get("role") in {r.value for r in Role} and s.get("description")
             for s in subtasks), "expected_subtasks need a description and a role each")
    split = row.get("split") or split_of_source(row["source"])
    need(split in SPLITS, f"split {split!r} is not one of {SPLITS}")
    return RealQuestion(
        id=str(row["id"]), question=row["question"].strip(), source=row["source"], source_kind=row["source_kind"],
        role=Role(row["primary_role"]), complexity=row["complexity"], decompose=row["decompose"],
        domains=tuple(row["domains"]), expected_subtasks=tuple((s["description"], Role(s["role"])) for s in subtasks),
        split=split, origin=origin,
    )


def load_file(path: Path) -> list[RealQuestion]:
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as error:
            raise CorpusError(f"{path.name}:{number}: not JSON ({error.msg})") from None
        rows.append(_parse(row, f"{path.name}:{number}"))
    return rows


def load_real_questions(split: str | None = None, directory: Path = DATA_DIR) -> list[RealQuestion]:
    """Every row of the corpus (or of one split), in file order."""
    if split is not None and split not in SPLITS:
        raise CorpusError(f"unknown split {split!r}: use one of {', '.join(SPLITS)}")
    rows = [q for path in corpus_files(directory) for q in load_file(path)]
    return [q for q in rows if split is None or q.split == split]


def assign_splits(path: Path) -> int:
    """Write the `split` of every row that has none yet (rows with one keep it); returns how
    many rows were given one. Key order and everything else of a row stay as they were."""
    lines = path.read_text(encoding="utf-8").splitlines()
    changed, out = 0, []
    for line in lines:
        if not line.strip():
            continue
        row = json.loads(line)
        if "split" not in row:
            row["split"] = split_of_source(row["source"])
            changed += 1
        out.append(json.dumps(row, ensure_ascii=False))
    path.write_text("\n".join(out) + "\n", encoding="utf-8")
    return changed


if __name__ == "__main__":  # python -m workbench.hrm.real_questions: fix the splits of new rows
    for corpus_file in corpus_files():
        print(f"{corpus_file.name}: split written into {assign_splits(corpus_file)} row(s)")
