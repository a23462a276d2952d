import pytest

from tests.validate.conftest import OSC_440, with_validation
from workbench.validate import build_repair_prompt, repair_code, validate_code

BROKEN = 'import("stdfaust.lib");\nprocess = os.oscx(440) * 0.5;\n'


class ScriptedCoder:
    """Answers repair prompts from a list, recording what it was asked."""

    def __init__(self, *replies: str | Exception) -> None:
        self.replies = list(replies)
        self.prompts: list[str] = []

    def __call__(self, prompt: str) -> str:
        self.prompts.append(prompt)
        reply = self.replies.pop(0)
        if isinstance(reply, Exception):
            raise reply
        return reply


def test_the_prompt_carries_the_errors_the_numbered_code_and_the_docs(vsettings):
    result = validate_code(BROKEN, "faust", vsettings)
    prompt = build_repair_prompt(BROKEN, "faust", result, docs="os.osc(freq): a sine oscillator")
    assert "line 2: `os.oscx` does not exist" in prompt and "did you mean os.osc(freq) (oscillators.lib:" in prompt
    assert "   2 | process = os.oscx(440) * 0.5;" in prompt
    assert "os.osc(freq): a sine oscillator" in prompt
    assert "```faust" in prompt


def test_a_successful_repair_keeps_both_versions_and_their_results(vsettings):
    coder = ScriptedCoder(f"Fixed:\n```faust\n{OSC_440}```\n")
    first = validate_code(BROKEN, "faust", vsettings)
    outcome = repair_code(BROKEN, "faust", first, coder, vsettings, docs="os.osc(freq)")
    assert len(coder.prompts) == 1 and "os.osc(freq)" in coder.prompts[0]
    assert [a.round for a in outcome.attempts] == [0, 1]
    assert outcome.original.code == BROKEN and outcome.original.result.ok is False
    assert outcome.final.code == OSC_440 and outcome.final.result.ok is True
    assert outcome.repaired and outcome.final.prompt == coder.prompts[0]


def test_a_rendered_result_is_rechecked_with_a_render(vsettings):
    silent = 'import("stdfaust.lib");\nprocess = os.osc(440) * 0;\n'
    first = validate_code(silent, "faust", vsettings, render_seconds=0.2)
    outcome = repair_code(silent, "faust", first, ScriptedCoder(f"```faust\n{OSC_440}```"), vsettings)
    assert outcome.repaired and outcome.final.result.checks == ["compiled", "rendered"]
    assert abs(outcome.final.result.render.peak_hz - 440) < 2


def test_a_round_that_does_not_improve_ends_the_loop(vsettings):
    settings = with_validation(vsettings, repair_rounds=3)
    coder = ScriptedCoder("I am not sure.", "never asked")
    outcome = repair_code(BROKEN, "faust", validate_code(BROKEN, "faust", settings), coder, settings)
    assert len(coder.prompts) == 1 and outcome.stopped == "no progress" and not outcome.repaired
    assert "contained no FAUST code block" in outcome.attempts[1].result.errors[0].message
    assert outcome.final.round == 0 and not outcome.improved


def test_the_best_version_is_kept_not_the_last(vsettings):
    settings = with_validation(vsettings, repair_rounds=3)
    two_mistakes = 'import("stdfaust.lib");\nprocess = os.oscx(440) * 0.5 + saww(3);\n'
    one_mistake = 'import("stdfaust.lib");\nprocess = os.osc(440) * 0.5 + saww(3);\n'
    coder = ScriptedCoder(f"```faust\n{one_mistake}```", f"```faust\n{two_mistakes}```", "never asked")
    outcome = repair_code(two_mistakes, "faust", validate_code(two_mistakes, "faust", settings), coder, settings)
    assert [a.round for a in outcome.attempts] == [0, 1, 2] and outcome.stopped == "no progress"
    assert outcome.final.code == one_mistake and outcome.improved and not outcome.repaired
    assert "process = os.osc(440) * 0.5 + saww(3)" in coder.prompts[1]  # round 2 starts from the best
    assert "unknown identifier `saww`" in coder.prompts[1]


def test_the_prompt_says_what_the_sound_did_against_what_was_asked(vsettings):
    question = "Write a FAUST program that outputs a 440 Hz sine wave at amplitude 0.5."
    octave_up = 'import("stdfaust.lib");\nprocess = os.osc(880) * 0.5;\n'
    first = validate_code(octave_up, "faust", vsettings, render_seconds=0.3, question=question)
    assert first.ok is False and first.errors[-1].kind == "spec"
    coder = ScriptedCoder(f"```faust\n{OSC_440}```")
    outcome = repair_code(octave_up, "faust", first, coder, vsettings, question=question)
    assert "peak at 880 Hz, asked 440 Hz ✗" in coder.prompts[0] and question in coder.prompts[0]
    assert "os.osc(freq) (oscillators.lib:" in coder.prompts[0]  # the docs of the functions it calls
    assert outcome.repaired and outcome.stopped == "passed"
    assert outcome.final.result.spec_summary == "peak at 440 Hz, asked 440 Hz ✓; peak 0.50, asked peak 0.5 ✓"


