"""The on-disk record cache (diskcache, JSON values, per-status TTLs), and with it the seen-missing ledger."""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Iterable, Iterator
from datetime import datetime

from slopguard.config import Settings
from slopguard.models import Ecosystem, LookupKey, RegistryRecord, Status
from slopguard.names import canonicalize
from slopguard.registry.common import base_url, now_utc

TYPE_CHECKING = False  # not `typing.TYPE_CHECKING`: the agent hook's warm path reads stored decisions through here
if TYPE_CHECKING:
    from typing import Any

    from slopguard.fleet.records import SharedRecords
    from slopguard.fleet.store import SharedStore

SCHEMA = "r2"
"""Prefix of record keys; bump it when the stored JSON changes shape (r2: `versions`, which r1 records lack)."""
_MISSING = "m1"
"""Prefix of the seen-missing ledger's keys (`slopguard.registry.missing`)."""
FILENAME = "cache.db"
"""diskcache's database file in the cache directory."""
_FIELDS = frozenset(RegistryRecord.__match_args__)
"""The record's field names (`__match_args__` rather than `dataclasses.fields`, which would build the
dataclass metadata on the hook's warm path)."""
_DATES = tuple(name for name in _FIELDS if name.endswith(("_at", "_release")))
_INLINE_BYTES = 2**20
"""Values below this size stay inline in diskcache's table (its default is 32 KiB), where the hook's read-only
path reads them: a record listing thousands of versions (`typescript`, `@types/node`) is larger than 32 KiB."""
_STORED = (Status.EXISTS, Status.NOT_FOUND)
"""Statuses whose records are kept (by their TTL); the others are never stored."""
_SQLITE_TIMEOUT = 2.0
"""Seconds to wait for another process's lock before treating the cache as unavailable."""


def cache_key(key: LookupKey, settings: Settings, kind: str = SCHEMA) -> str:
    """The cache key of `key`: registry base URL + ecosystem + canonical name (already in `key.name`), and
    `@version` for a key that asks about one version."""
    name = canonicalize(key.ecosystem, key.name)
    then = "+default" if key.then_default else ""
    version = "" if key.version is None else f"@{key.version}"
    return f"{kind}|{base_url(key, settings)}{then}|{key.ecosystem.value}|{name}{version}"


def to_json(record: RegistryRecord) -> str:
    """A record as a JSON string (datetimes as ISO-8601, enums as values)."""
    data: dict[str, Any] = {}
    for name in RegistryRecord.__match_args__:
        value = getattr(record, name)
        if isinstance(value, datetime):
            value = value.isoformat()
        elif isinstance(value, (Ecosystem, Status)):
            value = value.value
        data[name] = value
    data.pop("from_cache", None)
    return json.dumps(data, separators=(",", ":"))


def from_json(text: str) -> RegistryRecord:
    """The record `to_json` wrote, marked `from_cache`; raises `ValueError`/`KeyError`/`TypeError` on junk."""
    return _from_data(json.loads(text))


_ECOSYSTEMS = {e.value: e for e in Ecosystem}
_STATUSES = {s.value: s for s in Status}


def _from_data(data: Any) -> RegistryRecord:
    if not isinstance(data, dict):
        raise TypeError("a cached record is a JSON object")
    for name in _DATES:
        value = data.get(name)
        if value is not None:
            data[name] = datetime.fromisoformat(value)
    data["ecosystem"] = _ECOSYSTEMS[data["ecosystem"]]
    data["status"] = _STATUSES[data["status"]]
    data["from_cache"] = True
    versions = data.get("versions")
    if versions is not None:
        if not isinstance(versions, list) or not all(isinstance(v, str) for v in versions):
            raise TypeError("cached versions are a list of strings")
        data["versions"] = tuple(versions)
    if not _FIELDS.issuperset(data):
        data = {k: v for k, v in data.items() if k in _FIELDS}
    return RegistryRecord(**data)


_MODE_RAW = 1
"""diskcache stores a short `str` value inline in its `Cache` table with this mode."""
_CHUNK = 500


def _read_many(cache: Any, names: list[str]) -> dict[str, str]:
    """Unexpired string values for `names`: one SQL query per 500 keys, else one `get()` per key.

    The query reads diskcache's table directly (10x faster than `get()` in a loop, and it takes no write
    lock); anything unexpected in that layout falls back to the public API.
    """
    out: dict[str, str] = {}
    try:
        for name, mode, value in _unexpired_rows(cache._sql, names):
            value = value if mode == _MODE_RAW else cache.get(name)
            if isinstance(value, str):
                out[name] = value
        return out
    except Exception:  # another diskcache layout: the public API (which raises if the file is broken)
        found = ((name, cache.get(name)) for name in names)
        return {name: value for name, value in found if isinstance(value, str)}


