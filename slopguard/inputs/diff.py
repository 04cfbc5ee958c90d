"""Unified diffs (`git diff`, `gh pr diff`, `git format-patch` mbox, plain `diff -u`) -> Sources of added lines.

Only hunk lines are ever looked at: mbox headers, commit messages and diffstats are skipped by construction.
Hunk line counts decide where a hunk ends, so a commit message after a hunk is never read as hunk text.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from slopguard.inputs.text import MAX_FILE, decode_file
from slopguard.inputs.written import written_sources
from slopguard.models import Problem, SettingChange, Source
from slopguard.root import Refused, inside

_HUNK = re.compile(r"^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@")
_MBOX_FROM = re.compile(r"^From [0-9a-f]{7,64} Mon Sep 17 00:00:00 2001$")
_ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\", "a": "\a", "b": "\b", "f": "\f", "r": "\r", "v": "\v"}

PostImage = Callable[[str], "str | None"]
"""Full text of a file after the change, by repo-relative path, or `None` when it is not available."""


@dataclass
class Hunk:
    """One `@@` hunk: its new-file start and its lines as (tag, text) with tag ' ', '+' or '-'."""

    new_start: int
    lines: list[tuple[str, str]] = field(default_factory=list)

    def post_lines(self) -> list[str]:
        """The hunk's lines as they are after the change (context and added)."""
        return [text for tag, text in self.lines if tag != "-"]


@dataclass
class FileDiff:
    """The changes to one file."""

    old_path: str | None = None
    new_path: str | None = None
    deleted: bool = False
    binary: bool = False
    hunks: list[Hunk] = field(default_factory=list)

    def added_numbers(self) -> set[int]:
        """New-file line numbers of added lines."""
        added: set[int] = set()
        for hunk in self.hunks:
            number = hunk.new_start
            for tag, _ in hunk.lines:
                if tag == "+":
                    added.add(number)
                if tag != "-":
                    number += 1
        return added


def unquote_path(raw: str) -> str:
    """A diff header path without C-style quotes, trailing timestamp or `a/`/`b/` prefix kept (see `strip_prefix`)."""
    raw = raw.rstrip("\n")
    if raw.startswith('"'):
        out = bytearray()
        i = 1
        while i < len(raw) and raw[i] != '"':
            ch = raw[i]
            if ch == "\\" and i + 1 < len(raw):
                nxt = raw[i + 1]
                if nxt in "01234567" and i + 3 < len(raw):
                    out.append(int(raw[i + 1 : i + 4], 8) & 0xFF)
                    i += 4
                    continue
                out.extend(_ESCAPES.get(nxt, nxt).encode())
                i += 2
                continue
            out.extend(ch.encode())
            i += 1
        return out.decode("utf-8", errors="replace")
    return raw.split("\t", 1)[0].rstrip()


def _strip_prefix(path: str, prefix: str) -> str:
    return path[len(prefix) :] if path.startswith(prefix) else path


def _git_header_paths(rest: str) -> tuple[str | None, str | None]:
    """Paths from `diff --git a/X b/Y` (best effort; the ---/+++ and rename lines win when present)."""
    if rest.startswith('"'):
        return None, None
    half = (len(rest) - 1) // 2
    if len(rest) % 2 == 1 and rest[half] == " " and rest[:half][2:] == rest[half + 1 :][2:]:
        return _strip_prefix(rest[:half], "a/"), _strip_prefix(rest[half + 1 :], "b/")
    at = rest.find(" b/")
    if at > 0:
        return _strip_prefix(rest[:at], "a/"), rest[at + 3 :]
    return None, None


