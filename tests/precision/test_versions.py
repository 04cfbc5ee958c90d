"""Issue 13, item 4: a pinned version or a range the registry does not list is `version-not-found` (warn), named
with the newest real version, through `slopguard check`, `slopguard scan` and the agent hook."""

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

REQUESTS = {  # the last is PyPI's `info.version`: the newest final release, here older than a pre-release
    "2.30.0": "2023-05-03T00:00:00Z",
    "2.31.0": "2023-05-22T00:00:00Z",
    "3.0.0rc1": "2024-09-01T00:00:00Z",
    "2.32.3": "2024-05-29T00:00:00Z",
}
REACT = {
    "17.0.2": "2021-03-22T00:00:00.000Z",
    "18.2.0": "2022-06-14T00:00:00.000Z",
    "19.0.0-rc-66855b96-20241106": "2024-11-06T00:00:00.000Z",
    "18.3.1": "2024-04-26T00:00:00.000Z",
}
ERRORS = {
    "v0.8.0": "2016-09-29T01:48:01Z",
    "v0.8.1": "2019-01-03T06:52:24Z",
    "v0.9.0": "2020-01-11T00:00:00Z",
    "v0.9.1": "2020-01-14T19:47:44Z",
}
PSEUDO = "v0.0.0-20190313220215-ffe60d46e1e2"
OLD_LIB = {  # a module without go.mod past v1: its v2 releases are `+incompatible`
    "v1.0.0": "2016-01-01T00:00:00Z",
    "v1.1.0": "2017-01-01T00:00:00Z",
    "v2.0.0+incompatible": "2018-01-01T00:00:00Z",
    "v2.1.0+incompatible": "2018-06-01T00:00:00Z",
}


class _Out(io.StringIO):
    def isatty(self) -> bool:
        return False