def test_a_failing_model_is_recorded_and_nothing_is_lost(vsettings):
    coder = ScriptedCoder(ConnectionError("Ollama is not reachable"))
    outcome = repair_code(BROKEN, "faust", validate_code(BROKEN, "faust", vsettings), coder, vsettings)
    assert outcome.original.code == BROKEN
    assert "the repair request failed: Ollama is not reachable" in outcome.attempts[1].result.errors[0].message


@pytest.mark.parametrize("rounds, code", [(1, OSC_440), (0, BROKEN)])
def test_no_model_call_when_the_code_passes_or_repair_is_off(vsettings, rounds, code):
    settings = with_validation(vsettings, repair_rounds=rounds)
    coder = ScriptedCoder()
    outcome = repair_code(code, "faust", validate_code(code, "faust", settings), coder, settings)
    assert coder.prompts == [] and len(outcome.attempts) == 1


def test_a_repair_round_with_the_real_embedded_model(vsettings):
    from workbench.domain import ChatMessage, GenerationOptions
    from workbench.llm.embedded import EmbeddedBackend

    backend = EmbeddedBackend(vsettings)
    assert backend.model_name == "smollm2-135m-instruct"  # the suite stays on the small model
    one_round = with_validation(vsettings, repair_rounds=1)

    def generate(prompt: str) -> str:
        chunks = backend.chat("coder", [ChatMessage(role="user", content=prompt)],
                              options=GenerationOptions(temperature=0, seed=7, max_tokens=160))
        return "".join(chunk.content for chunk in chunks)

    outcome = repair_code(BROKEN, "faust", validate_code(BROKEN, "faust", one_round), generate, one_round)
    assert [a.round for a in outcome.attempts] == [0, 1]
    assert "did you mean os.osc(freq)" in outcome.attempts[1].prompt
    assert outcome.attempts[1].reply and outcome.attempts[1].prompt.startswith("This FAUST code failed")
    assert outcome.attempts[1].result.ok in (True, False)


def test_the_final_version_is_the_last_one_with_code_when_nothing_passes(vsettings):
    coder = ScriptedCoder("Sorry, no idea.")
    outcome = repair_code(BROKEN, "faust", validate_code(BROKEN, "faust", vsettings), coder, vsettings)
    assert outcome.final.round == 0 and outcome.final.code == BROKEN and not outcome.repaired


class ScriptedResampler(ScriptedCoder):
    """Fresh answers from a list, recording the seeds asked for."""

    def __call__(self, seed: int) -> str:  # type: ignore[override]
        return super().__call__(f"seed {seed}")


def test_a_round_without_progress_asks_for_fresh_answers_until_one_passes(vsettings):
    settings = with_validation(vsettings, repair_rounds=2, resamples=2)
    coder = ScriptedCoder("I am not sure.")
    fresh = ScriptedResampler("```faust\nprocess = nosuch;\n```", f"Here:\n```faust\n{OSC_440}```")
    outcome = repair_code(BROKEN, "faust", validate_code(BROKEN, "faust", settings), coder, settings, resample=fresh)
    assert len(coder.prompts) == 1 and fresh.prompts == ["seed 1", "seed 2"]
    assert [(a.round, a.resampled) for a in outcome.attempts] == [(0, False), (1, False), (2, True), (3, True)]
    assert outcome.stopped == "passed" and outcome.repaired and outcome.best.round == 3
    assert outcome.best.seed == 2 and outcome.best.prompt is None  # the request itself was sent again


def test_a_fresh_answer_that_improves_is_repaired_in_turn(vsettings):
    settings = with_validation(vsettings, repair_rounds=2, resamples=1)
    one_mistake = 'import("stdfaust.lib");\nprocess = os.osc(440) * 0.5 + saww(3);\n'
    two_mistakes = 'import("stdfaust.lib");\nprocess = os.oscx(440) * 0.5 + saww(3);\n'
    coder = ScriptedCoder("no code", f"```faust\n{OSC_440}```")
    fresh = ScriptedResampler(f"```faust\n{one_mistake}```")
    outcome = repair_code(two_mistakes, "faust", validate_code(two_mistakes, "faust", settings), coder, settings,
                          resample=fresh)
    assert "saww(3)" in coder.prompts[1] and "oscx" not in coder.prompts[1]  # round 3 repairs the fresh answer
    assert outcome.stopped == "passed" and [a.resampled for a in outcome.attempts] == [False, False, True, False]


@pytest.mark.parametrize("language_setting, resamples", [(["faust"], 0), ([], 2)])
def test_no_fresh_answer_when_resampling_is_off_or_not_for_the_language(vsettings, language_setting, resamples):
    settings = with_validation(vsettings, repair_rounds=1, resamples=resamples, resample_languages=language_setting)
    fresh = ScriptedResampler()
    outcome = repair_code(BROKEN, "faust", validate_code(BROKEN, "faust", settings), ScriptedCoder("no code"),
                          settings, resample=fresh)
    assert fresh.prompts == [] and outcome.stopped == "no progress"
