"""The reproducible recipe behind `hrm-reason train`: corpus → tokenizer → HRM → checkpoint
→ evaluation table. Fixed seeds; the test splits are only ever measured, never tuned on.

The network learns from the synthetic corpus (coverage of every intent and platform) and the
train split of the real-question corpus (how developers really ask), the real questions
repeated so they weigh about as much as the synthetic ones; the epoch is chosen on the real
validation split; the routing gate reads the real test split."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from tokenizers import Tokenizer

from workbench.hrm.analyzer import HRMAnalyzer
from workbench.hrm.checkpoint import LoadedCheckpoint, save_checkpoint
from workbench.hrm.corpus import Example, build_corpus
from workbench.hrm.evaluation_record import shortfalls, write_evaluation
from workbench.hrm.evaluate import (
    TfidfBaseline, Target, analysis_guesser, format_intervals, format_table, hrm_guesser, latency_ms, load_external,
    metrics, paired_bootstrap, percentile, rule_engine,
)
from workbench.hrm.model import HRM, HRMConfig
from workbench.hrm.real_questions import load_real_questions
from workbench.hrm.routing_eval import real_example
from workbench.hrm.tokenizer import train_tokenizer
from workbench.hrm.device import resolve_device
from workbench.hrm.train import Progress, TrainConfig, seed_everything, train_model

PROJECT_ROOT = Path(__file__).resolve().parents[2]
EXTERNAL_SET = PROJECT_ROOT / "tests" / "decompose" / "labelled_queries.jsonl"
KNOWLEDGE_DIR = PROJECT_ROOT / "knowledge"
TOKENIZER_VOCAB = 2048
REAL_REPEATS = 3  # ~500 real train questions x 3 ~ half as many as the ~3,200 synthetic ones
REAL_SPLITS = {"real_train": "train", "real_val": "validation", "real_test": "test"}


@dataclass
class Report:
    text: str
    figures: dict[str, dict[str, float | None]]  # "test/hrm" -> metrics, plus "hrm" -> latency/params
    sha256: str


def tokenizer_texts(train: Sequence[Example]) -> list[str]:
    """The training questions plus the project's own primers (never val/test questions)."""
    primers = [p.read_text(encoding="utf-8") for p in sorted(KNOWLEDGE_DIR.glob("*.md"))]
    return [e.query for e in train] + primers


def selection_score(m: dict[str, float | None]) -> float:
    """One number to pick an epoch or a recipe by: the sum of the figures, MAE counted against."""
    return m["role_accuracy"] + m["domain_f1"] + m["decompose_f1"] + (m["steps_f1"] or 0) - m["complexity_mae"] / 3


def validation_score(model: HRM, tokenizer, val: Sequence[Example]) -> float:
    """`selection_score` of the model on the validation split."""
    analyzer = HRMAnalyzer(LoadedCheckpoint(model, tokenizer, "unsaved", {}), Path("unsaved"), next(model.parameters()).device)
    return selection_score(metrics(hrm_guesser(analyzer)([e.query for e in val]), [Target.of(e) for e in val]))


def training_splits(seed: int = 0) -> dict[str, list[Example]]:
    """The synthetic splits (train / val / test) and the real ones (real_train / real_val /
    real_test); a real question labelled as split gets the rules' plan steps for it."""
    from workbench.decompose.analyze import split_steps

    splits = build_corpus(seed=seed)
    for name, split in REAL_SPLITS.items():
        splits[name] = [real_example(q, lambda text: split_steps(text, {})) for q in load_real_questions(split)]
    return splits


def train_set(splits: dict[str, list[Example]], real_repeats: int = REAL_REPEATS) -> list[Example]:
    return splits["train"] + splits["real_train"] * real_repeats


def selection_set(splits: dict[str, list[Example]]) -> list[Example]:
    """The questions an epoch is chosen on: the real validation split (the synthetic one
    while the real corpus has none)."""
    return splits["real_val"] or splits["val"]


def train_candidate(
    network: HRMConfig | None = None, training: TrainConfig | None = None, *, vocab: int = TOKENIZER_VOCAB,
    device: str = "auto", seed: int = 0, real_repeats: int = REAL_REPEATS, log: Callable[[str], None] = print,
    progress: Progress | None = None,
) -> tuple[HRM, Tokenizer, dict[str, list[Example]], dict]:
    """Corpus → tokenizer → a trained HRM, its epoch chosen on the validation split only.
    Returns the model, its tokenizer, the splits and the metadata a checkpoint records."""
    seed_everything(seed)
    splits = training_splits(seed)
    log("corpus: " + ", ".join(f"{name} {len(items)}" for name, items in splits.items()))
    train, val = train_set(splits, real_repeats), selection_set(splits)
    tokenizer = train_tokenizer(tokenizer_texts(train), vocab)
    network = replace(network or HRMConfig(), vocab_size=tokenizer.get_vocab_size())
    training = replace(training or TrainConfig(), seed=seed)
    model = HRM(network, verbose=True)
    torch_device = resolve_device(device)
    started = dt.datetime.now(dt.UTC)
    history = train_model(
        model, tokenizer, train, training, torch_device,
        val=val, score=lambda m: validation_score(m, tokenizer, val), log=log, progress=progress,
    )
    meta = {
        "trained_at": started.isoformat(timespec="seconds"), "seed": seed, "epochs": training.epochs,
        "device": torch_device.type, "final_loss": history[-1],
        "corpus": {name: len(items) for name, items in splits.items()}, "real_repeats": real_repeats,
        "tokenizer_sha256": hashlib.sha256(tokenizer.to_str().encode()).hexdigest(),
    }
    return model, tokenizer, splits, meta


