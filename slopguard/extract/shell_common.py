"""Shared pieces of the shell extractors: command words, option splitting, and the sink that builds refs."""

from __future__ import annotations

import os
import re

from slopguard import names
from slopguard.extract.specs import Spec, SpecError, go_spec, npm_spec, python_spec
from slopguard.models import INCOMPLETE, Ecosystem, PackageRef, Problem, RefKind, Source

TYPE_CHECKING = False  # not `typing.TYPE_CHECKING`: the agent hook loads this module on install commands
if TYPE_CHECKING:
    from collections.abc import Iterable
    from dataclasses import dataclass
    from typing import Any
else:  # frozen dataclasses built without `dataclasses` at import
    from slopguard._frozen import dataclass

MAX_REFS = 10_000
"""References kept per source; past this the rest are dropped with one problem (bounded time on huge inputs)."""
if TYPE_CHECKING:
    Node = Any
    """A tree-sitter node (typed loosely: only `slopguard.extract.treesitter` may import tree_sitter)."""
else:
    Node = object
NON_REGISTRY = "non-registry-source"
EXTRA_INDEX = "extra-index-url"


@dataclass(frozen=True)
class Arg:
    """One shell word: its literal value (None when it has expansions), the text as written, and its place."""

    value: str | None
    text: str
    line: int
    column: int

    def __init__(self, value: str | None, text: str, line: int, column: int) -> None:
        self.__dict__.update(value=value, text=text, line=line, column=column)


class Options:
    """A command's words split into options (name, value) and positionals, in order."""

    __slots__ = ("opts", "positionals", "rest")

    def __init__(self) -> None:
        self.opts: list[tuple[str, Arg | None]] = []
        self.positionals: list[Arg] = []
        self.rest: list[Arg] = []
        """Words after the first positional, when parsing stopped there (`npx pkg ARGS...`)."""

    def values(self, *keys: str) -> list[Arg]:
        """The values given to any of the options `keys`, in order."""
        return [v for k, v in self.opts if k in keys and v is not None]

    def command(self) -> list[Arg]:
        """The positionals and the words after them: the wrapped command of `sudo -u x CMD ARGS`."""
        return [*self.positionals, *self.rest]

    def has(self, *keys: str) -> bool:
        """Whether any of the options `keys` was given."""
        return any(k in keys for k, _ in self.opts)


def split_options(args: Iterable[Arg], takes_value: frozenset[str], *, stop_at_positional: bool = False) -> Options:
    """Split words into options and positionals. `takes_value` names options (`-r`, `--index-url`) whose
    value is the next word (or follows `=` / is glued to a short flag); every other option is a flag."""
    out = Options()
    items = list(args)
    i = 0
    while i < len(items):
        arg = items[i]
        i += 1
        value = arg.value
        if value is None or not value.startswith("-") or value == "-":
            out.positionals.append(arg)
            if stop_at_positional:
                out.rest = items[i:]
                return out
            continue
        if value == "--":
            rest = items[i:]
            if stop_at_positional and rest:
                out.positionals.append(rest[0])
                out.rest = rest[1:]
            else:
                out.positionals.extend(rest)
            return out
        if value.startswith("--"):
            key, eq, inline = value.partition("=")
            if eq:
                out.opts.append((key, Arg(inline, arg.text, arg.line, arg.column)))
            elif key in takes_value and i < len(items):
                out.opts.append((key, items[i]))
                i += 1
            else:
                out.opts.append((key, None))
            continue
        # A cluster of short flags: `-qU`, `-rfile`, `-r file`, `-n=3`.
        for pos in range(1, len(value)):
            key = "-" + value[pos]
            if key in takes_value:
                glued = value[pos + 1 :].removeprefix("=")
                if glued:
                    out.opts.append((key, Arg(glued, arg.text, arg.line, arg.column)))
                elif i < len(items):
                    out.opts.append((key, items[i]))
                    i += 1
                else:
                    out.opts.append((key, None))
                break
            out.opts.append((key, None))
    return out


