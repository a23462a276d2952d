"""Parse JUCE module headers into class and method entries with their doxygen comments.

Headers are scanned, not compiled: comments and string literals are blanked out (keeping
offsets and line numbers), braces are tracked to know which class a declaration sits in, and
each `/** ... */` comment is paired with the declaration that follows it. Documented classes
become `Class` entries with their doc, key members and public data members (ADSR::Parameters
is its `attack, decay, sustain, release`, written undocumented on one line); documented
functions inside a class become `Class::method` entries. Destructors, operators and barely documented constructors are
left out (see `is_trivia`). Comments inside function bodies and enums are ignored.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from pathlib import Path

from workbench.vocabulary import DocSource
from workbench.retrieval.entries import Entry

_MASKED = re.compile(
    r"/\*.*?\*/|//[^\n]*|\"(?:\\.|[^\"\\\n])*\"|'(?:\\.|[^'\\\n]){1,4}'|^[ \t]*#(?:[^\n]*\\\n)*[^\n]*",
    re.S | re.M,
)
_CLASS_HEAD = re.compile(
    r"(?:^|[\s;])(?<!enum )(class|struct)\s+(?:\w+_API\s+)?(?:alignas\s*\([^)]*\)\s*)?(\w+)"
    r"(?:\s+final)?\s*(?::[^{;]*)?$",
    re.S,
)
_FUNCTION_NAME = re.compile(r"(~?[A-Za-z_]\w*|operator\s*\S+?)\s*$")
_ACCESS = re.compile(r"\b(public|protected|private)\s*:(?!:)")
_FIELD_NAME = re.compile(r"([A-Za-z_]\w*)\s*(?:\[[^\]]*\]\s*)*$")
_FUNCTION_LIKE = re.compile(r"\boperator\b|[()]")  # before any "=": a function or a macro
_NOT_FIELDS = re.compile(r"^(?:using|typedef|friend|enum|class|struct|union|static_assert|template|return)\b")
_NOT_FUNCTIONS = {"if", "for", "while", "switch", "return", "sizeof", "decltype", "static_assert"}
MIN_CONSTRUCTOR_DOC = 80  # a constructor documented by less ("Creates a Slider.") is trivia
KEY_MEMBERS = 12  # members of a class entry listed with their first sentence


@dataclass
class JuceDecl:
    """A documented class or method found in a header."""

    kind: str  # "class" or "method"
    scope: list[str]  # enclosing namespaces (but juce) and classes, outermost first
    name: str
    signature: str
    doc: str
    line: int
    members: list[tuple[str, str]] = field(default_factory=list)  # documented, not trivia
    fields: list[str] = field(default_factory=list)  # public data members, documented or not

    @property
    def title(self) -> str:
        return "::".join([*self.scope, self.name])


def _mask(text: str) -> tuple[str, list[tuple[int, int, str]]]:
    """Blank comments, strings and preprocessor lines; return the doxygen comments found."""
    docs: list[tuple[int, int, str]] = []

    def blank(match: re.Match) -> str:
        token = match.group(0)
        if token.startswith("/**") and not token.startswith("/**<") and token != "/**/":
            docs.append((match.start(), match.end(), token))
        return re.sub(r"[^\n]", " ", token)

    return _MASKED.sub(blank, text), docs


def _clean_doc(comment: str) -> str:
    body = comment[3:-2]
    lines = [re.sub(r"^\s*\*?\s?", "", line).rstrip() for line in body.splitlines()]
    text = "\n".join(lines).strip()
    return re.sub(r"\n{3,}", "\n\n", text)


def _declaration_after(masked: str, start: int) -> tuple[str, str]:
    """The code after a comment up to its first top-level ';' or '{', and which one ended it."""
    depth = 0
    for i in range(start, min(len(masked), start + 2000)):
        ch = masked[i]
        if ch in "([<" and not (ch == "<" and masked[i - 1 : i + 1] == "<<"):
            depth += ch != "<"
        elif ch in ")]":
            depth -= 1
        elif ch in ";{}" and depth <= 0:
            return " ".join(masked[start:i].split()), ch
    return "", ""


def parse_header(text: str) -> list[JuceDecl]:
    """Documented classes and methods of one header, in file order."""
    masked, docs = _mask(text)
    line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
    events = [(m.start(), m.group(0)) for m in re.finditer(r"[{};]", masked)]
    events += [(start, ("doc", end, comment)) for start, end, comment in docs]
    events.sort(key=lambda e: e[0])

    stack: list[tuple[str, str | None]] = []  # ("class"|"namespace"|"other", name or None)
    access: list[bool] = []  # per stack level: whether a class's declarations here are public
    statement_start = 0
    decls: list[JuceDecl] = []
    classes: dict[tuple[str, ...], JuceDecl] = {}
    for pos, event in events:
        if isinstance(event, tuple):
            _, end, comment = event
            if stack and stack[-1][0] == "other":
                continue
            scope = [n for _, n in stack if n and n != "juce"]
            in_class = any(kind == "class" for kind, _ in stack)
            decl = _classify(masked, end, scope, in_class, comment)
            if decl:
                name_at = masked.find(decl.name, decl.line)  # past attributes and templates
                decl.line = _line_of(line_starts, name_at if name_at >= 0 else decl.line)
                decls.append(decl)
                if decl.kind == "class":
                    classes[tuple([*decl.scope, decl.name])] = decl
                elif tuple(decl.scope) in classes and not is_trivia(decl):
                    classes[tuple(decl.scope)].members.append((decl.name, first_sentence(decl.doc)))
            continue
        head = masked[statement_start:pos]
        if stack and stack[-1][0] == "class":
            if specifiers := _ACCESS.findall(head):
                access[-1] = specifiers[-1] == "public"
                head = _ACCESS.split(head)[-1]
            owner = tuple(n for _, n in stack if n and n != "juce")
            if event == ";" and access[-1] and owner in classes:
                classes[owner].fields.extend(field_names(head))
        if event == "{":
            cls = _CLASS_HEAD.search(head)
            if cls and "(" not in head:
                stack.append(("class", cls.group(2)))
                access.append(cls.group(1) == "struct")
            elif namespace := re.search(r"\bnamespace\b\s*([\w:]*)\s*$", head):
                stack.append(("namespace", namespace.group(1) or None))
            elif re.search(r"\bextern\b[^;]*$", head):
                stack.append(("namespace", None))
            else:
                stack.append(("other", None))
            if stack[-1][0] != "class":
                access.append(False)
        elif event == "}" and stack:
            stack.pop()
            access.pop()
        statement_start = pos + 1
    return decls


def field_names(statement: str) -> list[str]:
    """The names a data member declaration declares: `float attack = 0.1f, decay = 0.1f`
    gives attack and decay; a function, a type or a using declaration gives none."""
    code = " ".join(statement.split())
    if not code or _NOT_FIELDS.match(code) or _FUNCTION_LIKE.search(code.split("=", 1)[0]):
        return []
    names, depth, start = [], 0, 0
    for i, ch in enumerate(code + ","):
        depth += (ch in "<({[") - (ch in ">)}]")
        if ch == "," and depth <= 0:
            declarator = code[start:i].split("=", 1)[0].split("{", 1)[0].strip()
            match = _FIELD_NAME.search(declarator)
            if match and (names or " " in declarator):  # the first one needs its type: "float attack"
                names.append(match.group(1))
            start = i + 1
    return names


def _line_of(line_starts: list[int], offset: int) -> int:
    return bisect.bisect_right(line_starts, offset)


def _classify(
    masked: str, comment_end: int, scope: list[str], in_class: bool, comment: str
) -> JuceDecl | None:
    code, terminator = _declaration_after(masked, comment_end)
    if not code:
        return None
    offset = comment_end + len(masked[comment_end:]) - len(masked[comment_end:].lstrip())
    code = re.sub(r"\[\[.*?\]\]\s*", "", code)
    code = re.sub(r"^template\s*<[^{;]*?>\s*(?=class|struct|[\w~])", "", code)
    cls = _CLASS_HEAD.search(code) if terminator == "{" else None
    if cls and "(" not in code.split(":")[0]:
        return JuceDecl("class", list(scope), cls.group(2), code, _clean_doc(comment), offset)
    if "(" not in code or not in_class or code.startswith(("using ", "typedef ", "friend ", "enum ")):
        return None
    head = code.split("(", 1)[0]
    if head.rstrip().endswith("operator"):
        head = code.split("(", 2)[0] + "()"
    match = _FUNCTION_NAME.search(head)
    if not match or match.group(1) in _NOT_FUNCTIONS or match.group(1).isupper():
        return None
    if terminator == "{":  # an inline definition: drop a constructor's initializer list
        code = re.sub(r"\)(\s*noexcept)?\s*:(?!:).*$", r")\1", code) + " { ... }"
    signature = code
    signature = re.sub(r"\s*(noexcept|override|const)\s*(?=[={])", r" \1 ", signature)
    return JuceDecl("method", list(scope), match.group(1), signature, _clean_doc(comment), offset)


def is_trivia(decl: JuceDecl) -> bool:
    """Destructors, operators and barely documented constructors: nobody searches for them,
    and thousands of them crowd the concepts out of the first results."""
    if decl.kind != "method":
        return False
    if decl.name.startswith(("~", "operator")):
        return True
    is_constructor = bool(decl.scope) and decl.name == decl.scope[-1]
    return is_constructor and len(decl.doc) < MIN_CONSTRUCTOR_DOC


def first_sentence(doc: str, limit: int = 110) -> str:
    sentence = re.split(r"(?<=[.!?])\s", " ".join(doc.split()), maxsplit=1)[0]
    return sentence if len(sentence) <= limit else sentence[: limit - 1] + "…"


def _class_text(decl: JuceDecl) -> str:
    """A class entry: its doc, then its key members (the first documented ones with their
    first sentence, the rest by name), so a question about what the class does finds it."""
    unique: dict[str, str] = {}
    for name, summary in decl.members:
        if name != decl.name:  # constructors are not members worth listing
            unique.setdefault(name, summary)
    members = list(unique.items())
    text = decl.doc
    if decl.fields:
        text += "\nData members: " + ", ".join(dict.fromkeys(decl.fields))
    if members:
        described = [f"- {name}: {summary}" for name, summary in members[:KEY_MEMBERS]]
        text += "\nKey members:\n" + "\n".join(described)
        if rest := [name for name, _ in members[KEY_MEMBERS:]]:
            text += "\nAlso: " + ", ".join(rest)
    return text


def to_entries(decls: list[JuceDecl], path: Path, module_root: Path | None) -> list[Entry]:
    """Index entries: the class's doc with its key members, and each method with its signature.
    Trivia (see `is_trivia`) is left out."""
    relative = path.relative_to(module_root).as_posix() if module_root else path.name
    entries = []
    for decl in decls:
        if is_trivia(decl):
            continue
        body = _class_text(decl) if decl.kind == "class" else decl.doc
        text = f"juce::{decl.title} — {relative}:{decl.line}\n{decl.signature}\n{body}"
        words = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", decl.name)
        entries.append(
            Entry(
                id=f"juce:{relative}:{decl.title}:{decl.line}",
                source=DocSource.JUCE_HEADERS,
                kind=decl.kind,
                title=decl.title,
                location=f"{path.name}:{decl.line}",
                path=str(path),
                line=decl.line,
                text=text,
                embed_text=f"{decl.title} ({words}): {decl.doc[:300]}",
            )
        )
    return entries


def parse_header_entries(path: Path, module_root: Path | None = None) -> list[Entry]:
    """Parse one header file straight into index entries."""
    text = path.read_text(encoding="utf-8", errors="replace")
    return to_entries(parse_header(text), path, module_root)
