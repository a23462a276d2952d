"""Answer quality: the bare model against the workbench, on FAUST and JUCE tasks.

    .venv/bin/python bench/answer_quality.py [--model qwen|smollm2|FILE.gguf] [--backend embedded|ollama|openai]
        [--tag MODEL_TAG] [--tasks tuned|heldout] [--only faust|juce] [--limit N] [--max-tokens 512]
        [--render-seconds 0.5] [--answers FILE.jsonl]

Two task sets. `tuned` (the default: `faust_tasks.jsonl`, `juce_tasks.jsonl`) is the set the
workbench's prompts, lint and fixers were developed against, so its figures are tuned figures.
`heldout` (`faust_tasks_heldout.jsonl`, `juce_tasks_heldout.jsonl`) is paraphrased from real
developer questions (each row keeps its `source` URL, none of them a source used elsewhere in
the repo) and nothing is tuned on it: report both, and never change the workbench to fit it.

Bare: the task's question alone as the one user message, no system prompt (what `ollama run`
does). Workbench: the same question through the product's own entry point,
`MultiModelGLMSystem.chat_with_model_enhanced(..., use_hrm_decomposition=False)`, with its
retrieval, prompts, validation and repair rounds. Both answers are then scored the same way,
independently of what the workbench itself reported:

- FAUST (`faust_tasks*.jsonl`): compiles = the first FAUST block (else the first block, else the
  reply) compiles; behaves = it renders and passes the task's hand-written checks (those of
  `bench/validation.py`) and the spec read from the question.
- JUCE (`juce_tasks*.jsonl`): compiles = the first C++ block passes `g++ -fsyntax-only` against
  the JUCE headers; behaves = it compiles and contains every required symbol of the task.

The task references go through the same scoring first, to show the checks are fair. Seconds
and tokens are per task (the workbench's include its repair rounds); time to first token is
from the request to the first streamed token, so the workbench's includes retrieval and the
longer grounded prompt. Ratios are to the bare model measured in the same run.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from multi_model_system import MultiModelGLMSystem  # noqa: E402
from validation import check_behaviour  # noqa: E402
from workbench.config import Settings, load_settings  # noqa: E402
from workbench.domain import ChatMessage, EventKind, GenerationOptions, Role, RunEvent  # noqa: E402
from workbench.llm.base import Backend  # noqa: E402
from workbench.llm.model_install import QWEN_CODER_1_5B  # noqa: E402
from workbench.llm.registry import build_backend  # noqa: E402
from workbench.llm.scripted import use_backend  # noqa: E402
from workbench.retrieval import KnowledgeBase  # noqa: E402
from workbench.validate import extract_code_blocks, validate_code  # noqa: E402
from workbench.validate.repair import code_from_reply  # noqa: E402

HERE = Path(__file__).resolve().parent
TASK_SETS = {
    "tuned": {"faust": HERE / "faust_tasks.jsonl", "juce": HERE / "juce_tasks.jsonl"},
    "heldout": {"faust": HERE / "faust_tasks_heldout.jsonl", "juce": HERE / "juce_tasks_heldout.jsonl"},
}
LANGUAGE = {"faust": "faust", "juce": "cpp"}


@dataclass
class Score:
    compiled: bool
    behaved: bool
    seconds: float = 0.0
    tokens: int = 0
    first_token_s: float | None = None
    repair_rounds: int = 0
    badge: str = ""


@dataclass
class Tally:
    scores: list[Score] = field(default_factory=list)

    def rate(self, key: str) -> float:
        return sum(getattr(s, key) for s in self.scores) / max(len(self.scores), 1)

    def mean(self, key: str) -> float:
        return statistics.fmean(getattr(s, key) for s in self.scores) if self.scores else 0.0

    def p50_first_token(self) -> float:
        values = [s.first_token_s for s in self.scores if s.first_token_s is not None]
        return statistics.median(values) if values else float("nan")


def load_tasks(only: str | None, limit: int, task_set: str = "tuned") -> list[tuple[str, dict]]:
    tasks = []
    for kind, path in TASK_SETS[task_set].items():
        if only in (None, kind):
            lines = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
            tasks += [(kind, task) for task in (lines[:limit] if limit else lines)]
    return tasks


def answer_code(reply: str, language: str) -> str:
    """What a reviewer would try: the block in the task's language, else the first block,
    else the whole reply."""
    code = code_from_reply(reply, language)
    if code is None:
        blocks = extract_code_blocks(reply)
        code = blocks[0].code if blocks else reply
    return code


def score(kind: str, task: dict, reply: str, settings: Settings, render_seconds: float) -> Score:
    language = LANGUAGE[kind]
    code = answer_code(reply, language)
    if kind == "faust":
        result = validate_code(code, "faust", settings, render_seconds, question=task["prompt"])
        behaved = bool(result.ok) and check_behaviour(result, task["checks"])
        return Score("compiled" in result.checks, behaved, badge=result.badge)
    result = validate_code(code, "cpp", settings)
    compiled = result.ok is True
    missing = [r for r in task["required"] if not re.search(r, code)]
    return Score(compiled, compiled and not missing,
                 badge=result.badge if not (compiled and missing) else f"missing {missing[0]}")


def ask_bare(backend: Backend, tag: str, question: str, options: GenerationOptions) -> tuple[str, float, int, float | None]:
    started, first, parts, tokens = time.perf_counter(), None, [], 0
    for chunk in backend.chat(tag, [ChatMessage(role="user", content=question)], options=options):
        if chunk.content:
            first = first or time.perf_counter()
            parts.append(chunk.content)
        if chunk.done:
            tokens = chunk.completion_tokens or 0
    return "".join(parts), time.perf_counter() - started, tokens, (first - started) if first else None


def ask_workbench(glm: MultiModelGLMSystem, tag: str, question: str) -> tuple[str, float, int, float | None, list[dict]]:
    """The answer, seconds, tokens, time to first token and the stored validation and repair
    attempts (each repair with its code and seconds)."""
    started = time.perf_counter()
    first: list[float] = []

    def on_event(event: RunEvent) -> None:
        if event.kind == EventKind.TOKEN and event.text and not first:
            first.append(time.perf_counter())

    result = glm.chat_with_model_enhanced(question, tag, use_hrm_decomposition=False, on_event=on_event)
    attempts = [a for s in result.subtasks for a in s.attempts if a.get("kind") in ("validation", "repair")]
    tokens = result.completion_tokens if result.completion_tokens is not None else sum(
        s.completion_tokens or 0 for s in result.subtasks)
    return (result.answer, time.perf_counter() - started, tokens,
            (first[0] - started) if first else None, attempts)


def model_settings(args: argparse.Namespace, data_dir: Path) -> Settings:
    llm: dict = {"backend": args.backend}
    if args.backend == "embedded":
        if args.model == "smollm2":
            llm["embedded_model"] = "smollm2-135m"
        elif args.model == "qwen":
            path = load_settings().models_dir / QWEN_CODER_1_5B.file_name
            if not path.is_file():
                raise SystemExit(f"{QWEN_CODER_1_5B.name} is not installed at {path}: run scripts/setup")
            llm["embedded_model_path"] = path
        else:
            llm["embedded_model_path"] = Path(args.model)
    return load_settings(data_dir=data_dir, llm=llm, retrieval={"use_embeddings": False},
                         validation={"render_seconds": args.render_seconds})


def print_table(rows: list[tuple[str, str, str, str]]) -> None:
    width = max(len(r[0]) for r in rows)
    print(f"{'figure':<{width}}  {'bare':>10}  {'workbench':>10}  ratio to bare")
    for name, bare, ours, ratio in rows:
        print(f"{name:<{width}}  {bare:>10}  {ours:>10}  {ratio}")


def _ratio(ours: float, bare: float) -> str:
    return f"{ours / bare:.2f}" if bare else ("=" if ours == bare else "inf")


def report(kind: str, bare: Tally, ours: Tally) -> list[tuple[str, str, str, str]]:
    n = len(bare.scores)
    pct = lambda t, k: f"{round(t.rate(k) * n)}/{n}"  # noqa: E731
    return [
        (f"{kind}: compiles", pct(bare, "compiled"), pct(ours, "compiled"), _ratio(ours.rate("compiled"), bare.rate("compiled"))),
        (f"{kind}: behaves as asked", pct(bare, "behaved"), pct(ours, "behaved"), _ratio(ours.rate("behaved"), bare.rate("behaved"))),
        (f"{kind}: seconds per task", f"{bare.mean('seconds'):.1f}", f"{ours.mean('seconds'):.1f}", _ratio(ours.mean("seconds"), bare.mean("seconds"))),
        (f"{kind}: tokens per task", f"{bare.mean('tokens'):.0f}", f"{ours.mean('tokens'):.0f}", _ratio(ours.mean("tokens"), bare.mean("tokens"))),
        (f"{kind}: repair rounds per task", "0", f"{ours.mean('repair_rounds'):.2f}", ""),
        (f"{kind}: first token p50 (s)", f"{bare.p50_first_token():.2f}", f"{ours.p50_first_token():.2f}", _ratio(ours.p50_first_token(), bare.p50_first_token())),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", default="embedded", choices=("embedded", "ollama", "openai"))
    parser.add_argument("--model", default="qwen", help="embedded: qwen, smollm2 or a GGUF file")
    parser.add_argument("--tag", default=None, help="the model tag to ask (default: the coder role's)")
    parser.add_argument("--tasks", default="tuned", choices=tuple(TASK_SETS),
                        help="tuned: the set the workbench was developed on; heldout: real questions nothing is tuned on")
    parser.add_argument("--only", choices=("faust", "juce"))
    parser.add_argument("--limit", type=int, default=0, help="the first N tasks of each set (0: all)")
    parser.add_argument("--max-tokens", type=int, default=512)
    parser.add_argument("--render-seconds", type=float, default=0.5)
    parser.add_argument("--answers", type=Path, help="also write each task's two answers and scores to this JSONL file")
    args = parser.parse_args()
    tasks = load_tasks(args.only, args.limit, args.tasks)
    with tempfile.TemporaryDirectory(prefix="wb-bench-quality-") as data_dir:
        settings = model_settings(args, Path(data_dir))
        started = time.monotonic()
        references = {kind: sum(score(kind, t, f"```{LANGUAGE[kind]}\n{t['reference']}```", settings,
                                      args.render_seconds).behaved for k, t in tasks if k == kind)
                      for kind in dict.fromkeys(k for k, _ in tasks)}
        KnowledgeBase(settings).ingest()  # BM25 over the installed FAUST libraries and JUCE headers
        backend = build_backend(args.backend, settings)
        tag = args.tag or settings.model_for(Role.CODER).tag
        options = GenerationOptions(temperature=0, seed=1, max_tokens=args.max_tokens)
        glm = MultiModelGLMSystem(use_backend(settings, backend), options=options)  # the same loaded model
        tallies = {kind: (Tally(), Tally()) for kind in references}
        for kind, task in tasks:
            reply, seconds, tokens, first = ask_bare(backend, tag, task["prompt"], options)
            bare = score(kind, task, reply, settings, args.render_seconds)
            bare.seconds, bare.tokens, bare.first_token_s = seconds, tokens, first
            answer, seconds, tokens, first, attempts = ask_workbench(glm, tag, task["prompt"])
            ours = score(kind, task, answer, settings, args.render_seconds)
            ours.seconds, ours.tokens, ours.first_token_s = seconds, tokens, first
            ours.repair_rounds = sum(a["kind"] == "repair" for a in attempts)
            tallies[kind][0].scores.append(bare)
            tallies[kind][1].scores.append(ours)
            print(f"  {kind} {task['id']:<26} bare: {bare.badge[:50]!r:<54} workbench: {ours.badge[:50]!r}",
                  file=sys.stderr)
            if args.answers:
                with args.answers.open("a") as out:
                    out.write(json.dumps({"id": task["id"], "kind": kind, "bare": reply, "workbench": answer,
                                          "bare_score": asdict(bare), "workbench_score": asdict(ours),
                                          "workbench_attempts": attempts}) + "\n")
    model = getattr(backend, "model_name", tag)
    print(f"{args.backend} backend, model {model}, max_tokens {args.max_tokens}, {args.tasks} tasks")
    rows = []
    for kind, (bare, ours) in tallies.items():
        n = len(bare.scores)
        rows.append((f"{kind}: references passing their checks", f"{references[kind]}/{n}", "", ""))
        rows += report(kind, bare, ours)
    print_table(rows)
    print(f"({len(tasks)} tasks, bench wall time {time.monotonic() - started:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