class Sink:
    """Collects the refs and problems of one source; drops refs on lines the source does not keep."""

    __slots__ = (
        "source", "refs", "problems", "seen_files", "capped", "cwd", "moved", "dirs", "_keys", "_root", "_lines",
        "_words",
    )  # fmt: skip

    def __init__(self, source: Source, seen_files: set[str] | None = None) -> None:
        self.source = source
        self.refs: list[PackageRef] = []
        self.problems: list[Problem] = []
        self.seen_files: set[str] = set() if seen_files is None else seen_files
        self.capped = False
        self.cwd: str | None = source.cwd
        """The working directory of the command being read: the source's, then wherever `cd`/`pushd` went
        (`None` when unknown)."""
        self.moved: str | None = None
        """Set when the command has moved away from the source's folder (a `cd`, a container, another host):
        then `cwd` `None` means lost, not never known, and this says how, for messages."""
        self.dirs: list[str | None] = []
        """The `pushd` stack."""
        self._keys: set[tuple[object, ...]] = set()
        self._words: set[tuple[object, ...]] = set()
        """Python requirement words already added (value, line, kind, index, notes)."""
        self._root: str | None = None
        self._lines: list[str] | None = None

    @property
    def root(self) -> str:
        """The folder every file the source names must lie in (`slopguard.root.root_of`), looked up once."""
        if self._root is None:
            from slopguard.root import root_of

            self._root = root_of(self.source)
        return self._root

    def inside(self, arg: Arg, folder: str | None, what: str) -> str | None:
        """The real path of the file `arg` names (relative to `folder`) when it lies inside the project; else
        `None`, with a problem that says why `what` was not read (`slopguard.root.inside`)."""
        from slopguard.root import Refused, inside

        checked = inside(arg.value or "", folder, self.root)
        if isinstance(checked, Refused):
            self.problem(arg, f"{what} {arg.value!r} not read: {checked.reason}", code=checked.code)
            return None
        return checked

    def folder(self) -> str | None:
        """The folder the command runs in: `cwd`, else, while no `cd` has moved it, a script file's own
        folder (a script runs where it lies); `None` when unknown."""
        if self.cwd is None and not self.moved and os.path.isfile(self.source.path):
            return os.path.dirname(self.source.path) or "."
        return self.cwd

    def kept(self, arg: Arg) -> bool:
        """Whether a reference at `arg` counts (in a diff, only added lines do)."""
        return self.source.keeps(arg.line)

    def add(
        self,
        ecosystem: Ecosystem,
        arg: Arg,
        spec: Spec,
        kind: RefKind,
        *,
        index_url: str | None = None,
        notes: tuple[str, ...] = (),
    ) -> None:
        """Add one reference found at `arg`."""
        if not self.kept(arg):
            return
        if len(self.refs) >= MAX_REFS:
            if not self.capped:
                self.capped = True
                message = f"more than {MAX_REFS} package references; the rest were not checked"
                self.problems.append(Problem(self.source.path, message, self.source.locate(arg.line).line, INCOMPLETE))
            return
        canonical = spec.canonical_name
        if spec.source is not None:
            notes = (NON_REGISTRY, *[n for n in notes if n != NON_REGISTRY])
        if spec.source is None or names.invalid_reason(ecosystem, canonical) is None:
            canonical = names.canonicalize(ecosystem, canonical)  # a local path stays as written
        index_url = None if spec.source is not None else index_url
        key = (ecosystem, canonical, kind, arg.line, spec.spec, spec.source, index_url, notes)
        if key in self._keys:  # the same package the same way on the same line (a loop body read per word)
            return
        self._keys.add(key)
        self.refs.append(
            PackageRef(
                ecosystem=ecosystem,
                name=spec.name,
                canonical=canonical,
                kind=kind,
                location=self.source.locate(arg.line, arg.column, self.command_at(arg.line)),
                evidence=arg.text,
                spec=spec.spec,
                source=spec.source,
                index_url=index_url,
                notes=notes,
            )
        )

    def command_at(self, line: int) -> str | None:
        """In an agent's transcript, the command line holding 1-based `line` of the text, as written
        (`slopguard.extract.shell_snippet`); `None` elsewhere (the file and line say it)."""
        if self.source.agent is None:
            return None
        from slopguard.extract.shell_snippet import command_at

        if self._lines is None:
            self._lines = self.source.text.split("\n")
        return command_at(self._lines, line)

    def problem(self, arg: Arg, message: str, code: str = "input-error") -> None:
        """Report something that could not be understood at `arg`."""
        if self.kept(arg):
            self.problems.append(Problem(self.source.path, message, self.source.locate(arg.line).line, code))

    def python(self, arg: Arg, kind: RefKind, *, index_url: str | None = None, notes: tuple[str, ...] = ()) -> None:
        """A requirement word of pip/uv/pipx/pdm/..."""
        if arg.value is None or self.capped:  # past MAX_REFS nothing is parsed: bounded time on huge inputs
            return
        word = (arg.value, arg.line, kind, index_url, notes)
        if word in self._words and len(self.refs) < MAX_REFS:
            return  # the same word on the same line again (`pip install x x x ...`): `add` would drop it
        try:
            spec = python_spec(arg.value)
        except SpecError as exc:
            self.problem(arg, f"not a valid Python requirement: {exc}")  # the text is not repeated: it may be a secret
            return
        self.add(Ecosystem.PYPI, arg, spec, kind, index_url=index_url, notes=notes)
        self._words.add(word)

    def npm(self, arg: Arg, kind: RefKind, *, registry: str | None = None) -> None:
        """A package-spec word of npm/yarn/pnpm/bun."""
        if arg.value is None or self.capped or not arg.value.strip():
            return
        self.add(Ecosystem.NPM, arg, npm_spec(arg.value), kind, index_url=registry)

    def go(self, arg: Arg, kind: RefKind) -> None:
        """A `path[@version]` word of the go command."""
        if arg.value is None or self.capped:
            return
        spec = go_spec(arg.value)
        if spec is not None:
            self.add(Ecosystem.GO, arg, spec, kind)


