"""The hook's warm path: a second call about the same packages answers the same from the decision store, asks
no registry and loads none of the lookup or rule machinery (issue 7's speed target)."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from fakeregistry import FakeRegistry
from hook_payloads import shell_payload

REPO = Path(__file__).resolve().parents[2]
HEAVY = ("httpx", "diskcache", "rapidfuzz", "slopguard.rules", "slopguard.policy", "hashlib")


def _env(registry: FakeRegistry, tmp_path: Path) -> dict[str, str]:
    return {**os.environ, **registry.env(tmp_path / "cache")}


def _hook(payload: bytes, env: dict[str, str]) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "slopguard", "hook", "claude-code"],
        input=payload,
        capture_output=True,
        timeout=60,
        cwd=REPO,
        env=env,
    )


def _imported(stderr: bytes) -> set[str]:
    names = set()
    for line in stderr.decode(errors="replace").splitlines():
        if line.startswith("import time:") and "|" in line:
            names.add(line.rsplit("|", 1)[1].strip())
    return names


@pytest.mark.parametrize(
    ("command", "decision"),
    [
        ("pip install reqeusts", "deny"),  # not found, with a suggestion
        ("pip install requests fresh-helper-lib", "ask"),  # a new package
        ("pip install requests", ""),
    ],
)
def test_the_second_call_answers_alike_from_the_store(
    command: str, decision: str, fake_registry: FakeRegistry, tmp_path: Path
) -> None:
    fake_registry.add_pypi("requests", versions={f"2.{i}.0": f"201{i}-01-01T00:00:00Z" for i in range(6)})
    recent = (datetime.now(timezone.utc) - timedelta(days=3)).strftime("%Y-%m-%dT%H:%M:%SZ")
    fake_registry.add_pypi("fresh-helper-lib", versions={"0.0.1": recent})
    env = _env(fake_registry, tmp_path)
    payload = shell_payload("claude-code", command, str(tmp_path))
    first = _hook(payload, env)
    assert first.returncode == 0, first.stderr
    asked = len(fake_registry.requests)
    assert asked > 0
    second = _hook(payload, env)
    assert second.returncode == 0, second.stderr
    assert second.stdout == first.stdout
    assert (f'"permissionDecision": "{decision}"'.encode() in second.stdout) if decision else not second.stdout
    assert len(fake_registry.requests) == asked
    loaded = _imported(second.stderr)
    assert "slopguard.registry.decisions" in loaded
    assert [m for m in HEAVY if m in loaded] == []


COLD_HEAVY = (
    "httpx", "httpcore", "http.client", "email", "diskcache", "concurrent.futures", "asyncio", "logging",
    "dataclasses", "html.parser", "packaging", "hashlib",
)  # fmt: skip
"""What a cold call (a name never seen, an empty cache) must not load: issue 7's cold-path target."""


@pytest.mark.parametrize(("command", "decision"), [("pip install reqeusts", "deny"), ("pip install requests", "")])
def test_a_cold_call_asks_without_the_heavy_network_stack(
    command: str, decision: str, fake_registry: FakeRegistry, tmp_path: Path
) -> None:
    fake_registry.add_pypi("requests", versions={f"2.{i}.0": f"201{i}-01-01T00:00:00Z" for i in range(6)})
    cold = _hook(shell_payload("claude-code", command, str(tmp_path)), _env(fake_registry, tmp_path))
    assert cold.returncode == 0, cold.stderr
    assert (f'"permissionDecision": "{decision}"'.encode() in cold.stdout) if decision else not cold.stdout
    assert fake_registry.requests, "the cold call asked the registry"
    loaded = _imported(cold.stderr)
    assert "slopguard.registry.stdhttp" in loaded
    assert [m for m in COLD_HEAVY if m in loaded] == []


def test_with_a_proxy_configured_the_hook_goes_through_httpx(fake_registry: FakeRegistry, tmp_path: Path) -> None:
    # The socket transport speaks no proxy protocol; httpx honours the variables. This proxy is for https
    # only, so the loopback registry (plain http) is still reached directly.
    env = {**_env(fake_registry, tmp_path), "HTTPS_PROXY": "http://127.0.0.1:9"}
    cold = _hook(shell_payload("claude-code", "pip install reqeusts", str(tmp_path)), env)
    assert cold.returncode == 0, cold.stderr
    assert b'"permissionDecision": "deny"' in cold.stdout
    loaded = _imported(cold.stderr)
    assert "httpx" in loaded and "slopguard.registry.stdhttp" in loaded
