"""Text written to a file (by a tool call, a patch or a diff) -> Sources, chosen by the file's name.

Source files and manifests give one Source (`text.written_source`); Markdown files (`README.md`, `CLAUDE.md`) are
read like an agent's answer (fenced code and install commands); notebooks written whole give their cells.
With `added_lines`, only Sources that contain an added line are kept, each restricted to its added lines.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

from slopguard.inputs.markdown import markdown_sources
from slopguard.inputs.notebook import notebook_sources
from slopguard.inputs.text import written_source
from slopguard.models import Problem, Source

MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdx")


def restrict(source: Source, added: frozenset[int], offset: int) -> Source | None:
    """`source` (cut from a text whose added lines are `added`, starting at `offset`) keeping only those lines."""
    count = source.text.count("\n") + (0 if source.text.endswith("\n") else 1)
    shift = offset - source.line_offset
    mine = frozenset(a + shift for a in added if 1 <= a + shift <= count)
    return dataclasses.replace(source, added_lines=mine) if mine else None


def written_sources(
    filename: str,
    text: str,
    *,
    path: str,
    pin_line: int | None = None,
    line_offset: int = 0,
    added_lines: frozenset[int] | None = None,
    cwd: str | None = None,
    detail: str | None = None,
) -> Iterator[Source | Problem]:
    """Sources for `text` written to `filename`; nothing when slopguard does not read such files."""
    lower = filename.lower()
    if lower.endswith(MARKDOWN_SUFFIXES):
        first = line_offset + 1
        for source in markdown_sources(text, path=path, first_line=first, pin_line=pin_line, cwd=cwd, detail=detail):
            kept = source if added_lines is None else restrict(source, added_lines, line_offset)
            if kept is not None:
                yield kept
        return
    if lower.endswith(".ipynb"):
        # A notebook is read whole or not at all: JSON gives no line positions to map changed lines to cells.
        # A whole new notebook in a diff (every line added) is read like one written whole.
        whole = added_lines is None or added_lines.issuperset(range(1, text.count("\n") + 1))
        if whole and line_offset == 0 and text.lstrip().startswith("{"):
            yield from notebook_sources(text, filename, path=path, pin_line=pin_line, cwd=cwd, detail=detail)
        return
    single = written_source(
        filename,
        text,
        path=path,
        pin_line=pin_line,
        line_offset=line_offset,
        added_lines=added_lines,
        cwd=cwd,
        detail=detail,
    )
    if single is not None:
        yield single
