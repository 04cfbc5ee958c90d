"""The four agents' payloads are read right, and every reply has the shape the agent's docs require."""

from __future__ import annotations

import json

import pytest
from hook_payloads import (
    AGENTS,
    DATA,
    claude_payload,
    codex_payload,
    cursor_payload,
    gemini_payload,
    shell_payload,
    tool_uses,
)

from slopguard.hook.protocols import MAX_TEXT, MalformedPayload, clean, is_pre_event, parse_call, render


def test_claude_bash_calls_from_a_real_transcript_are_read_with_their_cwd() -> None:
    pairs = [(r, b) for r, b in tool_uses("ccviewer-1af7fc5e-8455-4414-9ccd-011d40f70b2a.jsonl") if b["name"] == "Bash"]
    assert len(pairs) == 2
    for record, block in pairs:
        call = parse_call("claude-code", claude_payload("Bash", block["input"], record["cwd"]))
        assert call.command == block["input"]["command"]
        assert call.cwd == "/path/to/Demo"
        assert call.edits == ()
        assert is_pre_event(call)


def test_claude_write_edit_and_multiedit_give_the_new_text() -> None:
    uses = tool_uses("ccviewer-1af7fc5e-8455-4414-9ccd-011d40f70b2a.jsonl")
    uses += tool_uses("ccviewer-5c0375b4-edits-only.jsonl")
    seen = set()
    for record, block in uses:
        name, tool_input = block["name"], block["input"]
        if name not in ("Write", "Edit", "MultiEdit"):
            continue
        seen.add(name)
        call = parse_call("claude-code", claude_payload(name, tool_input, record["cwd"]))
        assert call.command is None
        (edit,) = call.edits
        assert edit.path == tool_input["file_path"]
        if name == "Write":
            assert edit.text == tool_input["content"]
        elif name == "Edit":
            assert edit.text == tool_input["new_string"]
        else:
            for part in tool_input["edits"]:
                assert part["new_string"] in edit.text
            assert all(part["old_string"] not in edit.text for part in tool_input["edits"] if part["old_string"])
    assert seen == {"Write", "Edit", "MultiEdit"}


def test_other_claude_tools_carry_nothing_to_check() -> None:
    call = parse_call("claude-code", claude_payload("Glob", {"pattern": "package.json"}))
    assert call.command is None and call.edits == ()


def test_codex_bash_and_real_apply_patch_input() -> None:
    call = parse_call("codex", codex_payload("Bash", "pip install requests"))
    assert (call.tool_name, call.command, call.cwd) == ("Bash", "pip install requests", "/home/user/proj")
    lines = (DATA / "claude-code-log-codex-rollout-2026-01-02-synthetic.jsonl").read_text()
    patches = [
        json.loads(line)["payload"]["input"]
        for line in lines.splitlines()
        if '"name":"apply_patch"' in line and json.loads(line)["type"] == "response_item"
    ]
    assert patches and patches[0].startswith("*** Begin Patch")
    call = parse_call("codex", codex_payload("apply_patch", patches[0]))
    assert call.command is None
    (edit,) = call.edits
    assert edit.patch and edit.text == patches[0]


def test_codex_argv_command_is_joined_or_unwrapped() -> None:
    payload = json.loads(codex_payload("Bash", "x"))
    payload["tool_input"]["command"] = ["bash", "-lc", "npm i left-pad"]
    assert parse_call("codex", json.dumps(payload)).command == "npm i left-pad"
    payload["tool_input"]["command"] = ["pip", "install", "requests"]
    assert parse_call("codex", json.dumps(payload)).command == "pip install requests"


def test_gemini_dir_path_and_older_directory_set_the_cwd() -> None:
    assert parse_call("gemini", gemini_payload("ls", dir_path="sub")).cwd == "/home/user/proj/sub"
    assert parse_call("gemini", gemini_payload("ls", dir_path="/abs")).cwd == "/abs"
    payload = json.loads(gemini_payload("pip install x"))
    payload["tool_input"]["directory"] = "pkg"
    call = parse_call("gemini", json.dumps(payload))
    assert (call.command, call.cwd) == ("pip install x", "/home/user/proj/pkg")


def test_cursor_reads_top_level_command_and_cwd() -> None:
    call = parse_call("cursor", cursor_payload("npm install left-pad", "/w"))
    assert (call.command, call.cwd, call.event) == ("npm install left-pad", "/w", "beforeShellExecution")


