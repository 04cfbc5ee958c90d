"""The shell commands of CI configuration: GitHub Actions `run:` steps and GitLab CI `script:` lists.

An agent that edits CI adds installs that run on every push (`run: pip install ...`). The view keeps only the
command text, in place: every other line becomes empty and a removed key or list marker becomes spaces, so line
and column numbers are the file's. YAML is read by layout, not parsed (slopguard has no YAML dependency):
a single-line value, or a block scalar (`|`, `>`, with chomping and indentation indicators) whose lines are
indented under the key. Quoted single-line values lose their quotes; `${{ ... }}` expressions stay as
written and read as unknown words.
"""

from __future__ import annotations

import re

_RUN = re.compile(r"^(\s*(?:-\s+)?run:\s*)(.*)$")
_SCRIPT = re.compile(r"^(\s*)(?:before_script|after_script|script):\s*(.*)$")
_ITEM = re.compile(r"^(\s*-\s+)(.*)$")
_BLOCK = re.compile(r"^[|>][-+0-9]*\s*(?:#.*)?$")
_KEY = re.compile(r"^(\s*(?:-\s+)?)([A-Za-z_][\w-]*)\s*:(?:\s|$)")
_NOT_STEPS = frozenset({"env", "with", "inputs", "outputs", "secrets", "vars", "defaults"})
"""Mappings whose `run` key is a value, not a step's command (`defaults: run:` holds shell settings)."""


def github_view(text: str) -> str:
    """The `run:` commands of a GitHub Actions workflow, in place (not a `run` key inside `env:` or `with:`)."""
    lines = text.split("\n")
    out = [""] * len(lines)
    parents: list[tuple[int, str]] = []  # (indent, key) of the mapping keys above the current line
    i = 0
    while i < len(lines):
        key = _KEY.match(lines[i])
        if key is not None:
            indent = len(key.group(1))
            while parents and parents[-1][0] >= indent:
                parents.pop()
            match = _RUN.match(lines[i])
            if match is not None and not (parents and parents[-1][1] in _NOT_STEPS):
                i = _value(lines, i, match.end(1), _indent(lines[i]), out)
                continue
            parents.append((indent, key.group(2)))
        i += 1
    return "\n".join(out)


def gitlab_view(text: str) -> str:
    """The `script:` / `before_script:` / `after_script:` commands of a GitLab CI file, in place."""
    lines = text.split("\n")
    out = [""] * len(lines)
    i = 0
    while i < len(lines):
        match = _SCRIPT.match(lines[i])
        if match is None:
            i += 1
            continue
        key_indent = len(match.group(1))
        if match.group(2).strip():  # `script: cmd` or `script: |`
            i = _value(lines, i, match.start(2), key_indent, out)
            continue
        i += 1
        while i < len(lines) and (not lines[i].strip() or _indent(lines[i]) > key_indent):
            item = _ITEM.match(lines[i])
            if item is not None and _indent(lines[i]) > key_indent:
                i = _value(lines, i, item.end(1), _indent(lines[i]), out)
            else:
                i += 1
    return "\n".join(out)


def _value(lines: list[str], i: int, start: int, owner_indent: int, out: list[str]) -> int:
    """Copy the scalar starting at column `start` of line `i` into `out`; the index of the next line to read."""
    line = lines[i]
    value = line[start:]
    if _BLOCK.match(value.strip()):
        i += 1
        while i < len(lines) and (not lines[i].strip() or _indent(lines[i]) > owner_indent):
            out[i] = lines[i]
            i += 1
        return i
    stripped = value.rstrip()
    if len(stripped) >= 2 and stripped[0] == stripped[-1] and stripped[0] in "'\"":
        out[i] = " " * (start + 1) + stripped[1:-1]
    else:
        out[i] = " " * start + value
    return i + 1


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))
