"""The hook entry point: the raw-bytes gate never hides an install, and the fast paths import nothing heavy."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from fakeregistry import FakeRegistry
from hook_payloads import AGENTS, claude_payload, shell_payload
from hypothesis import given, settings
from hypothesis import strategies as st

from slopguard.extract.prefilter import may_install
from slopguard.hook.fastmain import gate_may_install

REPO = Path(__file__).resolve().parents[2]

# Words the pre-filter reacts to, plus filler, to build commands the gate must never wave through.
_VOCAB = [
    "pip", "pip3", "pip3.12", "uv", "uvx", "pipx", "poetry", "pdm", "rye", "pipenv", "conda", "mamba",
    "micromamba", "npm", "npx", "yarn", "pnpm", "pnpx", "bun", "bunx", "go", "install", "i", "add", "run",
    "get", "dlx", "create", "exec", "x", "tool", "--with", "download", "wheel", "inject", "-r", "requests",
    "left-pad", "ls", "-la", "&&", "||", ";", "|", "cd", "sub", "echo", "cat", ">", ">>", "<<", "EOF",
    "requirements.txt", "constraints.txt", "pyproject.toml", "setup.cfg", "setup.py", "Pipfile",
    "environment.yml", "package.json", "go.mod", "sudo", "python", "-m", "/usr/bin/pip", "\"pip\"",
]  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_VOCAB), min_size=1, max_size=8), st.sampled_from(AGENTS))
def test_gate_lets_through_everything_the_prefilter_flags(words: list[str], agent: str) -> None:
    command = " ".join(words)
    if may_install(command):
        assert gate_may_install(shell_payload(agent, command, cwd="/tmp/x"))


def test_gate_waves_through_ordinary_commands() -> None:
    for command in ("ls -la && git status", "pytest -q tests/", "cat README.md | head -20", "make lint"):
        assert not gate_may_install(claude_payload("Bash", {"command": command}, cwd="/tmp/x"))


def test_gate_distrusts_unicode_escapes() -> None:
    escaped = b'{"tool_name":"Bash","tool_input":{"command":"\\u0070ip install reqeusts"}}'
    assert json.loads(escaped)["tool_input"]["command"] == "pip install reqeusts"
    assert gate_may_install(escaped)


def _run(args: list[str], payload: bytes, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, *args], input=payload, capture_output=True, timeout=60, cwd=REPO, env=env)


def _hook(agent: str, payload: bytes, *extra: str) -> subprocess.CompletedProcess[bytes]:
    return _run(["-m", "slopguard", "hook", agent, *extra], payload)


@pytest.mark.parametrize("agent", AGENTS)
def test_cli_non_install_command_allows(agent: str) -> None:
    done = _hook(agent, shell_payload(agent, "ls -la && git status"))
    assert done.returncode == 0 and done.stderr == b""
    assert done.stdout == (b'{"permission":"allow"}\n' if agent == "cursor" else b"")


@pytest.mark.parametrize("agent", AGENTS)
def test_cli_malformed_json_is_let_through_with_a_note(agent: str) -> None:
    done = _hook(agent, b'{"tool_name": "Bash", "tool_input": {"command": "pip install')
    assert done.returncode == 0 and b"not JSON" in done.stderr
    assert b"deny" not in done.stdout


def test_cli_usage_errors() -> None:
    assert _hook("aider", b"{}").returncode == 2
    assert _run(["-m", "slopguard", "hook"], b"{}").returncode == 2


def _modules_after(agent: str, payload: bytes) -> list[str]:
    code = (
        f"import sys; from slopguard.hook.fastmain import main; rc = main([{agent!r}]);"
        "sys.stderr.write(' '.join(sorted(sys.modules)))"
    )
    done = _run(["-c", code], payload)
    assert done.returncode == 0, done.stderr
    return done.stderr.decode().split()


def test_gate_path_imports_no_slopguard_stage_and_nothing_heavy() -> None:
    loaded = _modules_after("claude-code", claude_payload("Bash", {"command": "ls -la && git status"}, "/tmp/x"))
    ours = [m for m in loaded if m.startswith("slopguard")]
    assert ours == ["slopguard", "slopguard._version", "slopguard.hook", "slopguard.hook.fastmain"]
    for heavy in ("json", "re", "dataclasses", "typing", "pathlib", "threading"):
        assert heavy not in loaded


def test_prefilter_path_imports_nothing_heavy() -> None:
    # "go" in the command passes the gate (one in the cwd alone no longer does); the pre-filter then sees no install.
    loaded = _modules_after("claude-code", claude_payload("Bash", {"command": "ls ~/go/src"}, "/home/u/app"))
    assert "slopguard.extract.prefilter" in loaded
    for heavy in ("httpx", "tree_sitter", "diskcache", "asyncio", "packaging.requirements", "slopguard.check"):
        assert heavy not in loaded


def test_deadline_exit_does_not_wait_for_the_worker(tmp_path: Path) -> None:
    # A registry that accepts connections and never answers: the hook must answer by its deadline.
    import socket

    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    url = f"http://127.0.0.1:{server.getsockname()[1]}"
    env = {**os.environ, **FakeRegistry.env_for(url, tmp_path / "cache")}
    (tmp_path / ".slopguard.toml").write_text("hook_deadline = 1.0\n")
    try:
        payload = claude_payload("Bash", {"command": "pip install some-package-xyz"}, str(tmp_path))
        code = "import sys; from slopguard.hook.fastmain import main; sys.exit(main(['claude-code']))"
        import time

        start = time.monotonic()
        done = _run(["-c", code], payload, env)
        elapsed = time.monotonic() - start
    finally:
        server.close()
    assert done.returncode == 0, done.stderr
    # Without the deadline a silent registry holds the hook for read timeout x tries (30 s and more).
    assert elapsed < 15, (elapsed, done.stderr)
    assert done.stdout, done.stderr
    body = json.loads(done.stdout)["hookSpecificOutput"]
    assert body["permissionDecision"] == "ask", body
    assert done.stderr or "could not" in body["permissionDecisionReason"]
