"""Typosquat judged on the candidate's own evidence (issue 13, item 1), through `slopguard check` and `scan`.

The noise pairs are real packages that resemble a popular name (measured at ecosystem scale by
`bench/eval_detection.py --packages`); the attack shapes are the same resemblances uploaded fresh.
"""

from __future__ import annotations

import io
import json
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from fakeregistry import FakeRegistry

from slopguard.cli import main

NOISE = [  # (ecosystem, established look-alike, the popular name it resembles)
    ("pypi", "tensorflow-gpu", "tensorflow-cpu"),
    ("pypi", "python", "ipython"),
    ("pypi", "figlet", "pyfiglet"),
    ("pypi", "tslib", "tblib"),
    ("npm", "jsonc", "json5"),
    ("npm", "signals", "signale"),
    ("npm", "lodash.unset", "lodash.set"),
    ("npm", "@aws-sdk/client-ram", "@aws-sdk/client-iam"),
    ("npm", "@uniswap/v3-core", "@uniswap/v2-core"),
    ("go", "github.com/pion/webrtc/v4", "github.com/pions/webrtc"),
]
SAME_OWNER = [  # (ecosystem, name, the popular name under the same owner)
    ("npm", "@types/convict", "@types/connect"),
    ("npm", "@aws-sdk/client-ram", "@aws-sdk/client-iam"),
    ("npm", "@uniswap/v3-core", "@uniswap/v2-core"),
    ("go", "github.com/tidwall/rtree", "github.com/tidwall/btree"),
    ("go", "github.com/aws/aws-cdk-go/awscdk/v2", "github.com/aws/aws-sdk-go"),
    ("go", "golang.org/x/tool", "golang.org/x/tools"),
    ("go", "gopkg.in/yaml.v4", "gopkg.in/yaml.v3"),
]
ATTACKS = [  # (ecosystem, fresh look-alike, the popular name it imitates)
    ("pypi", "reqeusts", "requests"),
    ("pypi", "tensorflow-gpu", "tensorflow-cpu"),
    ("npm", "lodahs", "lodash"),
    ("npm", "jsonc", "json5"),
    ("npm", "@typess/node", "@types/node"),
    ("npm", "koa-body-parse", "koa-bodyparser"),
    ("go", "github.com/boltdb-go/bolt", "github.com/boltdb/bolt"),
]


def _iso(days_ago: float) -> str:
    return (datetime.now(timezone.utc) - timedelta(days=days_ago)).strftime("%Y-%m-%dT%H:%M:%SZ")


def _history(count: int, oldest_days: float, newest_days: float) -> dict[str, str]:
    step = (oldest_days - newest_days) / max(count - 1, 1)
    return {f"1.{i}.0": _iso(oldest_days - i * step) for i in range(count)}


def _add(registry: FakeRegistry, eco: str, name: str, *, fresh: bool) -> None:
    """`name` as an established package (6 years, 12 releases over time, a repository) or a fresh upload."""
    versions = {"0.0.1": _iso(3)} if fresh else _history(12, 2200, 40)
    repository = None if fresh else f"https://github.com/example/{name.strip('@').replace('/', '-')}"
    if eco == "pypi":
        registry.add_pypi(name, versions=versions, repository=repository)
    elif eco == "npm":
        registry.add_npm(name, versions=versions, repository=repository)
    else:
        registry.add_go(name, versions={f"v{v}": t for v, t in versions.items()})


