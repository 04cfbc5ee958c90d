"""The four agents' hook wire formats: read a tool-call payload, write a decision the agent understands.

Formats (see FORMATS.md sections 1, 2 and 4):

- Claude Code `PreToolUse`: `tool_name` + `tool_input` (`Bash.command`, `Write.content`, `Edit.new_string`,
  `MultiEdit.edits[].new_string`); deny/ask is `hookSpecificOutput.permissionDecision`, exit 0.
- Codex `PreToolUse`: the same, plus `turn_id`/`model`; `tool_input.command` holds the shell command or, for
  `apply_patch`, the raw patch. Codex rejects `ask`, so a warning is `systemMessage` (shown to the user) plus
  `hookSpecificOutput.additionalContext` (shown to the model) and the call goes on.
- Gemini CLI `BeforeTool`: `run_shell_command` with `tool_input.command` and `dir_path` (older: `directory`);
  deny is `{"decision": "deny", "reason": ...}`; there is no ask, so a warning is `{"decision": "allow",
  "systemMessage": ...}`.
- Cursor `beforeShellExecution`: `command` and `cwd` at top level; always answered with
  `{"permission": "allow|deny|ask", "user_message": ..., "agent_message": ...}`.

This module is on the hook's semi-fast path (the payload may hold an install), so it imports only `json`
and uses plain classes rather than dataclasses (importing `dataclasses` costs ~15 ms).
"""

from __future__ import annotations

import json

TYPE_CHECKING = False  # not `typing.TYPE_CHECKING`: importing typing costs ~10 ms on every hook call
if TYPE_CHECKING:
    from slopguard.hook.result import HookResult

AGENTS = ("claude-code", "codex", "gemini", "cursor")
MAX_TEXT = 10_000
"""Claude Code caps hook output strings at 10,000 characters; every message we emit stays under it."""

_SHELL_TOOLS = {
    "claude-code": frozenset({"Bash", "PowerShell"}),
    "codex": frozenset({"Bash", "shell", "exec_command", "local_shell"}),
    "gemini": frozenset({"run_shell_command"}),
}
_PRE_EVENTS = frozenset({"PreToolUse", "BeforeTool", "beforeShellExecution"})


class MalformedPayload(ValueError):
    """The hook's stdin is not a JSON object of the expected shape."""


class Edit:
    """New text an agent is about to write into `path` (`patch` is true for a raw Codex `apply_patch` body)."""

    __slots__ = ("patch", "path", "text")

    def __init__(self, path: str, text: str, *, patch: bool = False) -> None:
        self.path = path
        self.text = text
        self.patch = patch

    def __repr__(self) -> str:
        return f"Edit({self.path!r}, {len(self.text)} chars, patch={self.patch})"


class Call:
    """One tool call as the hook sees it: the shell command to run, or the text to be written."""

    __slots__ = ("agent", "command", "cwd", "edits", "event", "root", "tool_name")

    def __init__(
        self,
        agent: str,
        tool_name: str,
        *,
        command: str | None = None,
        cwd: str | None = None,
        edits: tuple[Edit, ...] = (),
        event: str | None = None,
        root: str | None = None,
    ) -> None:
        self.agent = agent
        self.tool_name = tool_name
        self.command = command
        self.cwd = cwd
        self.edits = edits
        self.event = event
        self.root = root if root is not None else cwd
        """The payload's own `cwd`, before a tool's `workdir`: the project whose files the call may name."""

    def __repr__(self) -> str:
        return f"Call({self.agent!r}, {self.tool_name!r}, command={self.command!r}, edits={self.edits!r})"


