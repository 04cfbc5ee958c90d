"""The decision store: a stored decision is the one a full check reaches, and it is never kept past its validity."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path

from fakeregistry import FakeRegistry

from slopguard.check import check_refs, check_refs_stored, parse_ref
from slopguard.config import Settings
from slopguard.models import PackageRef, Report, Status, Verdict
from slopguard.registry.cache import RecordCache
from slopguard.registry.decisions import FILENAME, DecisionStore, expiry, fingerprint

NOW = datetime.now(timezone.utc)


def _iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _world(registry: FakeRegistry) -> None:
    old = {f"2.{i}.0": f"201{i}-01-01T00:00:00Z" for i in range(5)}
    registry.add_pypi("requests", versions=old, repository="https://github.com/psf/requests")
    registry.add_pypi("fresh-thing", versions={"0.1.0": _iso(NOW - timedelta(days=3, hours=5))})


def _refs(*texts: str) -> list[PackageRef]:
    return [parse_ref(t) for t in texts]


REFS = ("pypi:requests", "pypi:reqeusts", "pypi:fresh-thing", "pypi:bad name!")


def _when_aside(report: Report) -> Report:
    """`report` with each record's fetch time and cache flag cleared (a fresh fetch differs only there)."""
    findings = tuple(
        replace(f, record=None if f.record is None else replace(f.record, fetched_at=None, from_cache=False))
        for f in report.findings
    )
    return replace(report, findings=findings)


def test_a_stored_decision_equals_a_fresh_full_check(fake_registry: FakeRegistry, registry_settings: Settings) -> None:
    _world(fake_registry)
    first = check_refs_stored(_refs(*REFS), registry_settings, now=NOW)
    asked = len(fake_registry.requests)
    assert asked > 0
    stored = check_refs_stored(_refs(*REFS), registry_settings, now=NOW)
    assert len(fake_registry.requests) == asked  # nothing asked again
    full = check_refs(_refs(*REFS), registry_settings, now=NOW)  # records fetched anew: the hook's path keeps them
    assert _when_aside(stored) == _when_aside(full)  # in the decision store, not the record cache
    assert [f.verdict for f in first.findings] == [f.verdict for f in stored.findings]
    by_name = {f.name: f for f in stored.findings}
    assert by_name["reqeusts"].verdict is Verdict.BLOCK and by_name["reqeusts"].suggestion == "requests"
    assert "new-package" in {r.code for r in by_name["fresh-thing"].reasons}
    assert by_name["requests"].verdict is Verdict.OK and by_name["requests"].record is not None
    assert by_name["bad name!"].record is None and by_name["bad name!"].verdict is Verdict.BLOCK
    assert len(DecisionStore(registry_settings).get_many({("pypi", "x"): []})) == 0  # type: ignore[dict-item]


def test_decisions_expire_with_the_record_and_the_age_message(
    fake_registry: FakeRegistry, registry_settings: Settings
) -> None:
    _world(fake_registry)
    report = check_refs_stored(_refs(*REFS), registry_settings, now=NOW)
    by_name = {f.name: f for f in report.findings}
    now = NOW.timestamp()
    missing = expiry(by_name["reqeusts"], registry_settings, now)
    gone = by_name["reqeusts"].record
    assert gone is not None and gone.fetched_at is not None
    assert missing == gone.fetched_at.timestamp() + registry_settings.ttl_not_found
    young = expiry(by_name["fresh-thing"], registry_settings, now)
    record = by_name["fresh-thing"].record
    assert record is not None and record.first_release is not None and young is not None
    # "first released 3 days ago" turns into "4 days ago" at the next whole day of age
    assert young == record.first_release.timestamp() + 4 * 86400
    old = expiry(by_name["requests"], registry_settings, now)
    fetched = by_name["requests"].record.fetched_at  # type: ignore[union-attr]
    assert fetched is not None and old == fetched.timestamp() + registry_settings.ttl_exists
    store = DecisionStore(registry_settings)
    groups = {(r.ecosystem, r.canonical): [r] for r in _refs(*REFS)}
    assert len(store.get_many(groups, now)) == 4
    later = store.get_many(groups, missing + 1)
    assert {name for _, name in later} == {"requests", "fresh-thing"}
    assert {name for _, name in store.get_many(groups, young + 1)} == {"requests"}


def test_the_age_message_is_right_after_a_day_tick(fake_registry: FakeRegistry, registry_settings: Settings) -> None:
    _world(fake_registry)
    settings = replace(registry_settings, ttl_exists=10 * 86400.0)
    check_refs_stored(_refs("pypi:fresh-thing"), settings, now=NOW)
    asked = len(fake_registry.requests)
    tomorrow = NOW + timedelta(days=1)
    again = check_refs_stored(_refs("pypi:fresh-thing"), settings, now=tomorrow)
    assert _when_aside(again) == _when_aside(check_refs(_refs("pypi:fresh-thing"), settings, now=tomorrow))
    assert "4 days ago" in again.findings[0].reasons[0].message or any(
        "4 days ago" in r.message for r in again.findings[0].reasons
    )
    # The hook's path keeps records in the decision store, not the record cache: a decision past its day
    # tick is redone from a fresh lookup (one request), and the full check asks for itself (one more).
    assert len(fake_registry.requests) == asked + 2