def parse_diff(lines: Iterable[tuple[int, str] | Problem]) -> Iterator[FileDiff | Problem]:
    """Each changed file of a unified diff, in order; Problems from the line source pass through."""
    current: FileDiff | None = None
    hunk: Hunk | None = None
    old_left = new_left = 0
    pending_old: str | None = None
    for item in lines:
        if isinstance(item, Problem):
            yield item
            continue
        _, line = item
        if hunk is not None and (old_left > 0 or new_left > 0):
            tag = line[:1]
            if tag in (" ", "") or (tag == "+" and new_left > 0) or (tag == "-" and old_left > 0):
                tag = tag or " "
                hunk.lines.append((tag, line[1:]))
                if tag != "+":
                    old_left -= 1
                if tag != "-":
                    new_left -= 1
                continue
            if tag == "\\":
                continue
            hunk = None  # the hunk ended early (counts were wrong): read the line as a header
        elif line.startswith("\\") and hunk is not None:
            continue  # `\ No newline at end of file` after the last line of a hunk
        if line.startswith("@@ ") and current is not None:
            match = _HUNK.match(line)
            if match:
                old_left = int(match.group(2) or "1")
                new_left = int(match.group(4) or "1")
                hunk = Hunk(int(match.group(3)))
                current.hunks.append(hunk)
            continue
        hunk = None
        if line.startswith("diff --git "):
            if current is not None:
                yield current
            old, new = _git_header_paths(line[len("diff --git ") :])
            current = FileDiff(old, new)
        elif _MBOX_FROM.match(line):
            if current is not None:
                yield current
            current = None
        elif line.startswith("--- "):
            pending_old = line[4:]
            continue
        elif line.startswith("+++ ") and pending_old is not None:
            if current is None or current.hunks:
                if current is not None:
                    yield current
                current = FileDiff()
            old_raw = unquote_path(pending_old)
            new_raw = unquote_path(line[4:])
            current.old_path = None if old_raw == "/dev/null" else _strip_prefix(old_raw, "a/")
            if new_raw == "/dev/null":
                current.deleted = True
            else:
                current.new_path = _strip_prefix(new_raw, "b/")
        elif current is not None:
            if line.startswith("deleted file mode"):
                current.deleted = True
            elif line.startswith(("rename to ", "copy to ")):
                current.new_path = unquote_path(line.split(" to ", 1)[1])
            elif line.startswith(("Binary files ", "GIT binary patch")):
                current.binary = True
        pending_old = None
    if current is not None:
        yield current


def read_work_tree(cwd: Path) -> PostImage:
    """A `PostImage` reading files under `cwd`; paths that leave `cwd` (absolute, `..`, symlinks out) are refused."""
    root = str(cwd.resolve())

    def post_image(rel: str) -> str | None:
        if not rel or rel.startswith(("/", "\\")) or ".." in Path(rel).parts or ":" in rel:
            return None
        checked = inside(rel, root, root)
        if isinstance(checked, Refused):
            return None
        try:
            target = Path(checked)
            if not target.is_file() or target.stat().st_size > MAX_FILE:
                return None
            text = decode_file(target.read_bytes(), rel)
        except (OSError, ValueError):
            return None
        return text if isinstance(text, str) else None

    return post_image


def _agrees(file_lines: list[str], hunks: list[Hunk]) -> bool:
    for hunk in hunks:
        post = hunk.post_lines()
        start = hunk.new_start - 1 if post else hunk.new_start
        if start < 0 or file_lines[start : start + len(post)] != post:
            return False
    return True


def _post_lines(change: FileDiff, post_image: PostImage | None) -> list[str] | None:
    """The file's lines after the change, when `post_image` has the file and it agrees with the hunks."""
    if post_image is None or change.deleted or not change.new_path:
        return None
    full = post_image(change.new_path)
    if full is None:
        return None
    file_lines = [line.rstrip("\r") for line in full.split("\n")]
    return file_lines if _agrees(file_lines, change.hunks) else None


def file_sources(change: FileDiff, post_image: PostImage | None = None) -> Iterator[Source | Problem | SettingChange]:
    """Sources for one changed file: its whole post-image when available and consistent, else one per hunk;
    and the `SettingChange`s it makes when it configures slopguard or a package index."""
    from slopguard.inputs.changed_settings import setting_changes, watched  # it imports this module

    if change.binary:
        return
    added = change.added_numbers() if not change.deleted and change.new_path else set()
    settings = watched(change)
    file_lines = _post_lines(change, post_image) if added or settings else None
    if settings:
        yield from setting_changes(change, file_lines)
    if not added or not change.new_path:
        return
    path = change.new_path
    if file_lines is not None:
        yield from written_sources(path, "\n".join(file_lines), path=path, added_lines=frozenset(added))
        return
    for hunk in change.hunks:
        post = [(tag, text) for tag, text in hunk.lines if tag != "-"]
        positions = frozenset(i + 1 for i, (tag, _) in enumerate(post) if tag == "+")
        if positions:
            text = "\n".join(text for _, text in post) + "\n"
            yield from written_sources(path, text, path=path, line_offset=hunk.new_start - 1, added_lines=positions)


def diff_sources(
    lines: Iterable[tuple[int, str] | Problem], post_image: PostImage | None = None
) -> Iterator[Source | Problem | SettingChange]:
    """Sources of every changed file in a diff read as numbered lines, and the setting changes it makes."""
    for item in parse_diff(lines):
        if isinstance(item, Problem):
            yield item
        else:
            yield from file_sources(item, post_image)
