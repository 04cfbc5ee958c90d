"""Issue 13 item 6: binaries are not package names (`npx tsc` runs `typescript`), and the project's own are its own.

Through `slopguard scan` and the agent hook against the loopback fake registry; the registry log shows which
names were looked up.
"""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path
from typing import Any

import pytest
from fakeregistry import FakeRegistry

from slopguard.cli import main
from slopguard.hook import run_hook

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "hook"))
from hook_payloads import claude_payload  # noqa: E402

_OLD = {f"5.{i}.0": f"20{15 + i}-01-01T00:00:00.000Z" for i in range(6)}


@pytest.fixture
def world(fake_registry: FakeRegistry) -> FakeRegistry:
    """`typescript` and `@angular/cli` as the real ones, and `tsc` as the deprecated squat it is."""
    for name in ("typescript", "@angular/cli", "eslint", "npm-check-updates"):
        fake_registry.add_npm(name, versions=_OLD, repository="https://github.com/x/y")
    fake_registry.add_npm("tsc", versions={"2.0.4": "2017-01-01T00:00:00.000Z"}, deprecated="use typescript")
    return fake_registry


def _scan(registry: FakeRegistry, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, script: str) -> Any:
    for key, value in registry.env(tmp_path / "cache").items():
        monkeypatch.setenv(key, value)
    path = tmp_path / "run.sh"
    path.write_text(script, encoding="utf-8")
    out = io.StringIO()
    main(["scan", "--format", "json", str(path)], stdout=out, stderr=io.StringIO())
    return json.loads(out.getvalue())


def _names(report: Any) -> dict[str, str]:
    return {f["name"]: f["verdict"] for f in report["findings"]}


def test_npx_of_a_well_known_binary_checks_its_package(
    world: FakeRegistry, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    report = _scan(world, tmp_path, monkeypatch, "npx tsc --noEmit\npnpm dlx ng new app\nbunx ncu -u\n")
    assert _names(report) == {"typescript": "ok", "@angular/cli": "ok", "npm-check-updates": "ok"}
    assert not world.paths("/npm/tsc") and not world.paths("/npm/ng")


def test_an_explicit_package_or_version_is_the_package(
    world: FakeRegistry, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    report = _scan(
        world, tmp_path, monkeypatch, "npx --package=typescript tsc\nnpx -p eslint eslint .\nnpx tsc@2.0.4\n"
    )
    names = _names(report)
    assert names["typescript"] == "ok" and names["eslint"] == "ok"
    assert names["tsc"] == "warn"  # asked for by version: the deprecated `tsc` package itself


def _hook(registry: FakeRegistry, tmp_path: Path, command: str, cwd: Path) -> tuple[str, str]:
    result = run_hook(
        "claude-code", claude_payload("Bash", {"command": command}, str(cwd)), registry.settings(tmp_path)
    )
    if not result.stdout.strip():
        return "allow", ""
    out = json.loads(result.stdout).get("hookSpecificOutput", {})
    return out.get("permissionDecision", "allow"), out.get("permissionDecisionReason", "")


def test_hook_allows_npx_tsc_as_typescript(world: FakeRegistry, tmp_path: Path) -> None:
    project = tmp_path / "proj"
    (project / ".git").mkdir(parents=True)
    assert _hook(world, tmp_path, "npx tsc --init", project)[0] == "allow"
    assert world.paths("/npm/typescript") and not world.paths("/npm/tsc")


def test_hook_reads_the_projects_own_binaries(world: FakeRegistry, tmp_path: Path) -> None:
    project = tmp_path / "mono"
    (project / ".git").mkdir(parents=True)
    (project / "node_modules" / ".bin").mkdir(parents=True)
    (project / "node_modules" / ".bin" / "gen-api").write_text("#!/bin/sh\n", encoding="utf-8")
    tool = project / "packages" / "tool"
    tool.mkdir(parents=True)
    (tool / "package.json").write_text(json.dumps({"name": "@acme/tool", "bin": {"acme-build": "cli.js"}}), "utf-8")
    manifest = {"name": "mono", "workspaces": ["packages/*"], "scripts": {"db": "NODE_ENV=dev drizzle-up push"}}
    (project / "package.json").write_text(json.dumps(manifest), encoding="utf-8")
    app = project / "apps" / "web"
    app.mkdir(parents=True)
    for command in ("npx gen-api", "npx acme-build --watch", "npm exec drizzle-up", "bunx acme-build"):
        assert _hook(world, tmp_path, command, app) == ("allow", ""), command
    assert world.paths("") == []  # nothing looked up: the project's own binaries are never fetched
    # `pnpm dlx` always fetches from the registry: the same name is looked up (and does not exist there)
    decision, reason = _hook(world, tmp_path, "pnpm dlx acme-build", app)
    assert decision == "deny" and "acme-build" in reason


def test_workspace_patterns_stay_inside_the_project(world: FakeRegistry, tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere" / "pkg"
    outside.mkdir(parents=True)
    (outside / "package.json").write_text(json.dumps({"name": "x", "bin": {"evil-bin": "a.js"}}), encoding="utf-8")
    project = tmp_path / "repo"
    (project / ".git").mkdir(parents=True)
    (project / "pnpm-workspace.yaml").write_text("packages:\n  - '../elsewhere/*'\n", encoding="utf-8")
    (project / "package.json").write_text(json.dumps({"name": "repo"}), encoding="utf-8")
    decision, reason = _hook(world, tmp_path, "npx evil-bin", project)
    assert decision == "deny" and "evil-bin" in reason  # looked up: a folder outside the project vouches for nothing
