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
    # A long command with no package tool in it is no doubt at all: allowed at once, without a note.
    decision, reason, stderr = _hook(_payload("echo " + "x" * 1_100_000, tmp_path), world, tmp_path, "block")
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


def test_a_requirements_file_past_the_limits_gets_on_unknown(world: FakeRegistry, tmp_path: Path) -> None:
    (tmp_path / "big.txt").write_text("reqeusts\n" + "# padding\n" * 600_000)  # 6 MB: over the 5 MB read
    for i in range(12):  # -r chains deeper than the 10 levels read
        (tmp_path / f"r{i}.txt").write_text(f"-r r{i + 1}.txt\n")
    (tmp_path / "r12.txt").write_text("reqeusts\n")
    for command, why in (("pip install -r big.txt", "larger than"), ("pip install -r r0.txt", "nested more than")):
        decision, reason, stderr = _hook(_payload(command, tmp_path), world, tmp_path)
        assert decision == "ask", command
        assert why in reason and "applying on-unknown=warn" in stderr


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


def test_a_payload_over_64_mib_is_not_read_and_gets_on_unknown(world: FakeRegistry, tmp_path: Path) -> None:
    huge = _payload("pip install reqeusts # " + "x" * (64 * 1024 * 1024), tmp_path)
    decision, reason, stderr = _hook(huge, world, tmp_path, "block")
    assert decision == "deny"
    assert "larger than 67,108,864 bytes" in reason and "applying on-unknown=block" in stderr


def test_an_internal_error_at_the_entry_point_gets_on_unknown(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import io

    from slopguard.hook import fastmain

    def broken(agent: str, data: bytes, *, allow_edits: bool = False) -> str:
        raise MemoryError("out of memory")

    class Stdin(io.TextIOWrapper):
        def isatty(self) -> bool:
            return False

    monkeypatch.setattr(fastmain, "respond", broken)
    monkeypatch.setattr(sys, "stdin", Stdin(io.BytesIO(b'{"tool_name": "Bash"}')))
    monkeypatch.setenv("SLOPGUARD_ON_UNKNOWN", "block")
    assert fastmain.main(["claude-code"]) == 0
    out, err = capsys.readouterr()
    assert json.loads(out)["hookSpecificOutput"]["permissionDecision"] == "deny"
    assert "internal error (MemoryError: out of memory); applying on-unknown=block" in err


def test_the_gate_knows_every_shell_tool_the_parser_knows() -> None:
    from slopguard.hook import protocols
    from slopguard.hook.fastmain import SHELL_TOOLS

    known = {name.encode() for names in protocols._SHELL_TOOLS.values() for name in names}
    assert known == set(SHELL_TOOLS)


# --- install-hook -------------------------------------------------------------------------------------

_BARE_PATH = os.pathsep.join(p for p in ("/usr/local/bin", "/usr/bin", "/bin") if os.path.isdir(p))
"""A PATH without the virtual environment running the tests (as an agent started elsewhere has)."""


def _install(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")}
    env.update(PATH=_BARE_PATH, HOME=str(tmp_path / "home"))
    return subprocess.run(
        [*HOOK, "install-hook", *args], capture_output=True, text=True, timeout=120, cwd=tmp_path, env=env
    )


def _written(tmp_path: Path) -> str:
    (group,) = json.loads((tmp_path / ".claude" / "settings.json").read_text())["hooks"]["PreToolUse"]
    return str(group["hooks"][0]["command"])


def test_install_hook_writes_an_absolute_path_that_works_without_the_venv(world: FakeRegistry, tmp_path: Path) -> None:
    done = _install(tmp_path, "claude-code")
    assert done.returncode == 0, done.stderr
    command = _written(tmp_path)
    program = shlex.split(command)[0]
    assert os.path.isabs(program) and Path(program).is_file()
    assert command.endswith(" hook claude-code") and "checked:" in done.stdout
    # The agent runs it with its own PATH, which lacks the venv: it still checks and denies the typo.
    env = {"PATH": _BARE_PATH, "HOME": str(tmp_path / "home"), **world.env(tmp_path / "cache")}
    ran = subprocess.run(
        command, shell=True, input=_payload("pip install reqeusts", tmp_path), capture_output=True, env=env, timeout=60
    )
    assert ran.returncode == 0, ran.stderr
    assert json.loads(ran.stdout)["hookSpecificOutput"]["permissionDecision"] == "deny"


def test_install_hook_dry_run_prints_the_absolute_command_and_writes_nothing(tmp_path: Path) -> None:
    done = _install(tmp_path, "claude-code", "--dry-run")
    assert done.returncode == 0, done.stderr
    assert not (tmp_path / ".claude").exists()
    (line,) = [ln for ln in done.stdout.splitlines() if "would add" in ln]
    written = line.split("would add '", 1)[1].split("'", 1)[0]
    assert os.path.isabs(shlex.split(written)[0]) and written.endswith(" hook claude-code")


def test_install_hook_command_overrides_what_is_written(tmp_path: Path) -> None:
    command = f"{shlex.quote(sys.executable)} -m slopguard hook claude-code --edits"
    done = _install(tmp_path, "claude-code", "--command", command)
    assert done.returncode == 0, done.stderr
    assert _written(tmp_path) == command


def test_install_hook_refuses_a_command_the_agent_cannot_run(tmp_path: Path) -> None:
    done = _install(tmp_path, "claude-code", "--command", "slopguard hook claude-code")
    assert done.returncode == 1
    assert "would not be able to run" in done.stderr and "127" in done.stderr and "--command" in done.stderr
    assert not (tmp_path / ".claude").exists()  # nothing written
