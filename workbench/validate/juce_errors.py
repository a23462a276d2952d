"""Mapping g++ errors about JUCE code to the JUCE declarations they name.

"'class juce::AudioBuffer<float>' has no member named 'applyGainz'; did you mean 'applyGain'?"
gets the real `applyGain` declaration and its doc line from the installed header; "no
matching function for call to juce::AudioParameterFloat::AudioParameterFloat(...)" gets the
constructors; "'AudioParamFloat' is not a member of 'juce'" the nearest class names; a
namespace or class from a module the snippet does not include gets the `#include` it needs.
Headers are read with `retrieval.juce_header_parser`; the class → header index is built once
per JUCE folder and kept in `cache_dir/juce_classes/`.
"""

from __future__ import annotations

import difflib
import functools
import hashlib
import json
import re
from pathlib import Path

from workbench.config import Settings
from workbench.retrieval.juce_header_parser import JuceDecl, parse_header
from workbench.validate.results import CodeError

QUOTE = "['‘’`]"
_NO_MEMBER = re.compile(rf"{QUOTE}(?:class |struct )?(?:juce::)?(?P<cls>[\w:]+?)(?:<[^']*>)?{QUOTE} has no member named "
                        rf"{QUOTE}(?P<member>\w+){QUOTE}(?:; did you mean {QUOTE}(?P<mean>\w+){QUOTE})?")
_NOT_IN_JUCE = re.compile(rf"{QUOTE}(?P<name>\w+){QUOTE} is not a member of {QUOTE}juce(?:::(?P<ns>[\w:]+))?{QUOTE}"
                          rf"(?:; did you mean {QUOTE}(?:juce::)?(?P<mean>[\w:]+){QUOTE})?")
_NOT_DECLARED = re.compile(rf"{QUOTE}(?:juce::)?(?P<name>[\w:]+){QUOTE} (?:has not been declared|was not declared in this scope"
                           rf"|does not name a type|is not a namespace-name)")
_NO_MATCH = re.compile(rf"no matching (?:function for call to|constructor for initialization of) {QUOTE}?(?:juce::)?"
                       rf"(?P<cls>[\w:]+?)::(?P<member>\w+)\(")
_EXPECTED_CLASS = re.compile(r"expected class-name before")
_TEMPLATE_NAME = re.compile(rf"invalid use of template-name {QUOTE}(?:juce::)?(?P<name>[\w:]+){QUOTE} without an argument list")
_BARE_NAME = re.compile(r"\bjuce::(?P<name>(?:\w+::)*\w+)\b(?!\s*<)")
_CLASS_LINE = re.compile(r"^\s*(?:template\s*<[^>]*>\s*)?(?:class|struct)\s+(?:JUCE_API\s+)?(\w+)\b(?!\s*;)", re.M)
_NAMESPACE = re.compile(r"^\s*namespace\s+(?:juce::)?(\w+)", re.M)
CACHE_VERSION = 1


def _module_of(header: Path, modules_dir: Path) -> str:
    return header.relative_to(modules_dir).parts[0]


def _scan(modules_dir: Path) -> dict[str, dict[str, list[str]]]:
    classes: dict[str, list[str]] = {}
    namespaces: dict[str, list[str]] = {}
    for header in sorted(modules_dir.rglob("juce_*.h")):
        text = header.read_text(errors="replace")
        relative = header.relative_to(modules_dir).as_posix()
        for name in _CLASS_LINE.findall(text):
            classes.setdefault(name, []).append(relative)
        for name in _NAMESPACE.findall(text):
            if name != "juce":
                namespaces.setdefault(name, []).append(relative)
    return {"classes": classes, "namespaces": namespaces}


@functools.cache
def juce_index(modules_dir: Path, cache_dir: Path) -> dict[str, dict[str, list[str]]]:
    """Class name → headers declaring it, namespace → headers opening it (relative paths)."""
    key = hashlib.sha256(f"{CACHE_VERSION}|{modules_dir}|{(modules_dir / 'juce_core' / 'juce_core.h').stat().st_mtime_ns}"
                         .encode()).hexdigest()[:16]
    cached = cache_dir / "juce_classes" / f"{key}.json"
    if cached.is_file():
        try:
            return json.loads(cached.read_text())
        except ValueError:
            pass
    index = _scan(modules_dir)
    cached.parent.mkdir(parents=True, exist_ok=True)
    partial = cached.with_suffix(".partial")
    partial.write_text(json.dumps(index))
    partial.replace(cached)
    return index


@functools.lru_cache(maxsize=64)
def declarations(header: Path) -> tuple[JuceDecl, ...]:
    return tuple(parse_header(header.read_text(errors="replace")))


def find_class(modules_dir: Path, index: dict, qualified: str) -> tuple[JuceDecl, tuple[JuceDecl, ...], Path] | None:
    """The JUCE class `qualified` names (`dsp::Gain`, `Slider::Listener`), its header's
    declarations and the header; a bare nested name (`Listener`) is the outermost one."""
    parts = [p for p in qualified.replace("juce::", "").split("::") if p]
    matches = [(decl, decls, path) for header in index["classes"].get(parts[-1], []) if parts
               for path in [modules_dir / header] for decls in [declarations(path)] for decl in decls
               if decl.kind == "class" and [*decl.scope, decl.name][-len(parts):] == parts]
    return min(matches, key=lambda m: len(m[0].scope), default=None)


