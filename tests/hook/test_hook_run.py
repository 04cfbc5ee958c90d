"""run_hook in-process: decisions per agent, and the fail-safe paths (malformed input, errors, deadline).

The check itself (`slopguard.hook.checking.check_call`) is replaced here by stand-ins returning real
`Report` values, so these tests pin the hook's own logic; test_hook_e2e.py runs the real pipeline.
"""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path

import pytest
from hook_payloads import AGENTS, claude_payload, codex_payload, shell_payload

from slopguard.config import Settings
from slopguard.hook import HookResult, run_hook
from slopguard.hook import checking as checking_mod
from slopguard.hook.checking import hook_settings, patch_sources
from slopguard.hook.protocols import Call
from slopguard.models import (
    Ecosystem,
    Finding,
    Location,
    PackageRef,
    Reason,
    RefKind,
    Report,
    SourceKind,
    Status,
    Verdict,
)
from slopguard.models import RegistryRecord as Record


def _finding(name: str, verdict: Verdict, code: str, message: str, suggestion: str | None = None) -> Finding:
    ref = PackageRef(
        Ecosystem.PYPI, name, name, RefKind.INSTALL, Location("<command>", 1), evidence=f"pip install {name}"
    )
    record = Record(Ecosystem.PYPI, name, Status.NOT_FOUND if code == "not-found" else Status.EXISTS)
    return Finding(Ecosystem.PYPI, name, (ref,), record, verdict, (Reason(code, message),), suggestion)


BLOCK = Report(
    (_finding("reqeusts", Verdict.BLOCK, "not-found", "no package of this name exists on PyPI", "requests"),)
)
WARN = Report((_finding("reqests-toolbelt", Verdict.WARN, "new-package", "first released 3 days ago"),))
OK = Report((_finding("requests", Verdict.OK, "exists", "fine"),))


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(cache_dir=tmp_path / "cache", hook_deadline=2.0)


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> list[Call]:
    """Record every call that reaches the check; each answers with the report set in `answers`."""
    seen: list[Call] = []

    def fake(call: Call, settings: Settings, started: float | None = None, *, allow_edits: bool = False) -> Report:
        seen.append(call)
        return ANSWER[0]

    monkeypatch.setattr(checking_mod, "check_call", fake)
    return seen


ANSWER: list[Report] = [OK]


@pytest.fixture(autouse=True)
def _reset_answer() -> None:
    ANSWER[0] = OK


def _reason(result: HookResult) -> str:
    out = json.loads(result.stdout)
    return str(out["hookSpecificOutput"]["permissionDecisionReason"])


@pytest.mark.parametrize("agent", AGENTS)
def test_non_install_commands_never_reach_the_check(agent: str, settings: Settings, calls: list[Call]) -> None:
    for command in ("ls -la && git status", "npm test", "go build ./...", "pytest -q"):
        result = run_hook(agent, shell_payload(agent, command), settings)
        assert result.exit_code == 0 and result.stderr == ""
        assert result.stdout == ('{"permission":"allow"}\n' if agent == "cursor" else "")
    assert calls == []


def test_claude_block_denies_with_the_suggestion(settings: Settings, calls: list[Call]) -> None:
    ANSWER[0] = BLOCK
    result = run_hook("claude-code", claude_payload("Bash", {"command": "pip install reqeusts"}), settings)
    assert calls[0].command == "pip install reqeusts" and calls[0].cwd == "/home/user/proj"
    out = json.loads(result.stdout)["hookSpecificOutput"]
    assert out["permissionDecision"] == "deny" and result.exit_code == 0
    reason = out["permissionDecisionReason"]
    assert "'reqeusts'" in reason and "Did you mean 'requests'?" in reason
    assert "no package of this name exists on PyPI" in reason
    assert "Use the intended package ('requests')" in reason


