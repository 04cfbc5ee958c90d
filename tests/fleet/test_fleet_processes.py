"""Fleet memory across processes against a real redis-server: records, decisions and the ledger shared by machines
with separate local caches, the slopsquat seen by one and caught by another, and 8 hook calls at once."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

from fakeregistry import FakeRegistry
from redisserver import RedisServer, run_hook

REPO = Path(__file__).resolve().parents[2]


def _env(registry: FakeRegistry, cache: Path, server: RedisServer, machine: str, **more: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SLOPGUARD_")}
    env.update(registry.env(cache), SLOPGUARD_SHARED_CACHE=server.url, SLOPGUARD_MACHINE=machine, **more)
    return env


def _check(env: dict[str, str], cwd: Path, *refs: str) -> dict[str, dict[str, object]]:
    done = subprocess.run(
        [sys.executable, "-m", "slopguard", "check", "--format", "json", "--fail-on", "never", *refs],
        capture_output=True, text=True, env=env, cwd=cwd, timeout=60, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    findings = json.loads(done.stdout)["findings"]
    return {f["name"]: f for f in findings}


def _codes(finding: dict[str, object]) -> set[str]:
    reasons = finding["reasons"]
    assert isinstance(reasons, list)
    return {r["code"] for r in reasons}


def _decision(stdout: bytes) -> tuple[str, str]:
    if not stdout.strip():
        return "allow", ""
    out = json.loads(stdout)["hookSpecificOutput"]
    return out["permissionDecision"], out["permissionDecisionReason"]


def test_two_processes_share_records_and_the_ledger(
    redis_server: RedisServer, fake_registry: FakeRegistry, tmp_path: Path
) -> None:
    fake_registry.add_pypi("requests", versions={"2.0.0": "2015-01-01T00:00:00Z", "2.1.0": "2016-01-01T00:00:00Z"})
    first = _check(
        _env(fake_registry, tmp_path / "a", redis_server, "alpha"), tmp_path, "pypi:requests", "pypi:ghost-lib"
    )
    asked = len(fake_registry.requests)
    assert asked >= 2 and first["ghost-lib"]["verdict"] == "block" and first["requests"]["verdict"] == "ok"

    second = _check(
        _env(fake_registry, tmp_path / "b", redis_server, "beta"), tmp_path, "pypi:requests", "pypi:ghost-lib"
    )
    assert len(fake_registry.requests) == asked  # the other machine's records answered
    assert {n: f["verdict"] for n, f in second.items()} == {n: f["verdict"] for n, f in first.items()}

    done = subprocess.run(
        [sys.executable, "-m", "slopguard", "ledger", "--format", "json"],
        capture_output=True, text=True, env=_env(fake_registry, tmp_path / "c", redis_server, "gamma"),
        cwd=tmp_path, timeout=60, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    names = json.loads(done.stdout)["names"]
    assert [(n["ecosystem"], n["name"], n["count"], n["machines"], n["first_seen_on"]) for n in names] == [
        ("pypi", "ghost-lib", 1, 1, "alpha")
    ]


def test_a_name_seen_missing_by_one_process_and_registered_later_is_caught_by_another(
    redis_server: RedisServer, fake_registry: FakeRegistry, tmp_path: Path
) -> None:
    (tmp_path / ".slopguard.toml").write_text("cache-ttl = { not-found = 1 }\n")
    env_a = _env(fake_registry, tmp_path / "a", redis_server, "alpha")
    assert _check(env_a, tmp_path, "pypi:ghost-lib")["ghost-lib"]["verdict"] == "block"
    time.sleep(1.2)  # the not-found record expires in the store; the first miss does not
    now = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    fake_registry.add_pypi("ghost-lib", versions={"0.0.1": now})

    env_b = _env(fake_registry, tmp_path / "b", redis_server, "beta")
    decision, message = _decision(run_hook(env_b, tmp_path, "pip install ghost-lib").stdout)
    assert decision == "deny" and "someone registered a name that was missing" in message, message
    finding = _check(_env(fake_registry, tmp_path / "c", redis_server, "gamma"), tmp_path, "pypi:ghost-lib")[
        "ghost-lib"
    ]
    assert "registered-after-missing" in _codes(finding)

    alone = {k: v for k, v in env_b.items() if k != "SLOPGUARD_SHARED_CACHE"}
    alone["SLOPGUARD_CACHE_DIR"] = str(tmp_path / "d")
    assert "registered-after-missing" not in _codes(_check(alone, tmp_path, "pypi:ghost-lib")["ghost-lib"])


def test_eight_hook_processes_at_once_decide_as_one(
    redis_server: RedisServer, fake_registry: FakeRegistry, tmp_path: Path
) -> None:
    fake_registry.add_pypi("requests", versions={"2.0.0": "2015-01-01T00:00:00Z", "2.1.0": "2016-01-01T00:00:00Z"})
    command = "pip install requests ghost-lib"
    alone = {k: v for k, v in _env(fake_registry, tmp_path / "x", redis_server, "x").items() if "SHARED" not in k}
    expected = _decision(run_hook(alone, tmp_path, command).stdout)
    assert expected[0] == "deny"
    before = len(fake_registry.requests)
    payload_env = [_env(fake_registry, tmp_path / f"m{i}", redis_server, f"m{i}") for i in range(8)]
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "slopguard", "hook", "claude-code"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
            cwd=tmp_path,
        )  # fmt: skip
        for env in payload_env
    ]
    payload = json.dumps(
        {
            "session_id": "f",
            "cwd": str(tmp_path),
            "hook_event_name": "PreToolUse",
            "tool_name": "Bash",
            "tool_input": {"command": command},
            "tool_use_id": "t",
        }  # fmt: skip
    ).encode()
    outs = [p.communicate(payload, timeout=60) for p in procs]
    assert [_decision(out)[0] for out, _ in outs] == [expected[0]] * 8
    assert all(b"shared cache" not in err for _, err in outs)
    assert len(fake_registry.requests) - before <= 8 * 3  # at worst each asked for itself, never more
    entry = redis_server.command("ZCARD", "slopguard:1:ledger")
    assert entry == b":1\r\n"  # one name seen missing, however many machines saw it
    after = len(fake_registry.requests)
    again = run_hook(_env(fake_registry, tmp_path / "late", redis_server, "late"), tmp_path, command)
    assert _decision(again.stdout)[0] == expected[0] and len(fake_registry.requests) == after