def _str(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _command_text(value: object) -> str | None:
    """A shell command given as a string, or as an argv list (`["bash", "-lc", script]` gives `script`)."""
    if isinstance(value, str):
        return value
    if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
        if len(value) >= 3 and value[-2] in ("-c", "-lc", "-ic") and value[0].rsplit("/", 1)[-1] in _SHELLS:
            return str(value[-1])
        return " ".join(str(v) for v in value)
    return None


_SHELLS = frozenset({"bash", "sh", "zsh", "dash", "fish", "ksh"})


def parse_call(agent: str, data: bytes | str) -> Call:
    """The tool call in `data`, the hook's stdin for `agent`; raises `MalformedPayload` when it is not one."""
    try:
        payload = json.loads(data)
    except (ValueError, UnicodeDecodeError) as exc:
        raise MalformedPayload(f"the hook input is not JSON ({exc.__class__.__name__}: {exc})") from None
    if not isinstance(payload, dict):
        raise MalformedPayload(f"the hook input is a JSON {type(payload).__name__}, not an object")
    event = _str(payload.get("hook_event_name"))
    cwd = _str(payload.get("cwd"))
    if agent == "cursor":
        if "command" in payload and _str(payload.get("command")) is None:
            raise MalformedPayload("`command` is not a string")
        return Call(agent, "shell", command=_str(payload.get("command")), cwd=cwd, event=event)
    tool_name = payload.get("tool_name")
    tool_input = payload.get("tool_input", {})
    if not isinstance(tool_name, str):
        raise MalformedPayload("`tool_name` is missing or not a string")
    if not isinstance(tool_input, dict):
        raise MalformedPayload("`tool_input` is not an object")
    if tool_name in _SHELL_TOOLS.get(agent, ()):
        command = _command_text(tool_input.get("command", tool_input.get("cmd")))
        if command is None:
            raise MalformedPayload(f"`tool_input.command` of {tool_name} is missing or not a string")
        if agent == "gemini":
            workdir = _join(cwd, _str(tool_input.get("dir_path")) or _str(tool_input.get("directory")))
        else:
            workdir = _join(cwd, _str(tool_input.get("workdir")))
        return Call(agent, tool_name, command=command, cwd=workdir, event=event, root=cwd)
    return Call(agent, tool_name, cwd=cwd, edits=_edits(agent, tool_name, tool_input), event=event)


def _join(base: str | None, sub: str | None) -> str | None:
    if not sub:
        return base
    if sub.startswith(("/", "\\")) or (len(sub) > 1 and sub[1] == ":") or not base:
        return sub
    return base.rstrip("/\\") + "/" + sub


def _edits(agent: str, tool: str, tool_input: dict[str, object]) -> tuple[Edit, ...]:
    """The text a file-writing tool adds; empty for tools that write nothing slopguard reads."""
    path = _str(tool_input.get("file_path")) or _str(tool_input.get("path")) or ""
    if agent == "codex" and tool == "apply_patch":
        patch = _str(tool_input.get("command")) or _str(tool_input.get("input"))
        return (Edit("<apply_patch>", patch, patch=True),) if patch else ()
    if tool in ("Write", "write_file", "create_file"):
        content = _str(tool_input.get("content"))
        return (Edit(path, content),) if content is not None and path else ()
    if tool in ("Edit", "replace", "edit_file"):
        new = _str(tool_input.get("new_string"))
        return (Edit(path, new),) if new and path else ()
    if tool == "MultiEdit":
        edits = tool_input.get("edits")
        if not isinstance(edits, list) or not path:
            return ()
        parts = [e["new_string"] for e in edits if isinstance(e, dict) and isinstance(e.get("new_string"), str)]
        return (Edit(path, "\n".join(parts)),) if parts else ()
    return ()


def is_pre_event(call: Call) -> bool:
    """Whether the payload is a before-the-tool-runs event (a missing event name counts as one)."""
    return call.event is None or call.event in _PRE_EVENTS


# --- output -------------------------------------------------------------------------------------------


def clean(text: str, limit: int = MAX_TEXT) -> str:
    """`text` with control and invisible characters shown as `\\xNN`/`\\uNNNN`, cut to `limit` characters.

    Names come from agent output: they are data and must not move a terminal cursor or reorder what a
    human reads (`slopguard.escape.terminal`).
    """
    from slopguard.escape import terminal

    result = terminal(text)
    if len(result) > limit:
        result = result[: max(0, limit - 15)].rstrip() + " ...(truncated)"
    return result


def _clean_lines(text: str) -> str:
    """Like `clean()` but keeps newlines (for multi-line messages built by slopguard itself)."""
    return "\n".join(clean(line, MAX_TEXT) for line in text.split("\n"))[:MAX_TEXT]


def _dump(obj: object) -> str:
    return json.dumps(obj, ensure_ascii=True) + "\n"


def render(agent: str, decision: str, message: str = "", note: str = "") -> HookResult:
    """The reply to `agent` for `decision` (`allow`, `ask`, `deny`).

    `message` is written for the agent (why, and what to do instead); `note` goes to stderr for the human
    (why slopguard fell back, what it could not check). Every agent gets exit code 0: the decision is in
    the JSON, which every agent honours, and an exit code of 2 is kept out of the way so a crash can never
    look like a block.
    """
    from slopguard.hook.result import HookResult

    message = _clean_lines(message)
    stderr = _clean_lines(note) + "\n" if note else ""
    if decision == "allow" and not message:
        return HookResult('{"permission":"allow"}\n' if agent == "cursor" else "", stderr, 0)
    if agent == "cursor":
        permission = decision if decision in ("deny", "ask") else "allow"
        answer = {"permission": permission, "user_message": message, "agent_message": message}
        return HookResult(_dump(answer), stderr, 0)
    if agent == "claude-code":
        if decision in ("deny", "ask"):
            out = {"hookEventName": "PreToolUse", "permissionDecision": decision}
            out["permissionDecisionReason"] = message
            return HookResult(_dump({"hookSpecificOutput": out}), stderr, 0)
        return HookResult(_dump({"systemMessage": message}), stderr, 0)
    if agent == "codex":
        if decision == "deny":
            deny = {"hookEventName": "PreToolUse", "permissionDecision": "deny"}
            deny["permissionDecisionReason"] = message
            return HookResult(_dump({"hookSpecificOutput": deny}), stderr, 0)
        # Codex has no "ask": warn the user (systemMessage) and the model (additionalContext); the call runs.
        reply: dict[str, object] = {
            "systemMessage": message,
            "hookSpecificOutput": {"hookEventName": "PreToolUse", "additionalContext": message},
        }
        return HookResult(_dump(reply), stderr or message + "\n", 0)
    # gemini
    if decision == "deny":
        return HookResult(_dump({"decision": "deny", "reason": message}), stderr, 0)
    return HookResult(_dump({"decision": "allow", "systemMessage": message}), stderr or message + "\n", 0)


def notice(agent: str, text: str) -> HookResult:
    """An "allow" that tells the user `text` (stderr, and the agent's user-facing message where it has one:
    `systemMessage`, Cursor's `user_message`) without saying anything to the model."""
    from slopguard.hook.result import HookResult

    message = _clean_lines(text)
    if agent == "cursor":
        return HookResult(_dump({"permission": "allow", "user_message": message}), message + "\n", 0)
    reply: dict[str, object] = {"systemMessage": message}
    if agent == "gemini":
        reply = {"decision": "allow", **reply}
    return HookResult(_dump(reply), message + "\n", 0)


def with_notice(agent: str, result: HookResult, text: str) -> HookResult:
    """`result` with `text` told to the user as well (stderr, and `systemMessage` / Cursor's `user_message` before
    what is already there): the decision and what the model reads are unchanged."""
    from slopguard.hook.result import HookResult

    if not result.stdout.strip():
        told = notice(agent, text)
        return HookResult(told.stdout, result.stderr + told.stderr, result.exit_code)
    message = _clean_lines(text)
    reply = json.loads(result.stdout)
    key = "user_message" if agent == "cursor" else "systemMessage"
    before = reply.get(key)
    reply[key] = (message + "\n\n" + before if isinstance(before, str) and before else message)[:MAX_TEXT]
    return HookResult(_dump(reply), result.stderr + message + "\n", result.exit_code)