def test_claude_warn_asks(settings: Settings, calls: list[Call]) -> None:
    ANSWER[0] = WARN
    result = run_hook("claude-code", claude_payload("Bash", {"command": "pip install reqests-toolbelt"}), settings)
    assert json.loads(result.stdout)["hookSpecificOutput"]["permissionDecision"] == "ask"
    assert "first released 3 days ago" in _reason(result)


def test_ok_prints_nothing(settings: Settings, calls: list[Call]) -> None:
    result = run_hook("claude-code", claude_payload("Bash", {"command": "pip install requests"}), settings)
    assert len(calls) == 1 and result == HookResult("", "", 0)


@pytest.mark.parametrize(
    ("agent", "key"), [("codex", "hookSpecificOutput"), ("gemini", "decision"), ("cursor", "permission")]
)
def test_each_agent_denies_a_block(agent: str, key: str, settings: Settings, calls: list[Call]) -> None:
    ANSWER[0] = BLOCK
    result = run_hook(agent, shell_payload(agent, "pip install reqeusts"), settings)
    body = json.loads(result.stdout)
    assert result.exit_code == 0
    if agent == "codex":
        assert body[key]["permissionDecision"] == "deny" and "requests" in body[key]["permissionDecisionReason"]
    elif agent == "gemini":
        assert body == {"decision": "deny", "reason": body["reason"]} and "requests" in body["reason"]
    else:
        assert body[key] == "deny" and "requests" in body["agent_message"]


def test_codex_and_gemini_warnings_let_the_call_through_with_a_message(settings: Settings, calls: list[Call]) -> None:
    ANSWER[0] = WARN
    codex = run_hook("codex", codex_payload("Bash", "pip install reqests-toolbelt"), settings)
    assert "permissionDecision" not in json.loads(codex.stdout)["hookSpecificOutput"]
    assert "first released" in codex.stderr
    gemini = run_hook("gemini", shell_payload("gemini", "pip install reqests-toolbelt"), settings)
    assert json.loads(gemini.stdout)["decision"] == "allow" and "first released" in gemini.stderr
    cursor = run_hook("cursor", shell_payload("cursor", "pip install reqests-toolbelt"), settings)
    assert json.loads(cursor.stdout)["permission"] == "ask"


@pytest.mark.parametrize("agent", AGENTS)
def test_malformed_json_never_denies(agent: str, settings: Settings, calls: list[Call]) -> None:
    result = run_hook(agent, b'{"tool_name": "Bash", "tool_input": {"command": "pip install x"', settings)
    assert result.exit_code == 0 and "not JSON" in result.stderr
    assert "deny" not in result.stdout and "ask" not in result.stdout
    assert calls == []