def test_a_registry_fault_is_never_stored(fake_registry: FakeRegistry, registry_settings: Settings) -> None:
    _world(fake_registry)
    settings = replace(registry_settings, max_tries=1)
    fake_registry.fault("/pypi/requests/json", "503")
    down = check_refs_stored(_refs("pypi:requests"), settings, now=NOW)
    assert down.findings[0].record is not None and down.findings[0].record.status is Status.UNKNOWN
    assert "registry-unavailable" in {r.code for r in down.findings[0].reasons}
    fake_registry._faults.clear()
    up = check_refs_stored(_refs("pypi:requests"), settings, now=NOW)
    assert up.findings[0].verdict is Verdict.OK
    assert up.findings[0].record is not None and up.findings[0].record.status is Status.EXISTS


def test_other_settings_or_refs_with_notes_are_not_answered(
    fake_registry: FakeRegistry, registry_settings: Settings
) -> None:
    _world(fake_registry)
    check_refs_stored(_refs("pypi:reqeusts"), registry_settings, now=NOW)
    allowing = replace(registry_settings, allow=(("pypi", "reqeusts"),))
    assert fingerprint(allowing) != fingerprint(registry_settings)
    report = check_refs_stored(_refs("pypi:reqeusts"), allowing, now=NOW)
    assert report.findings[0].verdict is Verdict.OK  # not the stored block
    sourced = replace(parse_ref("pypi:reqeusts"), notes=("extra-index-url",))
    assert DecisionStore(registry_settings).get_many({(sourced.ecosystem, sourced.canonical): [sourced]}) == {}
    assert (
        DecisionStore(registry_settings).put_many([replace(report.findings[0], refs=(sourced,))], NOW.timestamp()) == 0
    )


def test_a_broken_store_is_no_store(fake_registry: FakeRegistry, registry_settings: Settings) -> None:
    _world(fake_registry)
    Path(registry_settings.cache_dir).mkdir(parents=True)
    (Path(registry_settings.cache_dir) / FILENAME).write_bytes(b"this is not a database" * 100)
    first = check_refs_stored(_refs("pypi:requests", "pypi:reqeusts"), registry_settings, now=NOW)
    assert [f.verdict for f in first.findings] == [Verdict.BLOCK, Verdict.OK]
    report = check_refs_stored(_refs("pypi:requests", "pypi:reqeusts"), registry_settings, now=NOW)
    assert _when_aside(report) == _when_aside(
        check_refs(_refs("pypi:requests", "pypi:reqeusts"), registry_settings, now=NOW)
    )
    store = DecisionStore(registry_settings)
    assert store.get_many({(r.ecosystem, r.canonical): [r] for r in _refs("pypi:requests")}) == {}
    assert store.problem is not None


def test_a_tampered_row_is_ignored(fake_registry: FakeRegistry, registry_settings: Settings) -> None:
    _world(fake_registry)
    check_refs_stored(_refs("pypi:requests"), registry_settings, now=NOW)
    with sqlite3.connect(Path(registry_settings.cache_dir) / FILENAME) as conn:
        conn.execute('UPDATE decision SET value = \'{"verdict": "maybe"}\'')
    asked = len(fake_registry.requests)
    report = check_refs_stored(_refs("pypi:requests"), registry_settings, now=NOW)
    assert report.findings[0].verdict is Verdict.OK
    assert len(fake_registry.requests) == asked + 1  # redone from a fresh lookup (the hook writes no record cache)


def test_cache_clear_clears_the_decisions(fake_registry: FakeRegistry, registry_settings: Settings) -> None:
    _world(fake_registry)
    check_refs_stored(_refs("pypi:requests", "pypi:reqeusts"), registry_settings, now=NOW)
    groups = {(r.ecosystem, r.canonical): [r] for r in _refs("pypi:requests", "pypi:reqeusts")}
    assert len(DecisionStore(registry_settings).get_many(groups)) == 2
    assert RecordCache(registry_settings).clear() == 2 + 1  # 2 decisions, the first miss of reqeusts; no records
    assert DecisionStore(registry_settings).get_many(groups) == {}
    asked = len(fake_registry.requests)
    check_refs_stored(_refs("pypi:requests"), registry_settings, now=NOW)
    assert len(fake_registry.requests) > asked


def test_no_cache_means_no_store(fake_registry: FakeRegistry, registry_settings: Settings) -> None:
    _world(fake_registry)
    settings = replace(registry_settings, use_cache=False)
    check_refs_stored(_refs("pypi:requests"), settings, now=NOW)
    assert not (Path(settings.cache_dir) / FILENAME).exists()


def test_concurrent_writers_and_readers_fail_soft(fake_registry: FakeRegistry, registry_settings: Settings) -> None:
    import threading

    _world(fake_registry)
    report = check_refs_stored(_refs(*REFS), registry_settings, now=NOW)
    groups = {(r.ecosystem, r.canonical): [r] for r in _refs(*REFS)}
    errors: list[BaseException] = []
    seen: list[int] = []

    def work() -> None:
        try:
            store = DecisionStore(registry_settings)
            for _ in range(20):
                store.put_many(report.findings, NOW.timestamp())
                seen.append(len(store.get_many(groups, NOW.timestamp())))
        except BaseException as exc:  # pragma: no cover - the assertion below reports it
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(seen) == 120 and max(seen) == 4  # a read may miss while a writer holds the lock, never break


def test_count_sees_only_unexpired_decisions(fake_registry: FakeRegistry, registry_settings: Settings) -> None:
    store = DecisionStore(registry_settings)
    assert store.count() == 0
    assert not (registry_settings.cache_dir / FILENAME).exists()  # nothing created just to count
    _world(fake_registry)
    check_refs_stored(_refs("pypi:requests", "pypi:reqeusts"), registry_settings, now=NOW)
    assert store.count() == 2
    assert store.count(now=NOW.timestamp() + 2 * 24 * 3600) == 0  # both past their TTL
