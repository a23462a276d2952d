"""The lint's fixes that need no model, as `ruff --fix` makes them: each has one right answer
given the installed libraries and the question.

A 1.5B model asked to repair its FAUST often sends the same code back; these are the mistakes
it makes most (measured on bench/faust_tasks.jsonl) and a fixer settles them at once:
a C declaration (`float attack = 0.1;` -> `attack = 0.1;`), a control written as a bare
statement (`button("gate");` -> `gate = button("gate");`), a library name without its prefix
when exactly one library defines it (`osc(440)` -> `os.osc(440)`), a prefix that is not one
(`osc.osc` -> `os.osc`), a control the question names that the code never defines, the
missing `import("stdfaust.lib");`, a statement whose `;` is missing before the next definition
or at the end, and a program with no `process` that has one expression standing alone
(`fi.highpass(2, 2000) : _;` -> `process = fi.highpass(2, 2000) : _;`) or whose definitions
leave exactly one unused (`lowpass = fi.lowpass(2, 500);` -> `process = lowpass;`), and a
signal sent into a bare number, which has no input (`no.noise : 0.1` -> `no.noise : *(0.1)`).
After a render, `level_fix` scales a generator whose only failing check is its asked peak.
Anything with more than one right answer is left to the model.
"""

from __future__ import annotations

import re

from workbench.validate.answer_spec import AnswerSpec, Control
from workbench.validate.faust_source import PROCESS, definition, line_at, mask, non_definitions, statements
from workbench.validate.faust_symbols import FaustSymbols
from workbench.validate.results import CodeError, ValidationResult
from workbench.validate.spec_checks import AMPLITUDE_RANGE

IMPORT_LINE = 'import("stdfaust.lib");'
_UI_PRIMITIVE = {"button": "button", "checkbox": "checkbox", "slider": "hslider"}
# a line that starts a definition: `name =`, `name(x, y) =` (not `==`)
_DEFINITION_LINE = re.compile(r"^[ \t]*[A-Za-z_]\w*[ \t]*(?:\([^()\n]*\))?[ \t]*=(?!=)", re.M)
# `A : 0.1`: a number has no input, so a signal composed into it can only mean a gain
_INTO_NUMBER = re.compile(r"(?<![<:]):(?!>)(\s*)(\d+(?:\.\d*)?(?:[eE][-+]?\d+)?|\.\d+)(?=\s*(?:[;),]|:(?!>)|$))")
_IMPORT = re.compile(r'^\s*import\s*\(\s*"[^"]+"\s*\)\s*;[^\n]*\n?', re.M)


def control_definition(name: str, control: Control) -> str:
    """The FAUST line that defines an asked-for control under `name`."""
    widget = _UI_PRIMITIVE.get(control.kind, "hslider")
    arguments = f'"{control.label}"' + (", 0.5, 0, 1, 0.01" if widget == "hslider" else "")
    return f"{name} = {widget}({arguments});"


def asked_control(error: CodeError, spec: AnswerSpec) -> Control | None:
    """The control the question asked for that an unknown identifier names, if any."""
    if error.kind != "unknown_identifier" or not error.symbol:
        return None
    return next((c for c in spec.controls if c.label.strip().lower() == error.symbol.lower()), None)


def _semicolon_fixes(code: str) -> tuple[str, list[str]]:
    """A `;` added where a statement ends without one: before a line that starts the next
    definition, the parentheses being closed, and at the end of the program."""
    def unended(before: str) -> bool:  # masked text ending in a whole statement with no `;`
        statement = before[max(before.rfind(c) for c in ";{}") + 1:]
        return bool(statement.strip()) and statement.count("(") == statement.count(")")

    masked = mask(code)
    ends = [len(before) for match in _DEFINITION_LINE.finditer(masked)
            if unended(before := masked[:match.start()].rstrip())]
    if unended(tail := masked.rstrip()):
        ends.append(len(tail))
    for end in reversed(ends):
        code = code[:end] + ";" + code[end:]
    return code, [f"added the missing `;` on line {line_at(code, end)}" for end in ends]


def _statement_fixes(code: str) -> tuple[str, list[str]]:
    """Top-level statements that define nothing, turned into the definitions they meant."""
    fixes = []
    found_all = non_definitions(code)
    if len(found_all) == 1 and not PROCESS.search(mask(code)) and not found_all[0].typed_name \
            and not found_all[0].control_name:
        found = found_all[0]
        shown = " ".join(found.text.split())[:40]
        return code[:found.start] + "process = " + code[found.start:], [f"`{shown}` made the program's process"]
    for found in reversed(found_all):
        shown = " ".join(found.text.split())[:40]
        if found.typed_name:
            typed = re.match(rf"(?:const\s+)?\w+\s+(?={re.escape(found.typed_name)}\b)", found.text)
            code = code[:found.start] + found.text[typed.end() if typed else 0:] + code[found.end:]
            fixes.append(f"`{shown}` written without its C type")
        elif found.control_name:
            text = re.sub(r'^(\w+\s*\(\s*)([A-Za-z_]\w*)(?=\s*[,)])', r'\1"\2"', found.text)  # the label quoted
            code = code[:found.start] + f"{found.control_name} = " + text + code[found.end:]
            fixes.append(f"`{shown}` named {found.control_name}")
    return code, fixes[::-1]


