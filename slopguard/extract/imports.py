"""Import extraction: bad-input guards, then the Python, JS/TS or Go extractor, and the shared ref builder."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from slopguard.extract import treesitter
from slopguard.models import (
    Ecosystem,
    Extraction,
    PackageRef,
    Problem,
    Project,
    RefKind,
    Source,
    SourceKind,
)

MAX_SOURCE_BYTES = 2_000_000
"""Sources bigger than this (UTF-8 bytes) are skipped with a `skipped` problem."""

EVIDENCE_CHARS = 200
MAX_IMPORTS = 5_000
"""Import statements read per source; a file with more is cut there (with a `truncated` problem)."""
SPARSE_MIN_BYTES = 4_096
"""Sources at least this big go through the sparse fast path (`import_scan`) first."""
WHOLE_PARSE_MAX_BYTES = 256_000
"""Above this, a file is never parsed whole: tree-sitter's error recovery on non-code can take minutes."""
_MINIFIED_MIN_CHARS = 50_000
_MINIFIED_AVG_LINE = 1_000
_MINIFIED_NAME = re.compile(r"\.(min|bundle)\.[cm]?js$|(^|[/\\])(dist|build)[/\\].*\.[cm]?js$", re.IGNORECASE)
_BAD_CHAR_SHARE = 0.05
_BAD_CHARS = re.compile("[\ufffd\ud800-\udfff]")

_GRAMMAR = {
    SourceKind.PYTHON: "python",
    SourceKind.JAVASCRIPT: "javascript",
    SourceKind.TYPESCRIPT: "typescript",
    SourceKind.TSX: "tsx",
    SourceKind.GO: "go",
}

# Words without which a source holds no import: it is then not parsed at all.
_KEYWORDS = {
    SourceKind.PYTHON: ("import",),
    SourceKind.GO: ("import",),
    SourceKind.JAVASCRIPT: ("import", "require", "export"),
    SourceKind.TYPESCRIPT: ("import", "require", "export"),
    SourceKind.TSX: ("import", "require", "export"),
}

Node = Any
"""A tree-sitter node (typed loosely: only `treesitter.py` may import `tree_sitter`)."""


@dataclass(frozen=True)
class Parsed:
    """One parsed source handed to a language extractor: the source, its bytes, the tree and the project."""

    source: Source
    project: Project
    data: bytes
    root: Node
    shift: Mapping[int, int] = field(default_factory=dict)
    """Characters removed from the start of a row by the sparse fast path (0-based row -> count)."""
    cut: list[int] = field(default_factory=list)
    """Set by `ordered()` when the source held more than `MAX_IMPORTS` import nodes."""

    def ordered(self, nodes: list[Node]) -> list[Node]:
        """`nodes` in document order, at most `MAX_IMPORTS` of them."""
        nodes = sorted(nodes, key=lambda n: n.start_byte)
        if len(nodes) > MAX_IMPORTS:
            self.cut.append(len(nodes))
            del nodes[MAX_IMPORTS:]
        return nodes

    def keeps(self, node: Node) -> bool:
        """Whether a reference anchored at `node` lies on a line the source keeps."""
        return self.source.keeps(node.start_point[0] + 1)

    def ref(
        self,
        ecosystem: Ecosystem,
        name: str,
        canonical: str,
        anchor: Node,
        statement: Node,
    ) -> PackageRef:
        """An import ref located at `statement` (or at `anchor` when the statement starts on another line)."""
        at = statement if statement.start_point[0] == anchor.start_point[0] else anchor
        row, col_bytes = at.start_point
        prefix = self.data[at.start_byte - col_bytes : at.start_byte]
        column = (len(prefix) if prefix.isascii() else len(prefix.decode("utf-8", "replace"))) + 1
        column += self.shift.get(row, 0)
        return PackageRef(
            ecosystem=ecosystem,
            name=name,
            canonical=canonical,
            kind=RefKind.IMPORT,
            location=self.source.locate(row + 1, column),
            evidence=evidence(
                self.data[statement.start_byte : min(statement.end_byte, statement.start_byte + 4 * EVIDENCE_CHARS)]
            ),
        )


def evidence(raw: bytes) -> str:
    """Statement text collapsed to one line and cut to `EVIDENCE_CHARS` characters."""
    text = " ".join(raw.decode("utf-8", "replace").split())
    if len(text) > EVIDENCE_CHARS:
        text = text[: EVIDENCE_CHARS - 3] + "..."
    return text


def statement_of(node: Node, wrappers: frozenset[str], steps: int = 4) -> Node:
    """Climb from `node` through `wrappers` node types (at most `steps`) to the enclosing statement."""
    current = node
    for _ in range(steps):
        parent = current.parent
        if parent is None or parent.type not in wrappers:
            break
        current = parent
    return current


