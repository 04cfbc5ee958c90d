"""`slopguard install-hook AGENT`: merge slopguard's hook entry into the agent's settings file, keeping the rest.

Files and shapes (FORMATS.md sections 1, 2 and 4):

- Claude Code: `.claude/settings.json` (project) or `~/.claude/settings.json` (user),
  `hooks.PreToolUse[] = {"matcher": "Bash", "hooks": [{"type": "command", "command": ..., "timeout": s}]}`;
- Codex: `.codex/hooks.json` or `~/.codex/hooks.json`, the same shape with matcher `Bash|apply_patch`;
- Gemini CLI: `.gemini/settings.json` or `~/.gemini/settings.json`,
  `hooks.BeforeTool[] = {"matcher": "run_shell_command", "hooks": [{..., "timeout": ms}]}`;
- Cursor: `.cursor/hooks.json` or `~/.cursor/hooks.json`,
  `{"version": 1, "hooks": {"beforeShellExecution": [{"command": ...}]}}`.

Idempotent: an entry already running `slopguard hook AGENT` is left alone (or its command updated). The old
file is copied to `<file>.slopguard.bak` before it is rewritten (the first time; later changes keep theirs in
`.bak.2`, `.bak.3`, ..., so the original is never lost); a file keeps its mode and a new one gets the umask's.
A file that is not a JSON object is an error and nothing is written.
"""

from __future__ import annotations

import json
import os
import shlex
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from slopguard.errors import UsageError

HOOK_TIMEOUT_S = 30
"""The agent-side timeout: far above slopguard's own 5 s deadline, so the agent never kills a hook that is
about to answer (a killed hook fails open in every agent)."""


@dataclass(frozen=True)
class InstallResult:
    """What `install_hook` did (or, with `dry_run`, would do)."""

    path: Path
    """The settings file."""
    changed: tuple[Path, ...]
    """Files written (empty when nothing changed or on a dry run)."""
    backup: Path | None
    """Where the previous content was copied, if a file was overwritten."""
    summary: str
    """A human-readable account of the change, ending in a newline."""


@dataclass(frozen=True)
class _Target:
    directory: str
    filename: str
    event: str
    matcher: str | None
    edits_matcher: str | None
    """The matcher when the hook also checks file writes (`slopguard hook AGENT --edits`)."""
    timeout: int | None
    note: str


_TARGETS = {
    "claude-code": _Target(
        ".claude",
        "settings.json",
        "PreToolUse",
        "Bash",
        "Bash|Write|Edit|MultiEdit",
        HOOK_TIMEOUT_S,
        "Claude Code loads it on its next start.",
    ),
    "codex": _Target(
        ".codex",
        "hooks.json",
        "PreToolUse",
        "Bash|apply_patch",
        "Bash|apply_patch",
        HOOK_TIMEOUT_S,
        "Codex runs project hooks only in trusted projects; review and trust the new hook with /hooks.",
    ),
    "gemini": _Target(
        ".gemini",
        "settings.json",
        "BeforeTool",
        "run_shell_command",
        "run_shell_command|write_file|replace",
        HOOK_TIMEOUT_S * 1000,
        'Gemini CLI runs hooks only while they are enabled: `"hooksConfig": {"enabled": true}` in settings.json '
        '(on by default in recent versions); older versions use `"tools": {"enableHooks": true}` instead.',
    ),
    "cursor": _Target(
        ".cursor", "hooks.json", "beforeShellExecution", None, None, None, "Cursor picks it up on its next start."
    ),
}


def settings_path(agent: str, scope: str, *, cwd: Path | None = None, home: Path | None = None) -> Path:
    """The settings file `install_hook` edits for `agent` in `scope` (`project` or `user`)."""
    target = _target(agent)
    if scope not in ("project", "user"):
        raise UsageError(f"scope must be 'project' or 'user', not {scope!r}")
    base = (home or Path.home()) if scope == "user" else (cwd or Path.cwd())
    return base / target.directory / target.filename


def _target(agent: str) -> _Target:
    try:
        return _TARGETS[agent]
    except KeyError:
        raise UsageError(f"unknown agent {agent!r}; choose one of {', '.join(_TARGETS)}") from None


def install_hook(
    agent: str,
    scope: str,
    *,
    dry_run: bool = False,
    cwd: Path | None = None,
    home: Path | None = None,
    command: str | None = None,
    edits: bool = False,
) -> InstallResult:
    """Add `command` (default: this slopguard by its absolute path, `/path/to/slopguard hook AGENT`, plus
    `--edits` with `edits`; `slopguard.hook.probe.hook_command`) to `agent`'s hook settings
    in `scope`. A command with `--edits` also gets the file-writing tools in its matcher (not Cursor, which
    has no hook before a file edit).

    Raises `UsageError` for an unknown agent or scope, or a settings file that is not a JSON object of
    the expected shape; nothing is written then.
    """
    target = _target(agent)
    path = settings_path(agent, scope, cwd=cwd, home=home)
    if not command:
        from slopguard.hook.probe import hook_command

        command = hook_command(agent, edits=edits)
    original = _read(path)
    data = json.loads(original) if original and original.strip() else {}
    if not isinstance(data, dict):
        raise UsageError(f"{path} is not a JSON object; fix it by hand, nothing was written")
    action = _merge(data, agent, target, command, path)
    if action is None:
        return InstallResult(path, (), None, f"{path}: slopguard hook already installed ({command}); no change\n")
    verb, done, what = action
    text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    lines = [f"{path}: {'would ' + verb if dry_run else done} {what}"]
    if dry_run:
        lines.append(change_diff(path, original, text).rstrip("\n"))
        return InstallResult(path, (), None, "\n".join(lines) + "\n(dry run: nothing written)\n")
    backup = None
    if original is not None:
        backup = free_backup(path)
        _write(backup, original, like=path)
        lines.append(f"previous version saved as {backup}")
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
    _write(path, text)
    lines.append(target.note)
    return InstallResult(path, (path,), backup, "\n".join(lines) + "\n")