def _unexpired_rows(run: Any, names: list[str]) -> Iterator[tuple[str, int, Any]]:
    """(key, mode, value) of diskcache's unexpired rows for `names`, one SQL query per 500 keys through
    `run(query, params)` (diskcache's own connection or a plain `sqlite3` one)."""
    import time

    now = time.time()
    for start in range(0, len(names), _CHUNK):
        chunk = names[start : start + _CHUNK]
        marks = ",".join("?" * len(chunk))  # placeholders only: names are bound, never spliced in
        query = (
            f"SELECT key, mode, value FROM Cache WHERE raw = 1 AND key IN ({marks})"
            " AND (expire_time IS NULL OR expire_time > ?)"
        )
        yield from run(query, (*chunk, now)).fetchall()


def _read_file(path: str, names: list[str]) -> dict[str, str]:
    """What `_read_many` reads, straight from diskcache's database file with `sqlite3` (diskcache itself
    is not loaded); values diskcache keeps in another form than inline text are left out (a miss)."""
    import sqlite3

    if not names or not os.path.exists(path):
        return {}
    conn = sqlite3.connect(path, timeout=_SQLITE_TIMEOUT)
    try:
        rows = _unexpired_rows(conn.execute, names)
        return {name: value for name, mode, value in rows if mode == _MODE_RAW and isinstance(value, str)}
    finally:
        conn.close()


