"""npm resolver: packuments, scoped names, case, deprecation, unpublished, security holders."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

import httpx
from fakeregistry import FakeRegistry

from slopguard.config import Settings
from slopguard.models import Ecosystem, LookupKey, Status
from slopguard.registry import resolve

DATA = Path(__file__).parent / "data"


def key(name: str, index_url: str | None = None) -> LookupKey:
    return LookupKey(Ecosystem.NPM, name, index_url)


def test_exists_with_created_latest_and_deprecation(fake_registry: FakeRegistry, registry_settings: Settings) -> None:
    fake_registry.add_npm(
        "left-pad",
        versions={"1.0.0": "2014-03-01T00:00:00.000Z", "1.3.0": "2018-04-09T01:02:03.456Z"},
        deprecated="use String.prototype.padStart()",
        repository={"type": "git", "url": "git+https://github.com/stevemao/left-pad.git"},
    )
    record = resolve([key("left-pad")], registry_settings)[key("left-pad")]
    assert record.status is Status.EXISTS
    assert record.first_release == datetime(2014, 3, 1, tzinfo=timezone.utc)
    assert record.latest_release == datetime(2018, 4, 9, 1, 2, 3, 456000, tzinfo=timezone.utc)
    assert (record.latest_version, record.version_count) == ("1.3.0", 2)
    assert record.deprecated == "use String.prototype.padStart()"
    assert record.repository == "https://github.com/stevemao/left-pad"
    assert fake_registry.paths() == ["/npm/left-pad"]


def test_names_are_case_sensitive(fake_registry: FakeRegistry, registry_settings: Settings) -> None:
    fake_registry.add_npm("react")
    records = resolve([key("react"), key("React")], registry_settings)
    assert records[key("react")].status is Status.EXISTS
    assert records[key("React")].status is Status.NOT_FOUND
    assert sorted(fake_registry.paths()) == ["/npm/React", "/npm/react"]


def test_scoped_name_goes_out_as_one_segment(fake_registry: FakeRegistry, registry_settings: Settings) -> None:
    fake_registry.add_npm("@types/node")
    records = resolve([key("@types/node"), key("@types/nodee")], registry_settings)
    assert records[key("@types/node")].status is Status.EXISTS
    assert records[key("@types/nodee")].status is Status.NOT_FOUND
    assert sorted(fake_registry.paths()) == ["/npm/@types%2fnode", "/npm/@types%2fnodee"]


def test_scope_registry_from_settings(fake_registry: FakeRegistry, registry_settings: Settings) -> None:
    fake_registry.add_npm("@corp/tool")
    settings = registry_settings.replace(
        npm_url="http://127.0.0.1:9/unused", npm_scope_registries=(("@corp", fake_registry.url + "/npm"),)
    )
    assert resolve([key("@corp/tool")], settings)[key("@corp/tool")].status is Status.EXISTS


def test_missing_created_time_is_never_guessed(fake_registry: FakeRegistry, registry_settings: Settings) -> None:
    fake_registry.add_npm("mirror-pkg", versions={"1.0.0": "2019-01-01T00:00:00.000Z"}, created=None)
    record = resolve([key("mirror-pkg")], registry_settings)[key("mirror-pkg")]
    assert record.status is Status.EXISTS
    assert record.first_release is None
    assert record.latest_release == datetime(2019, 1, 1, tzinfo=timezone.utc)


def test_unpublished(fake_registry: FakeRegistry, registry_settings: Settings) -> None:
    fake_registry.add_npm("was-here", unpublished=True)
    record = resolve([key("was-here")], registry_settings)[key("was-here")]
    assert record.status is Status.EXISTS
    assert record.unpublished and record.version_count == 0


def test_security_holder(fake_registry: FakeRegistry, registry_settings: Settings) -> None:
    fake_registry.add_npm("evil-pkg", security_holder=True)
    record = resolve([key("evil-pkg")], registry_settings)[key("evil-pkg")]
    assert record.status is Status.EXISTS
    assert record.security_holder and record.quarantined
    assert record.latest_version == "0.0.1-security"


def test_invalid_names_send_nothing(fake_registry: FakeRegistry, registry_settings: Settings) -> None:
    bad = ["../../x", "a?b", "%2e%2e", ".hidden", "_under", "@scope", "@a/b/c", "x" * 215, "node_modules"]
    records = resolve([key(n) for n in bad], registry_settings)
    assert all(records[key(n)].status is Status.SKIPPED for n in bad)
    assert fake_registry.paths() == []


def _mock(body: bytes) -> httpx.Client:
    return httpx.Client(
        transport=httpx.MockTransport(lambda request: httpx.Response(200, content=body)),
    )


def test_real_full_packument(tmp_path: Path) -> None:
    body = (DATA / "npm-tiny-tarball.full.npm-registry-docs.json").read_bytes()
    with _mock(body) as client:
        record = resolve([key("tiny-tarball")], Settings(cache_dir=tmp_path), client)[key("tiny-tarball")]
    assert record.status is Status.EXISTS
    assert record.first_release == datetime(2015, 3, 24, 0, 12, 24, 39000, tzinfo=timezone.utc)
    assert (record.latest_version, record.version_count) == ("1.0.0", 1)


def test_real_security_holder_manifest(tmp_path: Path) -> None:
    manifest = json.loads((DATA / "npm-security-holder.package.json").read_text())
    packument = {
        "name": "evil",
        "dist-tags": {"latest": "0.0.1-security"},
        "time": {"created": "2023-01-01T00:00:00.000Z", "0.0.1-security": "2023-01-02T00:00:00.000Z"},
        "versions": {"0.0.1-security": manifest},
    }
    with _mock(json.dumps(packument).encode()) as client:
        record = resolve([key("evil")], Settings(cache_dir=tmp_path), client)[key("evil")]
    assert record.security_holder and record.quarantined
    assert record.repository == "https://github.com/npm/security-holder"
