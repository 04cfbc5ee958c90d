"""GOPROXY resolver: module prefixes, case-encoding, stdlib, GOPRIVATE, GOPROXY parsing."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import httpx
import pytest
from fakeregistry import FakeRegistry

from slopguard.config import Settings, first_usable_goproxy, from_env
from slopguard.models import Ecosystem, LookupKey, Status
from slopguard.registry import resolve
from slopguard.registry.goproxy import candidates, is_private, semver_key

DATA = Path(__file__).parent / "data"


def key(path: str) -> LookupKey:
    return LookupKey(Ecosystem.GO, path)


def test_package_path_resolves_to_its_module(fake_registry: FakeRegistry, registry_settings: Settings) -> None:
    fake_registry.add_go(
        "github.com/spf13/cobra",
        versions={"v1.0.0": "2020-04-10T00:00:00Z", "v0.0.1": "2017-01-01T00:00:00Z", "v1.8.0": "2023-11-01T00:00:00Z"},
    )
    record = resolve([key("github.com/spf13/cobra/doc")], registry_settings)[key("github.com/spf13/cobra/doc")]
    assert record.status is Status.EXISTS
    assert record.name == "github.com/spf13/cobra"
    assert record.version_count == 3
    assert record.first_release == datetime(2017, 1, 1, tzinfo=timezone.utc)  # oldest by semver, from .info
    assert (record.latest_version, record.latest_release) == ("v1.8.0", datetime(2023, 11, 1, tzinfo=timezone.utc))
    assert record.repository == "https://github.com/spf13/cobra"
    assert fake_registry.paths()[:2] == [
        "/go/github.com/spf13/cobra/doc/@v/list",
        "/go/github.com/spf13/cobra/@v/list",
    ]
    assert "/go/github.com/spf13/cobra/@v/v0.0.1.info" in fake_registry.paths()


def test_code_hosts_stop_at_owner_and_repo(fake_registry: FakeRegistry, registry_settings: Settings) -> None:
    record = resolve([key("github.com/ghost/nothing/sub")], registry_settings)[key("github.com/ghost/nothing/sub")]
    assert record.status is Status.NOT_FOUND
    assert fake_registry.paths() == [
        "/go/github.com/ghost/nothing/sub/@v/list",
        "/go/github.com/ghost/nothing/@v/list",
    ]


def test_candidates() -> None:
    assert candidates("github.com/a/b/c/d") == ["github.com/a/b/c/d", "github.com/a/b/c", "github.com/a/b"]
    assert candidates("golang.org/x/mod/semver") == [
        "golang.org/x/mod/semver",
        "golang.org/x/mod",
        "golang.org/x",
        "golang.org",
    ]
    assert candidates("github.com/a") == ["github.com/a"]


def test_upper_case_is_escaped(fake_registry: FakeRegistry, registry_settings: Settings) -> None:
    fake_registry.add_go("github.com/BurntSushi/toml")
    record = resolve([key("github.com/BurntSushi/toml")], registry_settings)[key("github.com/BurntSushi/toml")]
    assert record.status is Status.EXISTS
    assert fake_registry.paths()[0] == "/go/github.com/!burnt!sushi/toml/@v/list"


def test_gone_410_is_not_found(fake_registry: FakeRegistry, registry_settings: Settings) -> None:
    fake_registry.fault("example.com/old", "410")
    assert resolve([key("example.com/old")], registry_settings)[key("example.com/old")].status is Status.NOT_FOUND


def test_stdlib_is_never_queried(fake_registry: FakeRegistry, registry_settings: Settings) -> None:
    records = resolve([key("fmt"), key("net/http"), key("golang.org/x/../../etc")], registry_settings)
    assert records[key("fmt")].status is Status.SKIPPED
    assert records[key("net/http")].error == "standard library package"
    assert records[key("golang.org/x/../../etc")].status is Status.SKIPPED
    assert fake_registry.paths() == []


def test_goprivate_is_skipped(fake_registry: FakeRegistry, registry_settings: Settings) -> None:
    settings = registry_settings.replace(goprivate=("*.corp.example", "github.com/acme"))
    keys = [key("git.corp.example/team/svc"), key("github.com/acme/tool/sub"), key("github.com/acmeish/tool")]
    records = resolve(keys, settings)
    assert records[keys[0]].error == "private module (GOPRIVATE)"
    assert records[keys[1]].status is Status.SKIPPED
    assert records[keys[2]].status is Status.NOT_FOUND  # a glob matches whole elements only
    assert all("acme/" not in p and "corp" not in p for p in fake_registry.paths())


@pytest.mark.parametrize(
    ("path", "patterns", "private"),
    [
        ("github.com/org/x", ("github.com/org",), True),
        ("github.com/org", ("github.com/org/x",), False),
        ("github.com/orgx/y", ("github.com/org",), False),
        ("a.b.example.com/z", ("*.example.com",), True),
        ("example.com/z", ("*.example.com",), False),
        ("github.com/org/x", ("github.com/o?g",), True),
        ("github.com/org/x", ("github.com/[^o]rg",), False),
        ("github.com/org/x", ("", " github.com/org/ "), True),
    ],
)
def test_goprivate_patterns(path: str, patterns: tuple[str, ...], private: bool) -> None:
    assert is_private(path, patterns) is private


def test_goproxy_env_parsing() -> None:
    assert first_usable_goproxy("direct") is None
    assert first_usable_goproxy("off,https://a.example/") == "https://a.example"
    assert first_usable_goproxy("file:///srv/goproxy,https://b.example") == "https://b.example"
    assert first_usable_goproxy("https://a.example|https://b.example,direct") == "https://a.example"
    settings = from_env({"GOPROXY": "direct,https://goproxy.example", "GOPRIVATE": "corp.example,*.internal"})
    assert settings.goproxy == "https://goproxy.example"
    assert settings.goprivate == ("corp.example", "*.internal")
    assert (
        from_env({"GOPROXY": "https://g.example", "SLOPGUARD_GOPROXY": "https://s.example"}).goproxy
        == "https://s.example"
    )


def test_semver_order() -> None:
    versions = ["v1.0.0", "v1.0.0-rc.1", "v0.10.0", "v0.9.0", "v1.0.0-beta.2", "v1.0.0-beta.11"]
    assert sorted(versions, key=semver_key) == [
        "v0.9.0",
        "v0.10.0",
        "v1.0.0-beta.2",
        "v1.0.0-beta.11",
        "v1.0.0-rc.1",
        "v1.0.0",
    ]


def test_real_goproxy_answers(tmp_path: Path) -> None:
    """golang.org/x/mod as go.dev/ref/mod documents it, through httpx.MockTransport."""
    listing = (DATA / "goproxy-golang.org-x-mod.list.go-ref-mod.txt").read_bytes()
    info = (DATA / "goproxy-golang.org-x-mod.v0.2.0.info.go-ref-mod.json").read_bytes()

    def handler(request: httpx.Request) -> httpx.Response:
        path = request.url.path
        if path == "/golang.org/x/mod/@v/list":
            return httpx.Response(200, content=listing)
        if path == "/golang.org/x/mod/@latest":
            return httpx.Response(200, content=info)
        if path == "/golang.org/x/mod/@v/v0.1.0.info":
            return httpx.Response(200, json={"Version": "v0.1.0", "Time": "2019-10-01T00:00:00Z"})
        return httpx.Response(404, text="not found: ...")

    settings = Settings(cache_dir=tmp_path, goproxy="https://proxy.example")
    with httpx.Client(transport=httpx.MockTransport(handler)) as client:
        record = resolve([key("golang.org/x/mod/semver")], settings, client)[key("golang.org/x/mod/semver")]
    assert record.name == "golang.org/x/mod"
    assert (record.version_count, record.latest_version) == (2, "v0.2.0")
    assert record.latest_release == datetime(2020, 1, 2, 17, 33, 45, tzinfo=timezone.utc)
    assert record.first_release == datetime(2019, 10, 1, tzinfo=timezone.utc)
