"""Which HRM recipe to ship, judged on the validation split only (never a test split).

Trains every variant below from scratch with several seeds, one process per run on one
CPU thread (or on a GPU with --device cuda), and prints each variant's figures on the
selection split (the real-question validation split) averaged over the seeds, next to the
shipped recipe (`baseline`) trained in the same run. `--save-dir` keeps each run's checkpoint,
so a sweep on a faster machine also delivers the network to ship.

    .venv/bin/python bench/hrm_sweep.py --seeds 0 1 --workers 12
    python3 bench/hrm_sweep.py --device cuda --seeds 0 --workers 2 --only "hidden 96" --save-dir out/
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from workbench.hrm.analyzer import HRMAnalyzer  # noqa: E402
from workbench.hrm.checkpoint import LoadedCheckpoint, save_checkpoint  # noqa: E402
from workbench.hrm.evaluate import Target, hrm_guesser, metrics  # noqa: E402
from workbench.hrm.model import HRMConfig  # noqa: E402
from workbench.hrm.recipe import selection_set, selection_score, train_candidate  # noqa: E402
from workbench.hrm.train import TrainConfig  # noqa: E402

# name -> (network overrides, training overrides, recipe overrides); "baseline" is the shipped recipe
VARIANTS: dict[str, tuple[dict, dict, dict]] = {
    "baseline": ({}, {}, {}),
    "vocabulary 4096": ({}, {}, {"vocab": 4096}),
    "weight decay 0.1": ({}, {"weight_decay": 0.1}, {}),
    "learning rate 2e-3": ({}, {"lr": 2e-3}, {}),
    "hidden 96": ({"hidden": 96}, {}, {}),
    "token dropout 0.2": ({}, {"token_dropout": 0.2}, {}),
    "25 epochs": ({}, {"epochs": 25}, {}),
    "2 layers per module": ({"h_layers": 2, "l_layers": 2}, {}, {}),
    "3 ACT segments": ({"halt_max_steps": 3}, {}, {}),
    "40 epochs": ({}, {"epochs": 40}, {}),
    "hidden 80, 25 epochs": ({"hidden": 80}, {"epochs": 25}, {}),
    "hidden 96, 25 epochs": ({"hidden": 96}, {"epochs": 25}, {}),
    "real x6, 25 epochs": ({}, {"epochs": 25}, {"real_repeats": 6}),
    "real x6, hidden 96, 25 epochs": ({"hidden": 96}, {"epochs": 25}, {"real_repeats": 6}),
    "hidden 80, 40 epochs": ({"hidden": 80}, {"epochs": 40}, {}),
    "hidden 80, 25 epochs, lr 2e-3": ({"hidden": 80}, {"epochs": 25, "lr": 2e-3}, {}),
    "hidden 80, 25 epochs, token dropout 0.2": ({"hidden": 80}, {"epochs": 25, "token_dropout": 0.2}, {}),
    "hidden 80, 25 epochs, weight decay 0.1": ({"hidden": 80}, {"epochs": 25, "weight_decay": 0.1}, {}),
    "real x6, hidden 80, 25 epochs": ({"hidden": 80}, {"epochs": 25}, {"real_repeats": 6}),
    # one ACT segment (half the inference time) and fewer cycles, against the p50 <= 5 ms target
    "1 ACT segment": ({"halt_max_steps": 1}, {}, {}),
    "1 ACT segment, 1 L cycle": ({"halt_max_steps": 1, "l_cycles": 1}, {}, {}),
    "1 ACT segment, 1 H cycle": ({"halt_max_steps": 1, "h_cycles": 1}, {}, {}),
    "1 ACT segment, hidden 64": ({"halt_max_steps": 1, "hidden": 64}, {}, {}),
    "1 ACT segment, hidden 96": ({"halt_max_steps": 1, "hidden": 96}, {}, {}),
    "1 ACT segment, 40 epochs": ({"halt_max_steps": 1}, {"epochs": 40}, {}),
    "1 ACT segment, real x6": ({"halt_max_steps": 1}, {}, {"real_repeats": 6}),
}
FIGURES = ("role_accuracy", "domain_f1", "decompose_f1", "complexity_mae", "steps_f1")


def run_one(name: str, seed: int, device: str, save_dir: Path | None) -> tuple[str, int, dict, float]:
    torch.set_num_threads(1)  # one process per core
    network, training, recipe = VARIANTS[name]
    started = time.perf_counter()
    model, tokenizer, splits, meta = train_candidate(
        HRMConfig(**network), TrainConfig(**training), **recipe, device=device, seed=seed, log=lambda _: None,
    )
    minutes = (time.perf_counter() - started) / 60
    analyzer = HRMAnalyzer(LoadedCheckpoint(model, tokenizer, "sweep", {}), Path("sweep"), next(model.parameters()).device)
    val = selection_set(splits)
    figures = metrics(hrm_guesser(analyzer)([e.query for e in val]), [Target.of(e) for e in val])
    if save_dir is not None:
        stem = f"{name.replace(' ', '_')}_seed{seed}"
        save_checkpoint(save_dir / f"{stem}.pt", model.cpu(), tokenizer, {**meta, "variant": name})
    return name, seed, figures, minutes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--only", nargs="*", help="variant names to run (baseline is always run)")
    parser.add_argument("--save-dir", type=Path, help="keep every run's checkpoint here (<variant>_seed<N>.pt)")
    args = parser.parse_args()
    names = ["baseline", *[n for n in VARIANTS if n != "baseline" and (not args.only or n in args.only)]]
    jobs = [(n, s) for s in args.seeds for n in names]  # seed-major: a cut-off sweep has every variant once
    results = []
    with ProcessPoolExecutor(max_workers=args.workers) as pool:
        futures = [pool.submit(run_one, name, seed, args.device, args.save_dir) for name, seed in jobs]
        for future in as_completed(futures):  # each run as it ends, so a cut-off sweep still says something
            results.append(future.result())
            name, seed, figures, minutes = results[-1]
            print(f"  {name} seed {seed} ({minutes:.1f} min): "
                  + ", ".join(f"{k} {v:.3f}" for k, v in figures.items() if v is not None), flush=True)
    table: dict[str, dict[str, float]] = {}
    for name in names:
        runs = [r for r in results if r[0] == name]
        table[name] = {f: statistics.fmean(r[2][f] or 0.0 for r in runs) for f in FIGURES}
        table[name]["minutes"] = statistics.fmean(r[3] for r in runs)
        table[name]["score"] = selection_score(table[name])
    base = table["baseline"]["score"]
    print(f"selection split (real-question validation), mean of seeds {args.seeds} (device {args.device})")
    print(f"{'variant':<26} {'role':>6} {'domain':>7} {'split':>6} {'MAE':>5} {'steps':>6} {'score':>6} {'vs base':>8} {'min':>5}")
    for name, row in table.items():
        print(f"{name:<26} {row['role_accuracy']:6.3f} {row['domain_f1']:7.3f} {row['decompose_f1']:6.3f} "
              f"{row['complexity_mae']:5.2f} {row['steps_f1']:6.3f} {row['score']:6.3f} {row['score'] / base:7.3f}x "
              f"{row['minutes']:5.1f}")


if __name__ == "__main__":
    main()
