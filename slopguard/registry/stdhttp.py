"""Registry GETs over plain sockets and the standard library's `ssl`: the agent hook's transport for cold lookups.

The hook answers before every shell command an agent runs, and a first-seen name needs a registry lookup
within about one round trip plus 150 ms. Importing httpx and httpcore costs ~100 ms and `http.client`
~35 ms (it loads the `email` package and `ssl` even for plain http), so the hook sends its few requests
through this transport: `socket` (~6 ms), `ssl` only for https, and `slopguard.registry.http11` for the
wire format. What the resolvers rely on matches `httpx.Client` as `slopguard.registry.http.make_client`
sets it up: HTTP/1.1 keep-alive per origin, redirects followed, gzip and deflate decoded, connect and
read timeouts, and https verified against certifi's CA bundle (or `SSL_CERT_FILE` / `SSL_CERT_DIR`) with
host-name checks. Verification is never turned off; body size and redirects obey the policy both
transports share (`slopguard.registry.limits`).
Proxies are not spoken here: `light_transport()` gives `None` when the environment names one, and the
caller falls back to httpx, which honours them.
"""

from __future__ import annotations

import os
import threading
from urllib.parse import urlsplit

from slopguard.errors import TransportError
from slopguard.registry.limits import ACCEPT_ENCODING, decode_body, follow
from slopguard.registry.transport import Reply, join_headers

TYPE_CHECKING = False  # not `typing.TYPE_CHECKING`: the hook loads this module on cold lookups
if TYPE_CHECKING:
    import socket
    import ssl

_PROXY_VARIABLES = frozenset({"http_proxy", "https_proxy", "all_proxy"})
_Origin = tuple[str, str, int]


def proxy_configured(env: dict[str, str] | None = None) -> bool:
    """Whether the environment names an HTTP(S) proxy (which httpx would use and this transport cannot)."""
    env = dict(os.environ) if env is None else env
    return any(name.lower() in _PROXY_VARIABLES and value for name, value in env.items())


def light_transport(user_agent: str) -> StdlibTransport | None:
    """A `StdlibTransport` unless a proxy is configured (then `None`: use httpx). Nothing is imported or
    connected until the first request."""
    return None if proxy_configured() else StdlibTransport(user_agent)


class _Connection:
    """One open socket to an origin and its buffered reader."""

    __slots__ = ("sock", "reader")

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self.reader = sock.makefile("rb")

    def close(self) -> None:
        for part in (self.reader, self.sock):
            try:
                part.close()
            except OSError:  # pragma: no cover - closing a broken socket
                pass


