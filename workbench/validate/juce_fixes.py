"""The C++ fixes that need no model, read from the installed JUCE headers: each has one right
answer, the declaration JUCE itself gives.

A 1.5B model writing a JUCE subclass gets the boilerplate wrong more often than the idea
(measured on bench/juce_tasks.jsonl): `void prepareToPlay (int sampleRate, int blockSize)
override`, where JUCE declares `(double, int)`, fails as "marked 'override', but does not
override", and the repair round sends it back unchanged. Two fixes:

- an override whose name is a virtual function of a JUCE base class but whose parameters or
  qualifiers are not: the header's signature, keeping the answer's parameter names when the
  counts agree (its body uses them), in the class and in any out-of-class definition;
- the pure virtual functions of the JUCE bases that the class leaves out (an AudioProcessor
  has 17): added with an empty body or `return {};`, under a comment saying so, as the
  Projucer template writes them.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

from workbench.retrieval.juce_header_parser import JuceDecl
from workbench.validate.juce_errors import QUOTE, find_class, juce_index
from workbench.validate.results import CodeError

_CLASS_HEAD = re.compile(r"\b(?:class|struct)\s+(?P<name>\w+)\s*(?:final\s*)?:(?P<bases>[^{;]+)\{")
_ACCESS = re.compile(r"\b(?:public|protected|private|virtual)\b")
_NOT_OVERRIDING = re.compile(rf"{QUOTE}[^'‘’`]*?\b(?P<cls>\w+)::(?P<name>\w+)\([^'‘’`]*{QUOTE} marked {QUOTE}?override")
_IDENTIFIER = re.compile(r"(?<![\w:])[A-Z]\w*")
_PURE = re.compile(r"=\s*0\s*$")
_OVERRIDE = re.compile(r"\b(\w+)\s*\([^;{}]*\)[\w\s]*\boverride\b")
MAX_BASE_DEPTH = 4  # AudioProcessorEditor → Component → MouseListener …: far enough for every override


@dataclass(frozen=True)
class Virtual:
    """A virtual function of a JUCE class, as a subclass overrides it."""

    name: str
    returns: str  # "const juce::String"
    params: tuple[str, ...]  # "double sampleRate", each with its type qualified
    qualifiers: str  # " const", " const noexcept", or ""
    pure: bool
    owner: str  # the JUCE class that declares it, for the comment

    def declaration(self, names: list[str] | None = None) -> str:
        """`returns name (params)qualifiers`, with the caller's parameter names if given."""
        params = list(self.params)
        if names is not None and len(names) == len(params):
            params = [f"{param_type(p)} {n}" for p, n in zip(params, names)]
        listed = f" ({', '.join(params)})" if params else "()"
        return f"{self.returns} {self.name}{listed}{self.qualifiers}"


def split_params(text: str) -> list[str]:
    """A parameter list's parameters, split at the commas outside brackets."""
    parts, depth, current = [], 0, ""
    for char in text:
        depth += char in "(<[{"
        depth -= char in ")>]}"
        if char == "," and depth == 0:
            parts.append(current.strip())
            current = ""
        else:
            current += char
    return [p for p in (*parts, current.strip()) if p and p != "void"]


def param_name(param: str) -> str | None:
    """The parameter's name (`int blockSize` → blockSize), None when it has only a type."""
    param = param.split("=")[0].strip()
    match = re.search(r"(?<=[\s*&])(\w+)\s*(?:\[\s*\])?$", param)
    return match.group(1) if match and match.group(1) not in ("int", "float", "double", "bool", "char", "const") else None


def param_type(param: str) -> str:
    name = param_name(param)
    param = param.split("=")[0].strip()
    return param[: param.rfind(name)].rstrip() if name else param


