"""Stage 3, the registries: is a name really on PyPI / npm / a Go proxy, and what does the registry say about it.

`resolve()` and `Resolver` look names up (cache first, then concurrent HTTP with retries and a deadline);
`cached_records()` answers from the cache alone, without loading httpx. Requests go through a
`transport.Transport`: httpx (`http.HttpxTransport`) for scans and checks, or plain sockets
(`stdhttp.StdlibTransport`) for the agent hook, whose cold calls cannot afford httpx's import. Nothing
heavy is imported here: httpx and diskcache load only when a lookup needs them.
"""

from __future__ import annotations

from slopguard.registry.cache import RecordCache
from slopguard.registry.resolve import Resolver, cached_records, resolve

__all__ = ["RecordCache", "Resolver", "cached_records", "resolve"]
