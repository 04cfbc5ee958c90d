"""Issue 12, item 9: the hook never fails open by accident, through the real `slopguard hook claude-code`.

A command too long to read, one whose install sits in a syntax error or past an extractor cap, gets the
configured `on_unknown` decision (as a deadline does), never a silent allow; a payload the hook cannot read
always gets a note on stderr and in Claude's `systemMessage`. The registry is the loopback fake.
"""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from fakeregistry import FakeRegistry

REPO = Path(__file__).resolve().parents[2]
_SCRIPT = Path(sys.executable).parent / "slopguard"
HOOK = [str(_SCRIPT)] if _SCRIPT.is_file() else [sys.executable, "-m", "slopguard"]
DECISION = {"warn": "ask", "block": "deny"}


@pytest.fixture
def world(fake_registry: FakeRegistry) -> FakeRegistry:
    fake_registry.add_pypi("requests", versions={f"2.{i}.0": f"201{i}-01-01T00:00:00Z" for i in range(6)})
    return fake_registry


def _payload(command: str, cwd: Path) -> bytes:
    body = {"hook_event_name": "PreToolUse", "tool_name": "Bash", "tool_input": {"command": command}, "cwd": str(cwd)}
    return json.dumps(body).encode()


def _hook(data: bytes, registry: FakeRegistry, tmp_path: Path, on_unknown: str = "warn") -> tuple[str, str, str]:
    """(decision, the agent's reason or system message, stderr) of one `slopguard hook claude-code` run."""
    env = {**os.environ, **registry.env(tmp_path / "cache"), "SLOPGUARD_ON_UNKNOWN": on_unknown}
    done = subprocess.run(
        [*HOOK, "hook", "claude-code"], input=data, capture_output=True, timeout=120, cwd=tmp_path, env=env
    )
    assert done.returncode == 0, done.stderr
    stderr = done.stderr.decode()
    if not done.stdout.strip():
        return "allow", "", stderr
    body = json.loads(done.stdout)
    out = body.get("hookSpecificOutput", {})
    if "permissionDecision" in out:
        return out["permissionDecision"], out["permissionDecisionReason"], stderr
    return "allow", body["systemMessage"], stderr


LONG = {
    "one long line": "pip install reqeusts " + "x" * 1_100_000,
    "padding first": " " * 1_100_000 + "pip install reqeusts",
    "many lines": "echo ok\n" * 150_000 + "pip install reqeusts",
    "multi-byte": "pip install reqeusts # " + "\u00e9" * 600_000,  # 600,000 characters, 1.2 MB
}


@pytest.mark.parametrize("on_unknown", ["warn", "block"])
@pytest.mark.parametrize("shape", LONG)
def test_a_command_longer_than_1_mb_gets_on_unknown(
    shape: str, on_unknown: str, world: FakeRegistry, tmp_path: Path
) -> None:
    decision, reason, stderr = _hook(_payload(LONG[shape], tmp_path), world, tmp_path, on_unknown)
    assert decision == DECISION[on_unknown]
    assert "bytes long" in reason and "1,000,000" in reason
    assert f"applying on-unknown={on_unknown}" in stderr
    assert world.paths("/pypi/reqeusts") == []  # nothing was looked up: the command was not read


def test_a_long_command_with_on_unknown_allow_is_allowed_with_a_note(world: FakeRegistry, tmp_path: Path) -> None:
    decision, _, stderr = _hook(_payload(LONG["one long line"], tmp_path), world, tmp_path, "allow")
    assert decision == "allow"
    assert "bytes long" in stderr and "applying on-unknown=allow" in stderr


def test_a_long_command_that_installs_nothing_is_still_allowed_silently(world: FakeRegistry, tmp_path: Path) -> None:
    decision, reason, stderr = _hook(_payload("echo " + "x" * 1_100_000, tmp_path), world, tmp_path)
    assert (decision, reason, stderr) == ("allow", "", "")


def _nested(command: str, depth: int) -> str:
    for _ in range(depth):
        command = "bash -c " + shlex.quote(command)
    return command


UNREAD = {
    "syntax error around the install": 'echo "$(pip install reqeusts" ',
    "bash -c nested 8 deep": _nested("pip install reqeusts", 8),
    "40 wrappers": "sudo " * 40 + "pip install reqeusts",
}


@pytest.mark.parametrize("on_unknown", ["warn", "block"])
@pytest.mark.parametrize("shape", UNREAD)
def test_an_install_the_extractor_could_not_read_gets_on_unknown(
    shape: str, on_unknown: str, world: FakeRegistry, tmp_path: Path
) -> None:
    decision, reason, stderr = _hook(_payload(UNREAD[shape], tmp_path), world, tmp_path, on_unknown)
    assert decision == DECISION[on_unknown]
    assert "part of this command was not read" in reason
    assert f"applying on-unknown={on_unknown}" in stderr


def test_a_block_in_the_part_that_was_read_still_denies(world: FakeRegistry, tmp_path: Path) -> None:
    # `fi` is missing: a syntax error, but the install of the typo was read and is blocked with its reason,
    # even though on-unknown would allow.
    command = 'if true; then pip install reqeusts\necho "$(pip install left-padd" '
    decision, reason, _ = _hook(_payload(command, tmp_path), world, tmp_path, "allow")
    assert decision == "deny"
    assert "'reqeusts'" in reason and "requests" in reason and "was not read" in reason


MALFORMED = {
    "not JSON": b"pip install reqeusts",
    "truncated JSON": b'{"tool_name": "Bash", "tool_input": {"command": "ls"',
    "a list": b"[1, 2]",
    "tool_input not an object": b'{"tool_name": "Bash", "tool_input": 5}',
    "tool_name not a string": b'{"tool_name": 7, "tool_input": {"command": "ls"}}',
    "command missing": b'{"tool_name": "Bash", "tool_input": {"cmd2": "ls"}}',
    "invalid UTF-8": b'{"tool_name": "Bash", "tool_input": {"command": "ls \xff"}}',
    "empty": b"",
}


@pytest.mark.parametrize("shape", MALFORMED)
def test_a_payload_the_hook_cannot_read_always_gets_a_note(shape: str, world: FakeRegistry, tmp_path: Path) -> None:
    decision, message, stderr = _hook(MALFORMED[shape], world, tmp_path)
    assert decision == "allow"  # an agent-side protocol error is not a verdict on the command
    assert "was not checked" in stderr
    assert "was not checked" in message  # Claude's systemMessage: the user sees it too