@pytest.fixture
def world(fake_registry: FakeRegistry, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> FakeRegistry:
    monkeypatch.chdir(tmp_path)
    for var in ("SLOPGUARD_PYPI_URL", "SLOPGUARD_NPM_URL", "SLOPGUARD_GOPROXY", "SLOPGUARD_OFFLINE"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.delenv("SLOPGUARD_ON_UNKNOWN", raising=False)
    return fake_registry


def _argv(world: FakeRegistry, tmp_path: Path) -> list[str]:
    return [
        "--pypi-url", world.url, "--npm-url", world.url + "/npm", "--goproxy", world.url + "/go",
        "--cache-dir", str(tmp_path / "cache"), "--format", "json",
    ]  # fmt: skip


def _run(argv: list[str]) -> tuple[int, dict[str, Any]]:
    out = io.StringIO()
    code = main(argv, stdout=out, stderr=io.StringIO())
    return code, json.loads(out.getvalue())


def _finding(report: dict[str, Any], name: str) -> dict[str, Any]:
    return next(f for f in report["findings"] if f["name"] == name)


def _codes(finding: dict[str, Any]) -> set[str]:
    return {r["code"] for r in finding["reasons"]}


@pytest.mark.parametrize(("eco", "name", "target"), NOISE, ids=[n for _, n, _ in NOISE])
def test_established_look_alike_is_no_typosquat(
    world: FakeRegistry, tmp_path: Path, eco: str, name: str, target: str
) -> None:
    _add(world, eco, name, fresh=False)
    code, report = _run(["check", f"{eco}:{name}", *_argv(world, tmp_path)])
    finding = _finding(report, name)
    assert code == 0 and finding["verdict"] == "ok", finding
    assert "typosquat" not in _codes(finding) and finding["suggestion"] is None
    (note,) = [r for r in finding["reasons"] if r["code"] == "look-alike"]  # the resemblance stays, as information
    assert target in note["message"]


@pytest.mark.parametrize(("eco", "name", "target"), ATTACKS, ids=[n for _, n, _ in ATTACKS])
def test_fresh_look_alike_is_still_a_typosquat(
    world: FakeRegistry, tmp_path: Path, eco: str, name: str, target: str
) -> None:
    _add(world, eco, name, fresh=True)
    code, report = _run(["check", f"{eco}:{name}", *_argv(world, tmp_path)])
    finding = _finding(report, name)
    assert code == 1 and finding["verdict"] == "block", finding
    assert "typosquat" in _codes(finding) and finding["suggestion"] == target


@pytest.mark.parametrize(("eco", "name", "target"), SAME_OWNER, ids=[n for _, n, _ in SAME_OWNER])
def test_never_a_typosquat_within_one_owner(
    world: FakeRegistry, tmp_path: Path, eco: str, name: str, target: str
) -> None:
    _add(world, eco, name, fresh=True)  # even fresh: only the scope's owner publishes there
    _, report = _run(["check", f"{eco}:{name}", *_argv(world, tmp_path)])
    finding = _finding(report, name)
    assert "typosquat" not in _codes(finding) and finding["suggestion"] is None
    assert "new-package" in _codes(finding) and finding["verdict"] == "warn"


def test_a_missing_look_alike_keeps_its_did_you_mean(world: FakeRegistry, tmp_path: Path) -> None:
    refs = ["npm:@types/conect", "go:k8s.io/clientgo", "pypi:tensorflow-cpv"]
    code, report = _run(["check", *refs, *_argv(world, tmp_path)])
    assert code == 1
    assert _finding(report, "@types/conect")["suggestion"] == "@types/connect"  # same scope, yet not there
    assert _finding(report, "k8s.io/clientgo")["suggestion"] == "k8s.io/client-go"
    assert _finding(report, "tensorflow-cpv")["suggestion"] == "tensorflow-cpu"
    assert all(f["verdict"] == "block" for f in report["findings"])


def test_scan_of_a_manifest_flags_only_the_fresh_look_alike(world: FakeRegistry, tmp_path: Path) -> None:
    for _, name, _ in NOISE:
        if not name.startswith(("@", "github.com")) and name not in ("python", "figlet", "tslib", "tensorflow-gpu"):
            _add(world, "npm", name, fresh=False)
    _add(world, "npm", "lodahs", fresh=True)
    project = tmp_path / "app"
    project.mkdir()
    deps = {"jsonc": "^1.2.0", "signals": "^1.0.0", "lodash.unset": "^1.5.0", "lodahs": "^0.0.1"}
    (project / "package.json").write_text(json.dumps({"name": "app", "dependencies": deps}), encoding="utf-8")
    code, report = _run(["scan", str(project / "package.json"), *_argv(world, tmp_path)])
    flagged = {f["name"]: f["verdict"] for f in report["findings"] if f["verdict"] != "ok"}
    assert code == 1 and flagged == {"lodahs": "block"}


@pytest.mark.parametrize(
    ("versions", "repository", "why"),
    [
        ({f"1.{i}.0": _iso(800 - i / 24) for i in range(12)}, "https://github.com/x/jsonc", "a burst of releases"),
        (_history(12, 2200, 40), None, "no repository"),
        (_history(12, 300, 10), "https://github.com/x/jsonc", "under a year old"),
        (_history(2, 2200, 40), "https://github.com/x/jsonc", "two releases"),
    ],
    ids=["burst", "no-repository", "young", "two-releases"],
)
def test_any_missing_evidence_keeps_the_typosquat(
    world: FakeRegistry, tmp_path: Path, versions: dict[str, str], repository: str | None, why: str
) -> None:
    world.add_npm("jsonc", versions=versions, repository=repository)
    _, report = _run(["check", "npm:jsonc", *_argv(world, tmp_path)])
    finding = _finding(report, "jsonc")
    assert "typosquat" in _codes(finding) and finding["suggestion"] == "json5", why
    assert finding["verdict"] in ("warn", "block")


def test_verbose_text_shows_the_resemblance_of_an_ok_package(world: FakeRegistry, tmp_path: Path) -> None:
    _add(world, "npm", "jsonc", fresh=False)
    argv = [a for a in _argv(world, tmp_path) if a not in ("--format", "json")]
    for verbose, shown in (([], False), (["-v"], True)):
        out = io.StringIO()
        assert main(["check", "npm:jsonc", *argv, *verbose], stdout=out, stderr=io.StringIO()) == 0
        assert ("look-alike" in out.getvalue() and "json5" in out.getvalue()) is shown, out.getvalue()


def test_a_go_look_alike_owner_with_cloned_history_is_still_a_typosquat(world: FakeRegistry, tmp_path: Path) -> None:
    _add(world, "go", "github.com/boltdb-io/bolt", fresh=False)  # commit times are the author's: a clone looks old
    _add(world, "go", "github.com/pion/webrtc/v4", fresh=True)  # `pion` publishes popular modules itself
    argv = ["check", "go:github.com/boltdb-io/bolt", "go:github.com/pion/webrtc/v4", *_argv(world, tmp_path)]
    _, report = _run(argv)
    clone = _finding(report, "github.com/boltdb-io/bolt")
    assert "typosquat" in _codes(clone) and clone["suggestion"] == "github.com/boltdb/bolt"
    assert clone["verdict"] == "warn", clone
    own = _finding(report, "github.com/pion/webrtc/v4")
    assert "typosquat" not in _codes(own) and "look-alike" in _codes(own)
