"""The shared store in one process against a real redis-server: TTLs, signatures, tampering, garbage, and a
store that dies, fills up, turns read-only or hangs, which never changes a decision."""

from __future__ import annotations

import socket
import threading
import time
from pathlib import Path

import pytest
from fakeregistry import FakeRegistry
from redisserver import RedisServer

from slopguard.config import Settings
from slopguard.fleet import store as store_module
from slopguard.fleet.records import first_key, record_key
from slopguard.models import Ecosystem, LookupKey, RegistryRecord, Status
from slopguard.registry import Resolver, resolve
from slopguard.registry.cache import cache_key

REQUESTS = LookupKey(Ecosystem.PYPI, "requests")
GHOST = LookupKey(Ecosystem.PYPI, "ghost-lib")


@pytest.fixture(autouse=True)
def _tell_again() -> None:
    """Each test is a new run: the "said once" notice may be said again."""
    store_module._told.clear()


@pytest.fixture
def world(fake_registry: FakeRegistry) -> FakeRegistry:
    fake_registry.add_pypi("requests", versions={"2.0.0": "2015-01-01T00:00:00Z", "2.1.0": "2016-01-01T00:00:00Z"})
    return fake_registry


def _settings(registry: FakeRegistry, tmp_path: Path, machine: str, url: str, **more: object) -> Settings:
    return registry.settings(tmp_path / machine, shared_cache=url, **more)


def _statuses(records: dict[LookupKey, RegistryRecord]) -> dict[str, Status]:
    return {k.name: r.status for k, r in records.items()}


def _raw(server: RedisServer, *args: str) -> bytes:
    return server.command(*args)


def test_ttls_follow_the_local_cache(world: FakeRegistry, redis_server: RedisServer, tmp_path: Path) -> None:
    settings = _settings(world, tmp_path, "a", redis_server.url, ttl_not_found=1.0)
    resolve([REQUESTS, GHOST], settings)
    exists_ms = int(_raw(redis_server, "PTTL", record_key(cache_key(REQUESTS, settings)))[1:])
    missing_ms = int(_raw(redis_server, "PTTL", record_key(cache_key(GHOST, settings)))[1:])
    first_ms = int(_raw(redis_server, "PTTL", first_key(cache_key(GHOST, settings, "m1")))[1:])
    assert 24 * 3600 * 1000 - 60_000 < exists_ms <= 24 * 3600 * 1000
    assert 0 < missing_ms <= 1000 and first_ms == -1  # the first miss is kept for good
    time.sleep(1.2)
    asked = len(world.requests)
    other = _settings(world, tmp_path, "b", redis_server.url, ttl_not_found=1.0)
    assert _statuses(resolve([REQUESTS, GHOST], other)) == {"requests": Status.EXISTS, "ghost-lib": Status.NOT_FOUND}
    assert [p for p in world.requests[asked:] if "requests" in p] == []  # still shared
    assert any("ghost-lib" in p for p in world.requests[asked:])  # expired: asked again


def test_signed_entries_are_read_and_a_tampered_one_is_ignored(
    world: FakeRegistry, redis_server: RedisServer, tmp_path: Path
) -> None:
    url = redis_server.url
    signer = _settings(world, tmp_path, "a", url, shared_key="team secret")
    resolve([REQUESTS, GHOST], signer)
    asked = len(world.requests)
    assert _statuses(resolve([REQUESTS, GHOST], _settings(world, tmp_path, "b", url, shared_key="team secret"))) == {
        "requests": Status.EXISTS,
        "ghost-lib": Status.NOT_FOUND,
    }
    assert len(world.requests) == asked

    key = record_key(cache_key(REQUESTS, signer))
    value = _raw(redis_server, "GET", key).split(b"\r\n")[1]
    forged = value.replace(b'\\"status\\":\\"exists\\"', b'\\"status\\":\\"not_found\\"')
    assert forged != value
    assert _raw(redis_server, "SET", key, forged.decode()) == b"+OK\r\n"
    records = resolve([REQUESTS], _settings(world, tmp_path, "c", url, shared_key="team secret"))
    assert records[REQUESTS].status is Status.EXISTS and len(world.requests) > asked  # asked the registry

    asked = len(world.requests)
    resolve([REQUESTS], _settings(world, tmp_path, "d", url, shared_key="another key"))
    assert len(world.requests) > asked  # signed with another key: not trusted


def test_unsigned_entries_are_ignored_when_a_key_is_set(
    world: FakeRegistry, redis_server: RedisServer, tmp_path: Path
) -> None:
    resolve([REQUESTS], _settings(world, tmp_path, "a", redis_server.url))
    asked = len(world.requests)
    resolve([REQUESTS], _settings(world, tmp_path, "b", redis_server.url, shared_key="k"))
    assert len(world.requests) > asked


@pytest.mark.parametrize(
    "value",
    [
        "garbage",
        "[1,2,3]",
        '["wrong local key","{}",null]',
        "\x00\xff\xfe",
    ],
)
def test_garbage_in_the_store_is_ignored(
    world: FakeRegistry, redis_server: RedisServer, tmp_path: Path, value: str
) -> None:
    settings = _settings(world, tmp_path, "a", redis_server.url)
    _raw(redis_server, "SET", record_key(cache_key(REQUESTS, settings)), value)
    records = resolve([REQUESTS], settings)
    assert records[REQUESTS].status is Status.EXISTS and not records[REQUESTS].from_cache


