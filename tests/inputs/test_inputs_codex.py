"""Codex rollouts: real and schema-coverage samples, every call layout, apply_patch inside, and the traps."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

from slopguard.inputs import InputKind, detect_kind, read_inputs
from slopguard.inputs.codex import codex_sources
from slopguard.models import Problem, Source, SourceKind


def _item(payload: dict[str, Any]) -> dict[str, Any]:
    return {"timestamp": "2026-01-01T00:00:00Z", "type": "response_item", "payload": payload}


def _call(name: str, call_id: str, **args: Any) -> dict[str, Any]:
    return _item({"type": "function_call", "name": name, "arguments": json.dumps(args), "call_id": call_id})


def _lines(*records: dict[str, Any] | str) -> bytes:
    return "".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in records).encode()


def test_real_samples(data_dir: Path) -> None:
    synthetic = str(data_dir / "claude-code-log-codex-rollout-2026-01-02-synthetic.jsonl")
    items = list(read_inputs([synthetic]))
    # exec_command; the apply_patch adds gamma.txt (not a file slopguard reads); the MCP call and the
    # unknown `future_synthetic_record` are skipped without problems
    assert [(i.kind, i.text, i.pin_line, i.detail, i.cwd) for i in items if isinstance(i, Source)] == [
        (SourceKind.SHELL, "find . -maxdepth 1 -type f", 6, "call-structured-001", "/workspace/synthetic-project")
    ]
    assert len(items) == 1
    coverage = str(data_dir / "agent-sessions-codex-small-schema-coverage.jsonl")
    items = list(read_inputs([coverage]))
    assert [(i.text, i.pin_line, i.detail, i.cwd) for i in items] == [
        ("ls", 9, "call-1", "/tmp/repo"),  # custom_tool_call `shell` with a JSON input
        ("ls", 10, "call-2", "/tmp/repo"),  # function_call `shell` argv
    ]
    real = str(data_dir / "agent-history-real-codex-0.135-session-01.jsonl")
    assert list(read_inputs([real])) == []  # redacted answer, no tool calls


def test_every_call_layout() -> None:
    patch = "*** Begin Patch\n*** Add File: src/util.py\n+import weirdpkg\n*** End Patch\n"
    data = _lines(
        {"type": "session_meta", "payload": {"id": "x", "cwd": "/work/repo"}},
        _call(
            "shell", "c1", command=["bash", "-lc", "pip install shellpkg && npm i -D jspkg"], workdir="/work/repo/sub"
        ),
        _call("shell", "c2", command=["pip", "install", "two words"]),
        _call("shell_command", "c3", command="uv add cmdpkg"),
        _call("exec_command", "c4", cmd="go get example.com/gopkg"),
        _item(
            {"type": "local_shell_call", "call_id": "c5", "action": {"type": "exec", "command": ["npx", "localpkg"]}}
        ),
        _item({"type": "custom_tool_call", "name": "apply_patch", "call_id": "c6", "input": patch}),
        _call("apply_patch", "c7", input=patch.replace("src/util.py", "/work/repo/lib/b.py")),
        _call("shell", "c8", command=["apply_patch", patch]),
        _item(
            {
                "type": "message",
                "role": "assistant",
                "content": [{"type": "output_text", "text": "Run `pnpm add mdpkg`."}],
            }
        ),
        _item({"type": "message", "role": "user", "content": [{"type": "input_text", "text": "pip install userpkg"}]}),
        _item({"type": "function_call_output", "call_id": "c1", "output": "pip install outputpkg"}),
        _call("mcp__server__lookup", "c9", query="pip install mcppkg"),
        {
            "type": "event_msg",
            "payload": {"type": "exec_command_end", "call_id": "c1", "command": ["pip", "install", "x"]},
        },
        {"type": "event_msg", "payload": {"type": "agent_message", "message": "Run `pnpm add mdpkg`."}},
        {"type": "brand_new_type", "payload": {"type": "function_call", "name": "shell"}},
    )
    items = list(codex_sources(io.BytesIO(data), "r.jsonl"))
    assert all(isinstance(i, Source) for i in items), items
    got = [(i.kind, i.text, i.filename, i.pin_line, i.detail, i.cwd) for i in items if isinstance(i, Source)]
    assert got == [
        (SourceKind.SHELL, "pip install shellpkg && npm i -D jspkg", None, 2, "c1", "/work/repo/sub"),
        (SourceKind.SHELL, "pip install 'two words'", None, 3, "c2", "/work/repo"),
        (SourceKind.SHELL, "uv add cmdpkg", None, 4, "c3", "/work/repo"),
        (SourceKind.SHELL, "go get example.com/gopkg", None, 5, "c4", "/work/repo"),
        (SourceKind.SHELL, "npx localpkg", None, 6, "c5", "/work/repo"),
        (SourceKind.PYTHON, "import weirdpkg\n", "src/util.py", 7, "c6", "/work/repo"),
        (SourceKind.PYTHON, "import weirdpkg\n", "lib/b.py", 8, "c7", "/work/repo"),
        (SourceKind.PYTHON, "import weirdpkg\n", "src/util.py", 9, "c8", "/work/repo"),
        (SourceKind.SHELL, "pnpm add mdpkg", None, 10, None, "/work/repo"),
    ]
    mined = "".join(i.text for i in items if isinstance(i, Source))
    for never in ("userpkg", "outputpkg", "mcppkg"):
        assert never not in mined


def test_update_patch_in_a_transcript_is_pinned_with_post_image_hunks() -> None:
    patch = "*** Begin Patch\n*** Update File: app.py\n@@\n import os\n-import old\n+import newpkg\n*** End Patch"
    items = list(
        codex_sources(
            io.BytesIO(
                _lines(_item({"type": "custom_tool_call", "name": "apply_patch", "call_id": "p", "input": patch}))
            ),
            "r.jsonl",
        )
    )
    assert [(i.text, i.added_lines, i.pin_line, i.filename) for i in items if isinstance(i, Source)] == [
        ("import os\nimport newpkg\n", frozenset({2}), 1, "app.py")
    ]


def test_bad_records() -> None:
    data = _lines(
        '{"type":"response_item","payload":{"type":"function_call"',
        {"type": "response_item", "payload": "function_call"},
        _item({"type": "function_call", "name": "shell", "arguments": "{not json", "call_id": "b"}),
        _item({"type": "function_call", "name": "shell", "arguments": json.dumps({"command": 5}), "call_id": "b"}),
        _call("exec_command", "ok", cmd="npm install fine"),
    )
    items = list(codex_sources(io.BytesIO(data), "r.jsonl"))
    assert [(i.line, i.code) for i in items if isinstance(i, Problem)] == [
        (1, "invalid-json"),
        (2, "unexpected-record"),
        (3, "invalid-json"),
        (4, "unexpected-record"),
    ]
    assert [i.text for i in items if isinstance(i, Source)] == ["npm install fine"]


def test_detection(data_dir: Path, tmp_path: Path) -> None:
    for name in (
        "claude-code-log-codex-rollout-2026-01-02-synthetic.jsonl",
        "agent-sessions-codex-small-schema-coverage.jsonl",
        "agent-history-real-codex-0.135-session-01.jsonl",
    ):
        head = (data_dir / name).read_bytes()[:65536]
        assert detect_kind(str(data_dir / name), head) is InputKind.CODEX
        assert detect_kind("-", head) is InputKind.CODEX
    # a first line longer than the peeked head still tells
    head = b'{"timestamp":"2026","type":"session_meta","payload":{"base_instructions":"' + b"x" * 70000
    assert detect_kind(str(tmp_path / "rollout.jsonl"), head[:65536]) is InputKind.CODEX


def test_apply_patch_heredoc_inside_a_shell_call() -> None:
    script = "apply_patch <<'EOF'\n*** Begin Patch\n*** Add File: x.py\n+import heredocpkg\n*** End Patch\nEOF\n"
    mixed = "cd sub && pip install realpkg\n" + script.replace("apply_patch", "cat >/dev/null", 1)
    data = _lines(
        _call("shell", "h1", command=["bash", "-lc", script]), _call("shell", "h2", command=["bash", "-lc", mixed])
    )
    items = list(codex_sources(io.BytesIO(data), "r.jsonl"))
    assert [(i.kind, i.text, i.filename, i.pin_line) for i in items if isinstance(i, Source)] == [
        (SourceKind.PYTHON, "import heredocpkg\n", "x.py", 1),
        (SourceKind.PYTHON, "import heredocpkg\n", "x.py", 2),
        (SourceKind.SHELL, "cd sub && pip install realpkg\ncat >/dev/null <<'EOF'\n", None, 2),
    ]
