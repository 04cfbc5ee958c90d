"""TOML read line by line for diffs: which table and key each line belongs to, without parsing the whole file.

A diff shows lines, not documents: `changed_settings` needs to know that an added `pypi = "http://..."` sits in
`[tool.slopguard.registries]`, or that a continuation line belongs to a multi-line `extra-index-url = [`. This
scanner follows headers, dotted keys, brackets and multi-line strings one line at a time, in linear time, and
never raises: a line it cannot make sense of belongs to no key.
"""

from __future__ import annotations

from dataclasses import dataclass

Path = tuple[str, ...]


@dataclass(frozen=True)
class TomlState:
    """Where a line of a TOML file stands: the current table (`None` when not known, as at the start of a
    diff hunk with no file to read), the key whose value is still open, and how deep that value is."""

    table: Path | None = ()
    open_key: Path | None = None
    depth: int = 0
    string: str | None = None
    """The delimiter of a multi-line string still open (`\"\"\"` or `'''`)."""


@dataclass(frozen=True)
class TomlLine:
    """What one line is: `blank`, `header` (of `path`), `key` (sets `path`) or `value` (continues `path`)."""

    kind: str
    path: Path | None


def norm(part: str) -> str:
    """A key part compared the way slopguard and uv read keys: lower case, `_` as `-`."""
    return part.strip().lower().replace("_", "-")


def _split_dotted(text: str) -> Path:
    """`tool."slopguard".allow` -> ("tool", "slopguard", "allow"); quotes removed, parts normalised."""
    parts: list[str] = []
    current: list[str] = []
    quote = ""
    for ch in text:
        if quote:
            if ch == quote:
                quote = ""
            else:
                current.append(ch)
        elif ch in "\"'":
            quote = ch
        elif ch == ".":
            parts.append("".join(current))
            current = []
        else:
            current.append(ch)
    parts.append("".join(current))
    return tuple(norm(p) for p in parts)


def _find_outside_quotes(text: str, wanted: str) -> int:
    quote = ""
    for i, ch in enumerate(text):
        if quote:
            if ch == "\\" and quote == '"':
                continue
            if ch == quote:
                quote = ""
        elif ch in "\"'":
            quote = ch
        elif ch in wanted:
            return i
    return -1


def _scan_value(text: str, depth: int, string: str | None) -> tuple[int, str | None]:
    """Bracket depth and open multi-line string after reading `text` (a value or part of one)."""
    i, n = 0, len(text)
    while i < n:
        if string is not None:
            end = text.find(string, i)
            if end < 0:
                return depth, string
            i, string = end + 3, None
            continue
        ch = text[i]
        if ch == "#":
            break
        if text.startswith(('"""', "'''"), i):
            string, i = text[i : i + 3], i + 3
            continue
        if ch in "\"'":
            i = _string_end(text, i + 1, ch)
            continue
        if ch in "[{":
            depth += 1
        elif ch in "]}":
            depth = max(0, depth - 1)
        i += 1
    return depth, string


def _string_end(text: str, i: int, quote: str) -> int:
    n = len(text)
    while i < n:
        ch = text[i]
        if ch == "\\" and quote == '"':
            i += 2
            continue
        if ch == quote:
            return i + 1
        i += 1
    return n


def step(state: TomlState, text: str) -> tuple[TomlState, TomlLine]:
    """The state after `text` and what `text` was, given the state before it."""
    if state.string is not None or state.depth > 0:
        depth, string = _scan_value(text, state.depth, state.string)
        after = TomlState(state.table, state.open_key if depth or string else None, depth, string)
        return after, TomlLine("value", state.open_key)
    stripped = text.strip()
    if not stripped or stripped.startswith("#"):
        return state, TomlLine("blank", None)
    if stripped.startswith("["):
        inner = stripped[2:] if stripped.startswith("[[") else stripped[1:]
        end = _find_outside_quotes(inner, "]")
        table = _split_dotted(inner[:end] if end >= 0 else inner)
        return TomlState(table), TomlLine("header", table)
    eq = _find_outside_quotes(stripped, "=")
    if eq <= 0:
        return state, TomlLine("value", None)
    key = _split_dotted(stripped[:eq])
    path = key if state.table is None else state.table + key
    depth, string = _scan_value(stripped[eq + 1 :], 0, None)
    after = TomlState(state.table, path if depth or string else None, depth, string)
    return after, TomlLine("key", path)


def states_before(lines: list[str]) -> list[TomlState]:
    """The state before each line of a whole file (index 0 is line 1), and after the last at the end."""
    state = TomlState()
    out = [state]
    for text in lines:
        state, _ = step(state, text)
        out.append(state)
    return out
