"""A cheaper httpx client for registries reached over plain `http://` (a local mirror, the tests' fake registry).

`httpx.Client()` builds a verified TLS context up front, loading the CA bundle (~30 ms, ~100 ms on a
busy machine) even when no request will ever use TLS; the agent hook pays that on every cold call. The
client here sends `http://` requests through a transport that has no use for TLS (it refuses any other
scheme), and `https://` ones, a redirect included, through a fully verified transport made on first
use. Verification is never turned off for https.
"""

from __future__ import annotations

import os
import threading

from slopguard.config import Settings

TYPE_CHECKING = False
if TYPE_CHECKING:
    import httpx

_PROXY_VARIABLES = frozenset({"http_proxy", "https_proxy", "all_proxy"})


def usable(base_urls: list[str], env: dict[str, str] | None = None) -> bool:
    """Whether every registry in `base_urls` is plain http and no proxy is configured in the environment
    (httpx only reads proxy variables for clients it builds its own transport for)."""
    env = dict(os.environ) if env is None else env
    if any(name.lower() in _PROXY_VARIABLES and value for name, value in env.items()):
        return False
    return bool(base_urls) and all(url.lower().startswith("http://") for url in base_urls)


def plain_http_client(settings: Settings) -> httpx.Client:
    """A client like `slopguard.registry.http.make_client`'s (timeouts, User-Agent, pool size, redirects)
    whose `http://` transport builds no CA store; `https://` goes through a verified transport."""
    import httpx

    from slopguard.registry.http import USER_AGENT

    size = max(1, settings.concurrency)
    limits = httpx.Limits(max_connections=size, max_keepalive_connections=size)
    read = max(0.01, settings.read_timeout)
    timeout = httpx.Timeout(connect=min(settings.connect_timeout, read), read=read, write=read, pool=read)

    class PlainOnly(httpx.BaseTransport):
        """`http://` only: TLS never happens here, so no CA store is loaded."""

        def __init__(self) -> None:
            self._inner = httpx.HTTPTransport(verify=False, limits=limits)

        def handle_request(self, request: httpx.Request) -> httpx.Response:
            if request.url.scheme != "http":
                raise httpx.UnsupportedProtocol(f"the plain-http transport does not send {request.url.scheme}")
            return self._inner.handle_request(request)

        def close(self) -> None:
            self._inner.close()

    class VerifiedOnFirstUse(httpx.BaseTransport):
        """A default (verified) `HTTPTransport`, built when the first https request comes."""

        def __init__(self) -> None:
            self._inner: httpx.HTTPTransport | None = None
            self._lock = threading.Lock()

        def handle_request(self, request: httpx.Request) -> httpx.Response:
            with self._lock:
                if self._inner is None:
                    self._inner = httpx.HTTPTransport(limits=limits)
            return self._inner.handle_request(request)

        def close(self) -> None:
            if self._inner is not None:
                self._inner.close()

    return httpx.Client(
        timeout=timeout,
        headers={"User-Agent": USER_AGENT},
        follow_redirects=True,
        transport=PlainOnly(),
        mounts={"https://": VerifiedOnFirstUse()},
    )