@pytest.fixture
def world(fake_registry: FakeRegistry, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> FakeRegistry:
    """Established `requests` (with a 3.0.0rc1 pre-release), `react` and `github.com/pkg/errors` (and a
    pseudo-version the proxy serves but does not list)."""
    for name, value in fake_registry.env(tmp_path / "cache").items():
        monkeypatch.setenv(name, value)
    for name in ("GOPROXY", "GOPRIVATE", "GONOPROXY", "GOFLAGS"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    fake_registry.add_pypi("requests", versions=REQUESTS, repository="https://github.com/psf/requests")
    fake_registry.add_npm("react", versions=REACT, repository="https://github.com/facebook/react")
    fake_registry.add_go("github.com/pkg/errors", versions=ERRORS, unlisted={PSEUDO: "2019-03-13T22:02:15Z"})
    served = {"v2.2.0+incompatible": "2019-01-01T00:00:00Z"}
    fake_registry.add_go("github.com/old/lib", versions=OLD_LIB, unlisted=served)
    return fake_registry


def _check(*refs: str) -> tuple[int, dict[str, Any]]:
    out, err = _Out(), _Out()
    code = main(["check", "--format", "json", "--timeout", "1", *refs], stdout=out, stderr=err)
    return code, json.loads(out.getvalue())


def _scan(*paths: str) -> tuple[int, dict[str, Any]]:
    out, err = _Out(), _Out()
    code = main(["scan", "--format", "json", *paths], stdout=out, stderr=err)
    assert err.getvalue() == "" or code in (0, 1), err.getvalue()
    return code, json.loads(out.getvalue())


def _finding(report: dict[str, Any], name: str) -> dict[str, Any]:
    found = [f for f in report["findings"] if f["name"] == name]
    assert len(found) == 1, report["findings"]
    return found[0]


def _codes(finding: dict[str, Any]) -> set[str]:
    return {r["code"] for r in finding["reasons"]}


def _message(finding: dict[str, Any], code: str) -> str:
    return next(r["message"] for r in finding["reasons"] if r["code"] == code)


@pytest.mark.parametrize(
    ("ref", "name", "pinned", "newest"),
    [
        ("pypi:requests==9.9.9", "requests", "9.9.9", "2.32.3"),
        ("npm:react@99.0.0", "react", "99.0.0", "18.3.1"),
        ("go:github.com/pkg/errors@v9.9.9", "github.com/pkg/errors", "v9.9.9", "v0.9.1"),
    ],
)
def test_check_warns_on_a_version_the_registry_lacks(
    world: FakeRegistry, ref: str, name: str, pinned: str, newest: str
) -> None:
    code, report = _check(ref)
    finding = _finding(report, name)
    assert code == 0 and finding["verdict"] == "warn"  # warn is below the default --fail-on block
    assert _codes(finding) == {"version-not-found"}
    message = _message(finding, "version-not-found")
    assert f"{name} has no version {pinned} on" in message and f"the newest is {newest}" in message


@pytest.mark.parametrize(
    "ref",
    [
        "pypi:requests==2.31.0",
        "pypi:requests==2.31",  # PEP 440: 2.31 == 2.31.0
        "pypi:requests>=2,<3",
        "pypi:requests~=2.30",
        "pypi:requests==3.0.0rc1",  # a pre-release that exists
        "pypi:requests==2.31.0+cpu",  # a local version: never on PyPI, so from an index slopguard did not ask
        "npm:react@18.2.0",
        "npm:react@^18.0.0",
        "npm:react@~17.0.1",
        "npm:react@>=17 <19",
        "npm:react@19.0.0-rc-66855b96-20241106",
        "npm:react@latest",  # a dist-tag is not a pin
        "npm:react@next",
        "go:github.com/pkg/errors@v0.9.1",
        "go:github.com/pkg/errors@" + PSEUDO,  # not in @v/list, served by .info
        "go:github.com/pkg/errors@v0",  # a prefix query a listed version matches
        "go:github.com/pkg/errors@latest",
        "go:github.com/pkg/errors@master",
        "go:github.com/pkg/errors@ffe60d46e1e2",  # a commit hash
        "go:github.com/old/lib@v2.1.0+incompatible",
        "go:github.com/old/lib@v2.2.0+incompatible",  # not listed, served
        "go:github.com/old/lib@v2",
    ],
)
def test_real_pins_and_matching_ranges_stay_ok(world: FakeRegistry, ref: str) -> None:
    code, report = _check(ref)
    assert code == 0
    assert [(f["verdict"], f["reasons"]) for f in report["findings"]] == [("ok", [])]


@pytest.mark.parametrize(
    ("ref", "name", "shown"),
    [
        ("pypi:requests>=99", "requests", ">=99"),
        ("npm:react@^99.0.0", "react", "^99.0.0"),
        ("npm:react@>=20 <21", "react", ">=20 <21"),
        ("go:github.com/pkg/errors@v2", "github.com/pkg/errors", "v2"),
        ("go:github.com/pkg/errors@>=v1.0.0", "github.com/pkg/errors", ">=v1.0.0"),
        ("go:github.com/old/lib@v3", "github.com/old/lib", "v3"),
    ],
)
def test_a_range_nothing_satisfies_warns(world: FakeRegistry, ref: str, name: str, shown: str) -> None:
    code, report = _check(ref)
    finding = _finding(report, name)
    assert finding["verdict"] == "warn" and _codes(finding) == {"version-not-found"}
    assert f"no version of {name} on" in _message(finding, "version-not-found")
    assert f"satisfies {shown}" in _message(finding, "version-not-found")


@pytest.mark.parametrize(
    "command",
    [
        "poetry add requests@9.9.9",
        "uvx requests@9.9.9",
        "pip install 'requests>=2,<2.30'",
        "go install github.com/old/lib@v9.0.0+incompatible",
        "npx react@99",
    ],
)
def test_scan_of_commands_warns_on_invented_versions(world: FakeRegistry, tmp_path: Path, command: str) -> None:
    (tmp_path / "setup.sh").write_text(command + "\n", encoding="utf-8")
    code, report = _scan("setup.sh")
    assert [(f["verdict"], [r["code"] for r in f["reasons"]]) for f in report["findings"]] == [
        ("warn", ["version-not-found"])
    ]


def test_a_pin_that_an_extra_index_may_serve_is_not_judged(world: FakeRegistry, tmp_path: Path) -> None:
    (tmp_path / "setup.sh").write_text(
        "pip install --extra-index-url https://pypi.example/simple requests==9.9.9\n", encoding="utf-8"
    )
    code, report = _scan("setup.sh")
    assert _codes(_finding(report, "requests")) == {"extra-index-url"}  # warned for the index, not the version


def test_an_invented_pseudo_version_warns_after_asking_the_proxy(world: FakeRegistry) -> None:
    invented = "v0.0.0-20991231000000-0123456789ab"
    code, report = _check("go:github.com/pkg/errors@" + invented)
    finding = _finding(report, "github.com/pkg/errors")
    assert finding["verdict"] == "warn" and _codes(finding) == {"version-not-found"}
    assert world.paths(f"/@v/{invented}.info")


@pytest.mark.parametrize("kind", ["503", "slow", "garbage", "reset"])
def test_a_proxy_fault_while_asking_for_a_version_is_unknown(world: FakeRegistry, kind: str) -> None:
    world.slow_seconds = 2.0  # past the 1 s read timeout (retries included, each is slow)
    world.fault("/@v/v0.0.0-", kind)
    code, report = _check("go:github.com/pkg/errors@v0.0.0-20991231000000-0123456789ab")
    finding = _finding(report, "github.com/pkg/errors")
    assert _codes(finding) == {"registry-unavailable"}  # never version-not-found, never ok
    assert finding["verdict"] == "warn"


def test_a_registry_fault_on_the_record_is_unknown_not_version_not_found(world: FakeRegistry) -> None:
    world.fault("/pypi/requests", "503")
    world.fault("/simple/requests", "503")
    code, report = _check("pypi:requests==9.9.9")
    finding = _finding(report, "requests")
    assert _codes(finding) == {"registry-unavailable"} and finding["verdict"] == "warn"


def test_scan_reads_pins_from_manifests(world: FakeRegistry, tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("requests==9.9.9\n", encoding="utf-8")
    (tmp_path / "package.json").write_text(
        json.dumps({"name": "app", "dependencies": {"react": "99.0.0"}, "devDependencies": {}}), encoding="utf-8"
    )
    (tmp_path / "go.mod").write_text(
        "module example.com/app\n\ngo 1.22\n\nrequire (\n\tgithub.com/pkg/errors v9.9.9\n)\n", encoding="utf-8"
    )
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "app"\nversion = "1"\ndependencies = ["requests>=2.31", "react-py==1.0"]\n',
        encoding="utf-8",
    )
    world.add_pypi("react-py", versions={"0.9": "2019-01-01T00:00:00Z", "0.9.1": "2019-02-01T00:00:00Z"})
    code, report = _scan("requirements.txt", "package.json", "go.mod")
    for name, newest in (("requests", "2.32.3"), ("react", "18.3.1"), ("github.com/pkg/errors", "v0.9.1")):
        finding = _finding(report, name)
        assert finding["verdict"] == "warn" and _codes(finding) == {"version-not-found"}, finding
        assert f"the newest is {newest}" in _message(finding, "version-not-found")
    code, report = _scan("pyproject.toml")
    assert _finding(report, "requests")["verdict"] == "ok"
    pinned = _finding(report, "react-py")
    assert "version-not-found" in _codes(pinned) and "react-py has no version 1.0 on PyPI; the newest is 0.9.1" in (
        _message(pinned, "version-not-found")
    )


def test_scan_keeps_real_manifest_pins_ok(world: FakeRegistry, tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("requests==2.31.0\n", encoding="utf-8")
    (tmp_path / "package.json").write_text(json.dumps({"dependencies": {"react": "^18.2.0"}}), encoding="utf-8")
    (tmp_path / "go.mod").write_text(
        f"module example.com/app\n\ngo 1.22\n\nrequire github.com/pkg/errors {PSEUDO}\n", encoding="utf-8"
    )
    code, report = _scan("requirements.txt", "package.json", "go.mod")
    assert code == 0
    assert {(f["name"], f["verdict"]) for f in report["findings"]} == {
        ("requests", "ok"),
        ("react", "ok"),
        ("github.com/pkg/errors", "ok"),
    }


def _claude(command: str, cwd: Path) -> bytes:
    return json.dumps(
        {
            "session_id": "s",
            "cwd": str(cwd),
            "hook_event_name": "PreToolUse",
            "tool_name": "Bash",
            "tool_input": {"command": command},
            "tool_use_id": "t",
        }
    ).encode()


@pytest.mark.parametrize(
    ("command", "says"),
    [
        ("pip install requests==9.9.9", "requests has no version 9.9.9 on PyPI; the newest is 2.32.3"),
        ("npm i react@99.0.0", "react has no version 99.0.0 on npm; the newest is 18.3.1"),
        ("go get github.com/pkg/errors@v9.9.9", "github.com/pkg/errors has no version v9.9.9"),
    ],
)
def test_the_hook_asks_and_names_the_newest_version(
    world: FakeRegistry, tmp_path: Path, command: str, says: str
) -> None:
    settings = world.settings(tmp_path)
    for _ in range(2):  # the second answer comes from the decision store
        reply = json.loads(run_hook("claude-code", _claude(command, tmp_path), settings).stdout)
        out = reply["hookSpecificOutput"]
        assert out["permissionDecision"] == "ask"
        assert says in out["permissionDecisionReason"]


def test_the_hook_store_keeps_a_pin_apart_from_the_plain_name(world: FakeRegistry, tmp_path: Path) -> None:
    settings = world.settings(tmp_path)
    plain = run_hook("claude-code", _claude("pip install requests", tmp_path), settings)
    assert plain.stdout.strip() == "" or "permissionDecision" not in plain.stdout
    pinned = json.loads(run_hook("claude-code", _claude("pip install requests==9.9.9", tmp_path), settings).stdout)
    assert pinned["hookSpecificOutput"]["permissionDecision"] == "ask"
    real = run_hook("claude-code", _claude("pip install requests==2.31.0", tmp_path), settings)
    assert real.stdout.strip() == "" or "permissionDecision" not in real.stdout


def test_the_hook_loads_no_range_library_for_plain_names(world: FakeRegistry, tmp_path: Path) -> None:
    sys.modules.pop("nodesemver", None)
    settings = world.settings(tmp_path)
    run_hook("claude-code", _claude("npm i react && npm i react@18.2.0 && npm i react@next", tmp_path), settings)
    assert "nodesemver" not in sys.modules


def test_a_record_cached_before_versions_were_kept_is_not_used(world: FakeRegistry, tmp_path: Path) -> None:
    """An `r1` record (no `versions`) would make every pin unjudgeable for a day: it is never read."""
    import diskcache

    from slopguard.models import Ecosystem, LookupKey, RegistryRecord, Status
    from slopguard.registry.cache import cache_key, to_json
    from slopguard.registry.common import now_utc

    settings = world.settings(tmp_path)
    old = RegistryRecord(Ecosystem.PYPI, "requests", Status.EXISTS, fetched_at=now_utc(), version_count=4)
    with diskcache.Cache(str(tmp_path / "cache")) as cache:
        cache.set(cache_key(LookupKey(Ecosystem.PYPI, "requests"), settings, "r1"), to_json(old), expire=3600)
    code, report = _check("pypi:requests==9.9.9")
    assert _codes(_finding(report, "requests")) == {"version-not-found"}
    assert world.paths("/pypi/requests/json")


def test_a_record_with_thousands_of_versions_is_read_back_on_the_hooks_path(tmp_path: Path) -> None:
    from slopguard.config import Settings
    from slopguard.models import Ecosystem, LookupKey, RegistryRecord, Status
    from slopguard.registry.cache import RecordCache
    from slopguard.registry.common import now_utc

    settings = Settings(cache_dir=tmp_path / "cache")
    versions = tuple(f"5.{i}.0-dev.2024{i:05d}" for i in range(4000))  # ~90 KB, like `typescript`
    key = LookupKey(Ecosystem.NPM, "typescript")
    writer = RecordCache(settings)
    writer.put(RegistryRecord(Ecosystem.NPM, "typescript", Status.EXISTS, fetched_at=now_utc(), versions=versions), key)
    writer.close()
    reader = RecordCache(settings, read_only=True)  # sqlite3 alone, inline values only
    record = reader.get(key)
    reader.close()
    assert record is not None and record.versions == versions