def train_from_scratch(
    output: Path, *, epochs: int | None = None, device: str = "auto", seed: int = 0, log: Callable[[str], None] = print,
    progress: Progress | None = None,
) -> Report:
    """What `hrm-reason train` runs: the shipped recipe, then save, reload and measure."""
    training = TrainConfig() if epochs is None else TrainConfig(epochs=epochs)
    model, tokenizer, splits, meta = train_candidate(training=training, device=device, seed=seed, log=log,
                                                     progress=progress)
    return finish(output, model, tokenizer, meta, splits, device, log)


def finish(
    output: Path, model: HRM, tokenizer, meta: dict, splits: dict[str, list[Example]], device: str,
    log: Callable[[str], None],
) -> Report:
    """Save the checkpoint, reload it, and measure it."""
    save_checkpoint(output, model.cpu(), tokenizer, meta)
    return measure(output, splits, device, log)


def measure(output: Path, splits: dict[str, list[Example]], device: str, log: Callable[[str], None]) -> Report:
    """Reload a saved checkpoint, measure it, and write its tokenizer and evaluation record
    beside it (also for a checkpoint trained elsewhere, e.g. by `bench/hrm_sweep.py`)."""
    analyzer = HRMAnalyzer.load(output, device)
    analyzer.tokenizer.save(str(output.with_name(output.stem + "_tokenizer.json")))
    report = evaluation_report(analyzer, splits)
    write_evaluation(output, report.sha256, report.figures)
    log(report.text)
    return report


def evaluation_report(analyzer: HRMAnalyzer, splits: dict[str, list[Example]]) -> Report:
    """Rules, TF-IDF + LR and the HRM side by side on the real test split (the gate), the real
    validation split, the synthetic test split and the project's hand-labelled set."""
    analyzers = {"tfidf+logreg": TfidfBaseline(train_set(splits)), "hrm": hrm_guesser(analyzer)}
    if (rules := rule_engine()) is not None:
        analyzers = {"rules": analysis_guesser(rules), **analyzers}
    figures: dict[str, dict[str, float | None]] = {}
    sections: list[str] = []
    labelled = [("real_test", splits["real_test"], "real-question test split (the gate)"),
                ("real_val", splits["real_val"], "real-question validation split"),
                ("test", splits["test"], "synthetic test split")]
    for key, examples, title in labelled:
        if not examples:
            sections.append(f"{title}: no questions, skipped")
            continue
        queries, targets = [e.query for e in examples], [Target.of(e) for e in examples]
        guesses = {name: guess(queries) for name, guess in analyzers.items()}
        table = {name: metrics(guesses[name], targets) for name in analyzers}
        figures.update({f"{key}/{name}": values for name, values in table.items()})
        sections.append(format_table(table, f"{title} ({len(examples)} questions)"))
        if rules is not None and key != "real_val":
            sections.append(format_intervals(
                paired_bootstrap(guesses["hrm"], guesses["rules"], targets, [e.group for e in examples]),
                f"HRM minus rules on the {title}, 95% interval resampling whole threads / templates:",
            ))
    if EXTERNAL_SET.is_file():
        ext_queries, ext_targets = load_external(EXTERNAL_SET)
        ext_guesses = {name: guess(ext_queries) for name, guess in analyzers.items()}
        ext = {name: metrics(ext_guesses[name], ext_targets) for name in analyzers}
        figures.update({f"external/{name}": values for name, values in ext.items()})
        sections.append(format_table(ext, f"project set {EXTERNAL_SET.name} ({len(ext_queries)} questions, "
                                          "a regression check)"))
    else:
        sections.append(f"project set {EXTERNAL_SET} not found: skipped")
    sample = [e.query for e in (splits["real_test"] or splits["test"])][:100]
    single = latency_ms(lambda q: analyzer.analyze(q), sample)
    steps = [analyzer.predict([q])[0].act_steps for q in sample]
    figures["hrm"] = {
        "params": analyzer.model.num_parameters(), "p50_ms": percentile(single, 50), "p95_ms": percentile(single, 95),
        "mean_act_steps": sum(steps) / len(steps),
    }
    sections.append(
        f"HRM: {figures['hrm']['params']:,} parameters, one query p50 {figures['hrm']['p50_ms']:.2f} ms, "
        f"p95 {figures['hrm']['p95_ms']:.2f} ms on {analyzer.device.type}, "
        f"{figures['hrm']['mean_act_steps']:.2f} ACT steps on average; checkpoint sha256 {analyzer.sha256[:16]}"
    )
    sections.append(_verdict(figures))
    return Report("\n\n".join(sections), figures, analyzer.sha256)


def _verdict(figures: dict) -> str:
    short = shortfalls(figures)
    if not short:
        return "verdict: the HRM beats the rule engine on every figure of the real test split (hrm.routing = auto uses it)"
    return "verdict: the HRM does NOT beat the rule engine on the real test split: " + "; ".join(short)