def change_diff(path: Path, before: str | None, after: str) -> str:
    """A unified diff of `path` from `before` (`None`: the file does not exist yet) to `after`."""
    import difflib

    old = (before or "").splitlines(keepends=True)
    if old and not old[-1].endswith("\n"):
        old[-1] += "\n"
    label = "/dev/null" if before is None else f"a/{path.name}"
    return "".join(difflib.unified_diff(old, after.splitlines(keepends=True), label, f"b/{path.name}"))


def free_backup(path: Path) -> Path:
    """Where to keep the version of `path` a change replaces: `<file>.slopguard.bak` the first time, so the
    original is never overwritten, then `<file>.slopguard.bak.2`, `.3`, ..."""
    first = path.with_name(path.name + ".slopguard.bak")
    if not first.exists():
        return first
    number = 2
    while (candidate := first.with_name(f"{first.name}.{number}")).exists():
        number += 1
    return candidate


def _read(path: Path) -> str | None:
    """The file's text, `None` when it does not exist; `UsageError` when it exists but is not valid JSON."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"cannot read {path}: {exc}") from None
    if not text.strip():
        return text
    try:
        json.loads(text)
    except ValueError as exc:
        raise UsageError(f"{path} is not valid JSON ({exc}); fix it by hand, nothing was written") from None
    return text


def _write(path: Path, text: str, *, like: Path | None = None) -> None:
    """Write `text` to `path` atomically (a temporary file in the same directory, then a rename). The file keeps
    its mode (or takes that of `like`); a new one gets the usual 0666 less the umask, not mkstemp's 0600."""
    source = like if like is not None and like.exists() else path
    mode = source.stat().st_mode & 0o777 if source.exists() else 0o666 & ~_umask()
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _umask() -> int:
    current = os.umask(0o022)
    os.umask(current)
    return current


def _is_ours(handler_command: object, agent: str) -> bool:
    """Whether a hook command runs `slopguard hook AGENT` (any path or interpreter in front of it)."""
    if not isinstance(handler_command, str):
        return False
    try:
        words = shlex.split(handler_command)
    except ValueError:
        words = handler_command.split()
    for i in range(len(words) - 1):
        if words[i] == "hook" and words[i + 1] == agent and i > 0:
            return any("slopguard" in w for w in words[:i])
    return False


def _merge(data: dict[str, Any], agent: str, target: _Target, command: str, path: Path) -> tuple[str, str, str] | None:
    """Put the hook into `data` in place; (verb, past tense, what changed), or `None` when nothing did."""
    if agent == "cursor":
        data.setdefault("version", 1)
    hooks = data.setdefault("hooks", {})
    if not isinstance(hooks, dict):
        raise UsageError(f"{path}: 'hooks' is not an object; nothing was written")
    groups = hooks.setdefault(target.event, [])
    if not isinstance(groups, list):
        raise UsageError(f"{path}: 'hooks.{target.event}' is not a list; nothing was written")
    matcher = target.edits_matcher if "--edits" in command.split() else target.matcher
    handlers = [({}, h) for h in groups if isinstance(h, dict)] if agent == "cursor" else _handlers(groups)
    for group, handler in handlers:
        if _is_ours(handler.get("command"), agent):
            alone = len(group.get("hooks", ())) == 1 and matcher is not None
            if handler.get("command") == command and (not alone or group.get("matcher") == matcher):
                return None
            old = handler.get("command")
            handler["command"] = command
            if alone:
                group["matcher"] = matcher
            return "update", "updated", f"the slopguard hook in hooks.{target.event}: {old!r} -> {command!r}"
    if agent == "cursor":
        groups.append({"command": command})
    else:
        entry: dict[str, Any] = {"type": "command", "command": command}
        if agent == "gemini":
            entry["name"] = "slopguard"
            entry["description"] = "Block hallucinated and typosquatted package installs"
        entry["timeout"] = target.timeout
        if agent == "codex":
            entry["statusMessage"] = "slopguard: checking packages"
        groups.append({"matcher": matcher, "hooks": [entry]})
    where = f"matcher {matcher!r}" if matcher else "a new entry"
    return "add", "added", f"{command!r} to hooks.{target.event} ({where})"


def _handlers(groups: list[Any]) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """(matcher group, handler) for every handler of one event (malformed entries are skipped)."""
    found: list[tuple[dict[str, Any], dict[str, Any]]] = []
    for group in groups:
        if isinstance(group, dict) and isinstance(group.get("hooks"), list):
            found.extend((group, h) for h in group["hooks"] if isinstance(h, dict))
    return found
