"""Claude Code transcripts (`~/.claude/projects/<project>/<session>.jsonl`) -> Sources of what the agent did.

Only assistant records are read: `tool_use` blocks of Bash (and PowerShell), Write, Edit, MultiEdit and NotebookEdit,
and the assistant's text (as Markdown). Sidechain (subagent) records count like any other. User records, tool
results and `toolUseResult` objects are output, not intent, and are never mined; other record types are skipped.
Every Source is pinned to its JSONL line and carries the tool-use id as `detail`.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any, BinaryIO

from slopguard.inputs.jsonl import Record, json_records, record_time, stamped
from slopguard.inputs.markdown import markdown_sources
from slopguard.inputs.notebook import cell_sources
from slopguard.inputs.shown import SHOWN, printed_manifest, remember, shown_source
from slopguard.inputs.text import MAX_LINE, relative_to
from slopguard.inputs.written import written_sources
from slopguard.models import Problem, Source, SourceKind
from slopguard.root import NOWHERE, project_root, with_root

_SHELL_TOOLS = frozenset({"bash", "powershell"})


def _wanted(raw: bytes) -> bool:
    return b'"assistant"' in raw


def claude_sources(stream: BinaryIO, path: str, max_line: int = MAX_LINE) -> Iterator[Source | Problem]:
    """Sources of every command, file write and answer in a Claude Code transcript.

    Files they name are read only inside the project the session began in: the repository of the first
    record's `cwd` (a later `cd` of the agent moves its commands, not that root; see `slopguard.root`)."""
    root: str | None = None
    reads: dict[str, tuple[str, str | None]] = {}  # tool_use id -> the manifest it shows (`slopguard.inputs.shown`)

    def wanted(raw: bytes) -> bool:
        return _wanted(raw) or bool(reads) and b'"tool_result"' in raw and any(k.encode() in raw for k in reads)

    for item in json_records(stream, path, wanted, max_line):
        if isinstance(item, Problem):
            yield item
            continue
        number, record = item
        if root is None and isinstance(record.get("cwd"), str):
            root = project_root(record["cwd"])
        if record.get("type") == "user" and reads:
            for shown in _shown_results(record, reads, path, number):
                yield stamped(with_root(shown, root or NOWHERE), "claude", record_time(record))
        if record.get("type") != "assistant":
            continue
        _note_reads(record, reads)
        when = record_time(record)
        for found in _assistant(record, path, number):
            yield stamped(with_root(found, root or NOWHERE), "claude", when)


def _note_reads(record: Record, reads: dict[str, tuple[str, str | None]]) -> None:
    """Remember the `Read` calls and shell commands of `record` that show one manifest."""

    message = record.get("message")
    content = message.get("content") if isinstance(message, dict) else None
    cwd = record.get("cwd") if isinstance(record.get("cwd"), str) else None
    for block in content if isinstance(content, list) else ():
        data = block.get("input") if isinstance(block, dict) and block.get("type") == "tool_use" else None
        if not isinstance(data, dict) or not isinstance(block.get("id"), str):
            continue
        tool = str(block.get("name") or "").lower()
        target = data.get("file_path") if tool == "read" else None
        if isinstance(target, str) and os.path.basename(target) in SHOWN:
            remember(reads, block["id"], target, cwd)
        elif tool in _SHELL_TOOLS:
            remember(reads, block["id"], printed_manifest(data.get("command")), cwd)


def _shown_results(record: Record, reads: dict[str, tuple[str, str | None]], path: str, number: int) -> list[Source]:
    """The manifests the `tool_result` blocks of a user record show, for the reads noted before (evidence only)."""

    message = record.get("message")
    content = message.get("content") if isinstance(message, dict) else None
    found: list[Source] = []
    for block in content if isinstance(content, list) else ():
        if isinstance(block, dict) and block.get("type") == "tool_result" and block.get("tool_use_id") in reads:
            target, cwd = reads.pop(block["tool_use_id"])
            full = target if os.path.isabs(target) else os.path.join(cwd or "", target)
            source = shown_source(full, block.get("content"), path, number, cwd, block["tool_use_id"])
            if source is not None:
                found.append(source)
    return found


def _assistant(record: Record, path: str, number: int) -> Iterator[Source | Problem]:
    message = record.get("message")
    content = message.get("content") if isinstance(message, dict) else None
    cwd = record.get("cwd") if isinstance(record.get("cwd"), str) else None
    if isinstance(content, str):
        yield from markdown_sources(content, path=path, pin_line=number, cwd=cwd)
        return
    if not isinstance(content, list):
        yield Problem(path, "assistant record without message content; skipped", number, "unexpected-record")
        return
    for block in content:
        if not isinstance(block, dict):
            continue
        btype = block.get("type")
        if btype == "text" and isinstance(block.get("text"), str):
            yield from markdown_sources(block["text"], path=path, pin_line=number, cwd=cwd)
        elif btype == "tool_use":
            yield from _tool_use(block, path, number, cwd)


def _tool_use(block: Record, path: str, number: int, cwd: str | None) -> Iterator[Source | Problem]:
    name = block.get("name")
    tool = name.lower() if isinstance(name, str) else ""
    if tool not in _SHELL_TOOLS and tool not in ("write", "edit", "multiedit", "notebookedit"):
        return
    data = block.get("input")
    tool_id = block.get("id") if isinstance(block.get("id"), str) else None
    if not isinstance(data, dict):
        yield Problem(path, f"{name} tool_use without an input object; skipped", number, "unexpected-record")
        return
    if tool in _SHELL_TOOLS:
        command = data.get("command")
        if isinstance(command, str):
            yield Source(command, SourceKind.SHELL, path, pin_line=number, cwd=cwd, detail=tool_id)
        else:
            yield Problem(path, f"{name} tool_use without a command string; skipped", number, "unexpected-record")
        return
    file_path = data.get("notebook_path") if tool == "notebookedit" else data.get("file_path")
    if not isinstance(file_path, str):
        yield Problem(path, f"{name} tool_use without a file path; skipped", number, "unexpected-record")
        return
    filename = relative_to(file_path, cwd)
    texts: list[Any]
    if tool == "write":
        texts = [data.get("content")]
    elif tool == "edit":
        texts = [data.get("new_string")]
    elif tool == "multiedit":
        edits = data.get("edits")
        texts = [e.get("new_string") for e in edits if isinstance(e, dict)] if isinstance(edits, list) else [None]
    else:
        yield from _notebook_edit(data, filename, path, number, cwd, tool_id)
        return
    for text in texts:
        if not isinstance(text, str):
            yield Problem(path, f"{name} tool_use without text; skipped", number, "unexpected-record")
            continue
        yield from written_sources(filename, text, path=path, pin_line=number, cwd=cwd, detail=tool_id)


def _notebook_edit(
    data: Record, filename: str, path: str, number: int, cwd: str | None, tool_id: str | None
) -> Iterator[Source | Problem]:
    text = data.get("new_source")
    if data.get("edit_mode") == "delete":
        return
    if not isinstance(text, str):
        yield Problem(path, "NotebookEdit tool_use without new_source; skipped", number, "unexpected-record")
        return
    if data.get("cell_type") == "markdown":
        yield from markdown_sources(text, path=path, pin_line=number, cwd=cwd, detail=tool_id)
        return
    yield from cell_sources(text, filename, path=path, pin_line=number, cwd=cwd, detail=tool_id)
