"""Issue 13 item 2: hijacked versions of an established package warn (naming them) and block only when pinned.

Through `slopguard scan` and the agent hook, against the loopback fake registry. `@lottiefiles/lottie-player`
(MAL-2024-10301: 2.0.5, 2.0.6, 2.0.7) and `aiocpa` (MAL-2024-11518: 0.1.13, 0.1.14) come from the shipped
`registries/*/compromised.tsv`; a name whose advisory covers every version stays `known-malicious`.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest
from fakeregistry import FakeRegistry

from slopguard.hook import run_hook
from slopguard.models import Ecosystem
from slopguard.popular import compromised, known_malicious

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "hook"))
from hook_payloads import claude_payload  # noqa: E402

sys.path.insert(0, str(Path(__file__).parent))
from scanning import scan_file  # noqa: E402

LOTTIE = "@lottiefiles/lottie-player"
_YEARS = {f"2.0.{i}": f"202{i % 5}-0{1 + i % 9}-01T00:00:00.000Z" for i in range(10)}


@pytest.fixture
def world(fake_registry: FakeRegistry) -> FakeRegistry:
    """The hijacked packages as the registries serve them today: established, years of releases, a repository."""
    fake_registry.add_npm(LOTTIE, versions=dict(sorted(_YEARS.items(), key=lambda kv: kv[1])), repository="x/y")
    fake_registry.add_pypi(
        "aiocpa", versions={f"0.1.{i}": f"202{i % 4}-01-01T00:00:00Z" for i in range(16)}, repository="x/y"
    )
    fake_registry.add_npm("left-pad", versions={"1.3.0": "2018-04-09T00:00:00.000Z"}, repository="x/y")
    # a name whose advisory covers every version: still malicious
    fake_registry.add_npm("--hiljson", versions={"1.0.0": "2019-01-01T00:00:00.000Z"}, repository="x/y")
    return fake_registry


def _finding(report: Any, name: str) -> tuple[str, dict[str, str]]:
    found = [f for f in report["findings"] if f["name"] == name]
    assert len(found) == 1, report
    return found[0]["verdict"], {r["code"]: r["message"] for r in found[0]["reasons"]}


def test_shipped_data_moves_hijacked_names_out_of_the_malicious_list() -> None:
    assert LOTTIE in compromised(Ecosystem.NPM) and LOTTIE not in known_malicious(Ecosystem.NPM)
    assert "aiocpa" in compromised(Ecosystem.PYPI) and "aiocpa" not in known_malicious(Ecosystem.PYPI)
    assert "--hiljson" in known_malicious(Ecosystem.NPM)


def test_unpinned_install_warns_naming_the_versions(
    world: FakeRegistry, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    report = scan_file(world, tmp_path, monkeypatch, "setup.sh", f"npm install {LOTTIE}\n")
    verdict, reasons = _finding(report, LOTTIE)
    assert verdict == "warn"
    assert "known-malicious" not in reasons
    assert "2.0.5, 2.0.6, 2.0.7" in reasons["compromised-versions"]
    assert "MAL-2024-10301" in reasons["compromised-versions"]


def test_pinning_an_affected_version_blocks(
    world: FakeRegistry, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    report = scan_file(
        world, tmp_path, monkeypatch, "setup.sh", f"npm install {LOTTIE}@2.0.6\npip install aiocpa==0.1.13\n"
    )
    verdict, reasons = _finding(report, LOTTIE)
    assert verdict == "block" and "2.0.6" in reasons["compromised-version"]
    verdict, reasons = _finding(report, "aiocpa")
    assert verdict == "block" and "0.1.13" in reasons["compromised-version"]


def test_pinning_a_clean_version_is_ok(world: FakeRegistry, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = json.dumps({"name": "app", "dependencies": {LOTTIE: "2.0.4"}}, indent=2)
    report = scan_file(world, tmp_path, monkeypatch, "package.json", text)
    verdict, reasons = _finding(report, LOTTIE)
    assert verdict == "ok"
    assert not {"compromised-version", "compromised-versions", "known-malicious"} & set(reasons)


def test_manifest_range_warns_and_exact_affected_pin_blocks(
    world: FakeRegistry, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    report = scan_file(world, tmp_path, monkeypatch, "requirements.txt", "aiocpa>=0.1\n")
    assert _finding(report, "aiocpa")[0] == "warn"
    report = scan_file(world, tmp_path, monkeypatch, "requirements.txt", "aiocpa==0.1.14\n")
    assert _finding(report, "aiocpa")[0] == "block"


def test_an_advisory_over_every_version_still_blocks(
    world: FakeRegistry, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    report = scan_file(world, tmp_path, monkeypatch, "setup.sh", "npm install -- --hiljson@1.0.0\n")
    verdict, reasons = _finding(report, "--hiljson")
    assert verdict == "block" and "known-malicious" in reasons


def _decision(stdout: str) -> tuple[str, str]:
    if not stdout.strip():
        return "allow", ""
    out = json.loads(stdout).get("hookSpecificOutput", {})
    return out.get("permissionDecision", "allow"), out.get("permissionDecisionReason", "")


def test_hook_asks_on_unpinned_and_denies_a_hijacked_pin(world: FakeRegistry, tmp_path: Path) -> None:
    settings = world.settings(tmp_path)
    unpinned = run_hook("claude-code", claude_payload("Bash", {"command": f"npm i {LOTTIE}"}, str(tmp_path)), settings)
    decision, reason = _decision(unpinned.stdout)
    assert decision == "ask" and "2.0.5, 2.0.6, 2.0.7" in reason
    pinned = run_hook(
        "claude-code", claude_payload("Bash", {"command": f"npm i {LOTTIE}@2.0.7"}, str(tmp_path)), settings
    )
    decision, reason = _decision(pinned.stdout)
    assert decision == "deny" and "2.0.7" in reason


def test_a_popular_package_with_hijacked_versions_is_quiet_unless_pinned_to_one(
    fake_registry: FakeRegistry, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    versions = {f"1.95.{i}": f"2024-0{1 + i % 9}-01T00:00:00.000Z" for i in range(10)}
    fake_registry.add_npm("@solana/web3.js", versions=versions, repository="x/y")
    report = scan_file(fake_registry, tmp_path, monkeypatch, "a.sh", "npm i @solana/web3.js\n")
    assert _finding(report, "@solana/web3.js")[0] == "ok"  # on the popular list: a current release installs
    report = scan_file(fake_registry, tmp_path, monkeypatch, "b.sh", "npm i @solana/web3.js@1.95.7\n")
    verdict, reasons = _finding(report, "@solana/web3.js")
    assert verdict == "block" and ">=1.95.6 <1.95.8" in reasons["compromised-version"]
