"""The reproducible recipe behind `hrm-reason train`: corpus → tokenizer → HRM → checkpoint
→ evaluation table. Fixed seeds; the test split is only ever measured, never tuned on."""

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
from workbench.hrm.evaluation_record import ROUTING_FIGURES, write_evaluation
from workbench.hrm.evaluate import (
    TfidfBaseline, Target, analysis_guesser, format_intervals, format_table, hrm_guesser, latency_ms, load_external,
    metrics, paired_bootstrap, percentile, rule_engine,
)
from workbench.hrm.model import HRM, HRMConfig
from workbench.hrm.tokenizer import train_tokenizer
from workbench.hrm.device import resolve_device
from workbench.hrm.train import TrainConfig, seed_everything, train_model

PROJECT_ROOT = Path(__file__).resolve().parents[2]
EXTERNAL_SET = PROJECT_ROOT / "tests" / "decompose" / "labelled_queries.jsonl"
KNOWLEDGE_DIR = PROJECT_ROOT / "knowledge"
TOKENIZER_VOCAB = 2048


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


def train_candidate(
    network: HRMConfig | None = None, training: TrainConfig | None = None, *, vocab: int = TOKENIZER_VOCAB,
    device: str = "auto", seed: int = 0, log: Callable[[str], None] = print,
) -> tuple[HRM, Tokenizer, dict[str, list[Example]], dict]:
    """Corpus → tokenizer → a trained HRM, its epoch chosen on the validation split only.
    Returns the model, its tokenizer, the splits and the metadata a checkpoint records."""
    seed_everything(seed)
    splits = build_corpus(seed=seed)
    log("corpus: " + ", ".join(f"{name} {len(items)}" for name, items in splits.items()))
    tokenizer = train_tokenizer(tokenizer_texts(splits["train"]), vocab)
    network = replace(network or HRMConfig(), vocab_size=tokenizer.get_vocab_size())
    training = replace(training or TrainConfig(), seed=seed)
    model = HRM(network, verbose=True)
    torch_device = resolve_device(device)
    started = dt.datetime.now(dt.UTC)
    history = train_model(
        model, tokenizer, splits["train"], training, torch_device,
        val=splits["val"], score=lambda m: validation_score(m, tokenizer, splits["val"]), log=log,
    )
    meta = {
        "trained_at": started.isoformat(timespec="seconds"), "seed": seed, "epochs": training.epochs,
        "device": torch_device.type, "final_loss": history[-1],
        "corpus": {name: len(items) for name, items in splits.items()},
        "tokenizer_sha256": hashlib.sha256(tokenizer.to_str().encode()).hexdigest(),
    }
    return model, tokenizer, splits, meta


def train_from_scratch(
    output: Path, *, epochs: int | None = None, device: str = "auto", seed: int = 0, log: Callable[[str], None] = print,
) -> Report:
    """What `hrm-reason train` runs: the shipped recipe, then save, reload and measure."""
    training = TrainConfig() if epochs is None else TrainConfig(epochs=epochs)
    model, tokenizer, splits, meta = train_candidate(training=training, device=device, seed=seed, log=log)
    return finish(output, model, tokenizer, meta, splits, device, log)


def finish(
    output: Path, model: HRM, tokenizer, meta: dict, splits: dict[str, list[Example]], device: str,
    log: Callable[[str], None],
) -> Report:
    """Save the checkpoint (and the tokenizer beside it), reload it, and measure it."""
    save_checkpoint(output, model.cpu(), tokenizer, meta)
    tokenizer.save(str(output.with_name(output.stem + "_tokenizer.json")))
    analyzer = HRMAnalyzer.load(output, device)
    report = evaluation_report(analyzer, splits)
    write_evaluation(output, report.sha256, report.figures)
    log(report.text)
    return report


def evaluation_report(analyzer: HRMAnalyzer, splits: dict[str, list[Example]]) -> Report:
    """Rules, TF-IDF + LR and the HRM side by side on the test split (and the external set)."""
    test = splits["test"]
    queries, targets = [e.query for e in test], [Target.of(e) for e in test]
    analyzers = {"tfidf+logreg": TfidfBaseline(splits["train"]), "hrm": hrm_guesser(analyzer)}
    if (rules := rule_engine()) is not None:
        analyzers = {"rules": analysis_guesser(rules), **analyzers}
    guesses = {name: guess(queries) for name, guess in analyzers.items()}
    figures = {f"test/{name}": metrics(guesses[name], targets) for name in analyzers}
    sections = [format_table({n.split("/")[1]: v for n, v in figures.items()}, f"held-out test split ({len(test)} questions)")]
    if rules is None:
        sections.append("rule engine: workbench.decompose is not available, so it is not in the table")
    else:
        sections.append(format_intervals(
            paired_bootstrap(guesses["hrm"], guesses["rules"], targets, [e.group for e in test]),
            "HRM minus rules on the test split, 95% interval resampling whole templates and seed lines:",
        ))
    if EXTERNAL_SET.is_file():
        ext_queries, ext_targets = load_external(EXTERNAL_SET)
        ext_guesses = {name: guess(ext_queries) for name, guess in analyzers.items()}
        ext = {f"external/{name}": metrics(ext_guesses[name], ext_targets) for name in analyzers}
        figures.update(ext)
        sections.append(format_table({n.split("/")[1]: v for n, v in ext.items()},
                                     f"external set {EXTERNAL_SET.name} ({len(ext_queries)} questions)"))
        if rules is not None:
            sections.append(format_intervals(
                paired_bootstrap(ext_guesses["hrm"], ext_guesses["rules"], ext_targets, ext_queries),
                "HRM minus rules on the external set, 95% interval resampling questions:",
            ))
    else:
        sections.append(f"external set {EXTERNAL_SET} not found: skipped")
    sample = queries[:100]
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
    rules, hrm = figures.get("test/rules"), figures["test/hrm"]
    if rules is None:
        return "verdict: no rule engine to compare with"
    worse = [k for k, (_, higher_is_better) in ROUTING_FIGURES.items()
             if (hrm[k] <= rules[k] if higher_is_better else hrm[k] >= rules[k])]
    if not worse:
        return "verdict: the HRM beats the rule engine on every figure of the test split"
    return "verdict: the HRM does NOT beat the rule engine on: " + ", ".join(worse)
