"""Codex CLI rollouts (`~/.codex/sessions/YYYY/MM/DD/rollout-*.jsonl`) -> Sources of what the agent did.

Read: `response_item` payloads `function_call` (`shell`, `container.exec`, `shell_command`, `exec_command`,
`apply_patch`), `custom_tool_call` (`apply_patch` freeform input; `shell`-style JSON input), `local_shell_call`
(`action.command` argv) and assistant `message` text (Markdown). `session_meta` / `turn_context` give the cwd.
`event_msg` records (`exec_command_end`, `patch_apply_end`, `agent_message`) repeat what the response items say and
are not read, so nothing is reported twice. Tool outputs, user and developer messages, reasoning, MCP calls and
unknown record types are skipped. Sources are pinned to the JSONL line, with the call id as `detail`.
"""

from __future__ import annotations

import json
import os
import shlex
from collections.abc import Iterator
from typing import Any, BinaryIO

from slopguard.inputs.apply_patch import Pin, patch_sources, text_lines
from slopguard.inputs.jsonl import Record, json_records, record_time, stamped
from slopguard.inputs.markdown import markdown_sources
from slopguard.inputs.shown import printed_manifest, remember, shown_source
from slopguard.inputs.text import MAX_LINE
from slopguard.models import Problem, Source, SourceKind
from slopguard.root import NOWHERE, project_root, with_root

_TOKENS = (b'"function_call"', b'"custom_tool_call"', b'"local_shell_call"', b'"assistant"')
_ARGV_TOOLS = frozenset({"shell", "container.exec", "local_shell"})
_SHELLS = frozenset({"bash", "sh", "zsh", "dash", "ksh"})
_BEGIN = "*** Begin Patch"


def _wanted(raw: bytes) -> bool:
    if b'"response_item"' in raw:
        return any(token in raw for token in _TOKENS)
    return b'"session_meta"' in raw or b'"turn_context"' in raw


def codex_sources(stream: BinaryIO, path: str, max_line: int = MAX_LINE) -> Iterator[Source | Problem]:
    """Sources of every command, patch and answer in a Codex rollout."""
    cwd: str | None = None
    root = NOWHERE  # files are read only inside the repository of the session's cwd (`slopguard.root`)
    reads: dict[str, tuple[str, str | None]] = {}  # call id -> the manifest it prints (`slopguard.inputs.shown`)

    def wanted(raw: bytes) -> bool:
        return _wanted(raw) or bool(reads) and b'_output"' in raw and any(k.encode() in raw for k in reads)

    for item in json_records(stream, path, wanted, max_line):
        if isinstance(item, Problem):
            yield item
            continue
        number, record = item
        rtype = record.get("type")
        payload = record.get("payload")
        if not isinstance(payload, dict):
            if rtype in ("session_meta", "turn_context", "response_item"):
                yield Problem(path, f"{rtype} record without a payload object; skipped", number, "unexpected-record")
            continue
        if rtype in ("session_meta", "turn_context"):
            if isinstance(payload.get("cwd"), str) and payload["cwd"] != cwd:
                cwd = payload["cwd"]
                root = project_root(cwd)
        elif rtype == "response_item":
            when = record_time(record)
            shown = _shown(payload, reads, path, number, cwd)
            if shown is not None:
                yield stamped(with_root(shown, root), "codex", when)
            for found in _response_item(payload, path, number, cwd):  # a call's `workdir` moves it, not the root
                yield stamped(with_root(found, root), "codex", when)


def _shown(
    payload: Record, reads: dict[str, tuple[str, str | None]], path: str, number: int, cwd: str | None
) -> Source | None:
    """Note a call that prints a manifest; for its output, the manifest as the agent saw it (evidence only)."""

    call_id = payload.get("call_id") if isinstance(payload.get("call_id"), str) else None
    ptype = payload.get("type")
    if ptype in ("function_call_output", "custom_tool_call_output"):
        if call_id in reads:
            target, folder = reads.pop(call_id)
            return shown_source(os.path.join(folder or "", target), payload.get("output"), path, number, cwd, call_id)
        return None
    command: Any = None
    workdir: Any = cwd
    args: Any = None
    if ptype == "local_shell_call" and isinstance(payload.get("action"), dict):
        command, workdir = payload["action"].get("command"), payload["action"].get("working_directory") or cwd
    elif ptype in ("function_call", "custom_tool_call"):
        raw = payload.get("arguments") if ptype == "function_call" else payload.get("input")
        try:
            args = json.loads(raw) if isinstance(raw, str) else raw
        except ValueError:
            pass
        if isinstance(args, dict):
            command = args.get("command") if args.get("command") is not None else args.get("cmd")
            workdir = args.get("workdir") or cwd
    printed = printed_manifest(command) if command is not None else None
    remember(reads, call_id, printed, workdir if isinstance(workdir, str) else cwd)
    return None