def test_a_record_about_another_name_is_ignored(world: FakeRegistry, redis_server: RedisServer, tmp_path: Path) -> None:
    settings = _settings(world, tmp_path, "a", redis_server.url)
    resolve([GHOST], settings)
    ghost_value = _raw(redis_server, "GET", record_key(cache_key(GHOST, settings))).split(b"\r\n")[1].decode()
    local = cache_key(REQUESTS, settings)
    import json

    _, payload, _ = json.loads(ghost_value)
    _raw(redis_server, "SET", record_key(local), json.dumps([local, payload, None]))  # ghost's record under requests
    records = resolve([REQUESTS], _settings(world, tmp_path, "b", redis_server.url))
    assert records[REQUESTS].status is Status.EXISTS


def test_a_server_killed_mid_run_is_not_a_verdict(
    world: FakeRegistry, redis_server: RedisServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    alone = resolve([REQUESTS, GHOST], world.settings(tmp_path / "alone"))
    settings = _settings(world, tmp_path, "a", redis_server.url)
    with Resolver(settings) as resolver:
        resolver.submit(REQUESTS)
        first = resolver.results()
        redis_server.stop()
        resolver.submit(GHOST)
        records = {**first, **resolver.results()}
    assert _statuses(records) == _statuses(alone)
    err = capsys.readouterr().err
    assert err.count("shared cache") == 1 and "going on with the local cache and the registries" in err
    assert "127.0.0.1" in err


def test_an_unreachable_store_is_said_once_and_decides_nothing(
    world: FakeRegistry, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"redis://user:hunter2@127.0.0.1:{port}/0"
    alone = _statuses(resolve([REQUESTS, GHOST], world.settings(tmp_path / "alone")))
    for machine in ("a", "b"):
        assert _statuses(resolve([REQUESTS, GHOST], _settings(world, tmp_path, machine, url))) == alone
    err = capsys.readouterr().err
    assert err.count("shared cache") == 1 and "hunter2" not in err


def test_a_store_that_hangs_costs_only_its_timeouts(
    world: FakeRegistry, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    held: list[socket.socket] = []
    accepting = threading.Thread(target=lambda: held.append(listener.accept()[0]), daemon=True)
    accepting.start()
    url = f"redis://127.0.0.1:{listener.getsockname()[1]}/0"
    try:
        started = time.monotonic()
        records = resolve([REQUESTS, GHOST], _settings(world, tmp_path, "a", url))
        elapsed = time.monotonic() - started
    finally:
        listener.close()
        for conn in held:
            conn.close()
    assert _statuses(records) == {"requests": Status.EXISTS, "ghost-lib": Status.NOT_FOUND}
    assert elapsed < 3.0 and capsys.readouterr().err.count("shared cache") == 1


@pytest.mark.parametrize("mode", ["full", "read-only"])
def test_a_full_or_read_only_store_is_not_a_verdict(
    world: FakeRegistry, tmp_path_factory: pytest.TempPathFactory, tmp_path: Path, mode: str,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    import shutil

    if shutil.which("redis-server") is None:
        pytest.skip("redis-server is not installed")
    extra = (
        ("--maxmemory", "1", "--maxmemory-policy", "noeviction")
        if mode == "full"
        else ("--replicaof", "127.0.0.1", "1")
    )
    server = RedisServer(tmp_path_factory.mktemp("redis")).start(*extra)
    try:
        alone = _statuses(resolve([REQUESTS, GHOST], world.settings(tmp_path / "alone")))
        assert _statuses(resolve([REQUESTS, GHOST], _settings(world, tmp_path, "a", server.url))) == alone
    finally:
        server.stop()
    err = capsys.readouterr().err
    assert err.count("shared cache") == 1 and ("OOM" in err or "READONLY" in err or "refused" in err)


def test_a_lookup_another_machine_claimed_is_waited_for_not_repeated(
    world: FakeRegistry, redis_server: RedisServer, tmp_path: Path
) -> None:
    """Two machines missing the same name at once ask the registry once: the second waits for the first's record."""
    from slopguard.fleet import open_store
    from slopguard.fleet.records import SharedRecords
    from slopguard.fleet.store import PREFIX, digest

    first = _settings(world, tmp_path, "a", redis_server.url)
    record = resolve([REQUESTS], world.settings(tmp_path / "alone"))[REQUESTS]
    local = cache_key(REQUESTS, first)
    assert _raw(redis_server, "SET", PREFIX + "p:" + digest(local), "machine-a", "NX", "PX", "1500") == b"+OK\r\n"

    def machine_a_answers() -> None:  # machine a's registry round trip ends 0.3 s later
        time.sleep(0.3)
        store = open_store(first)
        assert store is not None
        SharedRecords(store, first).write(record, local)
        store.close()

    writer = threading.Thread(target=machine_a_answers)
    asked = len(world.requests)
    writer.start()
    started = time.monotonic()
    second = _settings(world, tmp_path, "b", redis_server.url)
    assert _statuses(resolve([REQUESTS], second)) == {"requests": Status.EXISTS}
    writer.join()
    assert time.monotonic() - started >= 0.25  # it waited for machine a
    assert [p for p in world.requests[asked:] if "requests" in p] == []  # and did not ask the registry itself


def test_a_lapsed_claim_leaves_the_lookup_to_the_waiting_machine(
    world: FakeRegistry, redis_server: RedisServer, tmp_path: Path
) -> None:
    """A claim whose machine never answers (its lookup failed, it died) costs the others at most the wait."""
    from slopguard.fleet.records import WAIT
    from slopguard.fleet.store import PREFIX, digest

    settings = _settings(world, tmp_path, "b", redis_server.url)
    local = cache_key(REQUESTS, settings)
    _raw(redis_server, "SET", PREFIX + "p:" + digest(local), "machine-a", "NX", "PX", "1500")
    asked = len(world.requests)
    started = time.monotonic()
    assert _statuses(resolve([REQUESTS], settings)) == {"requests": Status.EXISTS}
    assert time.monotonic() - started < WAIT + 2.0
    assert any("requests" in p for p in world.requests[asked:])
