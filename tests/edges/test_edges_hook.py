"""Hook edges (issue 15 section 3): a broken config is told to the user; the gate reads the command only."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from fakeregistry import FakeRegistry
from hypothesis import given, settings
from hypothesis import strategies as st

from slopguard.extract.prefilter import may_install
from slopguard.hook.fastmain import GATE_WORDS, command_bytes, gate_may_install, respond
from slopguard.hook.protocols import parse_call, render, with_notice
from slopguard.hook.result import HookResult

AGENTS = ("claude-code", "codex", "gemini", "cursor")


def payload(agent: str, command: Any, cwd: str, **extra: Any) -> bytes:
    """The agent's shell-tool payload for `command` (a string, or Codex's argv list) run in `cwd`."""
    if agent == "cursor":
        body: dict[str, Any] = {"hook_event_name": "beforeShellExecution", "command": command, "cwd": cwd, **extra}
    else:
        tool = {"claude-code": "Bash", "codex": "shell", "gemini": "run_shell_command"}[agent]
        event = "BeforeTool" if agent == "gemini" else "PreToolUse"
        body = {"hook_event_name": event, "cwd": cwd, "tool_name": tool, "tool_input": {"command": command, **extra}}
    return json.dumps(body, ensure_ascii=False).encode()


def _told(agent: str, result: HookResult | str) -> tuple[str, str, str]:
    """(decision, what the user is shown, what the model is told) of a reply."""
    assert isinstance(result, HookResult)
    body = json.loads(result.stdout) if result.stdout.strip() else {}
    if agent == "cursor":
        return body["permission"], body.get("user_message", ""), body.get("agent_message", "")
    if agent == "gemini":
        return body.get("decision", "allow"), body.get("systemMessage", ""), body.get("reason", "")
    out = body.get("hookSpecificOutput", {})
    model = out.get("permissionDecisionReason") or out.get("additionalContext", "")
    return out.get("permissionDecision", "allow"), body.get("systemMessage", ""), model


# --- a config the hook cannot load -----------------------------------------------------------------------------


@pytest.fixture
def project(fake_registry: FakeRegistry, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project whose config has an invalid allow list, the environment pointing at the fake registry."""
    for name, value in fake_registry.env(tmp_path / "cache").items():
        monkeypatch.setenv(name, value)
    fake_registry.add_pypi("requests", versions={f"2.{i}.0": f"201{i}-01-01T00:00:00Z" for i in range(6)})
    (tmp_path / ".slopguard.toml").write_text('allow = { pypi = ["reqeusts", 3] }\n')  # 3 is not a name
    return tmp_path


@pytest.mark.parametrize("agent", AGENTS)
def test_a_broken_config_is_told_to_the_user_and_the_decision_stands(agent: str, project: Path) -> None:
    result = respond(agent, payload(agent, "pip install reqeusts", str(project)))
    decision, user, model = _told(agent, result)
    assert decision == "deny" and "reqeusts" in model
    assert "could not load its config" in user and "allow and deny lists" in user and ".slopguard.toml" in user
    assert "could not load its config" not in model  # the model's reason is about the package only
    assert isinstance(result, HookResult) and "could not load its config" in result.stderr


@pytest.mark.parametrize("agent", AGENTS)
def test_a_broken_config_is_told_on_an_allowed_install_too(agent: str, project: Path) -> None:
    decision, user, _ = _told(agent, respond(agent, payload(agent, "pip install requests", str(project))))
    assert decision == "allow" and "could not load its config" in user


def test_a_sound_config_adds_no_notice(project: Path) -> None:
    (project / ".slopguard.toml").write_text('allow = { pypi = ["reqeusts"] }\n')
    assert respond("claude-code", payload("claude-code", "pip install reqeusts", str(project))) == HookResult("", "", 0)


@pytest.mark.parametrize("agent", AGENTS)
def test_with_notice_keeps_the_decision_and_puts_the_notice_first(agent: str) -> None:
    ask = render(agent, "ask", "check these packages", "a note")
    told = with_notice(agent, ask, "config\x1b[2J broken")
    before, after = json.loads(ask.stdout), json.loads(told.stdout)
    key = "user_message" if agent == "cursor" else "systemMessage"
    assert after[key].startswith("config\\x1b[2J broken")  # escaped, never a live escape sequence
    assert {k: v for k, v in after.items() if k != key} == {k: v for k, v in before.items() if k != key}
    assert told.stderr.startswith(ask.stderr) and told.exit_code == 0


# --- the gate reads the command, not the whole payload ----------------------------------------------------------


@pytest.mark.parametrize("agent", AGENTS)
def test_a_home_named_like_a_tool_does_not_open_the_gate(agent: str) -> None:
    for cwd in ("/home/hugo", "/home/u/go/src/pipeline", "/srv/npm-mirror/install"):
        assert not gate_may_install(payload(agent, "ls -la && git status", cwd))
        assert gate_may_install(payload(agent, "pip install x", cwd))


def test_codex_argv_and_escaped_quotes_are_read_to_their_end() -> None:
    argv = payload("codex", ["bash", "-lc", 'echo "]" && ls'], "/home/hugo")
    assert command_bytes(argv) == b'"bash", "-lc", "echo \\"]\\" && ls"' and not gate_may_install(argv)
    tail = payload("codex", ["bash", "-lc", 'echo "]"', "pip"], "/tmp")
    assert gate_may_install(tail)  # a word after an escaped bracket is still inside the array
    quoted = payload("claude-code", 'echo "a \\" b" \\\\', "/home/hugo", description="pip install")
    assert not gate_may_install(quoted)


@pytest.mark.parametrize(
    "raw",
    [
        # JSON keeps the last of two keys: the gate must not judge the first one
        b'{"tool_name": "Bash", "tool_input": {"command": "ls", "command": "pip install reqeusts"}}',
        b'{"tool_name": "Bash", "tool_input": {"cmd": "ls", "command": "pip install reqeusts"}}',
        # "command" as a value before the real key
        b'{"tool_name": "Bash", "tool_input": {"description": "command", "command": "pip install x"}}',
    ],
)
def test_a_command_that_cannot_be_isolated_is_judged_on_the_whole_payload(raw: bytes) -> None:
    assert command_bytes(raw) is None and gate_may_install(raw)
    call = parse_call("claude-code", raw)
    assert call.command is not None and may_install(call.command)


_ALPHABET = st.sampled_from(['"', "\\", "[", "]", " ", "a", "/", ":", ",", "{", "}", "é", *"pipnmgouvx"])
_WORDS = st.sampled_from([w.decode() for w in GATE_WORDS] + ["install", "add", "-r", "requirements.txt", "go get"])


@settings(max_examples=300, deadline=None)
@given(
    agent=st.sampled_from(AGENTS),
    parts=st.lists(st.one_of(_WORDS, st.text(_ALPHABET, max_size=6)), min_size=1, max_size=8),
    cwd=st.text(_ALPHABET, max_size=12),
    argv=st.booleans(),
)
def test_gate_never_hides_what_the_prefilter_flags(agent: str, parts: list[str], cwd: str, argv: bool) -> None:
    command = " ".join(parts)
    data = payload(agent, ["bash", "-lc", command] if argv and agent == "codex" else command, "/p/" + cwd)
    parsed = parse_call(agent, data).command
    assert parsed is not None
    if may_install(parsed):
        assert gate_may_install(data)