@pytest.mark.parametrize(
    ("agent", "data"),
    [
        ("claude-code", b"{not json"),
        ("claude-code", b"[1, 2]"),
        ("claude-code", b'{"tool_input": {"command": "ls"}}'),
        ("codex", b'{"tool_name": "Bash", "tool_input": "pip install x"}'),
        ("codex", b'{"tool_name": "Bash", "tool_input": {"command": 7}}'),
        ("gemini", b"\xff\xfe garbage"),
        ("cursor", b'{"command": ["pip", "install"]}'),
        ("cursor", b""),
    ],
)
def test_malformed_payloads_raise_malformed_payload(agent: str, data: bytes) -> None:
    with pytest.raises(MalformedPayload):
        parse_call(agent, data)


def test_post_tool_use_events_are_not_before_events() -> None:
    payload = json.loads(claude_payload("Bash", {"command": "pip install x"}))
    payload["hook_event_name"] = "PostToolUse"
    assert not is_pre_event(parse_call("claude-code", json.dumps(payload)))


@pytest.mark.parametrize("agent", AGENTS)
def test_every_agent_reads_its_own_shell_payload(agent: str) -> None:
    call = parse_call(agent, shell_payload(agent, "uv pip install httpx", "/srv/app"))
    assert (call.command, call.cwd) == ("uv pip install httpx", "/srv/app")


# --- replies --------------------------------------------------------------------------------------------


def test_claude_deny_and_ask_replies() -> None:
    for decision in ("deny", "ask"):
        result = render("claude-code", decision, "'reqeusts' is not on PyPI. Did you mean 'requests'?")
        assert result.exit_code == 0 and result.stdout.startswith("{")
        out = json.loads(result.stdout)["hookSpecificOutput"]
        assert out == {
            "hookEventName": "PreToolUse",
            "permissionDecision": decision,
            "permissionDecisionReason": "'reqeusts' is not on PyPI. Did you mean 'requests'?",
        }


def test_codex_deny_is_json_and_warning_never_uses_ask() -> None:
    deny = json.loads(render("codex", "deny", "bad").stdout)
    assert deny["hookSpecificOutput"]["permissionDecision"] == "deny"
    assert deny["hookSpecificOutput"]["permissionDecisionReason"] == "bad"
    warn = render("codex", "ask", "doubtful")
    body = json.loads(warn.stdout)
    assert "permissionDecision" not in body["hookSpecificOutput"]
    assert body["systemMessage"] == "doubtful"
    assert body["hookSpecificOutput"]["additionalContext"] == "doubtful"
    assert "doubtful" in warn.stderr and warn.exit_code == 0


def test_gemini_replies() -> None:
    assert json.loads(render("gemini", "deny", "bad").stdout) == {"decision": "deny", "reason": "bad"}
    warn = render("gemini", "ask", "doubtful")
    assert json.loads(warn.stdout) == {"decision": "allow", "systemMessage": "doubtful"}
    assert "doubtful" in warn.stderr


def test_cursor_always_answers_json() -> None:
    assert json.loads(render("cursor", "allow").stdout) == {"permission": "allow"}
    for decision in ("deny", "ask"):
        body = json.loads(render("cursor", decision, "why").stdout)
        assert body == {"permission": decision, "user_message": "why", "agent_message": "why"}


@pytest.mark.parametrize("agent", ["claude-code", "codex", "gemini"])
def test_plain_allow_prints_nothing(agent: str) -> None:
    result = render(agent, "allow", note="slopguard: fyi")
    assert (result.stdout, result.stderr, result.exit_code) == ("", "slopguard: fyi\n", 0)


def test_untrusted_text_is_escaped_and_capped() -> None:
    evil = "req\x1b[2J\u202euests\x07"
    assert clean(evil) == "req\\x1b[2J\\u202euests\\x07"
    assert len(clean("x" * 20_000)) <= MAX_TEXT
    result = render("claude-code", "deny", "name " + evil + "\nnext line " + "y" * 20_000)
    reason = json.loads(result.stdout)["hookSpecificOutput"]["permissionDecisionReason"]
    assert "\x1b" not in reason and "\u202e" not in reason and len(reason) <= MAX_TEXT
    assert "\nnext line" in reason  # slopguard's own line breaks survive
