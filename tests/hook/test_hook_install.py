"""install-hook merges into existing settings files: nothing lost, idempotent, backed up, dry-run safe."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from slopguard.errors import UsageError
from slopguard.hook.install import install_hook, settings_path
from slopguard.hook.probe import own_command

SG = own_command()
"""The absolute command of the slopguard running the tests, which `install_hook` writes by default."""

# A real-shaped Claude Code settings file: permissions, env, a status line and another team's hooks.
CLAUDE_EXISTING: dict[str, Any] = {
    "permissions": {"allow": ["Bash(npm test)"], "deny": ["Read(./.env)"]},
    "env": {"FOO": "bar"},
    "statusLine": {"type": "command", "command": "~/.claude/statusline.sh"},
    "hooks": {
        "PreToolUse": [
            {"matcher": "Write|Edit", "hooks": [{"type": "command", "command": "prettier-check", "timeout": 10}]}
        ],
        "PostToolUse": [{"matcher": "Bash", "hooks": [{"type": "command", "command": "audit-log"}]}],
    },
}


def _write(path: Path, data: Any) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(data, indent=4) + "\n"
    path.write_text(text, encoding="utf-8")
    return text


def test_claude_project_install_keeps_everything_else(tmp_path: Path) -> None:
    path = tmp_path / ".claude" / "settings.json"
    original = _write(path, CLAUDE_EXISTING)
    result = install_hook("claude-code", "project", cwd=tmp_path)
    assert result.path == path and result.changed == (path,)
    data = json.loads(path.read_text())
    for key in ("permissions", "env", "statusLine"):
        assert data[key] == CLAUDE_EXISTING[key]
    assert data["hooks"]["PostToolUse"] == CLAUDE_EXISTING["hooks"]["PostToolUse"]
    pre = data["hooks"]["PreToolUse"]
    assert pre[0] == CLAUDE_EXISTING["hooks"]["PreToolUse"][0]
    assert pre[1]["matcher"] == "Bash"
    assert pre[1]["hooks"] == [{"type": "command", "command": f"{SG} hook claude-code", "timeout": 30}]
    assert result.backup == path.with_name("settings.json.slopguard.bak")
    assert result.backup.read_text() == original
    assert f"added '{SG} hook claude-code'" in result.summary and str(path) in result.summary


def test_second_install_changes_nothing(tmp_path: Path) -> None:
    path = tmp_path / ".claude" / "settings.json"
    _write(path, CLAUDE_EXISTING)
    install_hook("claude-code", "project", cwd=tmp_path)
    after_first = path.read_text()
    backup_first = (tmp_path / ".claude" / "settings.json.slopguard.bak").read_text()
    again = install_hook("claude-code", "project", cwd=tmp_path)
    assert again.changed == () and again.backup is None
    assert "already installed" in again.summary
    assert path.read_text() == after_first
    assert (tmp_path / ".claude" / "settings.json.slopguard.bak").read_text() == backup_first


def test_dry_run_writes_nothing(tmp_path: Path) -> None:
    path = tmp_path / ".claude" / "settings.json"
    original = _write(path, CLAUDE_EXISTING)
    result = install_hook("claude-code", "project", cwd=tmp_path, dry_run=True)
    assert result.changed == () and result.backup is None
    assert "would added" not in result.summary and "would add" in result.summary
    assert path.read_text() == original
    assert sorted(p.name for p in path.parent.iterdir()) == ["settings.json"]
    fresh = install_hook("codex", "project", cwd=tmp_path, dry_run=True)
    assert not (tmp_path / ".codex").exists() and "dry run" in fresh.summary


def test_invalid_json_is_a_clear_error_and_nothing_is_written(tmp_path: Path) -> None:
    path = tmp_path / ".claude" / "settings.json"
    path.parent.mkdir()
    path.write_text('{"permissions": {,}\n')
    with pytest.raises(UsageError, match="not valid JSON"):
        install_hook("claude-code", "project", cwd=tmp_path)
    assert path.read_text() == '{"permissions": {,}\n'
    assert sorted(p.name for p in path.parent.iterdir()) == ["settings.json"]


@pytest.mark.parametrize("content", [[1, 2], {"hooks": []}, {"hooks": {"PreToolUse": {"matcher": "Bash"}}}], ids=str)
def test_unexpected_shapes_are_refused(tmp_path: Path, content: Any) -> None:
    path = tmp_path / ".claude" / "settings.json"
    original = _write(path, content)
    with pytest.raises(UsageError):
        install_hook("claude-code", "project", cwd=tmp_path)
    assert path.read_text() == original


def test_user_scope_uses_home(tmp_path: Path) -> None:
    home = tmp_path / "home"
    result = install_hook("claude-code", "user", home=home, cwd=tmp_path / "elsewhere")
    assert result.path == home / ".claude" / "settings.json"
    assert result.backup is None and result.changed == (result.path,)
    assert json.loads(result.path.read_text())["hooks"]["PreToolUse"][0]["matcher"] == "Bash"


def test_codex_hooks_json(tmp_path: Path) -> None:
    path = tmp_path / ".codex" / "hooks.json"
    _write(path, {"hooks": {"SessionStart": [{"hooks": [{"type": "command", "command": "echo hi"}]}]}})
    install_hook("codex", "project", cwd=tmp_path)
    data = json.loads(path.read_text())
    assert data["hooks"]["SessionStart"] == [{"hooks": [{"type": "command", "command": "echo hi"}]}]
    (group,) = data["hooks"]["PreToolUse"]
    assert group["matcher"] == "Bash|apply_patch"
    assert group["hooks"][0]["command"] == f"{SG} hook codex"
    assert group["hooks"][0]["type"] == "command" and group["hooks"][0]["timeout"] == 30


def test_gemini_settings_timeout_in_ms_and_other_settings_kept(tmp_path: Path) -> None:
    path = tmp_path / ".gemini" / "settings.json"
    _write(path, {"theme": "GitHub", "mcpServers": {"x": {"command": "x"}}})
    install_hook("gemini", "project", cwd=tmp_path)
    data = json.loads(path.read_text())
    assert data["theme"] == "GitHub" and data["mcpServers"] == {"x": {"command": "x"}}
    (group,) = data["hooks"]["BeforeTool"]
    assert group["matcher"] == "run_shell_command"
    assert group["hooks"][0]["command"] == f"{SG} hook gemini"
    assert group["hooks"][0]["timeout"] == 30000


def test_cursor_hooks_json(tmp_path: Path) -> None:
    path = tmp_path / ".cursor" / "hooks.json"
    _write(path, {"version": 1, "hooks": {"afterFileEdit": [{"command": "./fmt.sh"}]}})
    install_hook("cursor", "project", cwd=tmp_path)
    install_hook("cursor", "project", cwd=tmp_path)
    data = json.loads(path.read_text())
    assert data == {
        "version": 1,
        "hooks": {
            "afterFileEdit": [{"command": "./fmt.sh"}],
            "beforeShellExecution": [{"command": f"{SG} hook cursor"}],
        },
    }
    fresh = install_hook("cursor", "user", home=tmp_path / "h")
    assert json.loads(fresh.path.read_text()) == {
        "version": 1,
        "hooks": {"beforeShellExecution": [{"command": f"{SG} hook cursor"}]},
    }


def test_a_different_slopguard_command_is_updated_in_place(tmp_path: Path) -> None:
    path = tmp_path / ".claude" / "settings.json"
    _write(
        path,
        {
            "hooks": {
                "PreToolUse": [
                    {"matcher": "Bash", "hooks": [{"type": "command", "command": "slopguard hook claude-code"}]}
                ]
            }
        },
    )
    result = install_hook(
        "claude-code", "project", cwd=tmp_path, command="/opt/venv/bin/slopguard hook claude-code --edits"
    )
    assert "updated" in result.summary
    (group,) = json.loads(path.read_text())["hooks"]["PreToolUse"]
    assert group["hooks"] == [{"type": "command", "command": "/opt/venv/bin/slopguard hook claude-code --edits"}]


def test_unknown_agent_and_scope(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="unknown agent"):
        install_hook("aider", "project", cwd=tmp_path)
    with pytest.raises(UsageError, match="scope"):
        settings_path("codex", "global", cwd=tmp_path)


def test_edits_widens_the_matcher_and_back(tmp_path: Path) -> None:
    path = tmp_path / ".claude" / "settings.json"
    install_hook("claude-code", "project", cwd=tmp_path, edits=True)
    (group,) = json.loads(path.read_text())["hooks"]["PreToolUse"]
    assert group["matcher"] == "Bash|Write|Edit|MultiEdit"
    assert group["hooks"][0]["command"] == f"{SG} hook claude-code --edits"
    assert install_hook("claude-code", "project", cwd=tmp_path, edits=True).changed == ()
    back = install_hook("claude-code", "project", cwd=tmp_path)
    assert "updated" in back.summary
    (group,) = json.loads(path.read_text())["hooks"]["PreToolUse"]
    assert group["matcher"] == "Bash" and group["hooks"][0]["command"] == f"{SG} hook claude-code"
    gemini = install_hook("gemini", "project", cwd=tmp_path, edits=True)
    (group,) = json.loads(gemini.path.read_text())["hooks"]["BeforeTool"]
    assert group["matcher"] == "run_shell_command|write_file|replace"