class RecordCache:
    """Registry records kept on disk, safe across threads and processes, failing soft.

    Keys are registry base URL + ecosystem + canonical name. `exists` records live `settings.ttl_exists`
    seconds, `not_found` `settings.ttl_not_found`; `unknown` and `skipped` are never stored. The first time
    a name was seen missing is kept for good (`slopguard.registry.missing`). Any cache fault (corrupt,
    read-only, locked) turns the cache off for the rest of the run; it never raises.

    With `read_only`, records are read straight from the database file and never written, and diskcache
    is never loaded: the agent hook's cold path, which keeps what it looks up in its decision store
    (`slopguard.registry.decisions`). First misses are recorded either way.
    """

    def __init__(self, settings: Settings, *, read_only: bool = False, shared: SharedStore | None = None) -> None:
        from slopguard.registry.missing import MissingLedger

        self.settings = settings
        self.directory = settings.cache_dir
        self.read_only = read_only
        self._cache: Any = None
        self._broken = not settings.use_cache
        self.problem: str | None = None if settings.use_cache else "disabled (use_cache is off)"
        """Why the cache is not in use, if it is not."""
        self._lock = threading.Lock()
        self._ledger = MissingLedger(settings)
        self._shared = _shared_tier(settings, read_only, shared)
        self._own_shared = shared is None
        """The fleet's shared store (`slopguard.fleet`), asked on a local miss and written with new records."""

    def _open(self) -> Any:
        if self._broken:
            return None
        if self._cache is None:
            with self._lock:
                if self._cache is None and not self._broken:
                    try:
                        import diskcache

                        self._cache = diskcache.Cache(
                            str(self.directory),
                            timeout=_SQLITE_TIMEOUT,
                            size_limit=2**28,
                            disk_min_file_size=_INLINE_BYTES,
                        )
                    except Exception as exc:  # corrupt file, read-only dir, ...: run without a cache
                        self._fail("open", exc)
                    else:
                        self._move_first_misses(self._cache)
        return self._cache

    def _move_first_misses(self, cache: Any) -> None:
        """Move the first misses a version before the ledger kept in diskcache (`m1|` keys) into the ledger,
        so the slopsquat signal survives the upgrade; one indexed range query when there are none."""
        try:
            rows = cache._sql("SELECT key FROM Cache WHERE raw = 1 AND key >= ? AND key < ?", ("m1|", "m1}"))
            for (key,) in rows.fetchall():
                text = cache.pop(key)
                if isinstance(text, str):
                    self._ledger.note(key, datetime.fromisoformat(text))
        except Exception:  # another diskcache layout or junk: nothing to move
            return

    def _fail(self, what: str, exc: BaseException) -> None:
        # No logging import here: this module is on the agent hook's warm path. `info()` reports it.
        self.problem = f"{what} failed: {type(exc).__name__}: {exc}"
        self._broken = True

    def get(self, key: LookupKey) -> RegistryRecord | None:
        """The cached record for `key`, or `None`."""
        if self.read_only:
            return next((record for _, record in self.get_many([key])), None)
        cache = self._open()
        if cache is None:
            return None
        try:
            text = cache.get(cache_key(key, self.settings))
        except Exception as exc:
            self._fail("read", exc)
            return None
        if not isinstance(text, str):
            return next((record for _, record in self._from_shared([key])), None)
        try:
            return from_json(text)
        except (ValueError, KeyError, TypeError):
            return None

    def get_many(self, keys: Iterable[LookupKey]) -> Iterator[tuple[LookupKey, RegistryRecord]]:
        """Cached records for `keys`; missing keys are left out."""
        if self._broken:
            return
        cache = None if self.read_only else self._open()
        if cache is None and not self.read_only:
            return
        wanted = {cache_key(key, self.settings): key for key in keys}
        try:
            if cache is None:
                texts = _read_file(os.path.join(os.fspath(self.directory), FILENAME), list(wanted))
            else:
                texts = _read_many(cache, list(wanted))
        except Exception as exc:
            self._fail("read", exc)
            return
        found = set()
        for name, text in texts.items():
            try:
                yield wanted[name], from_json(text)
                found.add(name)
            except (ValueError, KeyError, TypeError):
                continue
        if self._shared is not None:
            yield from self._from_shared([key for name, key in wanted.items() if name not in found])

    def prefetch(self, keys: Iterable[LookupKey], extra: dict[str, str] | None = None) -> None:
        """Ask the shared store, in one round trip, for the records and first misses of `keys` and for the
        store keys `extra` (the hook's decisions); later reads of them cost no round trip."""
        if self._shared is not None:
            self._shared.prefetch(self._pairs(keys), extra)

    def _pairs(self, keys: Iterable[LookupKey]) -> list[tuple[str, str | None]]:
        s = self.settings
        return [(cache_key(k, s), None if k.version is not None else cache_key(k, s, _MISSING)) for k in keys]

    def _from_shared(self, keys: list[LookupKey]) -> Iterator[tuple[LookupKey, RegistryRecord]]:
        """Valid shared records of `keys` (a local miss each), kept in the local cache unless `read_only`."""
        shared = self._shared
        if shared is None or not keys:
            return
        pairs = self._pairs(keys)
        shared.prefetch(pairs)
        records = [shared.record(local, ledger, key) for key, (local, ledger) in zip(keys, pairs, strict=True)]
        absent = [local for (local, _), record in zip(pairs, records, strict=True) if record is None]
        if absent:  # another machine may be asking the registry right now: wait for its answer, not ask again
            shared.await_others(absent)
            records = [
                record or shared.record(local, ledger, key)
                for key, (local, ledger), record in zip(keys, pairs, records, strict=True)
            ]
        for key, (local, _), record in zip(keys, pairs, records, strict=True):
            if record is None:
                continue
            ttl = {Status.EXISTS: self.settings.ttl_exists, Status.NOT_FOUND: self.settings.ttl_not_found}
            cache = None if self.read_only else self._open()
            if cache is not None and ttl.get(record.status, 0) > 0:
                try:
                    cache.set(local, to_json(record), expire=ttl[record.status])
                except Exception as exc:
                    self._fail("write", exc)
            yield key, record

    def put(self, record: RegistryRecord, key: LookupKey) -> RegistryRecord:
        """Store `record` by its status' TTL (unless `read_only`), note a first miss; return it with
        `first_missing_at` set. The ledger is its own file: a broken record cache does not stop it."""
        if not self.settings.use_cache:
            return record
        ledger_key = cache_key(key, self.settings, _MISSING)
        first: datetime | None = None
        # Opened first: the first misses an old cache kept move to the ledger before it is read.
        cache = None if self.read_only else self._open()
        if key.version is not None:
            pass  # a missing version is not a missing name: the slopsquat ledger is about names
        elif record.status is Status.NOT_FOUND:
            first = self._ledger.note(ledger_key, record.fetched_at or now_utc())
        else:
            first = self._ledger.first(ledger_key)
            if self._shared is not None and record.status is Status.EXISTS:
                first = _earliest(first, self._shared.first(ledger_key))
        if self._shared is not None and record.status in (Status.EXISTS, Status.NOT_FOUND):
            first = self._share(record, key, ledger_key, first)
        if first is not None and record.first_missing_at is None:
            fields = {name: getattr(record, name) for name in RegistryRecord.__match_args__}
            record = RegistryRecord(**{**fields, "first_missing_at": first})  # `dataclasses.replace` costs an import
        if cache is None:
            return record
        try:
            ttl = {Status.EXISTS: self.settings.ttl_exists, Status.NOT_FOUND: self.settings.ttl_not_found}
            if record.status in ttl and ttl[record.status] > 0:
                cache.set(cache_key(key, self.settings), to_json(record), expire=ttl[record.status])
        except Exception as exc:
            self._fail("write", exc)
        return record

    def _share(
        self, record: RegistryRecord, key: LookupKey, ledger_key: str, first: datetime | None
    ) -> datetime | None:
        """Write a new record (and a first miss) to the shared store; return the earliest first miss known."""
        assert self._shared is not None
        local = cache_key(key, self.settings)
        if record.status is Status.NOT_FOUND and key.version is None:
            when = record.fetched_at or now_utc()
            shared = self._shared.miss(record, local, ledger_key, base_url(key, self.settings), when)
            return _earliest(first, shared)
        if first is not None and record.first_missing_at is None:
            fields = {name: getattr(record, name) for name in RegistryRecord.__match_args__}
            record = RegistryRecord(**{**fields, "first_missing_at": first})
        self._shared.write(record, local)
        return first

    def put_many(self, pairs: list[tuple[LookupKey, RegistryRecord]]) -> list[RegistryRecord]:
        """`put` for each (key, record): what `put` returns, in order; the first-missing times of records
        that are never stored (`unknown`, `skipped`) are read from the ledger in one batch, not per record."""
        if not self.settings.use_cache:
            return [record for _, record in pairs]
        if not self.read_only:
            self._open()  # first misses an old cache kept move to the ledger before it is read
        ledger_keys = [None if r.status in _STORED else cache_key(k, self.settings, _MISSING) for k, r in pairs]
        firsts = self._ledger.first_many([k for k in ledger_keys if k is not None])
        out: list[RegistryRecord] = []
        for (key, record), ledger_key in zip(pairs, ledger_keys, strict=True):
            if ledger_key is None:
                out.append(self.put(record, key))
                continue
            first = firsts.get(ledger_key)
            if first is not None and record.first_missing_at is None:
                fields = {name: getattr(record, name) for name in RegistryRecord.__match_args__}
                record = RegistryRecord(**{**fields, "first_missing_at": first})
            out.append(record)
        return out

    def first_missing(self, key: LookupKey) -> datetime | None:
        """The first time `key` was seen missing (kept for good), or `None`."""
        if not self.settings.use_cache:
            return None
        if not self.read_only:
            self._open()  # first misses an old cache kept move to the ledger before it is read
        ledger_key = cache_key(key, self.settings, _MISSING)
        first = self._ledger.first(ledger_key)
        return first if self._shared is None else _earliest(first, self._shared.first(ledger_key))

    def info(self) -> dict[str, Any]:
        """Plain data for `slopguard cache info`: directory, counts by kind, bytes on disk, whether it works."""
        empty = {"entries": 0, "size_bytes": 0, "exists": 0, "not_found": 0, "first_missing": 0, "other": 0}
        if not self._broken and not self.directory.exists():  # do not create it just to report it empty
            return {"directory": str(self.directory), "usable": True, **empty}
        cache = self._open()
        out: dict[str, Any] = {"directory": str(self.directory), "usable": cache is not None}
        if cache is None:
            out["problem"] = self.problem
            return out
        try:
            cache.expire()
            counts = {"exists": 0, "not_found": 0, "first_missing": 0, "other": 0}
            for k in cache.iterkeys():
                text = cache.get(k) if isinstance(k, str) and k.startswith(SCHEMA + "|") else None
                status = json.loads(text).get("status") if isinstance(text, str) else None
                counts[status if status in counts else "other"] += 1
            counts["first_missing"] = self._ledger.count()
            ledger_bytes = os.path.getsize(self._ledger.path) if os.path.exists(self._ledger.path) else 0
            entries = len(cache) + counts["first_missing"]
            out.update(entries=entries, size_bytes=int(cache.volume()) + ledger_bytes, **counts)
        except Exception as exc:
            self._fail("info", exc)
            out.update(usable=False, problem=self.problem)
        return out

    def clear(self) -> int:
        """Remove every entry (records, first-miss times and the decisions made from them, see
        `slopguard.registry.decisions`); return how many were removed."""
        if not self._broken and not self.directory.exists():
            return 0
        from slopguard.registry.decisions import DecisionStore

        decisions = DecisionStore(self.settings).clear() + self._ledger.clear()
        cache = self._open()
        if cache is None:
            return decisions
        try:
            return decisions + int(cache.clear())
        except Exception as exc:
            self._fail("clear", exc)
            return decisions

    def close(self) -> None:
        """Close the database connections."""
        self._ledger.close()
        if self._shared is not None and self._own_shared:
            self._shared.store.close()
        if self._cache is not None:
            try:
                self._cache.close()
            except Exception:  # pragma: no cover - closing never matters to the result
                pass


def _earliest(a: datetime | None, b: datetime | None) -> datetime | None:
    return b if a is None else a if b is None else min(a, b)


def _shared_tier(settings: Settings, read_only: bool, store: SharedStore | None) -> SharedRecords | None:
    """The shared tier over `store` (default: the one `settings` name; RESP over a socket when `read_only`,
    the hook's path), or `None` when there is none."""
    if store is None:
        if not settings.shared_cache or not settings.use_cache:
            return None
        from slopguard.fleet import open_store

        store = open_store(settings, light=read_only)
        if store is None:
            return None
    from slopguard.fleet.records import SharedRecords

    return SharedRecords(store, settings)
