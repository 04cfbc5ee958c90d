"""The seen-missing ledger and the read-only record cache the agent hook uses: first misses are shared between the
hook and scans, the hook's path reads records without diskcache and writes none, and faults fail soft."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

from fakeregistry import FakeRegistry

from slopguard.check import check_refs, check_refs_stored, parse_ref
from slopguard.config import Settings
from slopguard.models import Ecosystem, LookupKey, Status, Verdict
from slopguard.registry import RecordCache, resolve
from slopguard.registry.missing import FILENAME, MissingLedger

GHOST = LookupKey(Ecosystem.PYPI, "huggingface-clii")
NOW = datetime.now(timezone.utc)


def _iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def test_a_miss_the_hook_saw_flags_the_name_once_registered(
    fake_registry: FakeRegistry, registry_settings: Settings
) -> None:
    blocked = check_refs_stored([parse_ref("pypi:huggingface-clii")], registry_settings, now=NOW)
    assert blocked.findings[0].verdict is Verdict.BLOCK
    assert not (Path(registry_settings.cache_dir) / "cache.db").exists()  # the hook's path wrote no record
    first = RecordCache(registry_settings).first_missing(GHOST)
    assert first is not None
    # An attacker registers the hallucinated name; a scan (the full path) asks again and knows the miss.
    fake_registry.add_pypi("huggingface-clii", versions={"0.0.1": _iso(NOW + timedelta(minutes=5))})
    later = NOW + timedelta(days=2)
    report = check_refs([parse_ref("pypi:huggingface-clii")], registry_settings, now=later)
    finding = report.findings[0]
    assert finding.record is not None and finding.record.status is Status.EXISTS
    assert finding.record.first_missing_at == first
    assert "registered-after-missing" in {r.code for r in finding.reasons}
    assert finding.verdict is Verdict.BLOCK


def test_a_miss_a_scan_saw_reaches_the_hook(fake_registry: FakeRegistry, registry_settings: Settings) -> None:
    settings = registry_settings.replace(ttl_not_found=0.2)
    missing = resolve([GHOST], settings)[GHOST]
    assert missing.status is Status.NOT_FOUND
    fake_registry.add_pypi("huggingface-clii", versions={"0.0.1": _iso(NOW + timedelta(minutes=5))})
    time.sleep(0.3)  # the cached "not found" expires
    report = check_refs_stored([parse_ref("pypi:huggingface-clii")], settings, now=NOW + timedelta(days=2))
    assert "registered-after-missing" in {r.code for r in report.findings[0].reasons}


def test_the_first_miss_is_kept_not_moved(registry_settings: Settings) -> None:
    ledger = MissingLedger(registry_settings)
    early, late = NOW - timedelta(days=30), NOW
    assert ledger.note("k", early) == early
    assert ledger.note("k", late) == early
    assert ledger.first("k") == early and ledger.first("other") is None
    assert ledger.count() == 1
    assert ledger.clear() == 1 and ledger.first("k") is None
    ledger.close()


def test_the_read_only_cache_reads_records_a_scan_wrote_and_writes_none(
    fake_registry: FakeRegistry, registry_settings: Settings
) -> None:
    fake_registry.add_pypi("requests")
    known = LookupKey(Ecosystem.PYPI, "requests")
    written = resolve([known], registry_settings)[known]
    reader = RecordCache(registry_settings, read_only=True)
    got = reader.get(known)
    assert got is not None and got.status is Status.EXISTS and got.from_cache
    assert got.version_count == written.version_count and got.first_release == written.first_release
    fresh = LookupKey(Ecosystem.PYPI, "not-yet-cached")
    before = RecordCache(registry_settings).info()
    reader.put(written, fresh)
    assert reader.get(fresh) is None
    assert RecordCache(registry_settings).info()["exists"] == before["exists"]
    reader.close()


def test_the_read_only_cache_never_loads_diskcache(
    fake_registry: FakeRegistry, registry_settings: Settings, tmp_path: Path
) -> None:
    fake_registry.add_pypi("requests")
    known = LookupKey(Ecosystem.PYPI, "requests")
    resolve([known], registry_settings)  # a scan filled the record cache
    code = (
        "import sys\n"
        "from slopguard.config import load_settings\n"
        "from slopguard.models import Ecosystem, LookupKey, Status\n"
        "from slopguard.registry.cache import RecordCache\n"
        "from pathlib import Path\n"
        "cache = RecordCache(load_settings(Path('.')), read_only=True)\n"
        "record = cache.get(LookupKey(Ecosystem.PYPI, 'requests'))\n"
        "assert record is not None and record.status is Status.EXISTS, record\n"
        "assert 'diskcache' not in sys.modules\n"
        "print('ok')\n"
    )
    env = {**os.environ, **fake_registry.env(Path(registry_settings.cache_dir))}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=tmp_path)
    assert done.returncode == 0 and done.stdout.strip() == "ok", done.stderr


def test_an_unusable_ledger_fails_soft(registry_settings: Settings, tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("a file where the cache directory should be")
    ledger = MissingLedger(registry_settings.replace(cache_dir=blocker))
    assert ledger.note("k", NOW) == NOW
    assert ledger.first("k") is None and ledger.count() == 0
    assert ledger.problem is not None


def test_a_foreign_table_fails_soft(registry_settings: Settings) -> None:
    import sqlite3

    path = Path(registry_settings.cache_dir) / FILENAME
    path.parent.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE missing (other INTEGER)")
    ledger = MissingLedger(registry_settings)
    assert ledger.note("k", NOW) == NOW
    assert ledger.first("k") is None and ledger.problem is not None


def test_cache_info_and_clear_cover_the_ledger(fake_registry: FakeRegistry, registry_settings: Settings) -> None:
    resolve([GHOST, LookupKey(Ecosystem.NPM, "left-padd")], registry_settings)
    info = RecordCache(registry_settings).info()
    assert info["first_missing"] == 2 and info["not_found"] == 2 and info["entries"] == 4
    assert RecordCache(registry_settings).clear() == 4
    assert RecordCache(registry_settings).info()["first_missing"] == 0


def test_a_first_miss_an_old_cache_kept_in_diskcache_is_moved_to_the_ledger(
    fake_registry: FakeRegistry, registry_settings: Settings
) -> None:
    import diskcache

    from slopguard.registry.cache import cache_key

    long_ago = NOW - timedelta(days=90)
    with diskcache.Cache(str(registry_settings.cache_dir)) as old:
        old.set(cache_key(GHOST, registry_settings, "m1"), long_ago.isoformat())
    missing = resolve([GHOST], registry_settings)[GHOST]  # asked again: still missing, first miss kept
    assert missing.status is Status.NOT_FOUND and missing.first_missing_at == long_ago
    assert MissingLedger(registry_settings).first(cache_key(GHOST, registry_settings, "m1")) == long_ago
    assert RecordCache(registry_settings).first_missing(GHOST) == long_ago


def test_a_broken_record_cache_does_not_stop_the_ledger(registry_settings: Settings) -> None:
    from slopguard.models import RegistryRecord

    folder = Path(registry_settings.cache_dir)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "cache.db").write_bytes(b"not a database at all" * 100)
    reader = RecordCache(registry_settings, read_only=True)
    assert list(reader.get_many([GHOST])) == []  # the record cache is unreadable: no records, no exception
    missing = RegistryRecord(GHOST.ecosystem, GHOST.name, Status.NOT_FOUND, fetched_at=NOW)
    noted = reader.put(missing, GHOST)
    assert noted.first_missing_at == NOW
    assert reader.first_missing(GHOST) == NOW
    reader.close()
