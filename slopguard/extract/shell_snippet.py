"""The command line an agent wrote, as written, for a transcript's locations (`Location.snippet`)."""

from __future__ import annotations

SNIPPET = 300
"""Characters of a command line kept."""
_MOST_LINES = 50
"""Continuation lines joined at most, either way."""


def command_at(lines: list[str], line: int) -> str | None:
    """The logical command line holding 1-based `line` of `lines` (backslash continuations joined with a
    space), cut to `SNIPPET` characters; `None` when `line` is not among them."""
    if not 0 < line <= len(lines):
        return None
    first = last = line - 1
    while first > 0 and last - first < _MOST_LINES and _continued(lines[first - 1]):
        first -= 1
    while last < len(lines) - 1 and last - first < 2 * _MOST_LINES and _continued(lines[last]):
        last += 1
    parts = (lines[i].rstrip("\r").removesuffix("\\").strip() for i in range(first, last + 1))
    return " ".join(p for p in parts if p)[:SNIPPET]


def _continued(text: str) -> bool:
    return text.rstrip("\r").endswith("\\")
