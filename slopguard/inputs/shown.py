"""Manifests an agent read in a session (`cat packages/ui/package.json`, Claude's `Read`): their text as a `Source`
that adds nothing (no added line), so it is evidence of what the project is, never a dependency the agent added.

Only the output of a command that prints exactly one package.json, go.mod, pyproject.toml or setup.cfg counts;
slopguard opens nothing here, it only reads what the transcript already holds.
"""

from __future__ import annotations

import json
import os
import re
import shlex
from typing import Any

from slopguard.models import Source, SourceKind

SHOWN = frozenset({"package.json", "go.mod", "pyproject.toml", "setup.cfg"})
"""Manifests whose printed text is read as evidence."""
MAX_PENDING = 1_000
"""Reads waiting for their output, per transcript (the oldest are dropped beyond this)."""
MAX_SHOWN = 1_000_000
"""Longest output read as a manifest (characters)."""
_PRINTERS = frozenset({"cat", "head", "tail", "sed", "nl", "bat", "batcat", "less", "more", "jq"})
_NUMBERED = re.compile(r"^ *\d+(?:→|\t)", re.MULTILINE)
_CODEX_HEADER = re.compile(r"^(?:Exit code: -?\d+\n)?(?:Wall time: [^\n]*\n)?(?:Total output lines: \d+\n)?Output:\n")


def printed_manifest(command: Any) -> str | None:
    """The one manifest a shell command (a string, or an argv whose `bash -lc SCRIPT` form gives SCRIPT) prints."""
    if not any(name in str(command) for name in SHOWN):  # most commands: no manifest named, no parsing
        return None
    if isinstance(command, list) and all(isinstance(a, str) for a in command):
        if len(command) >= 3 and command[1] in ("-c", "-lc") and os.path.basename(command[0]) in ("bash", "sh", "zsh"):
            command = command[2]
        else:
            command = shlex.join(command)
    if not isinstance(command, str) or len(command) > 500 or any(c in command for c in "|;&><`$\n"):
        return None
    try:
        words = shlex.split(command)
    except ValueError:
        return None
    if not words or os.path.basename(words[0]) not in _PRINTERS:
        return None
    files = [w for w in words[1:] if not w.startswith("-") and os.path.basename(w) in SHOWN]
    return files[0] if len(files) == 1 else None


def output_text(output: Any) -> str | None:
    """The plain text of a tool output as transcripts store it (a string, Codex's `{"output": ...}` JSON or
    `{"text": ...}` item, or a list of text blocks), without Codex's header or `Read`'s line numbers."""
    if isinstance(output, dict):
        output = output.get("output") if isinstance(output.get("output"), str) else output.get("text")
    if isinstance(output, list):
        parts = [str(b["text"]) for b in output if isinstance(b, dict) and isinstance(b.get("text"), str)]
        output = "\n".join(parts) if parts else None
    if not isinstance(output, str) or len(output) > MAX_SHOWN:
        return None
    text: str = output
    if text.startswith("{") and '"output"' in text[:200]:
        try:
            data = json.loads(text)
        except ValueError:
            data = None
        if isinstance(data, dict) and isinstance(data.get("output"), str):
            text = str(data["output"])
    text = _CODEX_HEADER.sub("", text, count=1)
    lines = text.split("\n")
    if _NUMBERED.match(lines[0]):  # `Read` output: numbered file lines, then maybe a note that is not the file's
        text = "\n".join(_NUMBERED.sub("", line) for line in lines if _NUMBERED.match(line))
    return text


def shown_source(target: str, output: Any, path: str, line: int, cwd: str | None, detail: str | None) -> Source | None:
    """A Source of the manifest `target` as the agent saw it (`output`), with no added line: nothing in it is
    checked, what it declares only tells which names are the project's own."""
    from slopguard.inputs.text import relative_to

    text = output_text(output)
    if text is None or not text.strip():
        return None
    filename = relative_to(target, cwd)
    return Source(
        text, SourceKind.MANIFEST, path, filename=filename, pin_line=line, added_lines=frozenset(), cwd=cwd,
        detail=detail,
    )  # fmt: skip


def remember(pending: dict[str, tuple[str, str | None]], key: str | None, target: str | None, cwd: str | None) -> None:
    """Note that call `key` prints manifest `target` (bounded: the oldest notes go first)."""
    if key and target:
        pending[key] = (target, cwd)
        while len(pending) > MAX_PENDING:
            pending.pop(next(iter(pending)))
