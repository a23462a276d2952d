"""Real-time safety checks for JUCE-style C++.

The audio callback must never wait: no allocation, locks, logging, file I/O or sleeping
inside it. State that carries over between blocks must be reset in `prepareToPlay`, and a
value the UI thread writes must reach the audio thread through std::atomic or the APVTS.
The checks read function bodies located by lizard, across all C++ files at once, because
a processor's members are declared in its header and used in its .cpp; members and methods
are matched within their class, so equal names in unrelated classes do not mix."""

from __future__ import annotations

import re
from dataclasses import dataclass

import lizard

from workbench.analysis.context_reader import SourceFile
from workbench.analysis.findings import Finding

AUDIO_CALLBACKS = {"processBlock", "getNextAudioBlock", "renderNextBlock", "audioDeviceIOCallbackWithContext"}
PREPARE = "prepareToPlay"
# functions the message thread calls: setters, listener and timer callbacks, painting
_UI_WRITER = re.compile(r"^(set[A-Z_]\w*|\w*(Changed|Clicked|Callback|Update|Pressed|Moved|Dragged)|paint|resized)$")

# rule, advice, patterns: what may not happen on the audio thread
_FORBIDDEN: list[tuple[str, str, str, list[str]]] = [
    ("rt-allocation", "allocates memory", "Allocate in prepareToPlay (or the constructor) and reuse the memory here.",
     [r"\bnew\s+[\w:]", r"\b(malloc|calloc|realloc)\s*\(", r"\bstd::make_(unique|shared)\b",
      r"\.(push_back|emplace_back|resize|reserve|insert)\s*\(", r"\bstd::vector<[^;]*>\s+\w+\s*[;({=]",
      r"\bstd::string\s+\w+", r"\bAudioBuffer<[^>]*>\s+\w+\s*[({]", r"\.setSize\s*\("]),
    ("rt-lock", "takes a lock", "Pass data with a lock-free FIFO (juce::AbstractFifo) or std::atomic instead.",
     [r"\bstd::(mutex|lock_guard|unique_lock|scoped_lock)\b", r"\bScopedLock(Type)?\b", r"\bCriticalSection\b",
      r"\.lock\s*\(\s*\)", r"\bconst\s+ScopedLock\b"]),
    ("rt-io", "logs or does file I/O", "Remove it from the audio callback; log from a timer or the message thread.",
     [r"\bDBG\s*\(", r"\bstd::(cout|cerr|clog)\b", r"\b(f?printf|puts)\s*\(", r"\bLogger::", r"\bwriteToLog\s*\(",
      r"\bfopen\s*\(", r"\bstd::[io]?fstream\b", r"\bFile\s*\(", r"\.(replaceWithText|appendText|loadFileAsString)\s*\("]),
    ("rt-blocking", "blocks or waits", "Never wait on the audio thread; hand the work to another thread.",
     [r"\bsleep(_for)?\s*\(", r"\bThread::sleep\b", r"\.wait\s*\(", r"\bMessageManagerLock\b"]),
]
_LOCKS = [re.compile(p) for p in _FORBIDDEN[1][3]]
_FORBIDDEN_RE = [(rule, what, advice, [re.compile(p) for p in patterns]) for rule, what, advice, patterns in _FORBIDDEN]
_DECLARATION = re.compile(
    r"^\s*(?:mutable\s+|static\s+)?(?P<type>(?:std::atomic\s*<[^>]+>|[\w:]+(?:\s*<[^;()]*>)?))\s+"
    r"(?P<name>[A-Za-z_]\w*)\s*(?:\[[^\]]*\])?\s*(?:=[^;]*|\{[^}]*\})?;")
_NOT_TYPES = {"return", "delete", "using", "typedef", "goto", "throw", "case", "else", "break", "continue"}
_STATEFUL_WRITE = r"(?:\b{n}\s*(?:\[[^\]]*\])?\s*([+\-*/|&^]=)|\+\+\s*{n}\b|\b{n}\s*\+\+|\b{n}\s*(?:\[[^\]]*\])\s*=(?!=)|\b{n}\s*=(?!=)[^;]*\b{n}\b)"


_CLASS_HEAD = re.compile(r"\b(?:class|struct)\s+(?:\w+\s+)*?([A-Za-z_]\w*)\s*(?:final\s*)?(:[^;{]*)?(?:\{|$)")
_UI_BASE = re.compile(r"\b(AudioProcessorEditor|Component|Listener)\b")

