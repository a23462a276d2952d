"""What each model is told: role system prompts and prompts trimmed to token budgets.

Budgets use the retrieval layer's estimate (characters / 4): a prompt only has to fit the
context window comfortably, not to the token.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from workbench.domain import ChatMessage, Role, Subtask, SubtaskResult, TaskType
from workbench.retrieval.entries import CHARS_PER_TOKEN, estimate_tokens

ROLE_SYSTEM_PROMPTS: dict[Role, str] = {
    Role.REASONING: (
        "You are a senior audio software architect who knows FAUST and JUCE well. Think the "
        "problem through, state the design decisions and their trade-offs, and be concrete."
    ),
    Role.CODER: (
        "You are an expert FAUST and JUCE (C++17) programmer. Write complete, compilable code "
        "in fenced blocks tagged ```faust or ```cpp, use only functions from the standard "
        "FAUST libraries and the real JUCE API, and explain briefly what the code does."
    ),
    Role.MATH: (
        "You are a DSP mathematician and physicist. Derive results step by step, state "
        "formulas with their units and assumptions, and check them numerically when you can."
    ),
}

# How a program in the language is written, added to any role's system prompt for a subtask in
# that language: what a small model gets wrong first (FAUST: no import, no `process`, `osc` for
# `os.osc`, a slider where a number was asked for, Python in a faust block; a placeholder such as
# `name = expression;` it copies word for word, so the rule shows real names; JUCE: a fragment
# that uses members it never declares, overrides with the wrong signature, an AudioProcessor
# constructor or a default-constructed APVTS it invents, an editor reading apvts from
# juce::AudioProcessor&; a layout function the rule only named, it called and never wrote).
LANGUAGE_RULES: dict[TaskType, str] = {
    TaskType.FAUST: (
        "When you write FAUST: give one complete program in a ```faust block. Its first line is "
        'import("stdfaust.lib"); each definition gives its own name to one expression and ends '
        "with a semicolon, like `freq = 440;` or `gain = 0.5;`, and `process = …;` is the program's output. Call library functions with their two-letter "
        "prefix as the usage lines show (os.osc, fi.lowpass, en.adsr, de.delay). Write the values "
        "the request gives (frequencies in Hz, gains, times) into the code as numbers; add a slider "
        "or button only where the request asks for one, with the name it gives. FAUST code is "
        "never Python or C++."
    ),
}
LANGUAGE_RULES[TaskType.JUCE] = LANGUAGE_RULES[TaskType.CPP] = (
    "When you write JUCE C++: give one ```cpp block that compiles on its own. Start with "
    "#include <JuceHeader.h>, declare every class, member and helper the code uses, write JUCE "
    "types with their namespace (juce::AudioBuffer<float>, juce::dsp::ProcessSpec), and override "
    "JUCE's virtual functions with their exact signatures, e.g. void processBlock "
    "(juce::AudioBuffer<float>& buffer, juce::MidiBuffer& midiMessages) override. A processor's "
    "constructor names its buses, MyProcessor() : AudioProcessor (BusesProperties().withInput "
    '("In", juce::AudioChannelSet::stereo()).withOutput ("Out", juce::AudioChannelSet::stereo())) {}, '
    "and its APVTS is built where it is declared, with its parameters, juce::AudioProcessorValueTreeState "
    'apvts { *this, nullptr, "PARAMS", { std::make_unique<juce::AudioParameterFloat> (juce::ParameterID '
    '{ "gain", 1 }, "Gain", 0.0f, 1.0f, 0.5f) } }; an editor takes the processor\'s own class '
    "(MyProcessor& p) and uses p.apvts."
)
LANGUAGE_RULES[TaskType.FAUST_JUCE] = f"{LANGUAGE_RULES[TaskType.FAUST]} {LANGUAGE_RULES[TaskType.JUCE]}"

OVERVIEW_SYSTEM_PROMPT = (
    "You write the short overview that opens a combined answer. Several models each answered "
    "one part of the user's request, and their parts follow your overview unchanged. In 5 to 10 "
    "sentences, say how the parts fit together and in what order to use them, naming each part "
    "by its title and model. Write no code and do not repeat code from the parts. If a part "
    "failed or was skipped, say so plainly and what is missing because of it."
)

ANSWER_FORMAT = "Answer precisely; put code in fenced blocks tagged with its language."


@dataclass(frozen=True)
class DependencyOutput:
    """A finished dependency's answer, as a dependent subtask sees it."""

    title: str
    model: str
    output: str


def system_prompt(subtask: Subtask) -> str:
    """The subtask's role prompt, with the rules of the language it is written in."""
    rules = LANGUAGE_RULES.get(subtask.task_type)
    return f"{ROLE_SYSTEM_PROMPTS[subtask.role]} {rules}" if rules else ROLE_SYSTEM_PROMPTS[subtask.role]


