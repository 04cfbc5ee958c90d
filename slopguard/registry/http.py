"""The shared HTTP side of the resolvers: the httpx client and transport, retries with backoff, the overall deadline."""

from __future__ import annotations

import threading
import time
from datetime import datetime, timezone

from slopguard._version import __version__
from slopguard.config import Settings
from slopguard.errors import Malformed, RegistryError, TransportError
from slopguard.registry.limits import ACCEPT_ENCODING, BodyDecoder, configured_hosts, follow
from slopguard.registry.transport import Reply, join_headers

TYPE_CHECKING = False  # not `typing.TYPE_CHECKING`: the hook loads this module on cold lookups
if TYPE_CHECKING:
    import httpx

    from slopguard.registry.transport import Transport

USER_AGENT = f"slopguard/{__version__} (+https://github.com/slopguard/slopguard)"
RETRY_AFTER_CAP = 10.0
"""Longest wait slopguard accepts from a `Retry-After` header, in seconds."""
BACKOFF_BASE = 0.2
TRANSIENT_STATUSES = frozenset({405, 408, 425, 429, 500, 502, 503, 504})
"""Statuses worth retrying; npm answers 405 during CDN faults, so it is transient, never "missing"."""
FINAL_STATUSES = frozenset({200, 404, 410})
"""Statuses a resolver interprets itself (found / not found); anything else is an error."""


def make_client(settings: Settings) -> httpx.Client:
    """A client with slopguard's timeouts, User-Agent and a pool as large as the concurrency."""
    import httpx

    size = max(1, settings.concurrency)
    return httpx.Client(
        timeout=_timeout(settings.connect_timeout, settings.read_timeout),
        headers={"User-Agent": USER_AGENT},
        follow_redirects=False,  # `HttpxTransport` follows them itself, under the shared policy
        limits=httpx.Limits(max_connections=size, max_keepalive_connections=size),
    )


def _timeout(connect: float, read: float) -> httpx.Timeout:
    """httpx's timeouts for one request: `read` (at least 10 ms) for reads, writes and the pool, and no
    longer than that to connect."""
    import httpx

    read = max(0.01, read)
    return httpx.Timeout(connect=min(connect, read), read=read, write=read, pool=read)


class HttpxTransport:
    """The `Transport` over an `httpx.Client` (made by `make_client`, or injected by a caller or a test)."""

    def __init__(self, client: httpx.Client) -> None:
        self.client = client

    def get(
        self,
        url: str,
        headers: dict[str, str],
        connect_timeout: float,
        read_timeout: float,
        hosts: frozenset[str] = frozenset(),
    ) -> Reply:
        """GET `url` through the client, following redirects as `limits.follow` allows (to `url`'s host or
        one of `hosts`); httpx's failures become `TransportError`, a reply over the limits `Malformed`."""
        timeout = _timeout(connect_timeout, read_timeout)
        wanted = {**headers, "Accept-Encoding": ACCEPT_ENCODING}  # the codings `BodyDecoder` undoes
        return follow(lambda target: self._send(target, wanted, timeout), url, hosts)

    def _send(self, url: str, headers: dict[str, str], timeout: httpx.Timeout) -> Reply:
        """One GET, its raw body streamed through a bounded `BodyDecoder` (httpx's own decoding would
        inflate a compression bomb whole before anyone could look at its size)."""
        import httpx

        try:
            with self.client.stream("GET", url, headers=headers, timeout=timeout, follow_redirects=False) as response:
                if response.is_stream_consumed:  # built in memory (`httpx.MockTransport`): read and decoded already
                    decoder = BodyDecoder("")
                    decoder.feed(response.content)
                else:
                    decoder = BodyDecoder(response.headers.get("content-encoding", ""))
                    for chunk in response.iter_raw():
                        decoder.feed(chunk)
                content = decoder.finish()
        except httpx.TimeoutException as exc:
            raise TransportError(f"timeout ({type(exc).__name__})") from None
        except httpx.TransportError as exc:
            raise TransportError(f"connection error ({type(exc).__name__}: {exc})") from None
        except httpx.HTTPError as exc:  # pragma: no cover - defensive: other httpx failures
            raise TransportError(f"HTTP error ({type(exc).__name__})") from None
        return Reply(response.status_code, join_headers(response.headers.multi_items()), content, str(response.url))

    def close(self) -> None:
        """Close the client."""
        self.client.close()


class Fetcher:
    """GETs with retries (429, 5xx, 405, transport errors) that never run past the overall deadline.

    `get()` returns the response when its status is one the caller interprets (200, 404, 410) and raises
    `RegistryError` otherwise; `stop()` makes every later or waiting request give up at once.
    """

    def __init__(self, transport: Transport, settings: Settings, deadline_at: float) -> None:
        self.transport = transport
        self.settings = settings
        self.deadline_at = deadline_at
        self.hosts = configured_hosts(settings)
        """Hosts a redirect may lead to besides the one asked: those of the configured registries."""
        self._stopped = threading.Event()

    def stop(self) -> None:
        """Give up: requests not yet sent fail with 'deadline exceeded'."""
        self._stopped.set()

    def remaining(self) -> float:
        """Seconds left before the overall deadline."""
        return self.deadline_at - time.monotonic()

    def get(self, url: str, accept: str = "application/json") -> Reply:
        """GET `url`, retrying transient faults; raises `RegistryError` saying why when there is no answer."""
        tries = max(1, self.settings.max_tries)
        why = "no attempt made"
        for attempt in range(tries):
            left = self.remaining()
            if self._stopped.is_set() or left <= 0:
                raise RegistryError(f"deadline exceeded ({why})" if attempt else "deadline exceeded")
            wait: float | None = None
            read = max(0.01, min(self.settings.read_timeout, left))
            try:
                headers = {"Accept": accept, "User-Agent": USER_AGENT}
                response = self.transport.get(url, headers, min(self.settings.connect_timeout, read), read, self.hosts)
            except Malformed:  # too large, a refused redirect: asking again gets the same
                raise
            except TransportError as exc:
                why = str(exc)
            else:
                if response.status_code in FINAL_STATUSES:
                    return response
                why = f"HTTP {response.status_code}"
                if response.status_code not in TRANSIENT_STATUSES:
                    raise RegistryError(why)
                wait = retry_after(response.headers.get("retry-after"))
            if attempt + 1 >= tries:
                break
            self._sleep(wait if wait is not None else _backoff(attempt), why)
        raise RegistryError(f"{why} after {tries} tries" if tries > 1 else why)

    def _sleep(self, seconds: float, why: str) -> None:
        seconds = min(seconds, RETRY_AFTER_CAP)
        if seconds >= self.remaining():
            raise RegistryError(f"{why}; retry would pass the deadline")
        if self._stopped.wait(seconds):
            raise RegistryError(f"deadline exceeded ({why})")


def _backoff(attempt: int) -> float:
    import random

    return float(BACKOFF_BASE * 2.0**attempt * (0.5 + random.random()))


def retry_after(value: str | None) -> float | None:
    """Seconds to wait from a `Retry-After` header (delta-seconds or an HTTP date), capped."""
    if not value:
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        from email.utils import parsedate_to_datetime

        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=timezone.utc)
        seconds = (when - datetime.now(timezone.utc)).total_seconds()
    if seconds != seconds:  # NaN
        return None
    return float(max(0.0, min(seconds, RETRY_AFTER_CAP)))
