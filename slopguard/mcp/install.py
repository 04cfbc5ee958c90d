"""`slopguard install-hook AGENT --mcp`: register `slopguard mcp` where the agent reads its MCP servers.

Files and shapes (project / `--user`):

- Claude Code: `.mcp.json` / `~/.claude.json`, `mcpServers.slopguard = {"type": "stdio", "command", "args"}`;
- Codex: `.codex/config.toml` / `~/.codex/config.toml`, a `[mcp_servers.slopguard]` table (`command`, `args`);
- Gemini CLI: `.gemini/settings.json` / `~/.gemini/settings.json`, `mcpServers.slopguard = {"command", "args"}`;
- Cursor: `.cursor/mcp.json` / `~/.cursor/mcp.json`, `mcpServers.slopguard = {"type": "stdio", "command", "args"}`.

The rules of the hooks' installer (`slopguard.hook.install`): everything else in the file is kept (in TOML,
comments and layout too: only the `slopguard` table is rewritten, and the result is parsed back to prove it),
the old file is copied to `<file>.slopguard.bak` (the first time; later changes to `.bak.2`, ...), running it
again changes nothing, `dry_run` writes nothing, and a file that cannot be read as its format is an error with
nothing written.
"""

from __future__ import annotations

import json
import re
import shlex
import sys
from pathlib import Path
from typing import Any

from slopguard.errors import UsageError
from slopguard.hook.install import InstallResult, _read, _write, change_diff, free_backup

SERVER = "slopguard"
"""The server's key in every agent's settings."""

_FILES = {  # agent: (project file, user file, note)
    "claude-code": (
        ".mcp.json",
        ".claude.json",
        "Claude Code asks you to approve project MCP servers on its next start.",
    ),
    "codex": (".codex/config.toml", ".codex/config.toml", "Codex starts it with its next session."),
    "gemini": (".gemini/settings.json", ".gemini/settings.json", "Gemini CLI lists it under /mcp on its next start."),
    "cursor": (".cursor/mcp.json", ".cursor/mcp.json", "Enable it in Cursor's MCP settings if Cursor does not ask."),
}


def mcp_settings_path(agent: str, scope: str, *, cwd: Path | None = None, home: Path | None = None) -> Path:
    """The file `install_mcp` edits for `agent` in `scope` (`project` or `user`)."""
    if agent not in _FILES:
        raise UsageError(f"unknown agent {agent!r}; choose one of {', '.join(_FILES)}")
    if scope not in ("project", "user"):
        raise UsageError(f"scope must be 'project' or 'user', not {scope!r}")
    project, user, _ = _FILES[agent]
    return (home or Path.home()) / user if scope == "user" else (cwd or Path.cwd()) / project


def server_command(command: str | None = None) -> list[str]:
    """The words that start the server: `command` split as a shell would, else this slopguard by its absolute
    path (`slopguard.hook.probe.own_command`) followed by `mcp`."""
    if command:
        try:
            words = shlex.split(command)
        except ValueError as exc:
            raise UsageError(f"cannot split the command {command!r}: {exc}") from None
        if not words:
            raise UsageError("the server command is empty")
        return words
    from slopguard.hook.probe import own_command

    return [*shlex.split(own_command()), "mcp"]


def server_entry(agent: str, words: list[str]) -> dict[str, Any]:
    """The agent's settings entry that starts the server with `words`."""
    entry: dict[str, Any] = {"command": words[0], "args": words[1:]}
    if agent in ("claude-code", "cursor"):
        entry = {"type": "stdio", **entry}
    return entry


def install_mcp(
    agent: str,
    scope: str,
    *,
    dry_run: bool = False,
    cwd: Path | None = None,
    home: Path | None = None,
    command: str | None = None,
) -> InstallResult:
    """Register the MCP server (`command`, default: this slopguard's `mcp`) in `agent`'s settings in `scope`.

    Raises `UsageError` for an unknown agent or scope, or a settings file that is not of the expected shape;
    nothing is written then."""
    path = mcp_settings_path(agent, scope, cwd=cwd, home=home)
    entry = server_entry(agent, server_command(command))
    if agent == "codex":
        original = _read_text(path)
        before, text = _merge_toml(original or "", entry, path)
    else:
        original = _read(path)
        before, text = _merge_json(original or "", entry, path)
    shown = f"{SERVER}: {json.dumps(entry, ensure_ascii=True)}"
    if before == entry:
        return InstallResult(path, (), None, f"{path}: MCP server {shown} already registered; no change\n")
    verb = "register" if before is None else "update"
    where = "[mcp_servers.slopguard]" if agent == "codex" else "mcpServers"
    if dry_run:
        lines = [
            f"{path}: would {verb} the MCP server in {where}:",
            change_diff(path, original, text).rstrip("\n"),
            "(dry run: nothing written)",
        ]
        return InstallResult(path, (), None, "\n".join(lines) + "\n")
    done = "registered" if before is None else "updated"
    lines = [f"{path}: {done} the MCP server in {where}: {shown}"]
    backup = None
    if original is not None:
        backup = free_backup(path)
        _write(backup, original, like=path)
        lines.append(f"previous version saved as {backup}")
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
    _write(path, text)
    lines.append(_FILES[agent][2])
    return InstallResult(path, (path,), backup, "\n".join(lines) + "\n")


