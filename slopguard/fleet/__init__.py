"""Fleet memory: a shared Redis/Valkey store behind the local cache, so every agent and CI runner learns once.

`open_store(settings)` gives the run's `SharedStore` when `settings.shared_cache` names one (else `None`).
The local record cache (`slopguard.registry.cache`) asks it on a local miss and writes every new record
and first miss to it; the hook's decision path (`slopguard.check.check_refs_stored`) shares decisions
through `slopguard.fleet.decisions`; `slopguard ledger` reads the seen-missing ledger (`slopguard.fleet.ledger`).
"""

from __future__ import annotations

TYPE_CHECKING = False  # not `typing.TYPE_CHECKING`: the hook's cold path loads this module
if TYPE_CHECKING:
    from slopguard.config import Settings
    from slopguard.fleet.store import SharedStore


def open_store(settings: Settings, *, light: bool = False) -> SharedStore | None:
    """The shared store `settings` name, or `None` (none configured, the cache off, or a bad URL, said once).

    `light`: talk RESP over a plain socket (the agent hook) rather than through the `redis` client."""
    if not settings.shared_cache or not settings.use_cache:
        return None
    from slopguard.fleet.link import Address, RedisLink, RespLink, StoreError
    from slopguard.fleet.store import SharedStore, tell_once

    try:
        address = Address(settings.shared_cache)
    except StoreError as exc:
        tell_once("(bad URL)", str(exc))
        return None
    return SharedStore(RespLink(address) if light else RedisLink(address), settings.shared_key)
