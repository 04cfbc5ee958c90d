"""Registry faults: every kind gives UNKNOWN (never NOT_FOUND/EXISTS), is never cached, and retries behave."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from fakeregistry import FakeRegistry

from slopguard.config import Settings
from slopguard.models import Ecosystem, LookupKey, Status
from slopguard.registry import Resolver, resolve
from slopguard.registry import http as registry_http

KEYS = {
    "pypi": LookupKey(Ecosystem.PYPI, "requests"),
    "npm": LookupKey(Ecosystem.NPM, "@types/node"),
    "go": LookupKey(Ecosystem.GO, "github.com/spf13/cobra"),
}
PATHS = {"pypi": "/pypi/requests", "npm": "/npm/@types%2fnode", "go": "/go/github.com/spf13/cobra"}


@pytest.fixture(autouse=True)
def fast_backoff(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(registry_http, "BACKOFF_BASE", 0.01)


def world(fake: FakeRegistry) -> None:
    fake.add_pypi("requests")
    fake.add_npm("@types/node")
    fake.add_go("github.com/spf13/cobra")


@pytest.mark.parametrize("ecosystem", ["pypi", "npm", "go"])
@pytest.mark.parametrize("kind", ["500", "503", "429", "405", "slow", "garbage", "reset"])
def test_fault_is_unknown_and_never_cached(
    fake_registry: FakeRegistry, registry_settings: Settings, ecosystem: str, kind: str
) -> None:
    world(fake_registry)
    fake_registry.slow_seconds = 0.6
    fake_registry.fault(PATHS[ecosystem], kind, retry_after="0")
    settings = registry_settings.replace(read_timeout=0.2, max_tries=2)
    key = KEYS[ecosystem]
    record = resolve([key], settings)[key]
    assert record.status is Status.UNKNOWN
    assert record.error
    first = len(fake_registry.paths(PATHS[ecosystem]))
    assert first == (1 if kind == "garbage" else 2)  # garbage is not retried, the rest are
    again = resolve([key], settings)[key]
    assert again.status is Status.UNKNOWN and not again.from_cache
    assert len(fake_registry.paths(PATHS[ecosystem])) == 2 * first  # asked again: UNKNOWN was not cached


@pytest.mark.parametrize("ecosystem", ["pypi", "npm", "go"])
def test_one_transient_fault_is_retried(
    fake_registry: FakeRegistry, registry_settings: Settings, ecosystem: str
) -> None:
    world(fake_registry)
    fake_registry.fault(PATHS[ecosystem], "503", count=1)
    key = KEYS[ecosystem]
    assert resolve([key], registry_settings)[key].status is Status.EXISTS


def test_simple_api_fault_after_json_404_is_unknown(fake_registry: FakeRegistry, registry_settings: Settings) -> None:
    fake_registry.fault("/simple/", "503")
    key = LookupKey(Ecosystem.PYPI, "missing-one")
    record = resolve([key], registry_settings.replace(max_tries=1))[key]
    assert record.status is Status.UNKNOWN and record.error == "HTTP 503"


def test_429_retry_after_is_honoured(fake_registry: FakeRegistry, registry_settings: Settings) -> None:
    fake_registry.add_npm("left-pad")
    fake_registry.fault("/npm/left-pad", "429", count=1, retry_after="1")
    key = LookupKey(Ecosystem.NPM, "left-pad")
    started = time.monotonic()
    record = resolve([key], registry_settings)[key]
    assert record.status is Status.EXISTS
    assert time.monotonic() - started >= 0.95
    assert len(fake_registry.paths("/npm/left-pad")) == 2


def test_retry_after_past_the_deadline_gives_up_at_once(
    fake_registry: FakeRegistry, registry_settings: Settings
) -> None:
    fake_registry.fault("/npm/left-pad", "429", retry_after="5")
    key = LookupKey(Ecosystem.NPM, "left-pad")
    started = time.monotonic()
    record = resolve([key], registry_settings.replace(deadline=1.0))[key]
    assert time.monotonic() - started < 0.9
    assert record.status is Status.UNKNOWN and "deadline" in (record.error or "")


def test_overall_deadline(fake_registry: FakeRegistry, registry_settings: Settings) -> None:
    fake_registry.slow_seconds = 3.0
    fake_registry.add_npm("fast")
    fake_registry.add_npm("slow-one")
    fake_registry.fault("/npm/slow-one", "slow")
    settings = registry_settings.replace(read_timeout=5.0, deadline=0.7)
    keys = [LookupKey(Ecosystem.NPM, "fast"), LookupKey(Ecosystem.NPM, "slow-one")]
    started = time.monotonic()
    records = resolve(keys, settings)
    assert time.monotonic() - started < 1.5
    assert records[keys[0]].status is Status.EXISTS
    assert records[keys[1]].status is Status.UNKNOWN
    assert "deadline" in (records[keys[1]].error or "") or "timeout" in (records[keys[1]].error or "")


def test_connection_refused_is_unknown(tmp_path: pytest.TempPathFactory, registry_settings: Settings) -> None:
    settings = registry_settings.replace(npm_url="http://127.0.0.1:9", max_tries=1)
    key = LookupKey(Ecosystem.NPM, "left-pad")
    record = resolve([key], settings)[key]
    assert record.status is Status.UNKNOWN and "connection error" in (record.error or "")


def test_concurrency_bound_and_deduplication(fake_registry: FakeRegistry, registry_settings: Settings) -> None:
    fake_registry.latency = 0.05
    names = [f"pkg-{i}" for i in range(24)]
    for name in names:
        fake_registry.add_npm(name)
    settings = registry_settings.replace(concurrency=4)
    with Resolver(settings) as resolver:
        for name in names + names:
            resolver.submit(LookupKey(Ecosystem.NPM, name))
        records = resolver.results()
    assert len(records) == 24 and all(r.status is Status.EXISTS for r in records.values())
    assert len(fake_registry.paths()) == 24  # each name asked once
    assert fake_registry.max_in_flight == 4


def test_injected_client_is_not_closed(fake_registry: FakeRegistry, registry_settings: Settings) -> None:
    import httpx

    fake_registry.add_npm("a")
    with httpx.Client() as client:
        with Resolver(registry_settings, client) as resolver:
            resolver.submit(LookupKey(Ecosystem.NPM, "a"))
            assert resolver.results()[LookupKey(Ecosystem.NPM, "a")].status is Status.EXISTS
        assert not client.is_closed


def test_retry_after_parsing() -> None:
    assert registry_http.retry_after("2") == 2.0
    assert registry_http.retry_after("9999") == registry_http.RETRY_AFTER_CAP
    assert registry_http.retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0
    assert registry_http.retry_after("soon") is None
    assert registry_http.retry_after(None) is None


def test_extend_deadline_gives_late_names_a_full_deadline(fake_registry: FakeRegistry, tmp_path: Path) -> None:
    """A scan reads for a while before its last names are known; they must not inherit a spent deadline."""
    fake_registry.add_pypi("requests")
    settings = fake_registry.settings(tmp_path, deadline=0.3)
    with Resolver(settings) as resolver:
        time.sleep(0.4)  # reading the inputs took longer than the deadline
        resolver.extend_deadline()
        resolver.submit(LookupKey(Ecosystem.PYPI, "requests"))
        record = resolver.results()[LookupKey(Ecosystem.PYPI, "requests")]
    assert record.status is Status.EXISTS, record.error
