"""Issue 12, registry replies: a reply that is not the documented shape is `registry-unavailable` through
`slopguard check` and `slopguard scan`, never `not-found` (block), never `ok`, never cached, never a first miss."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path
from typing import Any

import pytest
from fakeregistry import FakeRegistry

from slopguard.cli import main
from slopguard.config import Settings
from slopguard.models import Ecosystem, LookupKey
from slopguard.registry import RecordCache

ROWS = {
    # the table: npm answers 200 with the body `null` -> was block `not-found`, cached 15 min, first miss noted
    "npm 200 null": b"null",
    # npm answers 200 with a JSON object lacking `name`/`versions` -> was ok, cached 24 h
    "npm 200 object without name and versions": b'{"_id": "left-pad", "dist-tags": {}}',
    "npm 200 packument of another name": b'{"name": "right-pad", "versions": {"1.0.0": {}}}',
}


@pytest.fixture
def env(fake_registry: FakeRegistry, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> FakeRegistry:
    for name, value in fake_registry.env(tmp_path / "cache").items():
        monkeypatch.setenv(name, value)
    monkeypatch.chdir(tmp_path)
    fake_registry.add_npm("left-pad", versions={"1.0.0": "2016-01-01T00:00:00.000Z"})
    return fake_registry


def run_json(*argv: str) -> tuple[int, dict[str, Any]]:
    out, err = io.StringIO(), io.StringIO()
    old_stdin = sys.stdin
    sys.stdin = io.TextIOWrapper(io.BytesIO(b""))
    try:
        code = main([*argv, "--format", "json"], stdout=out, stderr=err)
    finally:
        sys.stdin = old_stdin
    return code, json.loads(out.getvalue())


def assert_unavailable(report: dict[str, Any]) -> None:
    (finding,) = [f for f in report["findings"] if f["name"] == "left-pad"]
    assert finding["verdict"] == "warn"
    assert [r["code"] for r in finding["reasons"]] == ["registry-unavailable"]
    assert finding["registry"]["status"] == "unknown"


def assert_not_remembered(env: FakeRegistry, tmp_path: Path) -> None:
    cache = RecordCache(Settings(cache_dir=tmp_path / "cache"))
    try:
        assert cache.first_missing(LookupKey(Ecosystem.NPM, "left-pad")) is None
    finally:
        cache.close()


@pytest.mark.parametrize("row", ROWS)
def test_check(env: FakeRegistry, tmp_path: Path, row: str) -> None:
    env.fault("/npm/left-pad", "body", body=ROWS[row])
    code, report = run_json("check", "npm:left-pad")
    assert code == 0
    assert_unavailable(report)
    asked = len(env.paths("/npm/left-pad"))
    assert asked == 1  # not retried: asking again gets the same reply
    code, report = run_json("check", "npm:left-pad")
    assert_unavailable(report)
    assert len(env.paths("/npm/left-pad")) == 2  # not cached
    assert_not_remembered(env, tmp_path)


@pytest.mark.parametrize("row", ROWS)
def test_scan(env: FakeRegistry, tmp_path: Path, row: str) -> None:
    env.fault("/npm/left-pad", "body", body=ROWS[row])
    (tmp_path / "package.json").write_text(json.dumps({"name": "app", "dependencies": {"left-pad": "^1.0.0"}}))
    code, report = run_json("scan", str(tmp_path / "package.json"))
    assert code == 0
    assert_unavailable(report)
    assert_not_remembered(env, tmp_path)