def _merge_json(original: str, entry: dict[str, Any], path: Path) -> tuple[dict[str, Any] | None, str]:
    """(the entry there was, the new file text) with `entry` as `mcpServers.slopguard`, all else kept."""
    data = json.loads(original) if original.strip() else {}
    if not isinstance(data, dict):
        raise UsageError(f"{path} is not a JSON object; fix it by hand, nothing was written")
    servers = data.setdefault("mcpServers", {})
    if not isinstance(servers, dict):
        raise UsageError(f"{path}: 'mcpServers' is not an object; nothing was written")
    before = servers.get(SERVER)
    old = before if isinstance(before, dict) else None
    if old is not None and _same(old, entry):
        return entry, original
    servers[SERVER] = {**(old or {}), **entry}
    return old, json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def _same(old: dict[str, Any], entry: dict[str, Any]) -> bool:
    return all(old.get(key) == value for key, value in entry.items())


# --- TOML (Codex) ---------------------------------------------------------------------------------------

_HEADER = re.compile(r"^\s*\[\[?\s*([^\]]*?)\s*\]\]?\s*(?:#.*)?$")
_OURS = re.compile(r'^mcp_servers\s*\.\s*(?:slopguard|"slopguard"|\'slopguard\')(?:\s*\.|$)')


def _read_text(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"cannot read {path}: {exc}") from None


def _parse_toml(text: str, path: Path) -> dict[str, Any]:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib  # type: ignore[import-not-found, no-redef, unused-ignore]
    try:
        data: dict[str, Any] = tomllib.loads(text)
        return data
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(f"{path} is not valid TOML ({exc}); fix it by hand, nothing was written") from None


def _merge_toml(original: str, entry: dict[str, Any], path: Path) -> tuple[dict[str, Any] | None, str]:
    """(the table there was, the new file text) with `entry` as the `[mcp_servers.slopguard]` table. Only that
    table (and its sub-tables) is cut out and written anew at the end; the result is parsed back and must
    hold everything the old file held."""
    data = _parse_toml(original, path)
    servers = data.get("mcp_servers", {})
    if not isinstance(servers, dict):
        raise UsageError(f"{path}: 'mcp_servers' is not a table; nothing was written")
    before = servers.get(SERVER)
    old = before if isinstance(before, dict) else None
    if old is not None and _same(old, entry):
        return entry, original
    kept: list[str] = []
    skipping = False
    for line in original.splitlines(keepends=True):
        header = _HEADER.match(line)
        if header:
            skipping = bool(_OURS.match(header.group(1)))
        if not skipping:
            kept.append(line)
    rest = "".join(kept)
    if rest and not rest.endswith("\n"):
        rest += "\n"
    extra = {k: v for k, v in (old or {}).items() if k not in entry and not isinstance(v, dict)}
    block = [f"[mcp_servers.{SERVER}]"]
    block += [f"{key} = {_toml_value(value)}" for key, value in {**entry, **extra}.items()]
    text = rest + ("\n" if rest.strip() else "") + "\n".join(block) + "\n"
    for key, value in (old or {}).items():  # sub-tables such as `env`
        if isinstance(value, dict):
            text += f"\n[mcp_servers.{SERVER}.{key}]\n" + "".join(
                f"{json.dumps(k)} = {_toml_value(v)}\n" for k, v in value.items()
            )
    expected = dict(data)
    expected["mcp_servers"] = {**servers, SERVER: {**(old or {}), **entry}}
    try:
        after: dict[str, Any] | None = _parse_toml(text, path)
    except UsageError:
        after = None
    if after != expected:
        raise UsageError(
            f"{path}: the slopguard MCP server could not be written without changing other settings (is "
            "mcp_servers.slopguard defined inline?); add it by hand, nothing was written"
        )
    return old, text


def _toml_value(value: Any) -> str:
    """A TOML value for a string, number, bool or list of them (JSON's string escapes are TOML's)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float, str)):
        return json.dumps(value, ensure_ascii=True)
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    raise UsageError(f"cannot write {type(value).__name__} values in mcp_servers.slopguard; edit it by hand")
