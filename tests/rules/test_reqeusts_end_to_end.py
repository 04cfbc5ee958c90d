"""The issue's acceptance check: `slopguard check pypi:reqeusts` against a world where it is 10 days old blocks."""

from __future__ import annotations

import io
import json
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from fakeregistry import FakeRegistry

from slopguard.cli import main


def _iso(days_ago: float) -> str:
    return (datetime.now(timezone.utc) - timedelta(days=days_ago)).strftime("%Y-%m-%dT%H:%M:%SZ")


@pytest.fixture
def world(fake_registry: FakeRegistry, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> FakeRegistry:
    monkeypatch.chdir(tmp_path)
    for var in ("SLOPGUARD_PYPI_URL", "SLOPGUARD_OFFLINE", "SLOPGUARD_ON_UNKNOWN", "SLOPGUARD_CACHE_DIR"):
        monkeypatch.delenv(var, raising=False)
    fake_registry.add_pypi("reqeusts", versions={"0.0.1": _iso(10)})
    fake_registry.add_pypi(
        "requests",
        versions={f"2.{i}.0": _iso(3000 - 50 * i) for i in range(30)},
        repository="https://github.com/psf/requests",
    )
    return fake_registry


def _check(world: FakeRegistry, tmp_path: Path, ref: str) -> tuple[int, Any]:
    out = io.StringIO()
    argv = ["check", ref, "--pypi-url", world.url, "--cache-dir", str(tmp_path / "cache"), "--format", "json"]
    code = main(argv, stdout=out, stderr=io.StringIO())
    return code, json.loads(out.getvalue())


def test_reqeusts_blocks_with_did_you_mean(world: FakeRegistry, tmp_path: Path) -> None:
    code, report = _check(world, tmp_path, "pypi:reqeusts")
    assert code == 1 and report["verdict"] == "block"
    (finding,) = report["findings"]
    assert finding["suggestion"] == "requests"
    codes = {r["code"] for r in finding["reasons"]}
    assert {"typosquat", "new-package"} <= codes
    assert any("did you mean requests?" in r["message"] for r in finding["reasons"])


def test_requests_itself_is_ok(world: FakeRegistry, tmp_path: Path) -> None:
    code, report = _check(world, tmp_path, "pypi:requests")
    assert code == 0 and report["verdict"] == "ok"
    (finding,) = report["findings"]
    assert finding["reasons"] == [] and finding["suggestion"] is None