Member = tuple[str, str, str, int]  # class, type, path, line


@dataclass(frozen=True)
class _Function:
    short_name: str
    owner: str  # the class it belongs to ("" for free functions)
    path: str
    start_line: int
    lines: list[str]  # code only: comments and string literals removed
    raw: list[str]  # the lines as written, for messages
    constructor: bool = False


def _strip(line: str) -> str:
    line = re.sub(r'"(\\.|[^"\\])*"', '""', line)
    line = re.sub(r"/\*.*?\*/", "", line)
    return line.split("//")[0]


def _class_at_lines(code: list[str], ui_classes: set[str]) -> list[str]:
    """The innermost class whose body each line is in ("" outside any class); classes that
    derive from an editor, a component or a listener are added to `ui_classes`."""
    owners, stack, pending, depth = [], [], None, 0
    for line in code:
        owners.append(stack[-1][0] if stack else "")
        head = _CLASS_HEAD.search(line)
        if head and not line.rstrip().endswith(";"):
            pending = head[1]
            if head[2] and _UI_BASE.search(head[2]):
                ui_classes.add(head[1])
        for char in line:
            if char == "{":
                depth += 1
                if pending:
                    stack.append((pending, depth))
                    pending = None
            elif char == "}":
                if stack and stack[-1][1] == depth:
                    stack.pop()
                depth -= 1
        if pending and line.rstrip().endswith(";"):
            pending = None
    return owners


def _functions(source: SourceFile, code: list[str], owners: list[str]) -> tuple[list[_Function], set[int]]:
    """The functions of a C++ file and the line numbers they cover."""
    info = lizard.analyze_file.analyze_source_code("x.cpp", source.text)
    lines = source.text.splitlines()
    found, covered = [], set()
    for f in info.function_list:
        parts = f.name.split("::")
        owner = parts[-2] if len(parts) >= 2 else owners[f.start_line - 1]
        constructor = parts[-1].lstrip("~") == owner
        found.append(_Function(parts[-1], owner, source.relative, f.start_line, code[f.start_line - 1:f.end_line],
                               lines[f.start_line - 1:f.end_line], constructor))
        covered.update(range(f.start_line, f.end_line + 1))
    return found, covered


def _members(source: SourceFile, code: list[str], owners: list[str], covered: set[int]) -> dict[tuple[str, str], Member]:
    """Declarations inside a class body and outside any function: (class, name) -> member."""
    members = {}
    for number, line in enumerate(code, start=1):
        if number in covered or not owners[number - 1]:
            continue
        match = _DECLARATION.match(line)
        if match and match["type"] not in _NOT_TYPES:
            owner = owners[number - 1]
            members.setdefault((owner, match["name"]), (owner, match["type"], source.relative, number))
    return members


def _forbidden_calls(callback: _Function) -> list[Finding]:
    findings = []
    for offset, line in enumerate(callback.lines):
        for rule, what, advice, regexes in _FORBIDDEN_RE:
            if any(r.search(line) for r in regexes):
                findings.append(Finding(
                    rule=rule, severity="error", path=callback.path, line=callback.start_line + offset,
                    message=f"{callback.short_name} {what}: `{callback.raw[offset].strip()[:100]}`", advice=advice))
    return findings


def _mentions(functions: list[_Function], name: str) -> bool:
    word = re.compile(rf"\b{re.escape(name)}\b")
    return any(word.search(line) for f in functions for line in f.lines)


@dataclass
class _Code:
    """All functions, indexed the ways the checks look them up."""

    by_owner: dict[str, list[_Function]]
    callbacks: dict[str, list[_Function]]  # owner -> its audio callbacks
    ui_classes: set[str]
    reset_scopes: dict[str, list[_Function]]

    @classmethod
    def index(cls, functions: list[_Function], ui_classes: set[str]) -> _Code:
        by_owner: dict[str, list[_Function]] = {}
        for f in functions:
            by_owner.setdefault(f.owner, []).append(f)
        callbacks = {o: [f for f in fs if f.short_name in AUDIO_CALLBACKS] for o, fs in by_owner.items()}
        code = cls(by_owner, {o: c for o, c in callbacks.items() if c}, ui_classes, {})
        code.reset_scopes = {owner: code._reset_scope(owner) for owner in code.callbacks}
        return code

    def _reset_scope(self, owner: str) -> list[_Function]:
        """The class's prepareToPlay and the methods it calls by name (one level: `reset();`)."""
        mine = self.by_owner.get(owner, [])
        prepare = [f for f in mine if f.short_name == PREPARE]
        called = {m for f in prepare for line in f.lines for m in re.findall(r"\b(\w+)\s*\(", line)}
        return prepare + [f for f in mine if f.short_name in called and f not in prepare]

    def ui_functions(self, owner: str) -> list[_Function]:
        quiet = {f.short_name for f in self.reset_scopes.get(owner, [])}
        return [f for f in self.by_owner.get(owner, []) if _UI_WRITER.match(f.short_name) and f.short_name not in quiet]


