"""Which reader an input needs, from its name and its first bytes."""

from __future__ import annotations

import enum
import re
from pathlib import Path

from slopguard import filetypes
from slopguard.inputs.jsonl import peek_kind
from slopguard.models import SourceKind


class InputKind(str, enum.Enum):
    """What an input is; `AUTO` asks `detect_kind`."""

    AUTO = "auto"
    DIFF = "diff"
    PATCH = "patch"
    CLAUDE = "claude"
    CODEX = "codex"
    MARKDOWN = "markdown"
    SHELL = "shell"
    FILE = "file"
    TREE = "tree"


_MBOX = re.compile(rb"^From [0-9a-f]{7,64} Mon Sep 17 00:00:00 2001\r?$", re.M)
_UNIFIED = re.compile(rb"^--- \S.*\r?\n\+\+\+ \S.*\r?\n@@ -\d", re.M)


def detect_kind(path: str, head: bytes) -> InputKind:
    """The kind of input at `path` (`-` for stdin) whose first bytes are `head`."""
    if path != "-" and Path(path).is_dir():
        return InputKind.TREE
    name = "" if path == "-" else Path(path).name
    lower = name.lower()
    body = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if lower.endswith(".jsonl") or body.startswith(b"{"):
        agent = peek_kind(body)
        if agent == "codex":
            return InputKind.CODEX
        if agent == "claude":
            return InputKind.CLAUDE
        if lower.endswith(".jsonl"):
            return InputKind.CODEX if lower.startswith("rollout-") or "/.codex/" in path else InputKind.CLAUDE
    if body.startswith(b"*** Begin Patch"):
        return InputKind.PATCH
    if body.startswith(b"diff --git ") or _MBOX.match(body) or b"\ndiff --git " in body or _UNIFIED.search(body):
        return InputKind.DIFF
    if lower.endswith((".diff", ".patch")):
        return InputKind.PATCH if b"*** Begin Patch" in body else InputKind.DIFF
    if lower.endswith(".ipynb"):
        return InputKind.FILE  # read as its cells (`slopguard.inputs.written.written_sources`)
    kind = filetypes.source_kind(path.replace("\\", "/")) if name else None  # the path: `.github/workflows/x.yml`
    if kind is SourceKind.SHELL and not (filetypes.is_dockerfile(name) or filetypes.is_makefile(name)):
        return InputKind.SHELL
    if kind is not None:
        return InputKind.FILE
    if body.startswith(b"#!") and re.match(rb"#!\S*(?:/|env\s+)(?:ba|z|da|k)?sh\b", body):
        return InputKind.SHELL
    return InputKind.MARKDOWN
