"""The record cache: TTLs per status, first-missing times, fail-soft behaviour, offline and no-cache runs."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from fakeregistry import FakeRegistry

from slopguard.config import Settings
from slopguard.models import Ecosystem, LookupKey, Status
from slopguard.registry import RecordCache, cached_records, resolve
from slopguard.registry.cache import from_json, to_json

NPM = LookupKey(Ecosystem.NPM, "left-pad")
GHOST = LookupKey(Ecosystem.NPM, "left-padd")


def test_exists_is_cached_and_marked(fake_registry: FakeRegistry, registry_settings: Settings) -> None:
    fake_registry.add_npm("left-pad")
    first = resolve([NPM], registry_settings)[NPM]
    second = resolve([NPM], registry_settings)[NPM]
    assert not first.from_cache and second.from_cache
    assert second.status is Status.EXISTS and second.version_count == first.version_count
    assert second.first_release == first.first_release
    assert len(fake_registry.paths()) == 1
    assert cached_records([NPM, GHOST], registry_settings) == {NPM: second}


def test_ttl_expiry_per_status(fake_registry: FakeRegistry, registry_settings: Settings) -> None:
    fake_registry.add_npm("left-pad")
    settings = registry_settings.replace(ttl_exists=0.4, ttl_not_found=0.4)
    resolve([NPM, GHOST], settings)
    resolve([NPM, GHOST], settings)
    assert len(fake_registry.paths()) == 2
    time.sleep(0.5)
    resolve([NPM, GHOST], settings)
    assert len(fake_registry.paths()) == 4


def test_zero_ttl_stores_nothing(fake_registry: FakeRegistry, registry_settings: Settings) -> None:
    settings = registry_settings.replace(ttl_not_found=0.0)
    resolve([GHOST], settings)
    resolve([GHOST], settings)
    assert len(fake_registry.paths()) == 2


def test_first_missing_is_kept_after_the_name_appears(fake_registry: FakeRegistry, registry_settings: Settings) -> None:
    settings = registry_settings.replace(ttl_not_found=0.2, ttl_exists=0.2)
    missing = resolve([GHOST], settings)[GHOST]
    assert missing.status is Status.NOT_FOUND and missing.first_missing_at is not None
    time.sleep(0.3)
    fake_registry.add_npm("left-padd")  # an attacker registers the hallucinated name
    later = resolve([GHOST], settings)[GHOST]
    assert later.status is Status.EXISTS and not later.from_cache
    assert later.first_missing_at == missing.first_missing_at
    assert resolve([GHOST], settings)[GHOST].first_missing_at == missing.first_missing_at  # from cache too
    assert RecordCache(settings).first_missing(GHOST) == missing.first_missing_at
    time.sleep(0.3)
    fake_registry.fault("/npm/left-padd", "503")
    unknown = resolve([GHOST], settings.replace(max_tries=1))[GHOST]
    assert unknown.status is Status.UNKNOWN and unknown.first_missing_at == missing.first_missing_at


def test_cache_is_keyed_by_registry(fake_registry: FakeRegistry, registry_settings: Settings, tmp_path: Path) -> None:
    fake_registry.add_npm("left-pad")
    resolve([NPM], registry_settings)
    with FakeRegistry() as other:
        moved = registry_settings.replace(npm_url=other.url + "/npm")
        assert resolve([NPM], moved)[NPM].status is Status.NOT_FOUND
        assert other.paths() == ["/npm/left-pad"]


def test_no_cache_setting(fake_registry: FakeRegistry, registry_settings: Settings) -> None:
    settings = registry_settings.replace(use_cache=False)
    resolve([GHOST], settings)
    resolve([GHOST], settings)
    assert len(fake_registry.paths()) == 2
    assert not settings.cache_dir.exists()
    assert cached_records([GHOST], settings) == {}


def test_offline_answers_from_cache_only(fake_registry: FakeRegistry, registry_settings: Settings) -> None:
    fake_registry.add_npm("left-pad")
    resolve([NPM], registry_settings)
    offline = registry_settings.replace(offline=True)
    records = resolve([NPM, GHOST], offline)
    assert records[NPM].status is Status.EXISTS and records[NPM].from_cache
    assert records[GHOST].status is Status.UNKNOWN and records[GHOST].error == "offline"
    assert len(fake_registry.paths()) == 1


def test_corrupt_cache_degrades_to_no_cache(fake_registry: FakeRegistry, registry_settings: Settings) -> None:
    fake_registry.add_npm("left-pad")
    registry_settings.cache_dir.mkdir(parents=True)
    (registry_settings.cache_dir / "cache.db").write_bytes(b"this is not a sqlite database" * 100)
    assert resolve([NPM], registry_settings)[NPM].status is Status.EXISTS
    assert resolve([NPM], registry_settings)[NPM].status is Status.EXISTS
    assert len(fake_registry.paths()) == 2
    info = RecordCache(registry_settings).info()
    assert info["usable"] is False and "DatabaseError" in info["problem"]


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="needs a non-root POSIX user")
def test_read_only_cache_dir_degrades(fake_registry: FakeRegistry, registry_settings: Settings) -> None:
    fake_registry.add_npm("left-pad")
    registry_settings.cache_dir.mkdir(parents=True)
    registry_settings.cache_dir.chmod(0o500)
    try:
        assert resolve([NPM], registry_settings)[NPM].status is Status.EXISTS
    finally:
        registry_settings.cache_dir.chmod(0o700)


def test_cache_dir_that_is_a_file_degrades(fake_registry: FakeRegistry, registry_settings: Settings) -> None:
    fake_registry.add_npm("left-pad")
    registry_settings.cache_dir.parent.mkdir(parents=True, exist_ok=True)
    registry_settings.cache_dir.write_text("not a directory")
    assert resolve([NPM], registry_settings)[NPM].status is Status.EXISTS
    assert cached_records([NPM], registry_settings) == {}
    assert RecordCache(registry_settings).clear() == 0


def test_info_and_clear(fake_registry: FakeRegistry, registry_settings: Settings) -> None:
    fake_registry.add_npm("left-pad")
    resolve([NPM, GHOST], registry_settings)
    cache = RecordCache(registry_settings)
    info = cache.info()
    assert info["usable"] is True and info["directory"] == str(registry_settings.cache_dir)
    assert (info["exists"], info["not_found"], info["first_missing"]) == (1, 1, 1)
    json.dumps(info)  # plain data
    assert cache.clear() == 3
    assert cache.info()["entries"] == 0
    assert cached_records([NPM], registry_settings) == {}


def test_info_and_clear_do_not_create_the_directory(registry_settings: Settings) -> None:
    cache = RecordCache(registry_settings)
    assert cache.info()["entries"] == 0 and cache.clear() == 0
    assert not registry_settings.cache_dir.exists()


def test_records_are_stored_as_json(fake_registry: FakeRegistry, registry_settings: Settings) -> None:
    fake_registry.add_npm("left-pad", deprecated="old")
    record = resolve([NPM], registry_settings)[NPM]
    text = to_json(record)
    assert json.loads(text)["deprecated"] == "old"
    back = from_json(text)
    assert back.from_cache and back.first_release == record.first_release and back.status is record.status


def test_cached_records_does_not_load_httpx(fake_registry: FakeRegistry, registry_settings: Settings) -> None:
    fake_registry.add_npm("left-pad")
    resolve([NPM], registry_settings)
    code = (
        "import sys; from pathlib import Path; from slopguard.config import Settings;"
        "from slopguard.models import Ecosystem, LookupKey; from slopguard.registry import cached_records;"
        f"r = cached_records([LookupKey(Ecosystem.NPM, 'left-pad')], Settings(npm_url={registry_settings.npm_url!r},"
        f" cache_dir=Path({str(registry_settings.cache_dir)!r})));"
        "print(len(r), 'httpx' in sys.modules, 'asyncio' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["1", "False", "False"]


def test_batch_read_falls_back_to_the_public_api(
    fake_registry: FakeRegistry, registry_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    from slopguard.registry import cache as cache_module

    fake_registry.add_npm("left-pad")
    resolve([NPM, GHOST], registry_settings)
    fast = cached_records([NPM, GHOST], registry_settings)
    monkeypatch.setattr(cache_module, "_CHUNK", 0)  # the batch query raises: one get() per key instead
    slow = cached_records([NPM, GHOST], registry_settings)
    assert slow == fast and set(slow) == {NPM, GHOST}


def test_several_processes_share_one_cache(fake_registry: FakeRegistry, registry_settings: Settings) -> None:
    names = [f"shared-{i}" for i in range(20)]
    for name in names[::2]:
        fake_registry.add_npm(name)
    code = (
        "import sys; from pathlib import Path; from slopguard.config import Settings;"
        "from slopguard.models import Ecosystem, LookupKey, Status; from slopguard.registry import resolve;"
        f"s = Settings(npm_url={registry_settings.npm_url!r}, cache_dir=Path({str(registry_settings.cache_dir)!r}));"
        f"r = resolve([LookupKey(Ecosystem.NPM, n) for n in {names!r}], s);"
        "c = [x.status for x in r.values()];"
        "print(c.count(Status.EXISTS), c.count(Status.NOT_FOUND))"
    )
    procs = [subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True) for _ in range(3)]
    outputs = [p.communicate(timeout=60)[0].split() for p in procs]
    assert all(p.returncode == 0 for p in procs)
    assert outputs == [["10", "10"]] * 3
    info = RecordCache(registry_settings).info()
    assert (info["exists"], info["not_found"], info["first_missing"]) == (10, 10, 10)
