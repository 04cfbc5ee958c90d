"""The real pipeline behind the hook (extract, registry, rules, policy) against the loopback fake registry:
in-process through `run_hook` and as `python -m slopguard hook AGENT` subprocesses, as agents run it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from fakeregistry import FakeRegistry
from hook_payloads import AGENTS, claude_payload, codex_payload, shell_payload

from slopguard.config import Settings
from slopguard.hook import run_hook

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def world(fake_registry: FakeRegistry) -> FakeRegistry:
    """Popular `requests` and `left-pad`, and a PyPI package first released three days ago."""
    fake_registry.add_pypi("requests", versions={f"2.{i}.0": f"201{i}-01-01T00:00:00Z" for i in range(6)})
    fake_registry.add_npm("left-pad", versions={"1.3.0": "2018-04-09T00:00:00.000Z"})
    recent = (datetime.now(timezone.utc) - timedelta(days=3)).strftime("%Y-%m-%dT%H:%M:%SZ")
    fake_registry.add_pypi("fresh-helper-lib", versions={"0.0.1": recent})
    return fake_registry


def _env(registry: FakeRegistry, tmp_path: Path) -> dict[str, str]:
    return {**os.environ, **registry.env(tmp_path / "cache")}


def _hook(agent: str, payload: bytes, env: dict[str, str], *extra: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "slopguard", "hook", agent, *extra],
        input=payload,
        capture_output=True,
        timeout=60,
        cwd=REPO,
        env=env,
    )


def _decision(agent: str, stdout: bytes) -> tuple[str, str]:
    """(decision, message) from an agent reply; ("allow", "") for an empty one."""
    if not stdout.strip():
        return "allow", ""
    body = json.loads(stdout)
    if agent == "cursor":
        return body["permission"], body.get("agent_message", "")
    if agent == "gemini":
        return body["decision"], body.get("reason") or body.get("systemMessage", "")
    out = body.get("hookSpecificOutput", {})
    if "permissionDecision" in out:
        return out["permissionDecision"], out["permissionDecisionReason"]
    return "warn", body.get("systemMessage", "")


@pytest.mark.parametrize("agent", AGENTS)
def test_typo_is_denied_with_the_intended_name(agent: str, world: FakeRegistry, tmp_path: Path) -> None:
    done = _hook(agent, shell_payload(agent, "pip install reqeusts", str(tmp_path)), _env(world, tmp_path))
    assert done.returncode == 0, done.stderr
    decision, message = _decision(agent, done.stdout)
    assert decision == "deny"
    assert "'reqeusts'" in message and "requests" in message and "does not exist" in message
    assert world.paths("/pypi/reqeusts")


@pytest.mark.parametrize("agent", AGENTS)
def test_real_package_is_allowed(agent: str, world: FakeRegistry, tmp_path: Path) -> None:
    done = _hook(agent, shell_payload(agent, "cd app && pip install requests", str(tmp_path)), _env(world, tmp_path))
    assert done.returncode == 0 and _decision(agent, done.stdout)[0] == "allow", done.stderr


def test_new_package_asks_in_claude_and_warns_in_codex(world: FakeRegistry, tmp_path: Path) -> None:
    env = _env(world, tmp_path)
    claude = _hook("claude-code", shell_payload("claude-code", "pip install fresh-helper-lib", str(tmp_path)), env)
    decision, message = _decision("claude-code", claude.stdout)
    assert decision == "ask" and "3 days ago" in message
    codex = _hook("codex", codex_payload("Bash", "pip install fresh-helper-lib", str(tmp_path)), env)
    assert _decision("codex", codex.stdout)[0] == "warn" and b"3 days ago" in codex.stderr


def test_npm_typo_in_process(world: FakeRegistry, registry_settings: Settings, tmp_path: Path) -> None:
    result = run_hook("cursor", shell_payload("cursor", "npm install --save lef-pad", str(tmp_path)), registry_settings)
    body = json.loads(result.stdout)
    assert body["permission"] == "deny" and "left-pad" in body["agent_message"]


@pytest.mark.parametrize("agent", AGENTS)
def test_registry_down_asks_rather_than_blocks(agent: str, world: FakeRegistry, tmp_path: Path) -> None:
    world.fault("/", "503")
    settings = world.settings(tmp_path, max_tries=1)
    result = run_hook(agent, shell_payload(agent, "pip install some-new-name", str(tmp_path)), settings)
    decision, _ = _decision(agent, result.stdout.encode())
    assert decision in ("ask", "warn", "allow") and decision != "deny"
    assert result.exit_code == 0
    if agent in ("claude-code", "cursor"):
        assert decision == "ask"


def test_deadline_hit_with_a_stalled_registry(fake_registry: FakeRegistry, tmp_path: Path) -> None:
    fake_registry.slow_seconds = 10.0
    fake_registry.fault("/", "slow")
    settings = fake_registry.settings(tmp_path, hook_deadline=1.0, read_timeout=10.0, max_tries=1)
    start = time.monotonic()
    result = run_hook("claude-code", claude_payload("Bash", {"command": "pip install reqeusts"}), settings)
    assert time.monotonic() - start < 3.0
    assert json.loads(result.stdout)["hookSpecificOutput"]["permissionDecision"] == "ask"


def test_write_of_a_manifest_is_checked_with_edits(world: FakeRegistry, tmp_path: Path) -> None:
    env = _env(world, tmp_path)
    path = str(tmp_path / "requirements.txt")
    payload = claude_payload("Write", {"file_path": path, "content": "requests==2.5.0\nreqeusts\n"}, str(tmp_path))
    assert _hook("claude-code", payload, env).stdout == b""
    done = _hook("claude-code", payload, env, "--edits")
    decision, message = _decision("claude-code", done.stdout)
    assert decision == "deny" and "reqeusts" in message and "file change" in message


def test_codex_apply_patch_is_checked_with_edits(world: FakeRegistry, tmp_path: Path) -> None:
    patch = "*** Begin Patch\n*** Add File: requirements.txt\n+requests\n+reqeusts\n*** End Patch\n"
    done = _hook("codex", codex_payload("apply_patch", patch, str(tmp_path)), _env(world, tmp_path), "--edits")
    decision, message = _decision("codex", done.stdout)
    assert decision == "deny" and "reqeusts" in message


def test_a_broken_config_file_falls_back_to_the_defaults(world: FakeRegistry, tmp_path: Path) -> None:
    (tmp_path / ".slopguard.toml").write_text("hook_deadline = [unclosed\n")
    done = _hook(
        "claude-code", shell_payload("claude-code", "pip install reqeusts", str(tmp_path)), _env(world, tmp_path)
    )
    assert done.returncode == 0 and b"could not load its config" in done.stderr
    assert _decision("claude-code", done.stdout)[0] == "deny"
    assert "could not load its config" in json.loads(done.stdout)["systemMessage"]  # the user sees it too
