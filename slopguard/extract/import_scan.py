"""Fast path for big files: keep only the lines that can hold an import, so tree-sitter parses a fraction.

The sparse text keeps every row where it was (other rows become empty) and dedents each kept statement,
remembering by how much, so locations stay exact. A scan returns `None` when it cannot be sure (an import
after `;` or `:`, a candidate inside a JS comment or template literal): the caller then parses the whole
text, as it also does when the sparse text does not parse cleanly.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

MAX_CONTINUATION = 400
"""Lines followed after a candidate line to complete its statement."""


@dataclass(frozen=True)
class Sparse:
    """The text to parse instead of the source, and the dedent (in characters) of each kept row."""

    data: bytes
    shift: dict[int, int] = field(default_factory=dict)
    trusted: bool = False
    """Use the sparse tree even when it has syntax errors (it holds nothing but import-like lines)."""


_PY_TRIPLE = re.compile(r"\"\"\"|'''")
_WORD = re.compile(r"[A-Za-z0-9_$]")
_JS_WORDS = re.compile(r"import|require|export")
_CALL_AFTER = re.compile(r"[ \t]*\(|[ \t]*\.[ \t]*resolve[ \t]*\(")
_EXPORT_FROM = re.compile(r"[ \t]*(?:type[ \t]*)?[{*]")
_JS_REGIONS = re.compile(r"/\*|\*/|`")
_QUOTES = ("'", '"', "`")
_GO_FIRST_DECL = re.compile(r"^(?:func|type|var|const)\b", re.MULTILINE)
_GO_IMPORT = re.compile(r"^[ \t]*import\b", re.MULTILINE)


def python_sparse(text: str, strict: bool = True) -> Sparse | None:
    """The import lines of Python `text` (outside triple-quoted strings), or `None` to parse it all.

    With `strict` off, lines the scan is unsure of are kept as they are instead of giving up.
    """
    regions = _python_strings(text)
    starts = [r[0] for r in regions]
    lines = text.split("\n")
    kept: dict[int, str] = {}
    shift: dict[int, int] = {}
    row = last = 0
    pos = text.find("import")
    while pos >= 0:
        dynamic = text.startswith("__import__", pos - 2) or text.startswith("import_module", pos)
        keyword = not (pos and _WORD.match(text, pos - 1)) and not _WORD.match(text, pos + 6)
        if (dynamic or keyword) and not _inside(regions, starts, pos):
            line_start = text.rfind("\n", 0, pos) + 1
            before = text[line_start:pos].strip()
            unsure = keyword and before.endswith((";", ":"))
            if unsure and strict:
                return None  # `try: import x`, `a = 1; import b`: let the full parse decide
            if unsure or dynamic or not before or (before.startswith("from") and before[4:5] in (" ", "\t", ".")):
                row += text.count("\n", last, pos)
                last = pos
                if row not in kept:
                    _keep_statement(lines, row, kept, shift, static=False)
        pos = text.find("import", pos + 6)
    return _assemble(lines, kept, shift)


def js_sparse(text: str, strict: bool = True) -> Sparse | None:
    """The import/require lines of JS/TS `text`, or `None` when one may sit in a comment or template.

    With `strict` off, candidates inside comments or templates are dropped and unsure lines kept.
    """
    regions = _js_regions(text)
    starts = [r[0] for r in regions]
    lines = text.split("\n")
    kept: dict[int, str] = {}
    shift: dict[int, int] = {}
    row = last = 0
    for match in _JS_WORDS.finditer(text):
        pos, word = match.start(), match.group()
        end = match.end()
        if (pos and _WORD.match(text, pos - 1)) or _WORD.match(text, end):
            continue
        line_start = text.rfind("\n", 0, pos) + 1
        blank_before = not text[line_start:pos].strip()
        call = word != "export" and _CALL_AFTER.match(text, end) is not None
        static = blank_before and not call and (word == "import" or _EXPORT_FROM.match(text, end) is not None)
        if not (call or static):
            if word == "require" or not text[line_start:pos].rstrip().endswith((";", "}")):
                continue
            if strict:
                return None  # `a(); import x from "y"` on one line: let the full parse decide
        if _inside(regions, starts, pos):
            if strict:
                return None
            continue
        row += text.count("\n", last, pos)
        last = pos
        if row not in kept:
            _keep_statement(lines, row, kept, shift, static=static)
    return _assemble(lines, kept, shift)


def go_sparse(text: str) -> Sparse:
    """The `import` declarations of Go `text`, found before its first `func`/`type`/`var`/`const` line.

    Go imports come before every other declaration, so nothing after that line (raw strings, code) is
    looked at; a declaration line inside a block comment does not count.
    """
    head_end = len(text)
    opened = last = 0
    for match in _GO_FIRST_DECL.finditer(text):
        opened += text.count("/*", last, match.start()) - text.count("*/", last, match.start())
        last = match.start()
        if opened == 0:
            head_end = match.start()
            break
    head = text[:head_end]
    regions = _go_comments(head)
    starts = [r[0] for r in regions]
    lines = head.split("\n")
    kept: dict[int, str] = {}
    shift: dict[int, int] = {}
    row = last = 0
    for match in _GO_IMPORT.finditer(head):
        pos = match.start()
        row += head.count("\n", last, pos)
        last = pos
        if row not in kept and not _inside(regions, starts, pos):
            _keep_statement(lines, row, kept, shift, static=False)
    sparse = _assemble(lines, kept, shift)
    return Sparse(sparse.data, sparse.shift, trusted=True)


def _go_comments(head: str) -> list[tuple[int, int]]:
    """Block comment spans of a Go file head (which holds no strings but import paths)."""
    regions = []
    start = head.find("/*")
    while start >= 0:
        end = head.find("*/", start + 2)
        end = len(head) if end < 0 else end + 2
        regions.append((start, end))
        start = head.find("/*", end)
    return regions


def _keep_statement(lines: list[str], row: int, kept: dict[int, str], shift: dict[int, int], static: bool) -> None:
    """Keep `row` dedented, then the rows that finish its statement (open brackets, `\\`, a missing source)."""
    line = lines[row]
    stripped = line.lstrip()
    kept[row] = stripped
    shift[row] = len(line) - len(stripped)
    depth = _depth(stripped)
    seen_quote = any(q in stripped for q in _QUOTES)
    current = row
    while current + 1 < len(lines) and current - row < MAX_CONTINUATION:
        tail = kept[current].rstrip()
        open_static = static and not seen_quote and not tail.endswith((";", "}"))
        if not (depth > 0 or tail.endswith("\\") or open_static):
            break
        current += 1
        if current in kept:
            break
        kept[current] = lines[current]
        depth += _depth(lines[current])
        seen_quote = seen_quote or any(q in lines[current] for q in _QUOTES)


def _assemble(lines: list[str], kept: dict[int, str], shift: dict[int, int]) -> Sparse:
    out = [""] * len(lines)
    for row, value in kept.items():
        out[row] = value
    return Sparse("\n".join(out).encode("utf-8", "surrogatepass"), shift)


def _depth(line: str) -> int:
    return line.count("(") + line.count("[") + line.count("{") - line.count(")") - line.count("]") - line.count("}")


def _python_strings(text: str) -> list[tuple[int, int]]:
    """Spans of triple-quoted strings (docstrings), by pairing `\"\"\"` and `'''` delimiters."""
    regions: list[tuple[int, int]] = []
    opener: str | None = None
    start = 0
    for match in _PY_TRIPLE.finditer(text):
        token = match.group()
        if opener is None:
            opener, start = token, match.start()
        elif token == opener:
            regions.append((start, match.end()))
            opener = None
    if opener is not None:
        regions.append((start, len(text)))
    return regions


def _js_regions(text: str) -> list[tuple[int, int]]:
    """Spans of block comments and template literals (approximate: strings are not tracked)."""
    regions: list[tuple[int, int]] = []
    opener: str | None = None
    start = 0
    for match in _JS_REGIONS.finditer(text):
        token = match.group()
        if opener is None:
            if token != "*/":
                opener, start = token, match.start()
        elif (opener == "/*" and token == "*/") or (opener == "`" and token == "`"):
            regions.append((start, match.end()))
            opener = None
    if opener is not None:
        regions.append((start, len(text)))
    return regions


def _inside(regions: list[tuple[int, int]], starts: list[int], pos: int) -> bool:
    index = bisect.bisect_right(starts, pos) - 1
    return index >= 0 and regions[index][0] < pos < regions[index][1]
