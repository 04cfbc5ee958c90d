"""go.mod: `require` lines and blocks (indirect included) and what `replace` does to them."""

from __future__ import annotations

import re
from dataclasses import dataclass

from slopguard.extract.shell_common import Arg, Sink
from slopguard.extract.specs import Spec
from slopguard.models import Ecosystem, Extraction, Project, RefKind, Source

_DIRECTIVE = re.compile(r"^(module|go|toolchain|godebug|require|replace|exclude|retract|tool|ignore)\b\s*(.*)$")
_COMMENT = re.compile(r"//.*$")
_WORD = re.compile(r'"(?:[^"\\]|\\.)*"|`[^`]*`|\S+')


@dataclass(frozen=True)
class _Entry:
    line: int
    directive: str
    words: tuple[str, ...]
    text: str
    column: int


def _words(text: str) -> tuple[str, ...]:
    return tuple(w[1:-1] if w[:1] in ('"', "`") else w for w in _WORD.findall(_COMMENT.sub("", text)))


def _entries(text: str) -> list[_Entry]:
    """Every directive line of a go.mod, block lines carrying their block's directive."""
    entries = []
    block: str | None = None
    for number, raw in enumerate(text.split("\n"), start=1):
        line = raw.strip()
        if not line or line.startswith("//"):
            continue
        column = len(raw) - len(raw.lstrip()) + 1
        if block is not None:
            if line.startswith(")"):
                block = None
                continue
            entries.append(_Entry(number, block, _words(line), line, column))
            continue
        match = _DIRECTIVE.match(line)
        if match is None:
            # A diff fragment may start inside a block: `path v1.2.3` is a require, `a => b` a replace.
            directive = "replace" if "=>" in line else "require" if line != ")" else ""
            if directive:
                entries.append(_Entry(number, directive, _words(line), line, column))
            continue
        directive, rest = match.group(1), match.group(2).strip()
        if rest.startswith("("):
            block = directive
            continue
        entries.append(_Entry(number, directive, _words(rest), line, column))
    return entries


def _is_local(path: str) -> bool:
    return path.startswith(("./", "../", "/", ".\\", "..\\")) or bool(re.match(r"^[A-Za-z]:[\\/]", path))


def extract_go_mod(source: Source, project: Project) -> Extraction:
    """Modules a go.mod requires (on the lines `source` keeps); local replacements are not looked up."""
    sink = Sink(source)
    entries = _entries(source.text)
    replaced: dict[str, tuple[str, str | None, str | None]] = {}  # old path -> (new, new version, old version)
    for entry in entries:
        if entry.directive == "replace" and "=>" in entry.words:
            arrow = entry.words.index("=>")
            old, new = entry.words[:arrow], entry.words[arrow + 1 :]
            if old and new:
                replaced[old[0]] = (new[0], new[1] if len(new) > 1 else None, old[1] if len(old) > 1 else None)
    for entry in entries:
        arg = Arg(entry.words[0] if entry.words else None, entry.text, entry.line, entry.column)
        if entry.directive == "require":
            if len(entry.words) < 2:
                sink.problem(arg, "cannot parse go.mod require line: expected a module path and a version")
                continue
            path, version = entry.words[0], entry.words[1]
            origin = None
            swap = replaced.get(path)
            if swap is not None and swap[2] in (None, version):
                origin = swap[0] if _is_local(swap[0]) else f"{swap[0]} {swap[1] or ''}".strip()
                origin = f"replace => {origin}"
            sink.add(Ecosystem.GO, arg, Spec(path, path, version, origin), RefKind.MANIFEST)
        elif entry.directive == "replace" and "=>" in entry.words:
            arrow = entry.words.index("=>")
            new = entry.words[arrow + 1 :]
            if new and not _is_local(new[0]):
                target = Arg(new[0], entry.text, entry.line, entry.column)
                sink.add(Ecosystem.GO, target, Spec(new[0], new[0], new[1] if len(new) > 1 else None), RefKind.MANIFEST)
    return Extraction(tuple(sink.refs), tuple(sink.problems))
