"""Real-shaped hook payloads for each agent, some built from real transcript tool calls (see data/README.md)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

DATA = Path(__file__).parent / "data"


def tool_uses(filename: str) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """(record, tool_use block) pairs of a Claude Code transcript in `data/`."""
    found = []
    for line in (DATA / filename).read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        content = (record.get("message") or {}).get("content")
        if isinstance(content, list):
            found.extend((record, b) for b in content if isinstance(b, dict) and b.get("type") == "tool_use")
    return found


def claude_payload(tool_name: str, tool_input: dict[str, Any], cwd: str = "/home/user/proj") -> bytes:
    """A Claude Code PreToolUse payload, with the fields of the hooks reference example."""
    return json.dumps(
        {
            "session_id": "abc123",
            "transcript_path": "/home/user/.claude/projects/-home-user-proj/abc123.jsonl",
            "cwd": cwd,
            "permission_mode": "default",
            "hook_event_name": "PreToolUse",
            "tool_name": tool_name,
            "tool_input": tool_input,
            "tool_use_id": "toolu_01ABC123",
        }
    ).encode()


def codex_payload(tool_name: str, command: str, cwd: str = "/home/user/proj") -> bytes:
    """A Codex PreToolUse payload (`command_input_json` of codex-rs/hooks pre_tool_use.rs)."""
    return json.dumps(
        {
            "session_id": "019a0c2e-0000-7000-8000-000000000001",
            "turn_id": "turn-1",
            "transcript_path": None,
            "cwd": cwd,
            "hook_event_name": "PreToolUse",
            "model": "gpt-5-codex",
            "permission_mode": "default",
            "tool_name": tool_name,
            "tool_input": {"command": command},
            "tool_use_id": "call-1",
        }
    ).encode()


def gemini_payload(command: str, cwd: str = "/home/user/proj", dir_path: str | None = None) -> bytes:
    """A Gemini CLI BeforeTool payload for `run_shell_command`."""
    tool_input: dict[str, Any] = {"command": command, "description": "run it", "is_background": False}
    if dir_path is not None:
        tool_input["dir_path"] = dir_path
    return json.dumps(
        {
            "session_id": "s1",
            "transcript_path": "/home/user/.gemini/tmp/chats/s1.json",
            "cwd": cwd,
            "hook_event_name": "BeforeTool",
            "timestamp": "2026-11-25T12:00:00Z",
            "tool_name": "run_shell_command",
            "tool_input": tool_input,
        }
    ).encode()


def cursor_payload(command: str, cwd: str = "/home/user/proj") -> bytes:
    """A Cursor beforeShellExecution payload (command and cwd at top level)."""
    return json.dumps(
        {
            "conversation_id": "c1",
            "generation_id": "g1",
            "hook_event_name": "beforeShellExecution",
            "workspace_roots": [cwd],
            "command": command,
            "cwd": cwd,
        }
    ).encode()


def shell_payload(agent: str, command: str, cwd: str = "/home/user/proj") -> bytes:
    """The payload `agent` sends before running shell `command` in `cwd`."""
    if agent == "claude-code":
        return claude_payload("Bash", {"command": command, "description": "run"}, cwd)
    if agent == "codex":
        return codex_payload("Bash", command, cwd)
    if agent == "gemini":
        return gemini_payload(command, cwd)
    return cursor_payload(command, cwd)


AGENTS = ("claude-code", "codex", "gemini", "cursor")