def _defined_names(code: str) -> set[str]:
    return {made.name for statement in statements(mask(code)) if (made := definition(statement))}


def _only_root(code: str) -> str | None:
    """The one top-level definition no other definition uses, when there is exactly one: what
    a program that forgot its `process` meant as its output."""
    masked = mask(code)
    made = [(d, s) for s in statements(masked) if s.depth == 0 and (d := definition(s))]
    roots = [d.name for d, statement in made if not any(
        re.search(rf"(?<![\w.]){re.escape(d.name)}\b", other.text)
        for _, other in made if other is not statement)]
    return roots[0] if len(roots) == 1 else None


def _replace_outside_text(code: str, pattern: str, replacement: str) -> str:
    """`pattern` replaced where it is code, not inside a comment or a string."""
    masked = mask(code)
    for match in reversed(list(re.finditer(pattern, masked))):
        code = code[:match.start()] + match.expand(replacement) + code[match.end():]
    return code


def autofix(code: str, errors: list[CodeError], symbols: FaustSymbols, spec: AnswerSpec) -> tuple[str, list[str]]:
    """`code` with every fix that has one right answer applied, and what each fix did."""
    code, fixes = _semicolon_fixes(code)
    if numbers := [m.group(2) for m in _INTO_NUMBER.finditer(mask(code))]:
        code = _replace_outside_text(code, _INTO_NUMBER.pattern, r":\1*(\2)")
        fixes += [f"`: {n}` -> `: *({n})`" for n in numbers]
    code, statement_fixes = _statement_fixes(code)
    fixes += statement_fixes
    defined = _defined_names(code)
    definitions = []
    for error in errors:
        name = error.symbol or ""
        if name in defined:
            continue
        if control := asked_control(error, spec):
            definitions.append(control_definition(name, control))
            fixes.append(f"defined the asked {control.kind} {name}")
        elif error.kind == "unknown_identifier" and "." not in name and len(owners := symbols.everywhere(name)) == 1:
            prefix = owners[0][0]
            code = _replace_outside_text(code, rf"(?<![\w.]){re.escape(name)}\b", f"{prefix}.{name}")
            fixes.append(f"{name} -> {prefix}.{name}")
        elif error.kind == "unknown_prefix":
            for member in dict.fromkeys(re.findall(rf"(?<![\w.]){re.escape(name)}\.(\w+)", mask(code))):
                if len(owners := symbols.everywhere(member)) == 1:
                    code = _replace_outside_text(code, rf"(?<![\w.]){re.escape(name)}\.{member}\b",
                                                 f"{owners[0][0]}.{member}")
                    fixes.append(f"{name}.{member} -> {owners[0][0]}.{member}")
    if not PROCESS.search(mask(code)) and (root := _only_root(code)):
        code = code.rstrip() + f"\nprocess = {root};\n"
        fixes.append(f"added process = {root};")
    needs_import = any(e.kind == "missing_import" for e in errors) or (
        (definitions or any("->" in fix for fix in fixes)) and not _IMPORT.search(code))
    if definitions or needs_import:
        imports = _IMPORT.findall(code)
        body = _IMPORT.sub("", code) if imports else code
        head = "".join(imports) if imports else f"{IMPORT_LINE}\n"
        code = head + "".join(f"{line}\n" for line in definitions) + body
        if needs_import and not imports:
            fixes.append(f"added {IMPORT_LINE}")
    return code, fixes


def level_fix(code: str, result: ValidationResult, spec: AnswerSpec, inputs: int | None) -> tuple[str, list[str]]:
    """A generator whose only failing check is the peak level the request asked for, scaled
    by asked / measured (which also ends a clip): the render measured the one gain that makes
    it right (a library oscillator that is not unit-amplitude, `os.polyblep_triangle`, a noise
    of unit variance).
    An effect's level depends on its input (`inputs`, the compiled program's), so it is left
    to the model."""
    stats = result.render
    if (inputs != 0 or not spec.amplitude or stats is None or stats.silent or stats.nan or stats.peak <= 0
            or AMPLITUDE_RANGE[0] <= stats.peak / spec.amplitude <= AMPLITUDE_RANGE[1]
            or any(c.what != "amplitude" for c in result.spec if not c.passed)
            or any(e.kind != "spec" and not (stats.clipped and e.message.startswith("the output clips"))
                   for e in result.errors)):
        return code, []
    masked = mask(code)
    found = [s for s in statements(masked) if s.depth == 0 and PROCESS.match(s.text)]
    if len(found) != 1:
        return code, []
    end = found[0].offset + len(found[0].text.rstrip())
    gain = f"{spec.amplitude / stats.peak:.4g}"
    scale = f"*({gain})" if stats.channels == 1 else f"par(i, {stats.channels}, *({gain}))"
    line = f"measured peak {stats.peak:.2f}, asked {spec.amplitude:g}"
    return code[:end] + f" : {scale}" + code[end:].replace(";", f"; // scaled: {line}", 1), [f"scaled the output by {gain} ({line})"]
