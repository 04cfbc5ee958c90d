"""Issue 12, items 3 and 10: a pull request cannot configure its own check, and the Action never reports clean
when it did not look.

Each test builds a repository the way actions/checkout leaves a pull_request run (a base commit, the agent's
branch with a hostile head commit, a later main commit and their merge checked out) and runs the real entry
points: action.yml's scan step (`python -m slopguard.action`) with bash, and `slopguard scan --git BASE...HEAD`.
Lookups go to a loopback fake registry; a second one plays the attacker's host and must see no request.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "action"))

from action_fixtures import ROOT, PullRequest, git  # type: ignore[import-not-found]  # noqa: E402
from action_yaml import load  # type: ignore[import-not-found]  # noqa: E402
from fakeregistry import FakeRegistry  # type: ignore[import-not-found]  # noqa: E402
from test_action_run import annotations, read_outputs, run_action  # type: ignore[import-not-found]  # noqa: E402

Files = dict[str, "str | None"]


@pytest.fixture(scope="module")
def action() -> dict[str, Any]:
    data: dict[str, Any] = load((ROOT / "action.yml").read_text(encoding="utf-8"))
    return data


@pytest.fixture
def attacker() -> Iterator[FakeRegistry]:
    """The host a hostile pull request points the registries at: it must never be asked anything."""
    with FakeRegistry() as registry:
        yield registry


def _commit(repo: Path, files: Files, message: str) -> str:
    for rel, text in files.items():
        path = repo / rel
        if text is None:
            git(repo, "rm", "-q", rel)
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "--allow-empty", "-m", message)
    return git(repo, "rev-parse", "HEAD")


def hostile_pr(tmp_path: Path, base_files: Files, head_files: Files) -> PullRequest:
    """`base_files` committed first; the agent's branch commits `head_files` (None deletes); main moves on; the
    merge of both is checked out (as actions/checkout does), so the working tree holds the hostile files."""
    repo = tmp_path / "repo"
    repo.mkdir(parents=True)
    git(repo, "init", "-q", "-b", "main")
    git(repo, "config", "commit.gpgsign", "false")
    _commit(repo, base_files, "initial")
    git(repo, "checkout", "-q", "-b", "agent/feature")
    head = _commit(repo, head_files, "agent's change")
    git(repo, "checkout", "-q", "main")
    base = _commit(repo, {"docs/index.md": "# docs\n"}, "docs")
    git(repo, "checkout", "-q", "--detach", base)
    git(repo, "merge", "-q", "--no-ff", "-m", "merge", head)
    git(repo, "branch", "pr-merge")
    merge = git(repo, "rev-parse", "HEAD")
    event = {"pull_request": {"number": 7, "base": {"sha": base}, "head": {"sha": head}}}
    event_path = tmp_path / "event.json"
    event_path.write_text(json.dumps(event), encoding="utf-8")
    return PullRequest(repo, base, head, merge, event_path)


def world(registry: FakeRegistry) -> None:
    registry.add_pypi(
        "requests",
        versions={"2.30.0": "2023-05-03T00:00:00Z", "2.31.0": "2023-05-22T00:00:00Z", "2.32.0": "2024-05-20T00:00:00Z"},
        repository="https://github.com/psf/requests",
    )


REQS = "requests==2.31.0\n"
REQS_HALLUCINATED = "requests==2.31.0\nreqeusts==2.31.0\n"
PYPROJECT = '[project]\nname = "demo"\nversion = "1.0"\n\n'


@dataclass
class Scenario:
    """A hostile head commit: the files of base and head (given the fake and attacker URLs), the package that must
    still be blocked, and the setting change that must be reported at its line."""

    id: str
    base: Callable[[str, str], Files]
    head: Callable[[str, str], Files]
    blocked: str
    change: tuple[str, int, str]
    registry_inputs: dict[str, str] = field(default_factory=dict)
    inputs: dict[str, str] = field(default_factory=dict)


SCENARIOS = [
    Scenario(
        "allow-everything",
        lambda fake, evil: {"requirements.txt": REQS},
        lambda fake, evil: {"requirements.txt": REQS_HALLUCINATED, ".slopguard.toml": '[allow]\n"*" = ["*"]\n'},
        "reqeusts",
        (".slopguard.toml", 2, "config-changed"),
    ),
    Scenario(
        "offline-and-allow-unknown",
        lambda fake, evil: {"requirements.txt": REQS, "pyproject.toml": PYPROJECT},
        lambda fake, evil: {
            "requirements.txt": REQS_HALLUCINATED,
            "pyproject.toml": PYPROJECT + '[tool.slopguard]\noffline = true\non-unknown = "allow"\n',
        },
        "reqeusts",
        ("pyproject.toml", 7, "config-changed"),
    ),
    Scenario(
        "pypi-registry-moved",
        lambda fake, evil: {
            "requirements.txt": REQS,
            "pyproject.toml": PYPROJECT + f'[tool.slopguard.registries]\npypi = "{fake}"\n',
        },
        lambda fake, evil: {
            "requirements.txt": REQS_HALLUCINATED,
            "pyproject.toml": PYPROJECT + f'[tool.slopguard.registries]\npypi = "{evil}"\n',
        },
        "reqeusts",
        ("pyproject.toml", 6, "config-changed"),
        registry_inputs={"pypi-url": ""},  # the base commit's [tool.slopguard.registries] names the registry
    ),
    Scenario(
        "npmrc-scope-moved",
        lambda fake, evil: {
            ".npmrc": f"@acme:registry={fake}/npm/\n",
            "package.json": '{\n  "name": "demo",\n  "dependencies": {}\n}\n',
        },
        lambda fake, evil: {
            ".npmrc": f"@acme:registry={evil}/npm/\n",
            "package.json": '{\n  "name": "demo",\n  "dependencies": {\n    "@acme/widgetz": "^1.0.0"\n  }\n}\n',
        },
        "@acme/widgetz",
        (".npmrc", 1, "index-changed"),
    ),
    Scenario(
        "config-input-file-rewritten",
        lambda fake, evil: {"requirements.txt": REQS, ".github/slopguard.toml": 'on-unknown = "warn"\n'},
        lambda fake, evil: {
            "requirements.txt": REQS_HALLUCINATED,
            ".github/slopguard.toml": 'on-unknown = "allow"\noffline = true\n[allow]\n"*" = ["*"]\n',
        },
        "reqeusts",
        (".github/slopguard.toml", 4, "config-changed"),
        inputs={"config": ".github/slopguard.toml"},
    ),
]


def _asked(registry: FakeRegistry, name: str) -> bool:
    return any(name in p or name.replace("/", "%2f") in p or name.replace("/", "%2F") in p for p in registry.requests)


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.id)
def test_action_takes_no_setting_from_the_pull_request(
    action: dict[str, Any],
    tmp_path: Path,
    fake_registry: FakeRegistry,
    attacker: FakeRegistry,
    scenario: Scenario,
) -> None:
    world(fake_registry)
    fake, evil = fake_registry.url, attacker.url
    pr = hostile_pr(tmp_path, scenario.base(fake, evil), scenario.head(fake, evil))
    inputs = {"sarif-file": "slopguard.sarif", **scenario.registry_inputs, **scenario.inputs}
    done, work = run_action(action, pr, fake_registry, inputs)

    assert done.returncode == 1, done.stdout + done.stderr  # still blocked
    assert attacker.requests == []
    assert _asked(fake_registry, scenario.blocked), fake_registry.requests
    path, line, code = scenario.change
    notes = annotations(done.stdout)
    assert any(kind == "error" and scenario.blocked in props.get("title", "") for kind, props, _ in notes), notes
    warned = [(p.get("file"), p.get("line"), p.get("title", "")) for k, p, _ in notes if k == "warning"]
    assert any(f == path and ln == str(line) and code in t for f, ln, t in warned), done.stdout

    outputs = read_outputs(work / "github_output")
    assert outputs["verdict"] == "block" and int(outputs["blocked"]) >= 1 and int(outputs["warned"]) >= 1
    report = json.loads(Path(outputs["report"]).read_text(encoding="utf-8"))
    assert {(c["path"], c["line"], c["code"], c["verdict"]) for c in report["changes"]} >= {(path, line, code, "warn")}
    blocked = [f for f in report["findings"] if f["name"] == scenario.blocked]
    assert blocked and blocked[0]["verdict"] == "block" and blocked[0]["reasons"][0]["code"] == "not-found"

    sarif = json.loads((pr.repo / "slopguard.sarif").read_text(encoding="utf-8"))
    results = {
        (r["ruleId"], r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
         r["locations"][0]["physicalLocation"]["region"]["startLine"], r["level"])
        for r in sarif["runs"][0]["results"]
    }  # fmt: skip
    assert (code, path, line, "warning") in results
    assert code in {rule["id"] for rule in sarif["runs"][0]["tool"]["driver"]["rules"]}
    summary = (work / "step_summary.md").read_text(encoding="utf-8")
    assert code in summary and "changed setting" in summary


def _cli(
    repo: Path, args: list[str], env: dict[str, str], stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    full = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(repo.parent), **env}
    return subprocess.run(
        [sys.executable, "-m", "slopguard", *args], cwd=repo, env=full, input=stdin, capture_output=True,
        text=True, timeout=120, check=False,
    )  # fmt: skip


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.id)
def test_scan_git_range_takes_no_setting_from_the_head(
    tmp_path: Path, fake_registry: FakeRegistry, attacker: FakeRegistry, scenario: Scenario
) -> None:
    world(fake_registry)
    fake, evil = fake_registry.url, attacker.url
    pr = hostile_pr(tmp_path, scenario.base(fake, evil), scenario.head(fake, evil))
    env = {"SLOPGUARD_CACHE_DIR": str(tmp_path / "cache"), "SLOPGUARD_NPM_URL": fake + "/npm"}
    if "pypi-url" not in scenario.registry_inputs:
        env["SLOPGUARD_PYPI_URL"] = fake
    args = ["scan", "--git", f"{pr.base}...{pr.head}", "--format", "json"]
    if "config" in scenario.inputs:
        args += ["--config", scenario.inputs["config"]]
    git(pr.repo, "checkout", "-q", pr.head)  # a local run: the agent's branch checked out
    done = _cli(pr.repo, args, env)

    assert done.returncode == 1, done.stdout + done.stderr
    assert attacker.requests == []
    assert _asked(fake_registry, scenario.blocked)
    report = json.loads(done.stdout)
    assert any(f["name"] == scenario.blocked and f["verdict"] == "block" for f in report["findings"])
    path, line, code = scenario.change
    assert (path, line, code) in {(c["path"], c["line"], c["code"]) for c in report["changes"]}


def test_base_config_still_applies_when_the_head_deletes_it(
    action: dict[str, Any], tmp_path: Path, fake_registry: FakeRegistry
) -> None:
    """The base commit allow-lists the team's private packages; a head that deletes that config does not make
    them look hallucinated, and the deletion itself is reported."""
    world(fake_registry)
    pr = hostile_pr(
        tmp_path,
        {"requirements.txt": REQS, ".slopguard.toml": '[allow]\npypi = ["mycorp-*"]\n'},
        {"requirements.txt": "requests==2.31.0\nmycorp-tool==1.0\n", ".slopguard.toml": None},
    )
    done, work = run_action(action, pr, fake_registry, {"sarif-file": "slopguard.sarif"})
    assert done.returncode == 0, done.stdout + done.stderr
    outputs = read_outputs(work / "github_output")
    report = json.loads(Path(outputs["report"]).read_text(encoding="utf-8"))
    mine = next(f for f in report["findings"] if f["name"] == "mycorp-tool")
    assert mine["verdict"] == "ok" and [r["code"] for r in mine["reasons"]] == ["allowed"]
    assert [(c["path"], c["line"], c["code"]) for c in report["changes"]] == [
        (".slopguard.toml", None, "config-changed")
    ]
    assert outputs["verdict"] == "warn"


def test_plain_diff_scan_reports_changed_settings(tmp_path: Path, fake_registry: FakeRegistry) -> None:
    """`git diff | slopguard scan -`: the lines that change settings are reported in every format."""
    world(fake_registry)
    pr = hostile_pr(
        tmp_path,
        {"requirements.txt": REQS},
        {
            "requirements.txt": "--extra-index-url https://__token__:s3cr3t@evil.example/simple\n" + REQS,
            ".slopguard.toml": '[allow]\n"*" = ["*"]\n',
            "pip.conf": "[global]\nindex-url = https://mirror.example/simple\n",
        },
    )
    diff = git(pr.repo, "diff", f"{pr.base}...{pr.head}") + "\n"
    env = {**fake_registry.env(tmp_path / "cache")}
    expected = {
        (".slopguard.toml", 2, "config-changed"),
        ("pip.conf", 2, "index-changed"),
        ("requirements.txt", 1, "index-changed"),
    }
    done = _cli(pr.repo, ["scan", "--format", "json", "-"], env, stdin=diff)
    assert done.stdout, done.stderr
    report = json.loads(done.stdout)
    assert {(c["path"], c["line"], c["code"]) for c in report["changes"]} == expected
    assert report["verdict"] == "warn" and done.returncode == 0
    for fmt in ("text", "github", "markdown", "sarif"):
        out = _cli(pr.repo, ["scan", "--format", fmt, "-"], env, stdin=diff).stdout
        assert "s3cr3t" not in out and "__token__" not in out, fmt  # credentials in index URLs are masked
        assert "config-changed" in out and "index-changed" in out, fmt
        assert "pip.conf" in out, fmt


@pytest.mark.parametrize("depth", [1, 2])
def test_shallow_checkout_is_an_error_never_a_clean_report(
    action: dict[str, Any], tmp_path: Path, fake_registry: FakeRegistry, depth: int
) -> None:
    """depth 1: the base commit is missing; depth 2: base and head are there but not their merge base, so the
    diff cannot be computed. Either way: exit 2, verdict=error, no SARIF (a stale one is removed)."""
    world(fake_registry)
    pr = hostile_pr(tmp_path / "origin", {"requirements.txt": REQS}, {"requirements.txt": REQS_HALLUCINATED})
    clone = tmp_path / "repo"
    subprocess.run(
        ["git", "clone", "-q", "--depth", str(depth), "--branch", "pr-merge", f"file://{pr.repo}", str(clone)],
        check=True, capture_output=True, env={**os.environ, "GIT_CONFIG_NOSYSTEM": "1"},
    )  # fmt: skip
    shallow = PullRequest(clone, pr.base, pr.head, pr.merge, pr.event_path)
    (clone / "slopguard.sarif").write_text('{"runs": [{"results": []}]}', encoding="utf-8")  # an earlier run's
    done, work = run_action(action, shallow, fake_registry, {"sarif-file": "slopguard.sarif"})

    assert done.returncode == 2, done.stdout + done.stderr
    assert not (clone / "slopguard.sarif").exists()
    outputs = read_outputs(work / "github_output")
    assert outputs["verdict"] == "error"
    assert outputs["blocked"] == "" and outputs["warned"] == "" and outputs["report"] == ""
    notes = annotations(done.stdout)
    assert notes and all(kind == "error" and "file" not in props for kind, props, _ in notes), done.stdout
    assert "fetch-depth: 0" in done.stdout
    assert "not scanned" in (work / "step_summary.md").read_text(encoding="utf-8")
    assert fake_registry.requests == []

    cli = _cli(clone, ["scan", "--git", f"{pr.base}...{pr.head}"], fake_registry.env(tmp_path / "cache"))
    assert cli.returncode == 2, cli.stdout + cli.stderr


@pytest.mark.parametrize("depth", [0, 1])
def test_paths_input_on_a_pull_request_takes_no_setting_from_the_head(
    action: dict[str, Any], tmp_path: Path, fake_registry: FakeRegistry, depth: int
) -> None:
    """`paths` scans whole files of the checkout, but on a pull request the checkout is the change under review:
    the config still comes from the base commit, and when a shallow clone lacks it, from no repository file."""
    world(fake_registry)
    allow_all = SCENARIOS[0]
    pr = hostile_pr(tmp_path / "origin", allow_all.base("", ""), allow_all.head("", ""))
    clone = tmp_path / "repo"
    depth_args = ["--depth", str(depth)] if depth else []
    subprocess.run(
        ["git", "clone", "-q", *depth_args, "--branch", "pr-merge", f"file://{pr.repo}", str(clone)],
        check=True, capture_output=True, env={**os.environ, "GIT_CONFIG_NOSYSTEM": "1"},
    )  # fmt: skip
    checkout = PullRequest(clone, pr.base, pr.head, pr.merge, pr.event_path)
    done, work = run_action(action, checkout, fake_registry, {"paths": "requirements.txt"})
    assert done.returncode == 1, done.stdout + done.stderr
    assert read_outputs(work / "github_output")["verdict"] == "block"
    config_notes = [p for k, p, _ in annotations(done.stdout) if k == "warning" and "config" in p.get("title", "")]
    assert len(config_notes) == (1 if depth else 0), done.stdout
