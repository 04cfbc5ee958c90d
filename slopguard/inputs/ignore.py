"""A small `.gitignore` matcher: per-directory files, `!` negation, `/` anchoring, trailing `/`, `*`, `?`, `**`, `[]`.

Chosen over `git check-ignore` so a tree scan needs no git and no subprocess, and behaves the same outside a
repository. Not covered: `.git/info/exclude`, `core.excludesFile`, and re-including a file below an ignored
directory (git does not either).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any


class _Wildcard:
    """A pattern item that matches any run of items: `*` in a segment, `**` in a path."""

    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return self.text


_STAR = _Wildcard("*")
"""A segment pattern item: any run of characters (within the segment)."""
_DEEP = _Wildcard("**")
"""A path pattern item: any number of whole segments (`**/`, `/**/`)."""


@dataclass(frozen=True)
class Rule:
    """One pattern line of a `.gitignore`, split into per-segment patterns.

    Matching is wildcard matching with backtracking to the last star only (characters within a segment,
    segments within a path), so its time is bounded by the lengths multiplied, never exponential: a regex
    such as `[^/]*a[^/]*a[^/]*a...b` takes exponential time on a long name of `a`s."""

    segments: tuple[object, ...]
    negate: bool
    dir_only: bool
    anchored: bool

    def matches(self, target: str) -> bool:
        """Whether `target` (a `/` path for an anchored rule, else a file name) matches the pattern."""
        return _match(self.segments, target.split("/"), _segment_matches, _DEEP)


def _segment(glob: str) -> tuple[object, ...]:
    """The items of one `/`-free glob segment: `_STAR`, a literal character, a compiled one-character class,
    or None for `?` (`**` inside a segment is an ordinary star, as in git)."""
    items: list[object] = []
    i = 0
    while i < len(glob):
        ch = glob[i]
        if ch == "*":
            if not items or items[-1] is not _STAR:
                items.append(_STAR)
        elif ch == "?":
            items.append(None)
        elif ch == "[" and glob.find("]", i + 2) >= 0:
            end = glob.find("]", i + 2)
            body = glob[i + 1 : end]
            if body.startswith("!"):
                body = "^" + body[1:]
            try:
                items.append(re.compile("[" + body.replace("\\", "\\\\") + "]"))
            except re.error:
                items.extend(glob[i : end + 1])
            i = end
        elif ch == "\\" and i + 1 < len(glob):
            i += 1
            items.append(glob[i])
        else:
            items.append(ch)
        i += 1
    return tuple(items)


def _compile(glob: str) -> tuple[object, ...]:
    """The segment patterns of a glob: `**` segments become `_DEEP`; a trailing `/**` matches what is inside."""
    parts = glob.split("/")
    segments: list[object] = []
    for index, part in enumerate(parts):
        if len(part) >= 2 and part.strip("*") == "":  # `**` (or more stars) as a whole segment, as git's wildmatch
            if index == len(parts) - 1 and index > 0:  # `dir/**`: everything inside `dir`, not `dir` itself
                segments.append((_STAR,))
            if not segments or segments[-1] is not _DEEP:
                segments.append(_DEEP)
        else:
            segments.append(_segment(part))
    return tuple(segments)


def _one(item: object, ch: str) -> bool:
    if item is None:
        return ch != "/"
    if isinstance(item, str):
        return item == ch
    return isinstance(item, re.Pattern) and item.fullmatch(ch) is not None


def _segment_matches(items: object, text: object) -> bool:
    assert isinstance(items, tuple) and isinstance(text, str)
    return _match(items, text, _one, _STAR)


def _match(pattern: Sequence[object], text: Sequence[object], one: Callable[[object, Any], bool], star: object) -> bool:
    """Wildcard matching of `text` by `pattern`, whose items are `star` or single-item matchers (`one`):
    on a mismatch only the last star takes one more item, which is enough when stars are the only
    variable-length items."""
    p = t = 0
    last_star, mark = -1, 0
    while t < len(text):
        if p < len(pattern) and pattern[p] is star:
            last_star, mark = p, t
            p += 1
        elif p < len(pattern) and one(pattern[p], text[t]):
            p += 1
            t += 1
        elif last_star >= 0:
            mark += 1
            p, t = last_star + 1, mark
        else:
            return False
    while p < len(pattern) and pattern[p] is star:
        p += 1
    return p == len(pattern)


def parse_gitignore(text: str) -> list[Rule]:
    """The rules of one `.gitignore` file's text."""
    rules: list[Rule] = []
    for raw in text.splitlines():
        line = raw.rstrip()
        if raw.endswith("\\ "):
            line += " "
        if not line or line.startswith("#"):
            continue
        negate = line.startswith("!")
        if negate:
            line = line[1:]
        elif line.startswith("\\"):
            line = line[1:]
        dir_only = line.endswith("/")
        line = line.rstrip("/")
        if not line:
            continue
        anchored = "/" in line
        line = line.lstrip("/")
        rules.append(Rule(_compile(line), negate, dir_only, anchored))
    return rules


def is_ignored(layers: list[tuple[str, list[Rule]]], rel: str, is_dir: bool) -> bool:
    """Whether `rel` (a `/` path from the tree root) is ignored by `layers` of (directory, rules), outermost first."""
    ignored = False
    name = rel.rsplit("/", 1)[-1]
    for base, rules in layers:
        if base and not rel.startswith(base + "/"):
            continue
        local = rel[len(base) + 1 :] if base else rel
        for rule in rules:
            if rule.dir_only and not is_dir:
                continue
            target = local if rule.anchored else name
            if rule.matches(target):
                ignored = not rule.negate
    return ignored
