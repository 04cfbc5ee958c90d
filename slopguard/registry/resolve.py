"""The Resolver: deduplicated, concurrent, cached registry lookups that never raise for a registry fault."""

from __future__ import annotations

import threading
import time

from slopguard.config import Settings, list_match
from slopguard.errors import RegistryError
from slopguard.models import Ecosystem, LookupKey, RegistryRecord, Status
from slopguard.names import invalid_reason, is_go_stdlib
from slopguard.registry.cache import RecordCache
from slopguard.registry.common import base_url, skipped, unknown

TYPE_CHECKING = False  # not `typing.TYPE_CHECKING`: the hook loads this module on cold lookups
if TYPE_CHECKING:
    from collections.abc import Iterable
    from types import ModuleType, TracebackType

    import httpx

    from slopguard.registry.http import Fetcher
    from slopguard.registry.transport import Transport
    from slopguard.registry.workers import Job, Workers

# Threads rather than asyncio: `python -X importtime` gives ~79 ms for asyncio (Python 3.11, this machine),
# and the agent hook pays its imports on every cold call; `slopguard.registry.workers` rather than
# concurrent.futures for the same reason (~10 ms with the logging it loads).


def precheck(key: LookupKey, settings: Settings) -> RegistryRecord | None:
    """A SKIPPED/UNKNOWN record for a key that must not be sent (stdlib, invalid, private, on the allow or deny
    list, an index the settings do not configure, bad URL), else `None`.

    The allow/deny and index rules are decided before any lookup by `slopguard.check`; they are checked
    again here, right before the network, so that no caller of the registry can send such a key.
    """
    if key.ecosystem is Ecosystem.GO and is_go_stdlib(key.name):
        return skipped(key.ecosystem, key.name, "standard library package")
    why = invalid_reason(key.ecosystem, key.name)
    if why is not None:
        return skipped(key.ecosystem, key.name, f"invalid name: {why}")
    if key.ecosystem is Ecosystem.GO:
        from slopguard.registry.goproxy import is_private

        if is_private(key.name, settings.goprivate):
            return skipped(key.ecosystem, key.name, "private module (GOPRIVATE)")
    if list_match(settings.allow, key.ecosystem, key.name) or list_match(settings.deny, key.ecosystem, key.name):
        return skipped(key.ecosystem, key.name, "on the allow or deny list of your config: never sent")
    if key.index_url is not None and not _configured(key, settings):
        return unknown(key.ecosystem, key.name, "an index your settings do not configure: not contacted")
    base = base_url(key, settings)
    if not base.startswith(("http://", "https://")):
        return unknown(key.ecosystem, key.name, f"unsupported registry URL: {base}")
    return None


def _configured(key: LookupKey, settings: Settings) -> bool:
    from slopguard.config.indexes import is_configured

    return key.index_url is not None and is_configured(key.ecosystem, key.index_url, settings)


def _module(ecosystem: Ecosystem) -> ModuleType:
    if ecosystem is Ecosystem.PYPI:
        from slopguard.registry import pypi

        return pypi
    if ecosystem is Ecosystem.NPM:
        from slopguard.registry import npm

        return npm
    from slopguard.registry import goproxy

    return goproxy