def trim_to_tokens(text: str, budget_tokens: int) -> str:
    """`text` cut to about `budget_tokens`, keeping its beginning and end (where code
    blocks open and conclusions close) and saying how much was left out."""
    if estimate_tokens(text) <= budget_tokens:
        return text
    if budget_tokens <= 0:
        return ""
    keep = budget_tokens * CHARS_PER_TOKEN
    head, tail = text[: keep * 2 // 3], text[len(text) - keep // 3:]
    return f"{head}\n[… {len(text) - len(head) - len(tail)} characters left out …]\n{tail}"


def share_budget(texts: Sequence[str], budget_tokens: int) -> list[str]:
    """Each text trimmed to an equal share of one budget, so many parts cannot crowd out
    the rest of the prompt."""
    if not texts:
        return []
    share = budget_tokens // len(texts)
    return [trim_to_tokens(text.strip(), share) for text in texts]


def build_subtask_messages(
    subtask: Subtask,
    *,
    question: str,
    docs: str = "",
    project_context: str = "",
    dependencies: Sequence[DependencyOutput] = (),
    dependency_budget_tokens: int = 1500,
    project_budget_tokens: int = 800,
) -> list[ChatMessage]:
    """The role's system prompt and one user message: the overall question, the
    documentation, the project context, the dependencies' outputs (sharing one budget)
    and finally the subtask itself."""
    parts = [f"Overall request from the user:\n{question.strip()}"]
    if docs.strip():
        parts.append(docs.strip())
    if project_context.strip():
        parts.append("Project context:\n" + trim_to_tokens(project_context.strip(), project_budget_tokens))
    trimmed = share_budget([dep.output for dep in dependencies], dependency_budget_tokens)
    parts.extend(
        f"Result of the earlier step \"{dep.title}\" ({dep.model}):\n{output}"
        for dep, output in zip(dependencies, trimmed)
    )
    parts.append(
        f"Your task — {subtask.title}:\n{subtask.description.strip()}\n"
        f"Expected output: {subtask.expected_output.value.replace('_', ' ')}. "
        "Answer only this task."
    )
    return [
        ChatMessage(role="system", content=system_prompt(subtask)),
        ChatMessage(role="user", content="\n\n".join(parts)),
    ]


def build_overview_messages(
    question: str, results: Sequence[SubtaskResult], *, budget_tokens: int = 2000
) -> list[ChatMessage]:
    """The overview's system prompt and one user message: the question, then every part in
    plan order with its title, model and status — the finished parts' outputs sharing one
    budget, the others' reasons."""
    done = [r for r in results if r.status == "complete"]
    outputs = dict(zip((r.id for r in done), share_budget([r.output for r in done], budget_tokens)))
    parts = [f"Overall request from the user:\n{question.strip()}"]
    for number, result in enumerate(results, 1):
        head = f"Part {number} — \"{result.title}\" ({result.id}, model {result.model or 'unknown'})"
        if result.id in outputs:
            parts.append(f"{head}, complete:\n{outputs[result.id]}")
        else:
            parts.append(f"{head}, {result.status}: {result.error or 'no output'}")
    parts.append("Write the overview now: 5 to 10 sentences, no code.")
    return [
        ChatMessage(role="system", content=OVERVIEW_SYSTEM_PROMPT),
        ChatMessage(role="user", content="\n\n".join(parts)),
    ]


def build_answer_messages(
    subtask: Subtask,
    question: str,
    history: Sequence[tuple[str, str]] = (),
    *,
    docs: str = "",
    max_messages: int = 10,
    budget_tokens: int = 2000,
    project_context: str = "",
    project_budget_tokens: int = 800,
) -> list[ChatMessage]:
    """A one-subtask plan as a chat turn: the role's system prompt with the project context,
    the latest earlier turns that fit (at most `max_messages`, newest kept first, within
    `budget_tokens`), then the documentation and the question as the user asked it."""
    kept: list[ChatMessage] = []
    left = budget_tokens
    for role, content in reversed(list(history)[-max_messages:] if max_messages else []):
        cost = estimate_tokens(content)
        if not content.strip() or cost > left:
            break
        kept.insert(0, ChatMessage(role=role, content=content))
        left -= cost
    system = f"{system_prompt(subtask)} {ANSWER_FORMAT}"
    if project_context.strip():
        system += "\n\nProject context:\n" + trim_to_tokens(project_context.strip(), project_budget_tokens)
    user = f"{docs.strip()}\n\nQuestion:\n{question}" if docs.strip() else question
    return [ChatMessage(role="system", content=system), *kept, ChatMessage(role="user", content=user)]


def describe_context(context: dict | str | None) -> str:
    """The caller's free-form context (project notes, file excerpts) as prompt text."""
    if not context:
        return ""
    if isinstance(context, str):
        return context
    return "\n".join(f"{key}: {value}" for key, value in context.items())