def extract_imports(source: Source, project: Project) -> Extraction:
    """The third-party packages `source` imports (on the lines it keeps), and why it was skipped if it was."""
    grammar = _GRAMMAR.get(source.kind)
    if grammar is None:
        return Extraction()
    data, problem = _checked_bytes(source)
    if problem is not None:
        return Extraction(problems=(problem,))
    if not data.strip() or not any(word in source.text for word in _KEYWORDS[source.kind]):
        return Extraction()
    parsed = _parse(source, project, grammar, data)
    if parsed is None:
        return Extraction()
    if source.kind is SourceKind.PYTHON:
        from slopguard.extract.python_imports import python_refs

        refs = python_refs(parsed)
    elif source.kind is SourceKind.GO:
        from slopguard.extract.go_imports import go_refs

        refs = go_refs(parsed)
    else:
        from slopguard.extract.js_imports import js_refs

        refs = js_refs(parsed, grammar)
    if parsed.cut:
        why = f"{parsed.cut[0]} imports; only the first {MAX_IMPORTS} were read"
        return Extraction(tuple(refs), (Problem(source.path, why, code="truncated"),))
    return Extraction(refs=tuple(refs))


def _parse(source: Source, project: Project, grammar: str, data: bytes) -> Parsed | None:
    """Parse the sparse import lines when that parses cleanly, else the whole text.

    Big files try the sparse text first (speed), and files above `WHOLE_PARSE_MAX_BYTES` keep it even
    with syntax errors (bounded time). Small ones use it only when the whole text has syntax errors (a
    diff hunk or an Edit's fragment: the import lines parse alone when the code around them does not).
    `None` means the sparse scan found no line that can hold an import.
    """
    big = len(data) >= SPARSE_MIN_BYTES
    if big:
        sparse = _sparse(source, project, grammar, trusted=len(data) > WHOLE_PARSE_MAX_BYTES)
        if sparse is not None:
            return sparse if sparse.data else None
    root = treesitter.parse(grammar, data)
    if root.has_error and not big:
        sparse = _sparse(source, project, grammar)
        if sparse is not None and sparse.data:
            return sparse
    return Parsed(source, project, data, root)


def _sparse(source: Source, project: Project, grammar: str, trusted: bool = False) -> Parsed | None:
    """The parsed sparse text; `Parsed` with empty data when there is nothing to parse; `None` to fall back."""
    from slopguard.extract.import_scan import go_sparse, js_sparse, python_sparse

    if source.kind is SourceKind.PYTHON:
        sparse = python_sparse(source.text, strict=not trusted)
    elif source.kind is SourceKind.GO:
        sparse = go_sparse(source.text)
    else:
        sparse = js_sparse(source.text, strict=not trusted)
    if sparse is None:
        return None
    if not sparse.data.strip():
        return Parsed(source, project, b"", None)
    root = treesitter.parse(grammar, sparse.data)
    if root.has_error and not (trusted or sparse.trusted):
        return None
    return Parsed(source, project, sparse.data, root, sparse.shift)


def _checked_bytes(source: Source) -> tuple[bytes, Problem | None]:
    """The UTF-8 bytes to parse, or a `skipped` problem for oversized, binary or minified text."""
    text = source.text
    if len(text) > MAX_SOURCE_BYTES:
        return b"", _skipped(source, f"larger than {MAX_SOURCE_BYTES} bytes")
    data = text.encode("utf-8", "surrogatepass")
    if len(data) > MAX_SOURCE_BYTES:
        return b"", _skipped(source, f"larger than {MAX_SOURCE_BYTES} bytes")
    if "\x00" in text:
        return b"", _skipped(source, "binary content (NUL bytes)")
    bad = 0 if text.isascii() else len(_BAD_CHARS.findall(text))
    if bad > 16 and bad > _BAD_CHAR_SHARE * len(text):
        return b"", _skipped(source, "not UTF-8 text")
    if _looks_minified(source, text):
        return b"", _skipped(source, "minified or bundled code")
    return data, None


def _looks_minified(source: Source, text: str) -> bool:
    if source.kind not in (SourceKind.JAVASCRIPT, SourceKind.TYPESCRIPT, SourceKind.TSX):
        return False
    name = source.filename or source.path
    if len(text) > 20_000 and _MINIFIED_NAME.search(name):
        return True
    return len(text) > _MINIFIED_MIN_CHARS and len(text) / (text.count("\n") + 1) > _MINIFIED_AVG_LINE


def _skipped(source: Source, why: str) -> Problem:
    return Problem(path=source.path, message=f"not scanned for imports: {why}", code="skipped")
