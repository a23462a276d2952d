"""Feedback from real storage into examples; the `hrm-reason train` command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from workbench.cli import main
from workbench.domain import PlanStep, Role
from workbench.hrm.analyzer import HRMAnalyzer
from workbench.hrm.feedback import feedback_examples
from workbench.storage import Storage

SHIPPED = Path(__file__).resolve().parents[2] / "models" / "hrm.pt"


def _answered(storage: Storage, question: str) -> int:
    project = storage.ensure_project("p")
    conversation = storage.create_conversation(project.id, "c")
    storage.add_message(conversation.id, "user", question)
    answer = storage.add_message(conversation.id, "assistant", "an answer")
    storage.create_run(conversation.id, answer.id, question, None)
    return answer.id


def test_feedback_becomes_examples_with_the_user_s_corrections(settings):
    storage = Storage(settings.db_path)
    analyzer = HRMAnalyzer.load(SHIPPED, "cpu")
    role_fix = _answered(storage, "derive the bilinear transform for a one-pole")
    split_fix = _answered(storage, "write a faust tremolo")
    praised = _answered(storage, "what does si.smoo do")
    vague = _answered(storage, "hi")
    storage.add_feedback(role_fix, rating=-1, correct_role="math", should_split=None)
    storage.add_feedback(split_fix, rating=-1, correct_role=None, should_split=True)
    storage.add_feedback(praised, rating=1, correct_role=None, should_split=False)
    storage.add_feedback(vague, rating=-1, correct_role=None, should_split=None)
    summary = feedback_examples(storage, analyzer)
    by_query = {e.query: e for e in summary.used}
    assert by_query["derive the bilinear transform for a one-pole"].role is Role.MATH
    assert by_query["write a faust tremolo"].decompose
    assert PlanStep.ANSWER not in by_query["write a faust tremolo"].steps
    assert by_query["what does si.smoo do"].steps == (PlanStep.ANSWER,)
    assert len(summary.skipped) == 1 and "without a correction" in summary.skipped[0]


def test_feedback_training_without_feedback_says_what_to_do(settings, monkeypatch, capsys, tmp_path):
    monkeypatch.setenv("WORKBENCH_DATA_DIR", str(settings.data_dir))
    assert main(["train", "--feedback", "--device", "cpu", "--output", str(tmp_path / "ft.pt")]) == 2
    assert "no usable feedback" in capsys.readouterr().err
    assert not (tmp_path / "ft.pt").exists()


@pytest.mark.parametrize("argv, message", [
    (["train", "--epochs", "0"], "--epochs must be at least 1"),
    (["train", "somewhere"], "needs --output"),
    (["train", "no/such/dir", "--output", "x.json"], "is not a folder"),
])
def test_bad_train_arguments_are_usage_errors(argv, message, capsys):
    assert main(argv) == 2
    assert message in capsys.readouterr().err


def test_train_codebase_writes_the_corpus_json(tmp_path, capsys):
    (tmp_path / "code").mkdir()
    (tmp_path / "code" / "gain.dsp").write_text('process = *(hslider("gain", 0.5, 0, 1, 0.01));\n')
    out = tmp_path / "corpus.json"
    assert main(["train", str(tmp_path / "code"), "--output", str(out)]) == 0
    assert isinstance(json.loads(out.read_text()), dict)


def test_train_feedback_fine_tunes_into_a_new_checkpoint(settings, monkeypatch, capsys, tmp_path):
    storage = Storage(settings.db_path)
    message = _answered(storage, "derive the bilinear transform for a one-pole")
    storage.add_feedback(message, rating=-1, correct_role="math", should_split=True)
    monkeypatch.setenv("WORKBENCH_DATA_DIR", str(settings.data_dir))
    output = tmp_path / "fine_tuned.pt"
    assert main(["train", "--feedback", "--epochs", "1", "--device", "cpu", "--output", str(output)]) == 0
    captured = capsys.readouterr()
    printed = captured.out
    assert "fine-tuning on 1 feedback example(s)" in printed and "real-question test split" in printed
    # a bar over every batch on stderr, finished, while stdout keeps only the lines and the report
    assert "training: 100%" in captured.err and "batch" in captured.err
    assert "training:" not in printed
    tuned = HRMAnalyzer.load(output, "cpu")
    assert tuned.meta["fine_tuned_from"] == HRMAnalyzer.load(SHIPPED, "cpu").sha256
    assert tuned.meta["feedback_examples"] == 1