def _state_not_reset(code: _Code, members: dict[tuple[str, str], Member]) -> list[Finding]:
    findings = []
    for (owner, name), (_, type_, path, line) in sorted(members.items()):
        scope = code.reset_scopes.get(owner, [])
        mine = code.callbacks.get(owner, [])
        if not scope or not mine or type_.startswith("const") or _mentions(scope, name):
            continue
        write = re.compile(_STATEFUL_WRITE.format(n=re.escape(name)))
        for callback in mine:
            hit = next((i for i, text in enumerate(callback.lines) if write.search(text)), None)
            if hit is not None:
                findings.append(Finding(
                    rule="rt-state-not-reset", severity="warning", path=callback.path, line=callback.start_line + hit,
                    message=f"`{name}` ({path}:{line}) carries state between blocks but prepareToPlay never resets it",
                    advice=f"Reset `{name}` in prepareToPlay so a new sample rate or a restart begins from silence."))
                break
    return findings


def _ui_writers(owner: str, name: str, code: _Code) -> list[_Function]:
    """Message-thread functions writing the member: its own class's setters and callbacks,
    or an editor's / component's callback writing it through an object (`processor.gain = …`)."""
    own = re.compile(rf"(?:\.|->|\b){re.escape(name)}\s*[+\-*/]?=(?!=)")
    other = re.compile(rf"(?:\.|->){re.escape(name)}\s*[+\-*/]?=(?!=)")
    candidates = [(f, own) for f in code.ui_functions(owner)]
    candidates += [(f, other) for ui in sorted(code.ui_classes - {owner}) for f in code.ui_functions(ui)]
    return [f for f, pattern in candidates
            if any(pattern.search(text) for text in f.lines) and not _takes_lock(f)]


def _takes_lock(function: _Function) -> bool:
    """A writer holding a lock is synchronised (the callback's own lock is reported as such)."""
    return any(r.search(text) for text in function.lines for r in _LOCKS)


def _unsynchronized_parameters(code: _Code, members: dict[tuple[str, str], Member]) -> list[Finding]:
    findings = []
    for (owner, name), (_, type_, path, line) in sorted(members.items()):
        if "atomic" in type_.lower() or not _mentions(code.callbacks.get(owner, []), name):
            continue
        if writers := _ui_writers(owner, name, code):
            findings.append(Finding(
                rule="rt-unsynchronized-parameter", severity="error", path=path, line=line,
                message=(f"`{name}` is written by {writers[0].short_name}() and read on the audio thread, "
                         f"but it is a plain `{type_}`"),
                advice=f"Make `{name}` a std::atomic<{type_}> or read it from the AudioProcessorValueTreeState."))
    return findings


def check_realtime(sources: list[SourceFile]) -> list[Finding]:
    """All real-time findings for the C++ files among `sources`."""
    functions: list[_Function] = []
    members: dict[tuple[str, str], Member] = {}
    ui_classes: set[str] = set()
    for source in (s for s in sources if s.language == "cpp"):
        lines = [_strip(line) for line in source.text.splitlines()]
        owners = _class_at_lines(lines, ui_classes)
        found, covered = _functions(source, lines, owners)
        functions.extend(found)
        for key, declared in _members(source, lines, owners, covered).items():
            members.setdefault(key, declared)
    code = _Code.index(functions, ui_classes)
    members = {key: m for key, m in members.items() if key[0] in code.callbacks}
    findings = [finding for cbs in code.callbacks.values() for cb in cbs for finding in _forbidden_calls(cb)]
    findings += _state_not_reset(code, members)
    findings += _unsynchronized_parameters(code, members)
    return findings
