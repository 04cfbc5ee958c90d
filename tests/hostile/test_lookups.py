"""Issue 12, item 4: lookups go only to the registries the user configured.

An index or registry URL from agent output or a pull request is never contacted (a second loopback server
stands for the internal host an injected agent would probe, and records every request it gets); the package
is reported `unverified-index`, the URL named with its credentials hidden. Names on the allow or deny list
never leave the machine. Through the real entry points: `slopguard hook claude-code` and `slopguard scan`.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from fakeregistry import FakeRegistry

from slopguard.config import Settings
from slopguard.config.indexes import lookup_index, shown_url
from slopguard.models import Ecosystem, LookupKey, Status
from slopguard.registry import resolve

SECRET = "s3cr3tT0kenXYZ"


@pytest.fixture
def probe() -> Iterator[FakeRegistry]:
    """The host a URL in agent output points at: it must receive nothing."""
    with FakeRegistry() as server:
        server.add_pypi("internal-thing")
        server.add_npm("internal-thing")
        yield server


@pytest.fixture
def world(fake_registry: FakeRegistry) -> FakeRegistry:
    """The configured registry: `requests` and `left-pad` exist."""
    fake_registry.add_pypi("requests", versions={f"2.{i}.0": f"201{i}-01-01T00:00:00Z" for i in range(6)})
    fake_registry.add_npm("left-pad", versions={"1.3.0": "2018-04-09T00:00:00.000Z", "1.2.0": "2017-01-01T00:00:00Z"})
    return fake_registry


def _env(registry: FakeRegistry, tmp_path: Path) -> dict[str, str]:
    return {**os.environ, **registry.env(tmp_path / "cache"), "HOME": str(tmp_path / "home")}


def _hook(command: str, cwd: Path, env: dict[str, str]) -> tuple[str, str, str]:
    """(decision, message, everything printed) of `slopguard hook claude-code` asked about `command`."""
    payload = {
        "session_id": "abc123",
        "transcript_path": str(cwd / "t.jsonl"),
        "cwd": str(cwd),
        "permission_mode": "default",
        "hook_event_name": "PreToolUse",
        "tool_name": "Bash",
        "tool_input": {"command": command},
        "tool_use_id": "toolu_01ABC123",
    }
    done = subprocess.run(
        [sys.executable, "-m", "slopguard", "hook", "claude-code"],
        input=json.dumps(payload).encode(),
        capture_output=True,
        timeout=60,
        cwd=cwd,
        env=env,
    )
    assert done.returncode == 0, done.stderr
    printed = done.stdout.decode() + done.stderr.decode()
    if not done.stdout.strip():
        return "allow", "", printed
    out = json.loads(done.stdout).get("hookSpecificOutput", {})
    return out.get("permissionDecision", "warn"), out.get("permissionDecisionReason", ""), printed


def _scan(path: Path, cwd: Path, env: dict[str, str]) -> tuple[dict[str, dict[str, object]], str]:
    """(findings by name, everything printed) of `slopguard scan PATH --format json`."""
    done = subprocess.run(
        [sys.executable, "-m", "slopguard", "scan", str(path), "--format", "json"],
        capture_output=True,
        timeout=60,
        cwd=cwd,
        env=env,
    )
    assert done.returncode in (0, 1), done.stderr
    report = json.loads(done.stdout)
    return {f["name"]: f for f in report["findings"]}, done.stdout.decode() + done.stderr.decode()


def _codes(finding: dict[str, object]) -> set[str]:
    reasons = finding["reasons"]
    assert isinstance(reasons, list)
    return {r["code"] for r in reasons}


def _message(finding: dict[str, object], code: str) -> str:
    reasons = finding["reasons"]
    assert isinstance(reasons, list)
    return next(r["message"] for r in reasons if r["code"] == code)


@pytest.mark.parametrize(
    ("template", "name"),
    [
        ("npm i --registry {url}/ internal-thing", "internal-thing"),
        ("pip install -i {url}/ internal-thing", "internal-thing"),
        ("pip install --index-url {url}/simple internal-thing", "internal-thing"),
        ("uv pip install --index {url}/simple internal-thing", "internal-thing"),
        ("npm_config_registry={url}/ npx internal-thing@1.0.0", "internal-thing"),
    ],
)
def test_the_hook_never_contacts_an_index_the_agent_names(
    template: str, name: str, world: FakeRegistry, probe: FakeRegistry, tmp_path: Path
) -> None:
    command = template.format(url=probe.url)
    decision, message, printed = _hook(command, tmp_path, _env(world, tmp_path))
    assert probe.requests == []  # not a single GET to the host the agent named
    assert not world.paths(name)  # and the name is not asked of the public registry as if it came from there
    assert decision == "ask", printed  # a warning: Claude Code asks the user
    assert f"is installed from {probe.url}" in message and "do not configure" in message


def test_scan_never_contacts_an_index_a_script_or_requirements_file_names(
    world: FakeRegistry, probe: FakeRegistry, tmp_path: Path
) -> None:
    (tmp_path / "setup.sh").write_text(
        f"npm i --registry {probe.url}/ internal-thing\npip install -i {probe.url}/ internal-thing\n",
        encoding="utf-8",
    )
    (tmp_path / "requirements.txt").write_text(
        f"--index-url {probe.url}/simple\nother-internal\n--extra-index-url {probe.url}/extra\nrequests\n",
        encoding="utf-8",
    )
    findings, printed = _scan(tmp_path, tmp_path, _env(world, tmp_path))
    assert probe.requests == []
    assert "unverified-index" in _codes(findings["internal-thing"])
    assert "unverified-index" in _codes(findings["other-internal"])
    assert probe.url in _message(findings["other-internal"], "unverified-index")
    assert findings["other-internal"]["verdict"] == "warn"
    assert "unverified-index" in _codes(findings["requests"])  # installed from the unverified index too


def test_credentials_in_an_index_url_are_never_printed(
    world: FakeRegistry, probe: FakeRegistry, tmp_path: Path
) -> None:
    host = probe.url.removeprefix("http://")
    command = f"pip install -i http://deploy:{SECRET}@{host}/simple internal-thing"
    decision, message, printed = _hook(command, tmp_path, _env(world, tmp_path))
    assert probe.requests == []
    assert SECRET not in printed and f"http://***@{host}/simple" in message
    (tmp_path / "requirements.txt").write_text(
        f"--index-url https://ci:{SECRET}@{host}/simple?token={SECRET}\ninternal-thing\n", encoding="utf-8"
    )
    for fmt in ("json", "text", "sarif", "markdown", "github"):
        done = subprocess.run(
            [sys.executable, "-m", "slopguard", "scan", str(tmp_path / "requirements.txt"), "--format", fmt],
            capture_output=True,
            timeout=60,
            cwd=tmp_path,
            env=_env(world, tmp_path),
        )
        assert done.returncode in (0, 1), done.stderr
        assert SECRET.encode() not in done.stdout + done.stderr, fmt
    assert probe.requests == []


def test_allow_and_deny_listed_names_never_leave_the_machine(world: FakeRegistry, tmp_path: Path) -> None:
    (tmp_path / ".slopguard.toml").write_text(
        '[allow]\npypi = ["mycorp-*"]\nnpm = ["@mycorp/*"]\n[deny]\npypi = ["evil-*"]\n', encoding="utf-8"
    )
    env = _env(world, tmp_path)
    decision, message, printed = _hook("pip install mycorp-secret-lib evil-thing requests", tmp_path, env)
    assert decision == "deny" and "evil-thing" in message, printed
    decision, _, printed = _hook("npm i @mycorp/private-ui left-pad && pip install mycorp-billing", tmp_path, env)
    assert decision == "allow", printed
    (tmp_path / "requirements.txt").write_text("mycorp-secret-lib\nmycorp-other\nevil-thing\nrequests\n")
    findings, _ = _scan(tmp_path / "requirements.txt", tmp_path, env)
    assert _codes(findings["mycorp-secret-lib"]) == {"allowed"} and findings["mycorp-other"]["verdict"] == "ok"
    assert "denied" in _codes(findings["evil-thing"]) and findings["evil-thing"]["verdict"] == "block"
    assert findings["requests"]["verdict"] == "ok"
    sent = " ".join(world.requests)
    assert "mycorp" not in sent and "evil" not in sent, world.requests
    assert world.paths("/pypi/requests/") and world.paths("left-pad")  # the other names were looked up


def test_a_configured_index_is_used_and_spelled_as_the_settings_spell_it(
    world: FakeRegistry, probe: FakeRegistry, tmp_path: Path
) -> None:
    (tmp_path / ".slopguard.toml").write_text(
        f'[registries]\npypi-indexes = ["{probe.url}/simple"]\nnpm-registries = ["{probe.url}/npm"]\n',
        encoding="utf-8",
    )
    env = _env(world, tmp_path)
    decision, message, printed = _hook(f"pip install -i {probe.url.upper()}/simple/ internal-thing", tmp_path, env)
    assert decision == "allow", printed
    assert probe.paths("/simple/internal-thing/") and not world.paths("internal-thing")
    decision, _, printed = _hook(f"npm install --registry={probe.url}/npm/ internal-thing", tmp_path, env)
    assert decision == "allow", printed
    assert probe.paths("/npm/internal-thing")
    # The default registry named explicitly is the default registry: asked as usual, nothing unverified.
    decision, _, printed = _hook(f"pip install --index-url {world.url}/simple requests", tmp_path, env)
    assert decision == "allow", printed


def test_the_registry_refuses_an_unconfigured_index_and_listed_names_on_its_own(
    probe: FakeRegistry, registry_settings: Settings
) -> None:
    settings = registry_settings.replace(allow=(("pypi", "mycorp-*"),), deny=(("npm", "evil"),), use_cache=False)
    foreign = LookupKey(Ecosystem.PYPI, "internal-thing", probe.url + "/simple")
    allowed = LookupKey(Ecosystem.PYPI, "mycorp-lib")
    denied = LookupKey(Ecosystem.NPM, "evil")
    records = resolve([foreign, allowed, denied], settings)
    assert records[foreign].status is Status.UNKNOWN and "not contacted" in (records[foreign].error or "")
    assert records[allowed].status is Status.SKIPPED and records[denied].status is Status.SKIPPED
    assert probe.requests == []


def test_lookup_index_compares_urls_not_strings() -> None:
    settings = Settings(pypi_url="https://pypi.org", pypi_indexes=("https://pypi.corp.example/simple",))
    pypi = Ecosystem.PYPI
    assert lookup_index(pypi, "x", "https://PyPI.org:443/simple/", settings) == (True, None)
    assert lookup_index(pypi, "x", "https://u:p@pypi.corp.example/simple/", settings) == (
        True,
        "https://pypi.corp.example/simple",
    )
    for hostile in (
        "https://pypi.org.evil.example/simple",
        "https://pypi.org@evil.example/simple",
        "http://pypi.org/simple",
        "https://pypi.org:8443/simple",
        "https://pypi.corp.example/simple/../../admin",
        "file:///etc/passwd",
        "https://[::1/simple",
        "http://10.0.0.5:8080/",
    ):
        assert lookup_index(pypi, "x", hostile, settings) == (False, None), hostile


def test_shown_url_hides_credentials_cuts_and_escapes() -> None:
    assert shown_url(f"https://user:{SECRET}@host.example/simple") == "https://***@host.example/simple"
    assert SECRET not in shown_url(f"https://host.example/simple?token={SECRET}")
    assert SECRET not in shown_url(f"https://{SECRET}@host.example")
    long = shown_url("https://host.example/" + "a" * 5000)
    assert len(long) <= 100 and long.endswith("…")
    assert "\x1b" not in shown_url("https://host.example/\x1b[2J\n::error::x") and "\\x1b" in shown_url(
        "https://host.example/\x1b[2J"
    )


def _git(repo: Path, *args: str) -> str:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "Agent",
        "GIT_AUTHOR_EMAIL": "agent@example.invalid",
        "GIT_COMMITTER_NAME": "Agent",
        "GIT_COMMITTER_EMAIL": "agent@example.invalid",
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_CONFIG_GLOBAL": os.devnull,
    }
    done = subprocess.run(["git", *args], cwd=repo, env=env, capture_output=True, text=True, check=True)
    return done.stdout.strip()


def _commit(repo: Path, files: dict[str, str]) -> str:
    for rel, text in files.items():
        (repo / rel).write_text(text, encoding="utf-8")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "change")
    return _git(repo, "rev-parse", "HEAD")


def test_the_action_never_contacts_a_pull_requests_index_nor_sends_allow_listed_names(
    world: FakeRegistry, probe: FakeRegistry, tmp_path: Path
) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    _git(repo, "init", "-q", "-b", "main")
    base = _commit(repo, {".slopguard.toml": '[allow]\npypi = ["mycorp-*"]\n', "requirements.txt": "requests\n"})
    host = probe.url.removeprefix("http://")
    head = _commit(
        repo,
        {"requirements.txt": f"--index-url https://ci:{SECRET}@{host}/simple\ninternal-thing\nmycorp-secret-lib\n"},
    )
    env = {
        **os.environ,
        "HOME": str(tmp_path),
        "GITHUB_OUTPUT": str(tmp_path / "out"),
        "RUNNER_TEMP": str(tmp_path),
        "INPUT_BASE": base,
        "INPUT_HEAD": head,
        "INPUT_PYPI_URL": world.url,
        "INPUT_NPM_URL": world.url + "/npm",
        "INPUT_SARIF_FILE": "slopguard.sarif",
        "SLOPGUARD_CACHE_DIR": str(tmp_path / "cache"),
    }
    done = subprocess.run(
        [sys.executable, "-m", "slopguard.action"], cwd=repo, env=env, capture_output=True, timeout=60
    )
    assert done.returncode == 0, done.stdout + done.stderr  # warnings only: fail-on is block
    assert probe.requests == []
    assert not any("mycorp" in p for p in world.requests), world.requests
    written = done.stdout + done.stderr + (repo / "slopguard.sarif").read_bytes()
    written += (tmp_path / "slopguard-report.json").read_bytes()
    assert SECRET.encode() not in written
    report = json.loads((tmp_path / "slopguard-report.json").read_text(encoding="utf-8"))
    findings = {f["name"]: f for f in report["findings"]}
    assert "unverified-index" in _codes(findings["internal-thing"])
    assert f"https://***@{host}/simple" in _message(findings["internal-thing"], "unverified-index")
    assert _codes(findings["mycorp-secret-lib"]) == {"allowed"}


def test_pypi_indexes_and_npm_registries_are_read_from_the_config(tmp_path: Path) -> None:
    from slopguard.config import load_settings
    from slopguard.errors import UsageError

    config = tmp_path / ".slopguard.toml"
    config.write_text(
        '[registries]\npypi-indexes = ["https://pypi.corp.example/simple/"]\nnpm-registries = "https://npm.corp.example"\n',
        encoding="utf-8",
    )
    settings = load_settings(tmp_path, {})
    assert settings.pypi_indexes == ("https://pypi.corp.example/simple",)
    assert settings.npm_registries == ("https://npm.corp.example",)
    config.write_text('[registries]\npypi-indexes = ["10.0.0.5/simple"]\n', encoding="utf-8")
    with pytest.raises(UsageError, match="pypi-indexes"):
        load_settings(tmp_path, {})