def _response_item(payload: Record, path: str, number: int, cwd: str | None) -> Iterator[Source | Problem]:
    ptype = payload.get("type")
    call_id = payload.get("call_id") if isinstance(payload.get("call_id"), str) else None
    name: str = payload["name"] if isinstance(payload.get("name"), str) else ""
    if ptype == "message":
        if payload.get("role") != "assistant" or not isinstance(payload.get("content"), list):
            return
        for part in payload["content"]:
            if isinstance(part, dict) and part.get("type") == "output_text" and isinstance(part.get("text"), str):
                yield from markdown_sources(part["text"], path=path, pin_line=number, cwd=cwd)
    elif ptype == "local_shell_call":
        action = payload.get("action")
        if not isinstance(action, dict):
            yield Problem(path, "local_shell_call without an action; skipped", number, "unexpected-record")
            return
        workdir = action.get("working_directory")
        pin = Pin(path, number, call_id, workdir if isinstance(workdir, str) else cwd)
        yield from _command(action.get("command"), pin, "local_shell_call")
    elif ptype == "custom_tool_call":
        raw_input = payload.get("input")
        pin = Pin(path, number, call_id, cwd)
        if name == "apply_patch" and isinstance(raw_input, str):
            yield from patch_sources(text_lines(raw_input), path, pin=pin)
        elif isinstance(raw_input, str) and name in _ARGV_TOOLS | {"shell_command", "exec_command"}:
            yield from _function_call(name, raw_input, pin)
    elif ptype == "function_call":
        yield from _function_call(name, payload.get("arguments"), Pin(path, number, call_id, cwd))


def _function_call(name: str, arguments: Any, pin: Pin) -> Iterator[Source | Problem]:
    if name not in _ARGV_TOOLS and name not in ("shell_command", "exec_command", "apply_patch"):
        return  # MCP and other tools
    args = arguments
    if isinstance(arguments, str):
        try:
            args = json.loads(arguments)
        except (ValueError, RecursionError):
            if name == "apply_patch" and _BEGIN in arguments:
                yield from patch_sources(text_lines(arguments), pin.path, pin=pin)
                return
            yield Problem(pin.path, f"{name} call with arguments that are not JSON; skipped", pin.line, "invalid-json")
            return
    if not isinstance(args, dict):
        yield Problem(pin.path, f"{name} call without an arguments object; skipped", pin.line, "unexpected-record")
        return
    workdir = args.get("workdir")
    if isinstance(workdir, str):
        pin = Pin(pin.path, pin.line, pin.detail, workdir)
    if name == "apply_patch":
        patch = args.get("input") if isinstance(args.get("input"), str) else args.get("patch")
        if isinstance(patch, str):
            yield from patch_sources(text_lines(patch), pin.path, pin=pin)
        return
    if name in _ARGV_TOOLS or name == "shell_command":
        yield from _command(args.get("command"), pin, name)
        return
    command = args.get("cmd")
    if not isinstance(command, str):
        command = args.get("script_body")
    if not isinstance(command, str) and isinstance(args.get("program"), str):
        rest: list[Any] = args["args"] if isinstance(args.get("args"), list) else []
        command = [args["program"], *rest]
    yield from _command(command, pin, name)


def _command(command: Any, pin: Pin, what: str) -> Iterator[Source | Problem]:
    """Sources of a command given as a string or an argv list (a `bash -lc SCRIPT` argv gives SCRIPT)."""
    if isinstance(command, list) and command and all(isinstance(a, str) for a in command):
        if os.path.basename(command[0]) == "apply_patch" and len(command) > 1:
            yield from patch_sources(text_lines(command[1]), pin.path, pin=pin)
            return
        shell_c = len(command) >= 3 and command[1] in ("-c", "-lc", "-ic", "-lic")
        if shell_c and os.path.basename(command[0]) in _SHELLS:
            script = command[2]
        else:
            script = shlex.join(command)
    elif isinstance(command, str):
        script = command
    else:
        yield Problem(pin.path, f"{what} without a command; skipped", pin.line, "unexpected-record")
        return
    if _BEGIN in script:
        begin = script.index(_BEGIN)
        yield from patch_sources(text_lines(script[begin:]), pin.path, pin=pin)
        head = script[:begin]
        if head.strip().startswith("apply_patch"):
            return
        script = head
    yield Source(script, SourceKind.SHELL, pin.path, pin_line=pin.line, cwd=pin.cwd, detail=pin.detail)
