"""Codex `apply_patch` envelopes (`*** Begin Patch` ... `*** End Patch`) -> Sources of added lines.

Added files give their whole text (every line counts). Updated files have no line numbers in the patch: when the
file after the change is available (standalone patch, `cwd` given) and every hunk is found in it, the Source is the
whole file; otherwise one Source per hunk whose lines map onto the patch file itself (removed lines are blank), so
locations point at the `+` line in the patch. Inside a transcript every Source is pinned to the JSONL line.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from slopguard.inputs.diff import PostImage
from slopguard.inputs.text import relative_to
from slopguard.inputs.written import written_sources
from slopguard.models import Problem, Source

HunkLine = tuple[str, str, int]
"""(tag ' ' / '+' / '-', text, 1-based line number in the patch text)."""


@dataclass
class PatchOp:
    """One file operation of a patch."""

    action: str  # "add", "update" or "delete"
    path: str
    move_to: str | None = None
    hunks: list[list[HunkLine]] = field(default_factory=list)

    @property
    def target(self) -> str:
        """The path the file has after the patch."""
        return self.move_to or self.path


@dataclass(frozen=True)
class Pin:
    """Where a patch found inside a transcript is reported: the JSONL path and line, the call id, the cwd."""

    path: str
    line: int
    detail: str | None = None
    cwd: str | None = None


def parse_patch(lines: Iterable[tuple[int, str]]) -> Iterator[PatchOp]:
    """The file operations of every `*** Begin Patch` envelope among `lines` (text outside envelopes is ignored)."""
    inside = False
    op: PatchOp | None = None
    for number, raw in lines:
        line = raw.rstrip("\r")
        marker = line.strip()
        if not inside:
            inside = marker == "*** Begin Patch"
            continue
        if marker.startswith("*** "):
            if op is not None and marker != "*** End of File" and not marker.startswith("*** Move to:"):
                yield op
                op = None
            if marker == "*** End Patch":
                inside = False
            elif marker.startswith("*** Add File:"):
                op = PatchOp("add", marker[len("*** Add File:") :].strip(), hunks=[[]])
            elif marker.startswith("*** Update File:"):
                op = PatchOp("update", marker[len("*** Update File:") :].strip())
            elif marker.startswith("*** Delete File:"):
                yield PatchOp("delete", marker[len("*** Delete File:") :].strip())
            elif marker.startswith("*** Move to:") and op is not None:
                op.move_to = marker[len("*** Move to:") :].strip()
            continue
        if op is None:
            continue
        if op.action == "add":
            if line.startswith("+"):
                op.hunks[0].append(("+", line[1:], number))
            continue
        if marker.startswith("@@"):
            op.hunks.append([])
            continue
        tag = line[:1] if line[:1] in ("+", "-", " ") else " "
        if not op.hunks:
            op.hunks.append([])
        op.hunks[-1].append((tag, line[1:] if line[:1] == tag else line, number))
    if op is not None:
        yield op


def _find(file_lines: list[str], post: list[str], start: int) -> int:
    """Index in `file_lines` at or after `start` where `post` occurs (trailing whitespace ignored), or -1."""
    if not post:
        return start
    want = [p.rstrip() for p in post]
    first = want[0]
    for i in range(start, len(file_lines) - len(want) + 1):
        if file_lines[i].rstrip() == first and [x.rstrip() for x in file_lines[i : i + len(want)]] == want:
            return i
    return -1


def _whole_file(op: PatchOp, full: str) -> tuple[str, frozenset[int]] | None:
    """(file text, added line numbers) when every hunk of `op` is found, in order, in the file after the change."""
    file_lines = [line.rstrip("\r") for line in full.split("\n")]
    added: set[int] = set()
    at = 0
    for hunk in op.hunks:
        post = [(tag, text) for tag, text, _ in hunk if tag != "-"]
        found = _find(file_lines, [text for _, text in post], at)
        if found < 0:
            return None
        added.update(found + i + 1 for i, (tag, _) in enumerate(post) if tag == "+")
        at = found + len(post)
    return ("\n".join(file_lines), frozenset(added)) if added else None


def op_sources(
    op: PatchOp, label: str, post_image: PostImage | None = None, pin: Pin | None = None
) -> Iterator[Source | Problem]:
    """Sources for one operation of a patch read from `label` (or found inside a transcript when `pin` is set)."""
    if op.action == "delete":
        return
    filename = relative_to(op.target, pin.cwd) if pin else op.target
    if op.action == "add":
        text = "\n".join(text for _, text, _ in op.hunks[0]) + "\n"
        if pin is None:
            yield from written_sources(filename, text, path=filename)
        else:
            yield from written_sources(filename, text, path=pin.path, pin_line=pin.line, cwd=pin.cwd, detail=pin.detail)
        return
    if pin is None and post_image is not None:
        full = post_image(op.target)
        whole = _whole_file(op, full) if full is not None else None
        if whole is not None:
            yield from written_sources(op.target, whole[0], path=op.target, added_lines=whole[1])
            return
    for hunk in op.hunks:
        if not any(tag == "+" for tag, _, _ in hunk):
            continue
        if pin is not None:
            post = [(tag, text) for tag, text, _ in hunk if tag != "-"]
            text = "\n".join(t for _, t in post) + "\n"
            added = frozenset(i + 1 for i, (tag, _) in enumerate(post) if tag == "+")
            yield from written_sources(
                filename, text, path=pin.path, pin_line=pin.line, added_lines=added, cwd=pin.cwd, detail=pin.detail
            )
            continue
        first = hunk[0][2]
        rows = [""] * (hunk[-1][2] - first + 1)
        added_set: set[int] = set()
        for tag, text, number in hunk:
            if tag != "-":
                rows[number - first] = text
            if tag == "+":
                added_set.add(number - first + 1)
        rows_text = "\n".join(rows) + "\n"
        yield from written_sources(
            filename, rows_text, path=label, line_offset=first - 1, added_lines=frozenset(added_set)
        )


def patch_sources(
    lines: Iterable[tuple[int, str] | Problem],
    label: str,
    post_image: PostImage | None = None,
    pin: Pin | None = None,
) -> Iterator[Source | Problem]:
    """Sources of every file a patch adds or updates; Problems from the line source pass through."""
    problems: list[Problem] = []

    def numbered() -> Iterator[tuple[int, str]]:
        for item in lines:
            if isinstance(item, Problem):
                problems.append(item)
            else:
                yield item

    for op in parse_patch(numbered()):
        yield from problems
        problems.clear()
        yield from op_sources(op, label, post_image, pin)
    yield from problems


def text_lines(text: str) -> list[tuple[int, str]]:
    """Numbered lines of a string (for patches embedded in JSON)."""
    return list(enumerate(text.split("\n"), start=1))