@dataclass(frozen=True)
class ShellText:
    """One parsed shell text: the original string, and where its first character sits in the source.

    The parser is given an ASCII copy (each other character becomes `?`): tree-sitter-bash's scanner
    reads out of bounds (and may crash the process) on some non-ASCII input such as `{` followed by a
    supplementary-plane character. With an ASCII copy, node byte offsets are character offsets of `src`.
    """

    src: str
    line_base: int
    col_base: int

    def __init__(self, src: str, line_base: int, col_base: int) -> None:
        self.__dict__.update(src=src, line_base=line_base, col_base=col_base)

    @property
    def data(self) -> bytes:
        """The bytes handed to the parser."""
        return self.src.encode("ascii", "replace")

    def of(self, node: Node) -> str:
        """The original text of `node`."""
        return self.src[node.start_byte : node.end_byte]

    def arg(self, node: Node) -> Arg:
        """An `Arg` for a word node, placed in source coordinates."""
        row, col = node.start_point
        return Arg(
            word_value(node, self), self.of(node), self.line_base + row, col + 1 + (self.col_base if row == 0 else 0)
        )


def word_value(node: Node, text: ShellText) -> str | None:
    """The literal value of a shell word after quote removal, or None when it has an expansion."""
    kind = node.type
    if kind in ("word", "number"):
        return _unescape(text.of(node))
    if kind == "raw_string":
        return text.of(node)[1:-1]
    if kind == "ansi_c_string":
        return _ansi_c(text.of(node)[2:-1])
    if kind in ("string", "translated_string"):
        parts = []
        for child in node.children:
            if child.type in ('"', "$"):
                continue
            if child.type != "string_content":
                return None
            parts.append(re.sub(r'\\([\\"$`\n])', lambda m: "" if m.group(1) == "\n" else m.group(1), text.of(child)))
        return "".join(parts)
    if kind == "concatenation":
        values = [word_value(child, text) for child in node.children]
        if any(v is None for v in values):
            return None
        return "".join(v for v in values if v is not None)
    return None


def _unescape(text: str) -> str:
    if "\\" not in text:
        return text
    return re.sub(r"\\(.|\n)", lambda m: "" if m.group(1) == "\n" else m.group(1), text)


_ANSI = {"n": "\n", "t": "\t", "r": "\r", "\\": "\\", "'": "'", '"': '"', "a": "\a", "b": "\b", "e": "\x1b"}


def _ansi_c(text: str) -> str:
    return re.sub(r"\\(.)", lambda m: _ANSI.get(m.group(1), "\\" + m.group(1)), text)
