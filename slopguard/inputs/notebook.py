"""Jupyter cells written by agents -> a Python Source plus a SHELL Source for `!pip install` / `%pip` magic lines."""

from __future__ import annotations

import json
from collections.abc import Iterator

from slopguard.inputs.markdown import markdown_sources
from slopguard.models import Problem, Source, SourceKind

_CELL_SHELL = ("%%bash", "%%sh", "%%script bash", "%%script sh", "%%shell")
_LINE_SHELL = ("%pip ", "%conda ", "%mamba ", "%uv ", "%sx ", "%system ")


def cell_sources(
    text: str,
    filename: str,
    *,
    path: str,
    pin_line: int | None = None,
    cwd: str | None = None,
    detail: str | None = None,
) -> Iterator[Source]:
    """Sources of one code cell: Python code (magic lines blanked) and its shell escapes (`!cmd`, `%pip ...`)."""
    lines = text.split("\n")
    if lines and lines[0].strip().startswith(_CELL_SHELL):
        body = "\n".join([""] + lines[1:])
        yield Source(body, SourceKind.SHELL, path, filename, pin_line=pin_line, cwd=cwd, detail=detail)
        return
    python: list[str] = []
    shell: list[str] = []
    for line in lines:
        stripped = line.lstrip()
        if stripped.startswith("!"):
            cut = len(line) - len(stripped) + 1
            shell.append(" " * cut + line[cut:])
            python.append("")
        elif stripped.startswith(_LINE_SHELL):
            cut = len(line) - len(stripped) + 1
            shell.append(" " * cut + line[cut:])
            python.append("")
        elif stripped.startswith("%"):
            shell.append("")
            python.append("")
        else:
            shell.append("")
            python.append(line)
    if any(line.strip() for line in python):
        yield Source("\n".join(python), SourceKind.PYTHON, path, filename, pin_line=pin_line, cwd=cwd, detail=detail)
    if any(line.strip() for line in shell):
        yield Source("\n".join(shell), SourceKind.SHELL, path, filename, pin_line=pin_line, cwd=cwd, detail=detail)


def notebook_sources(
    text: str,
    filename: str,
    *,
    path: str,
    pin_line: int | None = None,
    cwd: str | None = None,
    detail: str | None = None,
) -> Iterator[Source | Problem]:
    """Sources of every cell of a notebook given as its JSON text."""
    try:
        notebook = json.loads(text)
    except (ValueError, RecursionError) as exc:
        why = "nested too deeply" if isinstance(exc, RecursionError) else "not valid JSON"
        yield Problem(path, f"notebook {filename} is {why}; skipped", pin_line, "invalid-json")
        return
    cells = notebook.get("cells") if isinstance(notebook, dict) else None
    if not isinstance(cells, list):
        return
    for number, cell in enumerate(cells, start=1):
        if not isinstance(cell, dict):
            continue
        where = f"{detail}, cell {number}" if detail else f"cell {number}"  # lines count from each cell's top
        source = cell.get("source")
        body = "".join(s for s in source if isinstance(s, str)) if isinstance(source, list) else source
        if not isinstance(body, str):
            continue
        if cell.get("cell_type") == "code":
            yield from cell_sources(body, filename, path=path, pin_line=pin_line, cwd=cwd, detail=where)
        elif cell.get("cell_type") == "markdown":
            yield from markdown_sources(body, path=path, pin_line=pin_line, cwd=cwd, detail=where)