class Resolver:
    """Context manager. Looks names up concurrently (bounded by settings.concurrency), deduplicated.

    `submit()` answers at once from the cache or for names that must not be sent, and otherwise starts a
    lookup in a small thread pool; `results()` waits for everything until the overall deadline
    (`settings.deadline`, counted from construction). Registry faults become `UNKNOWN` records with
    `error` saying why; nothing here raises for them. Requests go through `transport` when one is given,
    else through `client` (an `httpx.Client`), else through a client made (and httpx imported) only when a
    request is really needed. Records are kept in `cache` (default: a `RecordCache` of `settings`). An
    injected client, transport or cache is never closed.
    """

    def __init__(
        self,
        settings: Settings,
        client: httpx.Client | None = None,
        transport: Transport | None = None,
        cache: RecordCache | None = None,
    ) -> None:
        self.settings = settings
        self._client = client
        self._own_client = client is None and transport is None
        self._transport = transport
        self._own_cache = cache is None
        self._cache = cache if cache is not None else RecordCache(settings) if settings.use_cache else None
        self._deadline_at = time.monotonic() + settings.deadline
        self._records: dict[LookupKey, RegistryRecord] = {}
        self._futures: dict[LookupKey, Job] = {}
        self._pool: Workers | None = None
        self._fetcher: Fetcher | None = None
        self._lock = threading.Lock()

    def __enter__(self) -> Resolver:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Stop pending work, close the client this resolver created and the cache."""
        pending = any(not f.done() for f in self._futures.values())
        if self._fetcher is not None and pending:
            self._fetcher.stop()
        if self._pool is not None:
            self._pool.shutdown()
            self._pool = None
        if self._own_client and self._client is not None:
            self._client.close()
            self._client = None
        if self._own_cache and self._cache is not None:
            self._cache.close()

    def submit(self, key: LookupKey) -> None:
        """Start looking `key` up (non-blocking); a key already submitted is not looked up again."""
        with self._lock:
            if key in self._records or key in self._futures:
                return
            record = precheck(key, self.settings)
            if record is None and self._cache is not None:
                record = self._cache.get(key)
            if record is None and self.settings.offline:
                record = self._annotate(unknown(key.ecosystem, key.name, "offline"), key)
            if record is not None:
                self._records[key] = record
                return
            self._futures[key] = self._start().submit(self._lookup, key)

    def submit_many(self, keys: Iterable[LookupKey]) -> None:
        """`submit` for many keys: the cache and the seen-missing ledger are read in batches (a scan of a
        huge manifest asks thousands of names at once, offline ones included)."""
        with self._lock:
            rest: list[LookupKey] = []
            for key in dict.fromkeys(keys):
                if key in self._records or key in self._futures:
                    continue
                record = precheck(key, self.settings)
                if record is not None:
                    self._records[key] = record
                else:
                    rest.append(key)
            if rest and self._cache is not None:
                self._records.update(self._cache.get_many(rest))
                rest = [key for key in rest if key not in self._records]
            if not rest:
                return
            if self.settings.offline:
                pairs = [(key, unknown(key.ecosystem, key.name, "offline")) for key in rest]
                records = self._cache.put_many(pairs) if self._cache is not None else [r for _, r in pairs]
                self._records.update(zip(rest, records, strict=True))
                return
            pool = self._start()
            for key in rest:
                self._futures[key] = pool.submit(self._lookup, key)

    def extend_deadline(self) -> None:
        """Count the overall deadline anew from now: a scan calls this once reading is done, so that names
        found late in a long read get the same `settings.deadline` as the first ones."""
        with self._lock:
            self._deadline_at = time.monotonic() + self.settings.deadline
            if self._fetcher is not None:
                self._fetcher.deadline_at = self._deadline_at

    def _start(self) -> Workers:
        if self._pool is None:
            from slopguard.registry.http import Fetcher, HttpxTransport, make_client
            from slopguard.registry.workers import Workers

            if self._transport is None:
                if self._client is None:
                    self._client = make_client(self.settings)
                self._transport = HttpxTransport(self._client)
            self._fetcher = Fetcher(self._transport, self.settings, self._deadline_at)
            workers = max(1, self.settings.concurrency)
            self._pool = Workers(workers, "slopguard-registry")
        return self._pool

    def _lookup(self, key: LookupKey) -> RegistryRecord:
        assert self._fetcher is not None
        try:
            record: RegistryRecord
            if key.version is not None:  # does Go module `key.name` serve this one version
                if key.ecosystem is not Ecosystem.GO:
                    raise RegistryError("only Go versions are asked one by one")
                from slopguard.registry.goproxy import lookup_version

                record = lookup_version(self._fetcher, key, self.settings)
            else:
                record = _module(key.ecosystem).lookup(self._fetcher, key, self.settings)
            if record.status is Status.NOT_FOUND and key.then_default:  # not on the index: the default registry
                record = _module(key.ecosystem).lookup(self._fetcher, LookupKey(key.ecosystem, key.name), self.settings)
        except RegistryError as exc:
            record = unknown(key.ecosystem, key.name, str(exc))
        except Exception as exc:  # a resolver bug must not crash a run: "could not tell"
            record = unknown(key.ecosystem, key.name, f"unexpected {type(exc).__name__}: {exc}")
        return self._annotate(record, key)

    def _annotate(self, record: RegistryRecord, key: LookupKey) -> RegistryRecord:
        """Store `record` in the cache (by its status' TTL) and attach the name's first-missing time."""
        if self._cache is None:
            return record
        return self._cache.put(record, key)

    def results(self) -> dict[LookupKey, RegistryRecord]:
        """A record for every submitted key; what is not answered by the overall deadline is `UNKNOWN`."""
        with self._lock:
            futures = dict(self._futures)
        if futures:
            from slopguard.registry.workers import wait_all

            wait_all(futures.values(), self._deadline_at - time.monotonic())
        late = False
        with self._lock:
            for key, future in futures.items():
                if future.done():
                    self._records[key] = future.result()
                elif key not in self._records:
                    late = True
                    why = f"deadline exceeded ({self.settings.deadline:g} s for all lookups)"
                    self._records[key] = unknown(key.ecosystem, key.name, why)
            if late and self._fetcher is not None:
                self._fetcher.stop()
            return dict(self._records)


def cached_records(
    keys: Iterable[LookupKey], settings: Settings, cache: RecordCache | None = None
) -> dict[LookupKey, RegistryRecord]:
    """Cache-only answers for `keys` (never httpx) from `cache` (default: a `RecordCache` of `settings`,
    opened and closed here); keys not cached are absent."""
    if not settings.use_cache:
        return {}
    own = cache is None
    cache = RecordCache(settings) if cache is None else cache
    try:
        return {k: r for k, r in cache.get_many(dict.fromkeys(keys)) if r.status is not Status.UNKNOWN}
    finally:
        if own:
            cache.close()


def resolve(
    keys: Iterable[LookupKey],
    settings: Settings,
    client: httpx.Client | None = None,
    transport: Transport | None = None,
) -> dict[LookupKey, RegistryRecord]:
    """Records for every key: the cache first, then the registries (see `Resolver`)."""
    wanted = list(dict.fromkeys(keys))
    records = cached_records(wanted, settings)
    missing = [k for k in wanted if k not in records]
    if missing:
        with Resolver(settings, client, transport) as resolver:
            resolver.submit_many(missing)
            records.update(resolver.results())
    return {k: records[k] for k in wanted}
