"""Stage 1: read what agents leave behind (diffs, patches, transcripts, Markdown, files, trees) into `Source`s.

Readers never raise for bad content: they yield a `Problem` and go on. `InputError` means an input could not be
opened at all. Nothing here extracts package names; `slopguard.extract` does that from the Sources.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import BinaryIO, cast

from slopguard.errors import InputError, UsageError
from slopguard.inputs.detect import InputKind, detect_kind
from slopguard.models import Problem, SettingChange, Source, SourceKind
from slopguard.root import NOWHERE, project_root, with_root

__all__ = ["InputKind", "detect_kind", "read_git", "read_inputs", "read_stream", "session_paths"]

_HEAD = 64 * 1024
MAX_TEXT = 64 * 1024 * 1024
"""Largest Markdown / shell input read whole (bytes); diffs, patches and transcripts stream."""


def read_inputs(
    paths: Sequence[str],
    kind: InputKind | None = None,
    *,
    stdin: BinaryIO | None = None,
    cwd: Path | None = None,
    max_file: int | None = None,
) -> Iterator[Source | Problem | SettingChange]:
    """Sources of every input in `paths` (`-` reads `stdin`); `kind` forces a reader, else each is detected.

    Paths are as the user typed them (relative to the process's working directory). `cwd` (default: the process's
    working directory) is where diffs and patches look for the full files after the change. Source files and
    manifests larger than `max_file` bytes (default 2 MiB) are skipped with a Problem.
    Raises `InputError` for a path that cannot be opened.
    """
    from slopguard.inputs.text import MAX_FILE

    limit = MAX_FILE if max_file is None else max_file
    base = cwd or Path.cwd()
    for path in paths:
        if path == "-":
            yield from read_stream(
                stdin if stdin is not None else sys.stdin.buffer, "-", kind, cwd=base, max_file=limit
            )
            continue
        target = Path(path)
        if target.is_dir():
            yield from _read_dir(target, path, kind, limit)
            continue
        try:
            stream = target.open("rb")
        except OSError as exc:
            raise InputError(f"cannot open {path}: {exc.strerror or exc}") from exc
        with stream:
            folder = os.path.dirname(os.path.abspath(path))  # a file the user named: its own project is trusted
            yield from read_stream(stream, path, kind, cwd=base, max_file=limit, root=project_root(folder))


def read_git(rev_range: str, cwd: Path) -> Iterator[Source | Problem | SettingChange]:
    """Sources of the lines added in `git diff BASE..HEAD` (or `BASE...HEAD`) of the repository at `cwd`.

    Paths are relative to the repository's top. Post-images come from the work tree when HEAD is checked out,
    else from `git show HEAD:path`. Raises `InputError` when `cwd` is not a repository or a revision is unknown.
    """
    from slopguard.inputs.gitdiff import read_git as read

    return read(rev_range, cwd)


def _read_dir(
    target: Path, label: str, kind: InputKind | None, max_file: int
) -> Iterator[Source | Problem | SettingChange]:
    from slopguard.inputs.tree import tree_sources

    transcripts = kind in (InputKind.CLAUDE, InputKind.CODEX)
    if kind in (None, InputKind.AUTO) and _only_transcripts(target):
        transcripts, kind = True, None  # a folder of sessions (~/.claude/projects/x): each file detected alone
    if transcripts:
        for file in sorted(target.rglob("*.jsonl")):
            shown = f"{label.rstrip('/')}/{file.relative_to(target).as_posix()}"
            try:
                with file.open("rb") as stream:
                    yield from read_stream(stream, shown, kind)
            except OSError as exc:
                yield Problem(shown, f"cannot open: {exc.strerror or exc}", None, "input-error")
        return
    if kind not in (None, InputKind.AUTO, InputKind.TREE):
        raise InputError(f"{label} is a folder, not a {kind.value} input")
    yield from tree_sources(target, label, max_file)


def _only_transcripts(target: Path, most: int = 500) -> bool:
    """Whether the folder holds `.jsonl` files and nothing else that slopguard reads (a sessions folder).

    Looks at `most` files at the most, so a huge tree is not walked twice."""
    from slopguard.filetypes import source_kind

    seen_jsonl = False
    for count, path in enumerate(target.rglob("*")):
        if count >= most:
            return False
        if not path.is_file() or path.name.startswith("."):
            continue
        if path.suffix == ".jsonl":
            seen_jsonl = True
        elif source_kind(path.name) is not None or path.suffix.lower() in (".md", ".markdown", ".mdx"):
            return False
    return seen_jsonl


class _Prefixed:
    """A stream that first returns `head` (bytes already read from `stream`), then the rest of `stream`."""

    def __init__(self, head: bytes, stream: BinaryIO) -> None:
        self._head = head
        self._stream = stream

    def read(self, size: int = -1) -> bytes:
        if not self._head:
            return self._stream.read(size)
        if size < 0:
            data, self._head = self._head + self._stream.read(), b""
            return data
        data, self._head = self._head[:size], self._head[size:]
        return data if len(data) == size else data + self._stream.read(size - len(data))

    def readline(self, size: int = -1) -> bytes:
        if not self._head:
            return self._stream.readline(size)
        end = self._head.find(b"\n") + 1
        if end == 0:
            end = len(self._head)
        if size >= 0:
            end = min(end, size)
        data, self._head = self._head[:end], self._head[end:]
        if data.endswith(b"\n") or (size >= 0 and len(data) >= size) or self._head:
            return data
        return data + self._stream.readline(-1 if size < 0 else size - len(data))


def _peek(stream: BinaryIO) -> tuple[bytes, BinaryIO]:
    """The first bytes of `stream` without consuming them (wrapping it when it cannot seek; it stays open)."""
    try:
        if stream.seekable():
            pos = stream.tell()
            head = stream.read(_HEAD)
            stream.seek(pos)
            return head, stream
    except (OSError, ValueError):
        pass
    chunks: list[bytes] = []
    size = 0
    while size < _HEAD:
        chunk = stream.read(_HEAD - size)
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    head = b"".join(chunks)
    return head, cast(BinaryIO, _Prefixed(head, stream))


def read_stream(
    stream: BinaryIO,
    label: str,
    kind: InputKind | None = None,
    *,
    cwd: Path | None = None,
    max_file: int | None = None,
    root: str | None = None,
) -> Iterator[Source | Problem | SettingChange]:
    """Sources of one input already opened as a binary stream; `label` is the path used in locations.

    Files the input names are read only inside its root (`slopguard.root`): a transcript's project folder, the
    repository of `cwd` for a diff or patch, else `root` (default: the repository of `cwd`)."""
    if kind is None or kind is InputKind.AUTO:
        head, stream = _peek(stream)
        kind = detect_kind(label, head)
    if kind in (InputKind.DIFF, InputKind.PATCH) or root is None:
        root = project_root(cwd.resolve()) if cwd is not None else NOWHERE
    yield from _rooted(_read_stream(stream, label, kind, cwd, max_file), root)


def _rooted(items: Iterable[Source | Problem | SettingChange], root: str) -> Iterator[Source | Problem | SettingChange]:
    """`items`, each Source whose reader did not set a root given `root`."""
    for item in items:
        yield with_root(item, root)


def _read_stream(
    stream: BinaryIO, label: str, kind: InputKind, cwd: Path | None, max_file: int | None
) -> Iterator[Source | Problem | SettingChange]:
    if kind is InputKind.CLAUDE:
        from slopguard.inputs.claude import claude_sources

        yield from claude_sources(stream, label)
    elif kind is InputKind.CODEX:
        from slopguard.inputs.codex import codex_sources

        yield from codex_sources(stream, label)
    elif kind is InputKind.DIFF:
        from slopguard.inputs.diff import diff_sources, read_work_tree
        from slopguard.inputs.text import decode_lines

        yield from diff_sources(decode_lines(stream, label), read_work_tree(cwd) if cwd else None)
    elif kind is InputKind.PATCH:
        from slopguard.inputs.apply_patch import patch_sources
        from slopguard.inputs.diff import read_work_tree
        from slopguard.inputs.text import decode_lines

        yield from patch_sources(decode_lines(stream, label), label, read_work_tree(cwd) if cwd else None)
    elif kind is InputKind.TREE:
        raise InputError(f"{label} is not a folder")
    else:
        yield from _read_whole(stream, label, kind, max_file)


def _read_whole(stream: BinaryIO, label: str, kind: InputKind, max_file: int | None) -> Iterator[Source | Problem]:
    from slopguard.inputs.markdown import markdown_sources
    from slopguard.inputs.text import MAX_FILE, decoded, written_source

    limit = (MAX_FILE if max_file is None else max_file) if kind is InputKind.FILE else MAX_TEXT
    data = stream.read(limit + 1)
    if len(data) > limit:
        yield Problem(label, f"input larger than {limit:,} bytes skipped (max-file-bytes)", None, "skipped")
        return
    text = yield from decoded(data, label)
    if text is None:
        return
    name = label.replace(os.sep, "/")  # the path as given: the file's own path, for first-party rules
    if kind is InputKind.FILE:
        from slopguard.inputs.written import written_sources

        found = list(written_sources(name, text, path=label))  # a notebook gives its cells
        yield from found or [Problem(label, "not a source file or manifest slopguard reads", None, "skipped")]
    elif kind is InputKind.SHELL:
        source = written_source(name, text, path=label)
        yield (
            source if source is not None and source.kind is SourceKind.SHELL else Source(text, SourceKind.SHELL, label)
        )
    else:
        yield from markdown_sources(text, path=label)


def session_folders(agent: str, home: Path | None = None) -> list[Path]:
    """The folders `session_paths` searches for `agent`'s transcripts (which may not exist)."""
    user_home = home if home is not None else Path.home()
    env = {} if home is not None else os.environ
    if agent == "claude":
        root = Path(env["CLAUDE_CONFIG_DIR"]) if env.get("CLAUDE_CONFIG_DIR") else user_home / ".claude"
        return [root / "projects"]
    if agent == "codex":
        root = Path(env["CODEX_HOME"]) if env.get("CODEX_HOME") else user_home / ".codex"
        return [root / "sessions", root / "archived_sessions"]
    raise UsageError(f"unknown agent {agent!r}: use 'claude' or 'codex'")


def session_paths(agent: str, home: Path | None = None) -> list[Path]:
    """Transcript files of `agent` (`claude` or `codex`) in their default folders, sorted; missing folders give none.

    Claude: `$CLAUDE_CONFIG_DIR` or `~/.claude`, `projects/**/*.jsonl` (subagent files included).
    Codex: `$CODEX_HOME` or `~/.codex`, `sessions/**/*.jsonl` and `archived_sessions/**/*.jsonl`.
    When `home` is given, the environment variables are ignored.
    """
    found: list[Path] = []
    for folder in session_folders(agent, home):
        if folder.is_dir():
            found.extend(p for p in folder.rglob("*.jsonl") if p.is_file())
    return sorted(found)