def _doc_line(decl: JuceDecl) -> str:
    summary = re.split(r"(?<=[.!?])\s", " ".join(decl.doc.split()), maxsplit=1)[0][:160]
    return f"{' '.join(decl.signature.split())[:200]} — {summary}" if summary else " ".join(decl.signature.split())[:200]


class _Explainer:
    def __init__(self, modules_dir: Path, settings: Settings) -> None:
        self.modules_dir = modules_dir
        self.index = juce_index(modules_dir, settings.cache_dir)

    def headers(self, cls: str) -> list[Path]:
        return [self.modules_dir / h for h in self.index["classes"].get(cls.split("::")[-1], [])]

    def members(self, cls: str, member: str) -> list[tuple[Path, JuceDecl]]:
        short = cls.split("::")[-1]
        found = []
        for header in self.headers(short):
            found += [(header, d) for d in declarations(header)
                      if d.kind == "method" and d.name == member and d.scope and d.scope[-1] == short]
        return found

    def card(self, cls: str, member: str) -> str:
        found = self.members(cls, member)
        if not found:
            return ""
        header, decl = found[0]
        where = f"{header.name}:{decl.line}"
        more = f" (+{len(found) - 1} overloads)" if len(found) > 1 else ""
        return f"juce::{cls.split('::')[-1]}::{member} ({where}){more}: {_doc_line(decl)}"

    def include_for(self, name: str) -> str:
        short = name.split("::")[-1]
        headers = self.index["classes"].get(short) or self.index["namespaces"].get(short) or []
        if not headers:
            return ""
        module = Path(headers[0]).parts[0]
        return f"juce::{name} is declared in {headers[0]}: add #include <{module}/{module}.h>"

    def template_of(self, name: str) -> str:
        """`template <…> struct Name` when JUCE declares `name` as a class template, else ""."""
        found = find_class(self.modules_dir, self.index, name)
        if found is None:
            return ""
        decl, _, header = found
        lines = header.read_text(errors="replace").splitlines()
        near = [lines[n].strip() for n in (decl.line - 1, decl.line - 2) if 0 <= n < len(lines)]
        template = next((line for line in near if line.startswith("template")), "")
        return f"{template} {decl.signature}" if template else ""  # the parser starts some at the template line

    def explain(self, error: CodeError, code_lines: list[str]) -> CodeError:
        message = error.message
        named = [found["name"]] if (found := _TEMPLATE_NAME.search(message)) else []
        if _EXPECTED_CLASS.search(message) and error.line and error.line <= len(code_lines):
            named = [found["name"] for found in _BARE_NAME.finditer(code_lines[error.line - 1])]
        for name in named:
            if template := self.template_of(name):
                return error.model_copy(update={
                    "kind": "juce_template", "symbol": name,
                    "hint": f"juce::{name} is a class template ({template}): give its template arguments, juce::{name}<…>"})
        if found := _NO_MEMBER.search(message):
            cls, member, mean = found["cls"], found["member"], found["mean"]
            if not mean:
                names = {d.name for h in self.headers(cls) for d in declarations(h) if d.kind == "method"}
                mean = next(iter(difflib.get_close_matches(member, sorted(names), n=1)), None)
            hint = self.card(cls, mean) if mean else ""
            return error.model_copy(update={"kind": "juce_member", "symbol": f"{cls}::{member}",
                                            "hint": hint or (f"did you mean {mean}?" if mean else "")})
        if found := _NOT_IN_JUCE.search(message):
            name = found["name"]
            mean = found["mean"] or next(iter(difflib.get_close_matches(name, list(self.index["classes"]), n=1)), None)
            hint = self.include_for(name) or (self.class_card(mean) if mean else "")
            return error.model_copy(update={"kind": "juce_name", "symbol": name, "hint": hint})
        if found := _NO_MATCH.search(message):
            cls, member = found["cls"], found["member"]
            overloads = self.members(cls, member)
            hint = "; ".join(" ".join(d.signature.split())[:160] for _, d in overloads[:3])
            return error.model_copy(update={"kind": "juce_call", "symbol": f"{cls}::{member}",
                                            "hint": f"declared as: {hint}" if hint else ""})
        if found := _NOT_DECLARED.search(message):
            name = found["name"]
            short = name.split("::")[-1]
            if short in self.index["classes"] or short in self.index["namespaces"]:
                return error.model_copy(update={"kind": "juce_name", "symbol": name, "hint": self.include_for(short)
                                                + ("" if name.startswith("juce") else f" (write juce::{short})")})
        return error

    def class_card(self, name: str) -> str:
        for header in self.headers(name):
            for decl in declarations(header):
                if decl.kind == "class" and decl.name == name.split("::")[-1]:
                    return f"did you mean juce::{decl.name} ({header.name}:{decl.line}): {_doc_line(decl)}"
        return f"did you mean juce::{name}?"


def explain_cpp_errors(errors: list[CodeError], modules_dir: Path | None, settings: Settings,
                       code: str = "") -> list[CodeError]:
    """`errors` with a hint from the JUCE headers where one names a JUCE class or member, or
    where a line of `code` uses a JUCE class template without its arguments."""
    if not errors or modules_dir is None:
        return errors
    explainer = _Explainer(modules_dir, settings)
    lines = code.splitlines()
    return [explainer.explain(error, lines) for error in errors]
