"""The shared tier of the record cache: records and first misses read on a local miss, written when new.

`slopguard.registry.cache.RecordCache` calls these with its own keys (`cache_key`). A record read from
the store is checked like a registry reply before it counts: the JSON of a record (`from_json`), about the
name and ecosystem asked, `exists` or `not_found`, fetched in the past and not longer ago than its TTL;
anything else is ignored, as if the store did not have it.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from slopguard.config import Settings
from slopguard.fleet.store import PREFIX, SharedStore, digest, first_of, machine
from slopguard.models import LookupKey, RegistryRecord, Status
from slopguard.names import canonicalize

TYPE_CHECKING = False  # not `typing.TYPE_CHECKING`: the hook's cold path loads this module
if TYPE_CHECKING:
    from collections.abc import Iterable

    from slopguard.fleet.link import Command

CLAIM_MS = 1500
"""How long a machine's claim on a lookup lasts (it answers in one registry round trip, or the claim lapses)."""
WAIT = 0.8
"""How long a machine waits, at most, for the record another machine claimed the lookup of (seconds)."""
_POLL = 0.04

_SKEW = timedelta(minutes=5)
"""How far in the future a shared record's `fetched_at` may be (another machine's clock)."""


def record_key(local: str) -> str:
    """The store key of the record under local key `local`."""
    return PREFIX + "r:" + digest(local)


def first_key(local: str) -> str:
    """The store key of the first miss under local ledger key `local`."""
    return PREFIX + "f:" + digest(local)


def ttl_of(status: Status, settings: Settings) -> float | None:
    """Seconds a record of `status` is kept (`None`: never stored)."""
    ttl = {Status.EXISTS: settings.ttl_exists, Status.NOT_FOUND: settings.ttl_not_found}.get(status)
    return ttl if ttl is not None and ttl > 0 else None


def valid(record: RegistryRecord, key: LookupKey, settings: Settings, now: datetime) -> bool:
    """Whether a record read from the store answers `key` (see the module docstring)."""
    if record.ecosystem is not key.ecosystem or record.error is not None:
        return False
    if canonicalize(key.ecosystem, record.name) != canonicalize(key.ecosystem, key.name):
        return False
    ttl = ttl_of(record.status, settings)
    fetched = record.fetched_at
    if ttl is None or fetched is None or fetched.tzinfo is None:
        return False
    return fetched - _SKEW <= now and (now - fetched).total_seconds() <= ttl


class SharedRecords:
    """Records and first misses in `store`, under the local cache's keys."""

    def __init__(self, store: SharedStore, settings: Settings) -> None:
        self.store = store
        self.settings = settings

    def prefetch(self, pairs: Iterable[tuple[str, str | None]], extra: dict[str, str] | None = None) -> None:
        """Ask, in one round trip, for the records and first misses of (record key, ledger key or `None`)
        `pairs` (local keys) and the store keys `extra` (store key -> local key)."""
        wanted = dict(extra or {})
        for local, ledger in pairs:
            wanted[record_key(local)] = local
            if ledger is not None:
                wanted[first_key(ledger)] = ledger
        self.store.fetch(wanted)

    def record(self, local: str, ledger: str | None, key: LookupKey) -> RegistryRecord | None:
        """The valid shared record of `key` (prefetched), with the shared first miss attached."""
        from slopguard.registry.cache import from_json

        payload = self.store.value(record_key(local))
        if payload is None:
            return None
        try:
            record = from_json(payload)
        except (ValueError, KeyError, TypeError):
            return None
        from slopguard.registry.common import now_utc

        if not valid(record, key, self.settings, now_utc()):
            return None
        first = self.first(ledger) if ledger is not None else None
        if first is not None and (record.first_missing_at is None or first < record.first_missing_at):
            fields = {name: getattr(record, name) for name in RegistryRecord.__match_args__}
            record = RegistryRecord(**{**fields, "first_missing_at": first})
        return record

    def await_others(self, locals_: list[str]) -> None:
        """Claim the lookups of records `locals_` (local keys the store did not have) for this machine; for those
        another machine claimed first, wait up to `WAIT` for its record, so the fleet asks the registry once a
        name. A store that refuses the claim (read-only) or does not answer leaves every lookup to this machine."""
        import time

        store = self.store
        me = machine()
        claims = store.run([("SET", PREFIX + "p:" + digest(local), me, "NX", "PX", str(CLAIM_MS)) for local in locals_])
        if not claims or len(claims) != len(locals_):
            return
        theirs = {record_key(local): local for local, won in zip(locals_, claims, strict=True) if won is None}
        deadline = time.monotonic() + WAIT
        while theirs and time.monotonic() < deadline:
            time.sleep(_POLL)
            keys = list(theirs)
            replies = store.run([("MGET", *keys)])
            if not replies or not isinstance(replies[0], list) or len(replies[0]) != len(keys):
                return
            for key, value in zip(keys, replies[0], strict=True):
                payload = store.unwrap(key, theirs[key], value)
                if payload is not None:
                    store.remember(key, payload)
                    del theirs[key]

    def first(self, ledger: str) -> datetime | None:
        """The shared first miss under local ledger key `ledger` (asked now if not prefetched)."""
        key = first_key(ledger)
        if not self.store.asked(key):
            self.store.fetch({key: ledger})
        return first_of(self.store.value(key))

    def write(self, record: RegistryRecord, local: str) -> None:
        """Store a new record (by its status' TTL)."""
        from slopguard.registry.cache import to_json

        ttl = ttl_of(record.status, self.settings)
        if ttl is not None:
            self.store.write(self.store.put(record_key(local), local, to_json(record), ttl))

    def miss(self, record: RegistryRecord, local: str, ledger: str, base: str, when: datetime) -> datetime | None:
        """Store a new `not_found` record and note the miss in the ledger; return the shared first miss."""
        from slopguard.registry.cache import to_json

        commands: list[Command] = []
        ttl = ttl_of(record.status, self.settings)
        if ttl is not None:
            commands.extend(self.store.put(record_key(local), local, to_json(record), ttl))
        key = first_key(ledger)
        self.store.forget_first(ledger)
        commands.extend(self.store.first_miss(ledger, record.name, record.ecosystem.value, base, when))
        commands.append(("GET", key))
        replies = self.store.write(commands)
        if not replies:
            return None
        payload = self.store.unwrap(key, ledger, replies[-1])
        return first_of(payload)