def test_internal_error_applies_on_unknown(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(call: Call, settings: Settings, started: float | None = None, *, allow_edits: bool = False) -> Report:
        raise OSError("cache database is locked")

    monkeypatch.setattr(checking_mod, "check_call", broken)
    payload = claude_payload("Bash", {"command": "pip install requests"})
    result = run_hook("claude-code", payload, settings)
    assert json.loads(result.stdout)["hookSpecificOutput"]["permissionDecision"] == "ask"
    assert "cache database is locked" in result.stderr and "on-unknown=warn" in result.stderr
    blocked = run_hook("claude-code", payload, settings.replace(on_unknown="block"))
    assert json.loads(blocked.stdout)["hookSpecificOutput"]["permissionDecision"] == "deny"
    allowed = run_hook("claude-code", payload, settings.replace(on_unknown="allow"))
    assert allowed.stdout == "" and "on-unknown=allow" in allowed.stderr


def test_deadline_hit_answers_in_time(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    release = threading.Event()

    def stuck(call: Call, settings: Settings, started: float | None = None, *, allow_edits: bool = False) -> Report:
        release.wait(10)
        return BLOCK

    monkeypatch.setattr(checking_mod, "check_call", stuck)
    start = time.monotonic()
    result = run_hook("cursor", shell_payload("cursor", "npm install left-pad"), settings.replace(hook_deadline=0.3))
    elapsed = time.monotonic() - start
    release.set()
    assert elapsed < 1.5
    body = json.loads(result.stdout)
    assert body["permission"] == "ask" and "0.3 s hook deadline" in result.stderr


def test_edits_are_checked_only_when_allowed(settings: Settings, calls: list[Call]) -> None:
    payload = claude_payload("Write", {"file_path": "/home/user/proj/app.py", "content": "import reqeusts\n"})
    assert run_hook("claude-code", payload, settings) == HookResult("", "", 0)
    assert calls == []
    ANSWER[0] = BLOCK
    denied = run_hook("claude-code", payload, settings, allow_edits=True)
    assert calls[0].edits[0].text == "import reqeusts\n"
    assert json.loads(denied.stdout)["hookSpecificOutput"]["permissionDecision"] == "deny"
    assert "this file change" in _reason(denied)
    ANSWER[0] = WARN
    warned = run_hook("claude-code", payload, settings, allow_edits=True)
    assert "permissionDecision" not in warned.stdout and "systemMessage" in warned.stdout


def test_a_broken_stream_is_let_through(settings: Settings) -> None:
    class Broken:
        def read(self) -> bytes:
            raise OSError("stdin closed")

    result = run_hook("codex", Broken(), settings)  # type: ignore[arg-type]
    assert "stdin closed" in result.stderr
    # Allowed, and the user is told in Codex's own message channel (not the model: no additionalContext).
    assert json.loads(result.stdout) == {"systemMessage": result.stderr.rstrip("\n")}


def test_hook_settings_fit_the_registry_inside_the_hook_deadline() -> None:
    loose = Settings(hook_deadline=5.0, deadline=60.0, connect_timeout=5.0, read_timeout=10.0)
    tight = hook_settings(loose, elapsed=0.75)
    assert tight.read_timeout == pytest.approx(4.0 / 3) and tight.connect_timeout == pytest.approx(4.0 / 3)
    assert tight.deadline + tight.read_timeout == pytest.approx(4.0)
    late = hook_settings(loose, elapsed=9.0)
    assert late.deadline > 0 and late.read_timeout > 0  # never zero or negative


def test_apply_patch_sources_keep_only_added_lines() -> None:
    patch = (
        "*** Begin Patch\n"
        "*** Add File: app/main.py\n"
        "+import requests\n"
        "+import reqeusts\n"
        "*** Update File: requirements.txt\n"
        "@@\n"
        " flask==3.0\n"
        "-django\n"
        "+reqeusts==2.0\n"
        "*** Delete File: old.py\n"
        "*** Update File: notes.md\n"
        "+just text\n"
        "*** End Patch\n"
    )
    problems: list[object] = []
    sources = patch_sources(patch, problems)  # type: ignore[arg-type]
    assert [(s.filename, s.kind) for s in sources] == [
        ("app/main.py", SourceKind.PYTHON),
        ("requirements.txt", SourceKind.MANIFEST),
    ]
    assert sources[0].text == "import requests\nimport reqeusts\n"
    manifest = sources[1]
    kept = [line for n, line in enumerate(manifest.text.splitlines(), 1) if manifest.keeps(n)]
    assert kept == ["reqeusts==2.0"] and problems == []


def test_writes_slopguard_does_not_read_skip_the_check(settings: Settings, calls: list[Call]) -> None:
    for path in ("/p/README.md", "/p/styles.css", "/p/package-lock.json"):
        payload = claude_payload("Write", {"file_path": path, "content": "pip install reqeusts\n"})
        assert run_hook("claude-code", payload, settings, allow_edits=True) == HookResult("", "", 0)
    assert calls == []
    payload = claude_payload("Write", {"file_path": "/p/requirements-dev.txt", "content": "reqeusts\n"})
    run_hook("claude-code", payload, settings, allow_edits=True)
    assert len(calls) == 1
