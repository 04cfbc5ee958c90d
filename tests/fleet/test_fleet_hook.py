"""The hook and `slopguard ledger` with a shared store: fast paths never touch it, a dead store changes no decision,
shared decisions answer other machines, and the ledger lists, rechecks and escapes what it shows."""

from __future__ import annotations

import json
import os
import socket
from pathlib import Path

import pytest
from fakeregistry import FakeRegistry
from redisserver import RedisServer, run_hook

from slopguard.cli import main
from slopguard.fleet import store as store_module


def _env(registry: FakeRegistry, cache: Path, url: str, machine: str = "m") -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SLOPGUARD_")}
    env.update(registry.env(cache), SLOPGUARD_SHARED_CACHE=url, SLOPGUARD_MACHINE=machine)
    return env


def _decision(stdout: bytes) -> str:
    return "allow" if not stdout.strip() else str(json.loads(stdout)["hookSpecificOutput"]["permissionDecision"])


@pytest.fixture
def world(fake_registry: FakeRegistry) -> FakeRegistry:
    fake_registry.add_pypi("requests", versions={"2.0.0": "2015-01-01T00:00:00Z", "2.1.0": "2016-01-01T00:00:00Z"})
    return fake_registry


def _silent_listener() -> tuple[socket.socket, str]:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    listener.settimeout(0.2)
    return listener, f"redis://127.0.0.1:{listener.getsockname()[1]}/0"


def _connections(listener: socket.socket) -> int:
    count = 0
    while True:
        try:
            listener.accept()[0].close()
            count += 1
        except OSError:
            return count


def test_fast_paths_never_touch_the_store(world: FakeRegistry, redis_server: RedisServer, tmp_path: Path) -> None:
    env = _env(world, tmp_path / "a", redis_server.url)
    assert _decision(run_hook(env, tmp_path, "pip install requests ghost-lib").stdout) == "deny"  # warms "a"
    listener, url = _silent_listener()
    try:
        env = _env(world, tmp_path / "a", url)
        for command in ("ls -la && git status", "pip install requests ghost-lib", "echo hi | grep go"):
            done = run_hook(env, tmp_path, command)
            assert b"shared cache" not in done.stderr
        assert _connections(listener) == 0
    finally:
        listener.close()


def test_a_hook_with_a_dead_store_decides_as_without_one(world: FakeRegistry, tmp_path: Path) -> None:
    command = "pip install requests ghost-lib"
    alone = {k: v for k, v in _env(world, tmp_path / "alone", "").items() if k != "SLOPGUARD_SHARED_CACHE"}
    expected = run_hook(alone, tmp_path, command)
    listener, url = _silent_listener()  # accepts, never answers: the read timeout
    try:
        done = run_hook(_env(world, tmp_path / "a", url), tmp_path, command)
    finally:
        listener.close()
    assert _decision(done.stdout) == _decision(expected.stdout) == "deny"
    assert json.loads(done.stdout) == json.loads(expected.stdout)
    assert done.stderr.count(b"shared cache") == 1


def test_a_decision_made_on_one_machine_answers_another(
    world: FakeRegistry, redis_server: RedisServer, tmp_path: Path
) -> None:
    command = "pip install requests ghost-lib"
    first = run_hook(_env(world, tmp_path / "a", redis_server.url, "alpha"), tmp_path, command)
    assert redis_server.command("KEYS", "slopguard:1:d:*").startswith(b"*2\r\n")  # both decisions shared
    asked = len(world.requests)
    second = run_hook(_env(world, tmp_path / "b", redis_server.url, "beta"), tmp_path, command)
    assert json.loads(second.stdout) == json.loads(first.stdout) and len(world.requests) == asked
    assert second.stderr == b""


def test_the_ledger_lists_rechecks_and_escapes(
    world: FakeRegistry, redis_server: RedisServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    for key, value in _env(world, tmp_path / "a", redis_server.url, "alpha\x1b[31m").items():
        monkeypatch.setenv(key, value)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr("slopguard.fleet.ledger.PAUSE", 0.01)
    assert main(["check", "pypi:ghost-lib", "npm:no-such-pkg", "pypi:requests"]) == 1
    monkeypatch.setenv("SLOPGUARD_MACHINE", "beta")
    monkeypatch.setenv("SLOPGUARD_CACHE_DIR", str(tmp_path / "c"))
    capsys.readouterr()
    assert main(["ledger"]) == 0
    text = capsys.readouterr().out
    assert "pypi:ghost-lib" in text and "npm:no-such-pkg" in text and "requests" not in text
    assert "\x1b" not in text and "alpha\\x1b[31m" in text

    world.add_pypi("ghost-lib", versions={"0.0.1": "2026-01-01T00:00:00Z"})
    assert main(["ledger", "--recheck", "--format", "json"]) == 1
    names = {n["name"]: n for n in json.loads(capsys.readouterr().out)["names"]}
    assert names["ghost-lib"]["now"] == "exists" and names["no-such-pkg"]["now"] == "missing"
    assert names["ghost-lib"]["count"] == 1 and names["ghost-lib"]["machines"] == 1


def test_the_ledger_without_a_store_says_how_to_set_one(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("SLOPGUARD_SHARED_CACHE", raising=False)
    monkeypatch.chdir(tmp_path)
    store_module._told.clear()
    assert main(["ledger"]) == 2
    assert "SLOPGUARD_SHARED_CACHE" in capsys.readouterr().err