class JuceClasses:
    """The installed JUCE classes' declarations, by qualified name (`Slider::Listener`)."""

    def __init__(self, modules_dir: Path, cache_dir: Path) -> None:
        self.modules_dir = modules_dir
        self.index = juce_index(modules_dir, cache_dir)

    def top_level(self, name: str) -> bool:
        return name in self.index["classes"]

    @functools.lru_cache(maxsize=256)  # noqa: B019 - one instance per check, a few classes each
    def virtuals(self, qualified: str, depth: int = 0) -> tuple[Virtual, ...]:
        """The virtual functions a subclass of `qualified` may override, nearest class first."""
        found = find_class(self.modules_dir, self.index, qualified)
        if found is None or depth > MAX_BASE_DEPTH:
            return ()
        cls, decls, header = found
        scope = [*cls.scope, cls.name]
        nested = {d.name for d in decls if d.kind == "class" and d.scope[: len(scope)] == scope}
        methods = [d for d in decls if d.kind == "method" and d.scope == scope]
        own = [self._virtual(d, "::".join(scope), nested) for d in methods if d.signature.startswith("virtual ")]
        inherited = [v for base in bases(cls.signature.partition(":")[2]) for v in self.virtuals(base, depth + 1)]
        seen = set(overridden_in(header))  # implemented here, whatever a base says
        result = []
        for virtual in [v for v in own if v] + inherited:
            if virtual.name not in seen:
                seen.add(virtual.name)
                result.append(virtual)
        return tuple(result)

    def _virtual(self, decl: JuceDecl, owner: str, nested: set[str]) -> Virtual | None:
        signature = " ".join(decl.signature.split()).removeprefix("virtual ")
        signature = signature.replace("{ ... }", "").strip()
        pure = bool(_PURE.search(signature))
        signature = _PURE.sub("", signature).strip()
        head, opened, rest = signature.partition(f"{decl.name} (")
        if not opened:
            head, opened, rest = signature.partition(f"{decl.name}(")
        if not opened:
            return None
        params, qualifiers = _close(rest)
        qualify = functools.partial(self._qualify, nested=nested)
        return Virtual(decl.name, qualify(head.strip()), tuple(qualify(p) for p in split_params(params)),
                       _qualifiers(qualifiers), pure, owner)

    def _qualify(self, text: str, nested: set[str]) -> str:
        """JUCE's own class names written with `juce::`, since the answer may not say
        `using namespace juce`; a base's nested types (`BusesLayout`) stay as they are."""
        return _IDENTIFIER.sub(lambda m: f"juce::{m[0]}" if self.top_level(m[0]) and m[0] not in nested else m[0], text)


@functools.lru_cache(maxsize=64)
def overridden_in(header: Path) -> frozenset[str]:
    """The functions a header's classes override, read from its text: the header parser
    keeps documented members only, and `/** @internal */` overrides have no doc."""
    return frozenset(_OVERRIDE.findall(header.read_text(errors="replace")))


def _close(text: str) -> tuple[str, str]:
    """`text` after an opening parenthesis: what it encloses, and what follows the close."""
    depth = 1
    for position, char in enumerate(text):
        depth += (char == "(") - (char == ")")
        if depth == 0:
            return text[:position], text[position + 1:]
    return text, ""


def _qualifiers(text: str) -> str:
    return "".join(f" {word}" for word in re.findall(r"\b(?:const|noexcept)\b", text))


def bases(text: str) -> list[str]:
    """The base classes a class head lists (`public juce::AudioProcessor, private Timer`)."""
    return [_ACCESS.sub("", part).strip() for part in split_params(text) if _ACCESS.sub("", part).strip()]


def class_body(code: str, head: re.Match) -> tuple[int, int] | None:
    """Where the class's body starts (after `{`) and ends (at its closing `}`)."""
    depth = 0
    for position in range(head.end() - 1, len(code)):
        depth += (code[position] == "{") - (code[position] == "}")
        if depth == 0:
            return head.end(), position
    return None


def default_body(virtual: Virtual) -> str:
    """An empty body, or the value JUCE's docs ask for: at least one program."""
    if virtual.returns.split()[-1] == "void":
        return "{}"
    return "{ return 1; }" if virtual.name == "getNumPrograms" else "{ return {}; }"


