"""An agent does not configure its own guard: hook calls that change slopguard's settings or the project's
registries get `on-setting-change` (ask by default), through the real `slopguard hook` entry point."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from fakeregistry import FakeRegistry

from slopguard.hook.protocols import Call, Edit
from slopguard.hook.selfconfig import settings_change

_SCRIPT = Path(sys.executable).parent / "slopguard"
HOOK = [str(_SCRIPT)] if _SCRIPT.is_file() else [sys.executable, "-m", "slopguard"]


def _hook(body: dict[str, object], registry: FakeRegistry, tmp_path: Path) -> tuple[str, str, str]:
    """(decision, reason, stderr) of one `slopguard hook claude-code --edits` run in the project `tmp_path`."""
    body = {"hook_event_name": "PreToolUse", "cwd": str(tmp_path), **body}
    env = {**os.environ, **registry.env(tmp_path / "cache")}
    done = subprocess.run(
        [*HOOK, "hook", "claude-code", "--edits"],
        input=json.dumps(body).encode(),
        capture_output=True,
        timeout=120,
        cwd=tmp_path,
        env=env,
    )
    assert done.returncode == 0, done.stderr
    if not done.stdout.strip():
        return "allow", "", done.stderr.decode()
    out = json.loads(done.stdout).get("hookSpecificOutput", {})
    return out.get("permissionDecision", "allow"), out.get("permissionDecisionReason", ""), done.stderr.decode()


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / ".git").mkdir()
    return tmp_path


CHANGES = {
    "allow-all config": "printf '[allow]\\npypi = [\"*\"]\\n' > .slopguard.toml",
    "appended config": "echo 'offline = true' >> .slopguard.toml && pip --version",
    "tee": "echo 'on-unknown = \"allow\"' | tee .slopguard.toml",
    "sed -i pyproject": 'sed -i \'s/fail-on = "block"/fail-on = "never"/\' pyproject.toml # tool.slopguard',
    "npmrc scope": "echo '@corp:registry=http://10.0.0.5/' > .npmrc",
    "npm config": "npm config set @corp:registry http://10.0.0.5/",
    "heredoc pyproject": "cat > pyproject.toml <<'EOF'\n[tool.slopguard.allow]\npypi = [\"*\"]\nEOF",
}


@pytest.mark.parametrize("shape", CHANGES)
def test_a_command_that_changes_the_guard_asks(shape: str, project: Path, fake_registry: FakeRegistry) -> None:
    decision, reason, stderr = _hook(
        {"tool_name": "Bash", "tool_input": {"command": CHANGES[shape]}}, fake_registry, project
    )
    assert decision == "ask"
    assert "configures the package guard" in reason
    assert "on-setting-change=warn" in stderr


def test_on_setting_change_block_denies(project: Path, fake_registry: FakeRegistry) -> None:
    (project / ".slopguard.toml").write_text('on-setting-change = "block"\n', encoding="utf-8")
    decision, reason, _ = _hook(
        {"tool_name": "Bash", "tool_input": {"command": "echo 'offline = true' >> .slopguard.toml"}},
        fake_registry,
        project,
    )
    assert decision == "deny" and "blocked" in reason


def test_a_write_tool_on_the_config_asks(project: Path, fake_registry: FakeRegistry) -> None:
    edit = {"file_path": str(project / ".slopguard.toml"), "content": '[allow]\npypi = ["*"]\n'}
    decision, reason, _ = _hook({"tool_name": "Write", "tool_input": edit}, fake_registry, project)
    assert decision == "ask" and ".slopguard.toml" in reason


def test_a_block_still_denies_and_names_the_change(project: Path, fake_registry: FakeRegistry) -> None:
    command = "echo 'offline = true' >> .slopguard.toml && pip install reqeusts"
    decision, reason, _ = _hook({"tool_name": "Bash", "tool_input": {"command": command}}, fake_registry, project)
    assert decision == "deny"
    assert "reqeusts" in reason and "configures the package guard" in reason


@pytest.mark.parametrize(
    "command",
    [
        "cat .slopguard.toml",
        "slopguard scan .",
        "grep registry .npmrc",
        "git diff .slopguard.toml",
        "ls -la",
        "echo hi > notes.txt",
    ],
)
def test_reading_or_unrelated_commands_are_not_changes(command: str) -> None:
    assert settings_change(Call("claude-code", "Bash", command=command)) is None


def test_an_ordinary_pyproject_edit_is_not_a_change() -> None:
    edit = Edit("pyproject.toml", '[project]\nname = "x"\ndependencies = ["requests"]\n')
    assert settings_change(Call("claude-code", "Write", edits=(edit,))) is None
    slop = Edit("pyproject.toml", '[tool.slopguard]\nfail-on = "never"\n')
    assert settings_change(Call("claude-code", "Write", edits=(slop,))) == "`[tool.slopguard]`"
