"""PyPI resolver against the fake registry and the real pypi.org response shape."""

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
    return LookupKey(Ecosystem.PYPI, name, index_url)


def test_exists_with_timeline_repository_and_versions(fake_registry: FakeRegistry, registry_settings: Settings) -> None:
    fake_registry.add_pypi(
        "requests",
        versions={"0.0.1": None, "2.0.0": "2014-01-01T00:00:00Z", "2.1.0": "2015-06-01T12:00:00.5Z"},
        repository="https://github.com/psf/requests",
    )
    record = resolve([key("requests")], registry_settings)[key("requests")]
    assert record.status is Status.EXISTS
    assert record.first_release == datetime(2014, 1, 1, tzinfo=timezone.utc)
    assert record.latest_release == datetime(2015, 6, 1, 12, 0, 0, 500000, tzinfo=timezone.utc)
    assert record.latest_version == "2.1.0"
    assert record.version_count == 2  # the release without files does not count
    assert record.repository == "https://github.com/psf/requests"
    assert not record.yanked and not record.quarantined and not record.from_cache
    assert fake_registry.paths() == ["/pypi/requests/json"]


def test_non_normalised_name_follows_the_redirect(fake_registry: FakeRegistry, registry_settings: Settings) -> None:
    fake_registry.add_pypi("Flask_Login")
    record = resolve([key("Flask_Login")], registry_settings)[key("Flask_Login")]
    assert record.status is Status.EXISTS
    assert record.name == "flask-login"


def test_not_found_is_confirmed_by_the_simple_api(fake_registry: FakeRegistry, registry_settings: Settings) -> None:
    record = resolve([key("reqeusts-ng")], registry_settings)[key("reqeusts-ng")]
    assert record.status is Status.NOT_FOUND
    assert fake_registry.paths() == ["/pypi/reqeusts-ng/json", "/simple/reqeusts-ng/"]
    assert record.first_missing_at is not None


def test_quarantined_project_exists_and_is_marked(fake_registry: FakeRegistry, registry_settings: Settings) -> None:
    fake_registry.add_pypi("evil-pkg", quarantined=True)
    record = resolve([key("evil-pkg")], registry_settings)[key("evil-pkg")]
    assert record.status is Status.EXISTS
    assert record.quarantined
    assert record.version_count == 0


def test_every_file_yanked(fake_registry: FakeRegistry, registry_settings: Settings) -> None:
    fake_registry.add_pypi("gone", versions={"1.0": "2020-01-01T00:00:00Z", "1.1": "2020-02-01T00:00:00Z"}, yanked=True)
    fake_registry.add_pypi(
        "half", versions={"1.0": "2020-01-01T00:00:00Z", "1.1": "2020-02-01T00:00:00Z"}, yanked=["1.0"]
    )
    records = resolve([key("gone"), key("half")], registry_settings)
    assert records[key("gone")].yanked
    assert not records[key("half")].yanked


def test_invalid_name_sends_nothing(fake_registry: FakeRegistry, registry_settings: Settings) -> None:
    bad = ["../../x", "a?b", "%2e%2e", "-lead", "a b", "", "name/../../etc"]
    records = resolve([key(n) for n in bad], registry_settings)
    for name in bad:
        assert records[key(name)].status is Status.SKIPPED
        assert (records[key(name)].error or "").startswith("invalid name:")
    assert fake_registry.paths() == []


def test_index_url_uses_the_simple_api_alone(fake_registry: FakeRegistry, registry_settings: Settings) -> None:
    fake_registry.add_pypi("internal-lib", versions={"0.1": "2021-01-01T00:00:00Z", "0.2": "2021-03-01T00:00:00Z"})
    index = fake_registry.url + "/simple"
    records = resolve([key("internal-lib", index), key("nothing-here", index)], registry_settings)
    found = records[key("internal-lib", index)]
    assert found.status is Status.EXISTS
    assert found.version_count == 2 and found.latest_version == "0.2"
    assert found.first_release == datetime(2021, 1, 1, tzinfo=timezone.utc)
    assert records[key("nothing-here", index)].status is Status.NOT_FOUND
    assert not fake_registry.paths("/pypi/")


def test_html_simple_index(tmp_path: Path) -> None:
    html = (
        '<!DOCTYPE html><html><head><meta name="pypi:project-status" content="archived"></head><body>'
        '<a href="https://f/x_y-1.0-py3-none-any.whl">x_y-1.0-py3-none-any.whl</a>'
        '<a href="https://f/x_y-1.1.tar.gz" data-yanked="">x_y-1.1.tar.gz</a></body></html>'
    )

    def handler(request: httpx.Request) -> httpx.Response:
        assert request.url.path == "/root/pypi/+simple/x-y/"
        return httpx.Response(200, text=html, headers={"Content-Type": "text/html"})

    index = "https://devpi.example/root/pypi/+simple"
    settings = Settings(cache_dir=tmp_path / "cache", pypi_indexes=(index,))  # an index of the user's own
    with httpx.Client(transport=httpx.MockTransport(handler)) as client:
        record = resolve([key("x-y", index)], settings, client)[key("x-y", index)]
    assert record.status is Status.EXISTS
    assert record.version_count == 2 and record.latest_version == "1.1"
    assert record.archived and not record.quarantined and not record.yanked


def test_real_pypi_json_shape(tmp_path: Path) -> None:
    """The recorded pypi.org answer for requests, served through httpx.MockTransport."""
    body = (DATA / "pypi-json-requests.excerpt.json").read_bytes()
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        return httpx.Response(200, content=body, headers={"Content-Type": "application/json"})

    settings = Settings(cache_dir=tmp_path / "cache", pypi_url="https://pypi.example")
    with httpx.Client(transport=httpx.MockTransport(handler)) as client:
        record = resolve([key("requests")], settings, client)[key("requests")]
    releases = json.loads(body)["releases"]
    assert seen == ["https://pypi.example/pypi/requests/json"]
    assert record.status is Status.EXISTS
    assert record.latest_version == "2.34.2"
    assert record.version_count == sum(1 for files in releases.values() if files)
    assert record.first_release == datetime(2024, 5, 20, 16, 8, 19, 530618, tzinfo=timezone.utc)
    assert record.latest_release == datetime(2026, 5, 14, 19, 25, 27, 735762, tzinfo=timezone.utc)
    assert record.repository == "https://github.com/psf/requests"
    assert not record.yanked  # only 2.32.0 is yanked
