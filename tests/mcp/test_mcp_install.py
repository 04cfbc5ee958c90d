"""`install-hook AGENT --mcp`: the server registered in each agent's MCP settings, everything else kept."""

from __future__ import annotations

import io
import json
import shlex
import sys
from pathlib import Path
from typing import Any

import pytest

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

from slopguard.cli import main
from slopguard.errors import UsageError
from slopguard.hook.probe import own_command
from slopguard.mcp.install import install_mcp, mcp_settings_path

AGENTS = ("claude-code", "codex", "gemini", "cursor")
WORDS = [*shlex.split(own_command()), "mcp"]
"""What the server command is by default: this slopguard by its absolute path, then `mcp`."""

CODEX_CONFIG = """\
# my Codex settings
model = "gpt-5-codex"  # the default model
approval_policy = "on-request"

[mcp_servers.docs]
command = "npx"
args = ["-y", "docs-mcp"]

[mcp_servers.slopguard]
command = "/old/venv/bin/slopguard"
args = ["mcp"]
startup_timeout_sec = 20

[mcp_servers.slopguard.env]
SLOPGUARD_CACHE_DIR = "/var/cache/sg"

[profiles.fast]
model = "o4-mini"
"""


def _servers(path: Path) -> dict[str, Any]:
    """The agent's MCP servers, parsed back from the file as the agent would read it."""
    if path.suffix == ".toml":
        servers: dict[str, Any] = tomllib.loads(path.read_text(encoding="utf-8"))["mcp_servers"]
        return servers
    servers = json.loads(path.read_text(encoding="utf-8"))["mcpServers"]
    return servers


def _existing(agent: str, path: Path) -> str:
    """A settings file of `agent` with other settings and another MCP server in it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if agent == "codex":
        text = '# mine\n[mcp_servers.docs]\ncommand = "npx"\nargs = ["-y", "docs-mcp"]\n'
    else:
        other = {"mcpServers": {"docs": {"command": "npx", "args": ["-y", "docs-mcp"]}}, "theme": "dark"}
        text = json.dumps(other, indent=4) + "\n"
    path.write_text(text, encoding="utf-8")
    return text


@pytest.mark.parametrize("agent", AGENTS)
def test_cli_registers_the_server_for_every_agent(agent: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    path = mcp_settings_path(agent, "project", cwd=tmp_path)
    original = _existing(agent, path)
    out, err = io.StringIO(), io.StringIO()
    assert main(["install-hook", agent, "--mcp"], out, err) == 0, err.getvalue()
    servers = _servers(path)
    assert servers["docs"] == {"command": "npx", "args": ["-y", "docs-mcp"]}
    mine = servers["slopguard"]
    assert (mine["command"], mine["args"]) == (WORDS[0], WORDS[1:])
    assert Path(mine["command"]).is_absolute()
    assert mine.get("type", "stdio") == "stdio"
    assert path.with_name(path.name + ".slopguard.bak").read_text(encoding="utf-8") == original
    assert "answers an MCP initialize request" in out.getvalue()
    if agent == "codex":
        assert path.read_text(encoding="utf-8").startswith("# mine\n")
    else:
        assert json.loads(path.read_text(encoding="utf-8"))["theme"] == "dark"
    again = io.StringIO()
    assert main(["install-hook", agent, "--mcp"], again, err) == 0
    assert "no change" in again.getvalue()


@pytest.mark.parametrize("agent", AGENTS)
def test_files_for_project_and_user(agent: str, tmp_path: Path) -> None:
    expected = {
        "claude-code": (".mcp.json", ".claude.json"),
        "codex": (".codex/config.toml", ".codex/config.toml"),
        "gemini": (".gemini/settings.json", ".gemini/settings.json"),
        "cursor": (".cursor/mcp.json", ".cursor/mcp.json"),
    }[agent]
    project = install_mcp(agent, "project", cwd=tmp_path / "p", command="/opt/sg/bin/slopguard mcp")
    user = install_mcp(agent, "user", home=tmp_path / "home", command="/opt/sg/bin/slopguard mcp")
    assert project.path == tmp_path / "p" / expected[0] and user.path == tmp_path / "home" / expected[1]
    for result in (project, user):
        assert result.backup is None and result.changed == (result.path,)
        assert _servers(result.path)["slopguard"]["args"] == ["mcp"]


@pytest.mark.parametrize("agent", AGENTS)
def test_dry_run_shows_the_change_and_writes_nothing(agent: str, tmp_path: Path) -> None:
    path = mcp_settings_path(agent, "project", cwd=tmp_path)
    original = _existing(agent, path)
    result = install_mcp(agent, "project", cwd=tmp_path, dry_run=True, command="/opt/sg/bin/slopguard mcp")
    assert path.read_text(encoding="utf-8") == original and result.changed == ()
    assert not path.with_name(path.name + ".slopguard.bak").exists()
    assert "would register" in result.summary and "/opt/sg/bin/slopguard" in result.summary
    assert "+" in result.summary and "(dry run: nothing written)" in result.summary


def test_codex_update_keeps_comments_other_tables_and_our_own_extras(tmp_path: Path) -> None:
    path = tmp_path / ".codex" / "config.toml"
    path.parent.mkdir()
    path.write_text(CODEX_CONFIG, encoding="utf-8")
    result = install_mcp("codex", "project", cwd=tmp_path, command="/new/bin/slopguard mcp")
    assert "updated" in result.summary
    text = path.read_text(encoding="utf-8")
    data = tomllib.loads(text)
    before = tomllib.loads(CODEX_CONFIG)
    assert data["model"] == before["model"] and data["profiles"] == before["profiles"]
    assert data["mcp_servers"]["docs"] == before["mcp_servers"]["docs"]
    assert data["mcp_servers"]["slopguard"] == {
        "command": "/new/bin/slopguard",
        "args": ["mcp"],
        "startup_timeout_sec": 20,
        "env": {"SLOPGUARD_CACHE_DIR": "/var/cache/sg"},
    }
    assert "# my Codex settings" in text and "# the default model" in text
    assert text.count("[mcp_servers.slopguard]") == 1


@pytest.mark.parametrize(
    ("agent", "content", "message"),
    [
        ("claude-code", "{not json", "not valid JSON"),
        ("cursor", "[1, 2]", "not a JSON object"),
        ("gemini", '{"mcpServers": []}', "'mcpServers' is not an object"),
        ("codex", "model = \n", "not valid TOML"),
        ("codex", 'mcp_servers = { slopguard = { command = "x" } }\n', "add it by hand"),
    ],
)
def test_unreadable_settings_are_left_alone(agent: str, content: str, message: str, tmp_path: Path) -> None:
    path = mcp_settings_path(agent, "project", cwd=tmp_path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(content, encoding="utf-8")
    with pytest.raises(UsageError, match=message):
        install_mcp(agent, "project", cwd=tmp_path, command="/opt/sg/bin/slopguard mcp")
    assert path.read_text(encoding="utf-8") == content
    assert not path.with_name(path.name + ".slopguard.bak").exists()


def test_a_server_that_does_not_start_is_not_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    err = io.StringIO()
    broken = f"{shlex.quote(sys.executable)} -c 'import sys; sys.exit(3)'"
    assert main(["install-hook", "cursor", "--mcp", "--command", broken], io.StringIO(), err) == 1
    assert "exit code 3" in err.getvalue() and "Nothing was written" in err.getvalue()
    assert not (tmp_path / ".cursor").exists()
    assert main(["install-hook", "cursor", "--mcp", "--edits"], io.StringIO(), err) == 2