class StdlibTransport:
    """A thread-safe `Transport` over sockets, keeping idle connections per origin for reuse."""

    def __init__(self, user_agent: str) -> None:
        self.user_agent = user_agent
        self._idle: dict[_Origin, list[_Connection]] = {}
        self._lock = threading.Lock()
        self._tls: ssl.SSLContext | None = None
        self._closed = False

    def get(
        self,
        url: str,
        headers: dict[str, str],
        connect_timeout: float,
        read_timeout: float,
        hosts: frozenset[str] = frozenset(),
    ) -> Reply:
        """GET `url`, following redirects as `limits.follow` allows (to `url`'s host or one of `hosts`);
        `TransportError` when there is no answer, `Malformed` for one over the limits."""
        return follow(lambda target: self._send(target, headers, connect_timeout, read_timeout), url, hosts)

    def close(self) -> None:
        """Close every idle connection; later requests fail."""
        with self._lock:
            self._closed = True
            idle, self._idle = self._idle, {}
        for connections in idle.values():
            for connection in connections:
                connection.close()

    def _send(self, url: str, headers: dict[str, str], connect_timeout: float, read_timeout: float) -> Reply:
        from slopguard.registry import http11

        origin, host, target = _parts(url)
        wire = http11.request(
            host, target, {"User-Agent": self.user_agent, "Accept-Encoding": ACCEPT_ENCODING, **headers}
        )
        while True:
            reused = self._checkout(origin)
            connection = reused or self._connect(origin, connect_timeout)
            try:
                connection.sock.settimeout(max(0.01, read_timeout))
                connection.sock.sendall(wire)
                response = http11.read_response(connection.reader)
            except (http11.Stale, BrokenPipeError, ConnectionResetError) as exc:
                connection.close()
                if reused is not None:  # a kept-alive connection the server has closed: another one, as httpx does
                    continue
                raise TransportError(f"connection error ({type(exc).__name__}: {exc})") from None
            except TimeoutError:
                connection.close()
                raise TransportError("timeout (ReadTimeout)") from None
            except TransportError:
                connection.close()
                raise
            except OSError as exc:
                connection.close()
                raise TransportError(f"connection error ({type(exc).__name__}: {exc})") from None
            except BaseException:  # a bug must not leave a half-read connection in the pool
                connection.close()
                raise
            break
        if response.will_close:
            connection.close()
        else:
            self._checkin(origin, connection)
        found = join_headers(response.headers)
        return Reply(response.status, found, decode_body(response.body, found.get("content-encoding", "")), url)

    def _connect(self, origin: _Origin, timeout: float) -> _Connection:
        import socket

        scheme, host, port = origin
        timeout = max(0.01, timeout)
        sock: socket.socket | None = None
        try:
            # An ASCII host as bytes: a str makes getaddrinfo load the idna codec (~3 ms); TLS needs the str.
            address = host.encode("ascii") if host.isascii() else host
            sock = socket.create_connection((address, port), timeout=timeout)  # type: ignore[arg-type]  # bytes work
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            if scheme == "https":
                sock = self._tls_context().wrap_socket(sock, server_hostname=host)
        except TimeoutError:
            if sock is not None:
                sock.close()
            raise TransportError("timeout (ConnectTimeout)") from None
        except OSError as exc:  # refused, unreachable, DNS, TLS verification (ssl.SSLError is an OSError)
            if sock is not None:
                sock.close()
            raise TransportError(f"connection error ({type(exc).__name__}: {exc})") from None
        return _Connection(sock)

    def _tls_context(self) -> ssl.SSLContext:
        with self._lock:
            if self._tls is None:
                self._tls = verified_context()
            return self._tls

    def _checkout(self, origin: _Origin) -> _Connection | None:
        with self._lock:
            if self._closed:
                raise TransportError("transport closed")
            idle = self._idle.get(origin)
            return idle.pop() if idle else None

    def _checkin(self, origin: _Origin, connection: _Connection) -> None:
        with self._lock:
            if not self._closed:
                self._idle.setdefault(origin, []).append(connection)
                return
        connection.close()


def _parts(url: str) -> tuple[_Origin, str, str]:
    """The origin (scheme, host, port), the Host header value and the request target of `url`."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https") or not parts.hostname:
        raise TransportError(f"unsupported URL: {url}")
    try:
        port = parts.port or (443 if scheme == "https" else 80)
    except ValueError as exc:
        raise TransportError(f"bad port in URL ({exc})") from None
    host = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
    if port != (443 if scheme == "https" else 80):
        host = f"{host}:{port}"
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return (scheme, parts.hostname, port), host, target


def verified_context() -> ssl.SSLContext:
    """A TLS client context that verifies certificates and host names against the CA bundle httpx would
    use: `SSL_CERT_FILE` / `SSL_CERT_DIR` when set to an existing file / folder, else certifi's bundle,
    else the system store."""
    import ssl

    cafile = os.environ.get("SSL_CERT_FILE") or None
    capath = os.environ.get("SSL_CERT_DIR") or None
    cafile = cafile if cafile and os.path.isfile(cafile) else None
    capath = capath if capath and os.path.isdir(capath) else None
    if cafile is None and capath is None:
        try:
            import certifi

            cafile = certifi.where()
        except ImportError:  # no certifi: the system's default store
            pass
    return ssl.create_default_context(cafile=cafile, capath=capath)
