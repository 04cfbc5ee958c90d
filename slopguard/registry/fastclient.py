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


def _plain_transport(limits: httpx.Limits) -> httpx.HTTPTransport:
    """httpx's own transport over an httpcore pool given no TLS context: `HTTPTransport()` makes one up
    front even for `verify=False`, and the first `SSLContext` of a process costs ~30 ms (OpenSSL 3)."""
    import httpx

    try:
        import httpcore

        transport: httpx.HTTPTransport = httpx.HTTPTransport.__new__(httpx.HTTPTransport)
        transport._pool = httpcore.ConnectionPool(  # httpcore makes a TLS context only for an https origin
            ssl_context=None,
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
        )
        return transport
    except Exception:  # another httpx layout: its own transport (a TLS context without a CA store)
        return httpx.HTTPTransport(verify=False, limits=limits)


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
        """`http://` only: TLS never happens here, so no TLS context is made at all."""

        def __init__(self) -> None:
            self._inner = _plain_transport(limits)

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