def _rewrite(code: str, pattern: str, virtual: Virtual, owner: str | None, window: tuple[int, int]) -> str:
    """The declarations matching `pattern` within `window` of `code` given `virtual`'s
    signature, with their own parameter names (`owner::` kept for an out-of-class one)."""
    for match in reversed(list(re.finditer(pattern, code[window[0]:window[1]], re.M))):
        start = window[0] + match.start()
        params, after = _close(code[window[0] + match.end():])
        quals = re.match(r"[ \t\w]*?(?=override\b|[{;]|$)", after)
        end = window[0] + match.end() + len(params) + 1 + (quals.end() if quals else 0)
        declared = virtual.declaration([param_name(p) or f"arg{n}" for n, p in enumerate(split_params(params))])
        if owner:
            ret, _, rest = declared.partition(f" {virtual.name} (")
            declared = f"{ret} {owner}::{virtual.name} ({rest}"
        code = code[:start] + f"{match['indent']}{declared} " + code[end:].lstrip(" \t")
    return code


def _line_span(code: str, line: int) -> tuple[int, int]:
    starts = [0, *(m.end() for m in re.finditer("\n", code))]
    return (starts[line - 1], starts[line] if line < len(starts) else len(code)) if 0 < line <= len(starts) else (0, 0)


def _signature_fixes(code: str, errors: list[CodeError], chains: dict[str, tuple[Virtual, ...]]) -> tuple[str, list[str]]:
    """Each override g++ says overrides nothing, on the line it names, and the class's
    out-of-class definition of it, declared as the JUCE base declares it."""
    fixes = []
    for error in sorted(errors, key=lambda e: -(e.line or 0)):  # from the bottom: earlier lines keep their numbers
        found = _NOT_OVERRIDING.search(error.message)
        virtual = next((v for v in chains.get(found["cls"], ()) if v.name == found["name"]), None) if found else None
        if virtual is None or error.line is None:
            continue
        head = rf"^(?P<indent>[ \t]*)(?:virtual[ \t]+)?[\w:<>,&* \t]*?\b"
        fixed = _rewrite(code, head + rf"{virtual.name}\s*\(", virtual, None, _line_span(code, error.line))
        fixed = _rewrite(fixed, head + rf"{found['cls']}::{virtual.name}\s*\(", virtual, found["cls"], (0, len(fixed)))
        if fixed != code:
            code = fixed
            fixes.append(f"{found['cls']}::{virtual.name} declared as juce::{virtual.owner} declares it: "
                         f"{virtual.declaration()}")
    return code, fixes


def _missing_pure(code: str, chains: dict[str, tuple[Virtual, ...]]) -> tuple[str, list[str]]:
    fixes = []
    for head in reversed(list(_CLASS_HEAD.finditer(code))):
        name = head["name"]
        span = class_body(code, head)
        if name not in chains or span is None:
            continue
        body = code[span[0]:span[1]]
        missing = [v for v in chains[name] if v.pure and not re.search(rf"\b{v.name}\s*\(", body)
                   and not re.search(rf"\b{name}::{v.name}\s*\(", code)]
        if not missing:
            continue
        owners = ", ".join(dict.fromkeys(f"juce::{v.owner}" for v in missing))
        lines = [f"public:\n    // required by {owners}, left out of the answer (added by the workbench):"]
        lines += [f"    {v.declaration()} override {default_body(v)}" for v in missing]
        code = code[:span[1]].rstrip() + "\n\n" + "\n".join(lines) + "\n" + code[span[1]:]
        fixes.append(f"{name}: added the {len(missing)} functions {owners} requires "
                     f"({', '.join(v.name for v in missing)})")
    return code, fixes


def autofix(code: str, errors: list[CodeError], modules_dir: Path, cache_dir: Path) -> tuple[str, list[str]]:
    """`code` with its JUCE overrides declared as the headers declare them and the pure
    virtual functions it leaves out added; and what was fixed, one line each."""
    classes = JuceClasses(modules_dir, cache_dir)
    chains = {}
    for head in _CLASS_HEAD.finditer(code):
        virtuals = tuple(v for base in bases(head["bases"]) for v in classes.virtuals(base))
        if virtuals:
            chains[head["name"]] = virtuals
    if not chains:
        return code, []
    code, fixes = _signature_fixes(code, errors, chains)
    code, added = _missing_pure(code, chains)
    return code, fixes + added
