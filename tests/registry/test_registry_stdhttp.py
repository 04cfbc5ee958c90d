"""`slopguard.registry.stdhttp.StdlibTransport` on real loopback sockets: the fake registry, faults through the
resolver (same answers as the httpx path), and a tiny raw-socket server for what the fake cannot do."""

from __future__ import annotations

import gzip
import json
import socket
import ssl
import threading
import time
import zlib
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fakeregistry import FakeRegistry

from slopguard.config import Settings
from slopguard.errors import Malformed, TransportError
from slopguard.models import Ecosystem, LookupKey, Status
from slopguard.registry import http as registry_http
from slopguard.registry import resolve
from slopguard.registry.limits import MAX_REDIRECTS
from slopguard.registry.stdhttp import StdlibTransport, light_transport, proxy_configured, verified_context
from slopguard.registry.transport import Reply

UA = "slopguard-test/1"
T = 0.5  # connect and read timeouts: loopback answers in well under this


@pytest.fixture
def transport() -> Iterator[StdlibTransport]:
    t = StdlibTransport(UA)
    yield t
    t.close()


@pytest.fixture
def connects(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, int]]:
    """Every address `socket.create_connection` is called with (the transport opens connections only so)."""
    seen: list[tuple[str, int]] = []
    real = socket.create_connection

    def counting(address: Any, *args: Any, **kwargs: Any) -> socket.socket:
        seen.append(address)
        return real(address, *args, **kwargs)

    monkeypatch.setattr(socket, "create_connection", counting)
    return seen


# -- a raw-socket server -------------------------------------------------------------------------


def read_request(conn: socket.socket) -> bytes:
    """One request head from `conn` (b"" when the client closed)."""
    data = b""
    while b"\r\n\r\n" not in data:
        try:
            chunk = conn.recv(65536)
        except OSError:
            return b""
        if not chunk:
            return b""
        data += chunk
    return data


class RawServer:
    """Listens on 127.0.0.1; each accepted connection runs `handler(conn, server)` in a daemon thread."""

    def __init__(self, handler: Callable[[socket.socket, RawServer], None]) -> None:
        self.handler = handler
        self.requests: list[bytes] = []
        self.connections = 0
        self.events: dict[str, threading.Event] = {}
        self._sock = socket.socket()
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(16)
        self.port = self._sock.getsockname()[1]
        self._open: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def event(self, name: str) -> threading.Event:
        return self.events.setdefault(name, threading.Event())

    def url(self, path: str = "/", scheme: str = "http") -> str:
        return f"{scheme}://127.0.0.1:{self.port}{path}"

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self._sock.accept()
            except OSError:
                return
            self.connections += 1
            self._open.append(conn)
            threading.Thread(target=self._run, args=(conn,), daemon=True).start()

    def _run(self, conn: socket.socket) -> None:
        try:
            self.handler(conn, self)
        except OSError:
            pass
        finally:
            conn.close()

    def close(self) -> None:
        self._sock.close()
        for conn in self._open:
            try:
                conn.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            conn.close()


@pytest.fixture
def raw_server() -> Iterator[Callable[[Callable[[socket.socket, RawServer], None]], RawServer]]:
    servers: list[RawServer] = []

    def start(handler: Callable[[socket.socket, RawServer], None]) -> RawServer:
        server = RawServer(handler)
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.close()


def answering(*responses: bytes, close: bool = False) -> Callable[[socket.socket, RawServer], None]:
    """A handler answering the requests on a connection with `responses` in turn (the last one repeats)."""

    def handler(conn: socket.socket, server: RawServer) -> None:
        for i in range(1000):
            request = read_request(conn)
            if not request:
                return
            server.requests.append(request)
            conn.sendall(responses[min(i, len(responses) - 1)])
            if close:
                return

    return handler


def ok(body: bytes, *headers: str, status: str = "200 OK") -> bytes:
    head = "".join(f"{h}\r\n" for h in headers)
    return f"HTTP/1.1 {status}\r\n{head}Content-Length: {len(body)}\r\n\r\n".encode() + body


# -- against the fake registry -------------------------------------------------------------------


def test_pypi_json_get(fake_registry: FakeRegistry, transport: StdlibTransport) -> None:
    fake_registry.add_pypi("requests", versions={"2.0.0": "2014-01-01T00:00:00Z"})
    url = fake_registry.url + "/pypi/requests/json"
    reply = transport.get(url, {"Accept": "application/json"}, T, T)
    assert isinstance(reply, Reply)
    assert reply.status_code == 200 and reply.url == url
    assert reply.headers["content-type"] == "application/json"
    data = json.loads(reply.content)
    assert data["info"]["name"] == "requests" and list(data["releases"]) == ["2.0.0"]
    assert json.loads(reply.text) == data


def test_404(fake_registry: FakeRegistry, transport: StdlibTransport) -> None:
    reply = transport.get(fake_registry.url + "/pypi/nothing-here/json", {}, T, T)
    assert reply.status_code == 404
    assert json.loads(reply.content) == {"message": "Not Found"}


def test_redirect_is_followed_to_the_final_url(
    fake_registry: FakeRegistry, transport: StdlibTransport, connects: list[tuple[str, int]]
) -> None:
    fake_registry.add_pypi("Django_Rest")
    reply = transport.get(fake_registry.url + "/pypi/Django_Rest/json", {}, T, T)
    assert reply.status_code == 200
    assert reply.url == fake_registry.url + "/pypi/django-rest/json"
    assert json.loads(reply.content)["info"]["name"] == "Django_Rest"
    assert fake_registry.paths() == ["/pypi/Django_Rest/json", "/pypi/django-rest/json"]
    assert len(connects) == 1  # the redirect's empty body was read, the connection reused


def test_keep_alive_reuses_one_connection(
    fake_registry: FakeRegistry, transport: StdlibTransport, connects: list[tuple[str, int]]
) -> None:
    fake_registry.add_npm("left-pad")
    for _ in range(3):
        assert transport.get(fake_registry.url + "/npm/left-pad", {}, T, T).status_code == 200
    assert transport.get(fake_registry.url + "/npm/nope", {}, T, T).status_code == 404
    assert len(connects) == 1
    other = StdlibTransport(UA)  # another transport has its own pool
    try:
        assert other.get(fake_registry.url + "/npm/left-pad", {}, T, T).status_code == 200
    finally:
        other.close()
    assert len(connects) == 2


KEYS = {
    "pypi": LookupKey(Ecosystem.PYPI, "requests"),
    "npm": LookupKey(Ecosystem.NPM, "@types/node"),
    "go": LookupKey(Ecosystem.GO, "github.com/spf13/cobra"),
}
PATHS = {"pypi": "/pypi/requests", "npm": "/npm/@types%2fnode", "go": "/go/github.com/spf13/cobra"}


@pytest.fixture
def fast_backoff(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(registry_http, "BACKOFF_BASE", 0.01)


@pytest.mark.usefixtures("fast_backoff")
@pytest.mark.parametrize("ecosystem", ["pypi", "npm", "go"])
@pytest.mark.parametrize("kind", ["500", "503", "429", "405", "slow", "garbage", "reset"])
def test_fault_is_unknown_and_never_cached(
    fake_registry: FakeRegistry,
    registry_settings: Settings,
    transport: StdlibTransport,
    ecosystem: str,
    kind: str,
) -> None:
    fake_registry.add_pypi("requests")
    fake_registry.add_npm("@types/node")
    fake_registry.add_go("github.com/spf13/cobra")
    fake_registry.slow_seconds = 0.6
    fake_registry.fault(PATHS[ecosystem], kind, retry_after="0")
    settings = registry_settings.replace(read_timeout=0.2, max_tries=2)
    key = KEYS[ecosystem]
    record = resolve([key], settings, transport=transport)[key]
    assert record.status is Status.UNKNOWN
    assert record.error
    if kind == "slow":
        assert "timeout" in record.error
    if kind == "reset":
        assert "connection error" in record.error
    first = len(fake_registry.paths(PATHS[ecosystem]))
    assert first == (1 if kind == "garbage" else 2)  # garbage is not retried, the rest are
    again = resolve([key], settings, transport=transport)[key]
    assert again.status is Status.UNKNOWN and not again.from_cache
    assert len(fake_registry.paths(PATHS[ecosystem])) == 2 * first  # asked again: UNKNOWN was not cached


@pytest.mark.usefixtures("fast_backoff")
def test_one_transient_fault_is_retried(
    fake_registry: FakeRegistry, registry_settings: Settings, transport: StdlibTransport
) -> None:
    fake_registry.add_npm("left-pad")
    fake_registry.fault("/npm/left-pad", "reset", count=1)
    key = LookupKey(Ecosystem.NPM, "left-pad")
    assert resolve([key], registry_settings, transport=transport)[key].status is Status.EXISTS


def test_same_records_as_the_httpx_path(fake_registry: FakeRegistry, registry_settings: Settings) -> None:
    fake_registry.add_pypi("requests", versions={"0.1": None, "2.0.0": "2014-01-01T00:00:00Z", "2.1.0": None})
    fake_registry.add_pypi("Flask_Login", versions={"0.6.3": "2023-10-30T14:53:21Z"})
    fake_registry.add_npm("@types/node", versions={"1.0.0": "2016-01-01T00:00:00.000Z", "2.0.0": "2017-01-01T00:00Z"})
    fake_registry.add_npm("gone", unpublished=True)
    fake_registry.add_go(
        "github.com/spf13/Cobra", versions={"v1.0.0": "2020-01-02T17:33:45Z", "v1.1.0": "2021-01-01T00:00:00Z"}
    )
    keys = [
        LookupKey(Ecosystem.PYPI, "requests"),
        LookupKey(Ecosystem.PYPI, "flask-login"),
        LookupKey(Ecosystem.PYPI, "not-there-at-all"),
        LookupKey(Ecosystem.NPM, "@types/node"),
        LookupKey(Ecosystem.NPM, "gone"),
        LookupKey(Ecosystem.NPM, "no-such-pkg"),
        LookupKey(Ecosystem.GO, "github.com/spf13/Cobra"),
        LookupKey(Ecosystem.GO, "github.com/no/such"),
    ]
    settings = registry_settings.replace(use_cache=False)
    by_httpx = resolve(keys, settings)
    t = StdlibTransport(UA)
    try:
        by_stdlib = resolve(keys, settings, transport=t)
    finally:
        t.close()
    fields = ("status", "first_release", "latest_release", "version_count", "latest_version", "unpublished", "error")
    for key in keys:
        assert by_stdlib[key].status is not Status.UNKNOWN, by_stdlib[key].error
        assert [getattr(by_stdlib[key], f) for f in fields] == [getattr(by_httpx[key], f) for f in fields], key
    assert {by_stdlib[k].status for k in keys} == {Status.EXISTS, Status.NOT_FOUND}


# -- a raw-socket server: what the fake registry cannot do ---------------------------------------


def test_request_head_on_the_wire(raw_server: Any, transport: StdlibTransport) -> None:
    server = raw_server(answering(ok(b"hi")))
    reply = transport.get(server.url("/a/b?c=d#frag"), {"Accept": "application/json"}, T, T)
    assert (reply.status_code, reply.content, reply.url) == (200, b"hi", server.url("/a/b?c=d#frag"))
    assert server.requests == [
        f"GET /a/b?c=d HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\nUser-Agent: {UA}\r\n"
        "Accept-Encoding: gzip, deflate\r\nAccept: application/json\r\n\r\n".encode()
    ]


def test_gzip_body_is_decoded(raw_server: Any, transport: StdlibTransport) -> None:
    data = json.dumps({"name": "x" * 500}).encode()
    server = raw_server(answering(ok(gzip.compress(data), "Content-Encoding: gzip", "Content-Type: application/json")))
    reply = transport.get(server.url(), {}, T, T)
    assert reply.content == data
    assert reply.headers["content-encoding"] == "gzip"


def test_chunked_gzip_body_is_decoded(raw_server: Any, transport: StdlibTransport) -> None:
    data = b"chunk me " * 300
    packed = gzip.compress(data)
    body = b"".join(
        b"%x\r\n%s\r\n" % (len(packed[i : i + 100]), packed[i : i + 100]) for i in range(0, len(packed), 100)
    )
    response = (
        b"HTTP/1.1 200 OK\r\nContent-Encoding: x-gzip\r\nTransfer-Encoding: chunked\r\n\r\n" + body + b"0\r\n\r\n"
    )
    server = raw_server(answering(response))
    assert transport.get(server.url(), {}, T, T).content == data


@pytest.mark.parametrize("wbits", [zlib.MAX_WBITS, -zlib.MAX_WBITS], ids=["zlib", "raw"])
def test_deflate_body_is_decoded(raw_server: Any, transport: StdlibTransport, wbits: int) -> None:
    data = b"deflated body " * 100
    packer = zlib.compressobj(wbits=wbits)
    packed = packer.compress(data) + packer.flush()
    server = raw_server(answering(ok(packed, "Content-Encoding: Deflate")))
    assert transport.get(server.url(), {}, T, T).content == data


@pytest.mark.parametrize("coding", ["identity", ""])
def test_identity_body_is_kept(raw_server: Any, transport: StdlibTransport, coding: str) -> None:
    server = raw_server(answering(ok(b"\x1f\x8b plain", f"Content-Encoding: {coding}")))
    assert transport.get(server.url(), {}, T, T).content == b"\x1f\x8b plain"


def test_unknown_content_encoding_is_a_transport_error(raw_server: Any, transport: StdlibTransport) -> None:
    server = raw_server(answering(ok(b"\x00\x01\x02", "Content-Encoding: br")))
    with pytest.raises(TransportError, match="unsupported content-encoding: br"):
        transport.get(server.url(), {}, T, T)


def test_corrupt_gzip_is_a_transport_error(raw_server: Any, transport: StdlibTransport) -> None:
    server = raw_server(answering(ok(gzip.compress(b"x" * 100)[:-8], "Content-Encoding: gzip")))
    with pytest.raises(TransportError, match="undecodable gzip"):
        transport.get(server.url(), {}, T, T)


@pytest.mark.parametrize("coding", ["gzip", "deflate"])
def test_empty_encoded_body_is_empty(raw_server: Any, transport: StdlibTransport, coding: str) -> None:
    server = raw_server(answering(ok(b"", f"Content-Encoding: {coding}", status="404 Not Found")))
    reply = transport.get(server.url(), {}, T, T)
    assert (reply.status_code, reply.content) == (404, b"")


def test_connection_closed_after_a_response_is_replaced(
    raw_server: Any, transport: StdlibTransport, connects: list[tuple[str, int]]
) -> None:
    def once(conn: socket.socket, server: RawServer) -> None:  # keep-alive promised, then closed
        server.requests.append(read_request(conn))
        conn.sendall(ok(b"first"))
        conn.shutdown(socket.SHUT_RDWR)
        conn.close()
        server.event("closed").set()

    server = raw_server(once)
    assert transport.get(server.url(), {}, T, T).content == b"first"
    assert server.event("closed").wait(2)
    time.sleep(0.02)  # the FIN has reached the client's socket
    assert transport.get(server.url(), {}, T, T).content == b"first"  # stale: a new connection, transparently
    assert server.connections == 2 and len(connects) == 2


def test_connection_reset_on_a_kept_alive_connection_is_replaced(raw_server: Any, transport: StdlibTransport) -> None:
    import struct

    def once(conn: socket.socket, server: RawServer) -> None:
        read_request(conn)
        conn.sendall(ok(b"first"))
        read_request(conn)  # the second request on this connection: reset instead of an answer
        conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))

    server = raw_server(once)
    assert transport.get(server.url(), {}, T, T).content == b"first"
    assert transport.get(server.url(), {}, T, T).content == b"first"
    assert server.connections == 2


def test_connection_close_response_is_not_kept(
    raw_server: Any, transport: StdlibTransport, connects: list[tuple[str, int]]
) -> None:
    server = raw_server(answering(ok(b"x", "Connection: close"), close=True))
    for _ in range(2):
        assert transport.get(server.url(), {}, T, T).content == b"x"
    assert server.connections == 2 and len(connects) == 2


def test_close_delimited_http10_response(raw_server: Any, transport: StdlibTransport) -> None:
    server = raw_server(answering(b"HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil close", close=True))
    assert transport.get(server.url(), {}, T, T).content == b"until close"
    assert transport.get(server.url(), {}, T, T).content == b"until close"
    assert server.connections == 2


def test_silent_server_times_out(raw_server: Any, transport: StdlibTransport) -> None:
    def silent(conn: socket.socket, server: RawServer) -> None:
        read_request(conn)
        server.event("done").wait(5)

    server = raw_server(silent)
    started = time.monotonic()
    with pytest.raises(TransportError, match="timeout"):
        transport.get(server.url(), {}, T, 0.2)
    assert 0.15 < time.monotonic() - started < 3.0  # the read timeout, not the server's 5 s (loose: a loaded CI)
    server.event("done").set()


def test_server_closing_without_an_answer(raw_server: Any, transport: StdlibTransport) -> None:
    def hang_up(conn: socket.socket, server: RawServer) -> None:
        read_request(conn)  # then closed by RawServer, no answer

    server = raw_server(hang_up)
    with pytest.raises(TransportError, match="connection error"):
        transport.get(server.url(), {}, T, T)


def test_garbage_answer_is_a_transport_error(raw_server: Any, transport: StdlibTransport) -> None:
    server = raw_server(answering(b"SSH-2.0-OpenSSH_9.6\r\n"))
    with pytest.raises(TransportError, match="status line"):
        transport.get(server.url(), {}, T, T)


def test_refused_port_is_a_connection_error(transport: StdlibTransport) -> None:
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()  # bound, never listening, now free: connecting is refused
    started = time.monotonic()
    with pytest.raises(TransportError, match="connection error"):
        transport.get(f"http://127.0.0.1:{port}/", {}, T, T)
    assert time.monotonic() - started < 3.0


def test_relative_redirects_are_followed(raw_server: Any, transport: StdlibTransport) -> None:
    def route(conn: socket.socket, server: RawServer) -> None:
        while request := read_request(conn):
            server.requests.append(request)
            path = request.split(b" ")[1]
            if path == b"/start":
                conn.sendall(ok(b"", "Location: next?x=1", status="302 Found"))
            elif path == b"/next?x=1":
                conn.sendall(ok(b"moved", "Location:  /final ", status="308 Permanent Redirect"))
            else:
                conn.sendall(ok(path))

    server = raw_server(route)
    reply = transport.get(server.url("/start"), {}, T, T)
    assert (reply.status_code, reply.content, reply.url) == (200, b"/final", server.url("/final"))
    assert server.connections == 1


def test_redirect_without_location_is_the_answer(raw_server: Any, transport: StdlibTransport) -> None:
    server = raw_server(answering(ok(b"", status="301 Moved Permanently")))
    assert transport.get(server.url(), {}, T, T).status_code == 301


def test_redirect_loop_is_refused(raw_server: Any, transport: StdlibTransport) -> None:
    server = raw_server(answering(ok(b"", "Location: /loop", status="302 Found")))
    with pytest.raises(Malformed, match="redirects"):
        transport.get(server.url("/loop"), {}, T, T)
    assert len(server.requests) == MAX_REDIRECTS + 1
    assert server.connections == 1


def _redirecting(monkeypatch: pytest.MonkeyPatch, location: str) -> list[str]:
    asked: list[str] = []

    def fake_send(self: StdlibTransport, url: str, headers: dict[str, str], connect: float, read: float) -> Reply:
        asked.append(url)
        if len(asked) == 1:
            return Reply(301, {"location": location}, b"", url)
        return Reply(200, {}, b"final", url)

    monkeypatch.setattr(StdlibTransport, "_send", fake_send)
    return asked


@pytest.mark.parametrize("location", ["http://registry.example/x", "HTTP://registry.example/x", "ftp://r.example/x"])
def test_https_to_http_redirect_is_refused(
    monkeypatch: pytest.MonkeyPatch, transport: StdlibTransport, location: str
) -> None:
    asked = _redirecting(monkeypatch, location)
    with pytest.raises(Malformed, match="redirect"):
        transport.get("https://registry.example/a", {}, T, T)
    assert asked == ["https://registry.example/a"]


@pytest.mark.parametrize(
    ("location", "final"),
    [("https://other.example/y", "https://other.example/y"), ("/y", "https://registry.example/y")],
)
def test_https_to_https_redirect_is_followed(
    monkeypatch: pytest.MonkeyPatch, transport: StdlibTransport, location: str, final: str
) -> None:
    asked = _redirecting(monkeypatch, location)
    reply = transport.get("https://registry.example/a", {}, T, T, frozenset({"other.example"}))
    assert (reply.content, reply.url) == (b"final", final)
    assert asked == ["https://registry.example/a", final]


def test_redirect_to_a_host_not_configured_is_refused(
    monkeypatch: pytest.MonkeyPatch, transport: StdlibTransport
) -> None:
    asked = _redirecting(monkeypatch, "https://other.example/y")
    with pytest.raises(Malformed, match="host"):
        transport.get("https://registry.example/a", {}, T, T)
    assert asked == ["https://registry.example/a"]


@pytest.mark.parametrize("url", ["ftp://127.0.0.1/x", "http:///x", "http://127.0.0.1:99999/", "file:///etc/passwd"])
def test_unsupported_urls(transport: StdlibTransport, url: str) -> None:
    with pytest.raises(TransportError):
        transport.get(url, {}, T, T)


def test_target_injection_is_refused_before_connecting(
    transport: StdlibTransport, connects: list[tuple[str, int]]
) -> None:
    with pytest.raises(TransportError, match="target"):
        transport.get("http://127.0.0.1:9/a b", {}, T, T)
    with pytest.raises(TransportError, match="header"):
        transport.get("http://127.0.0.1:9/a", {"X": "1\r\nX-Evil: 1"}, T, T)
    assert connects == []


# -- TLS -----------------------------------------------------------------------------------------


def test_verified_context_verifies() -> None:
    context = verified_context()
    assert context.verify_mode == ssl.CERT_REQUIRED
    assert context.check_hostname is True
    assert context.cert_store_stats()["x509_ca"] > 0


def test_verified_context_with_missing_cert_file_falls_back(monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> None:
    monkeypatch.setenv("SSL_CERT_FILE", str(tmp_path / "missing.pem"))
    monkeypatch.setenv("SSL_CERT_DIR", str(tmp_path / "missing-dir"))
    context = verified_context()
    assert context.verify_mode == ssl.CERT_REQUIRED and context.check_hostname is True
    assert context.cert_store_stats()["x509_ca"] > 0  # certifi's bundle


def test_https_to_a_plain_tcp_server_is_a_connection_error(raw_server: Any, transport: StdlibTransport) -> None:
    def plain(conn: socket.socket, server: RawServer) -> None:
        conn.recv(4096)  # the ClientHello
        conn.sendall(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")
        server.event("done").wait(2)

    server = raw_server(plain)
    started = time.monotonic()
    with pytest.raises(TransportError, match="connection error"):
        transport.get(server.url(scheme="https"), {}, T, T)
    assert time.monotonic() - started < 3.0  # no hang (the server would hold 2-5 s)
    server.event("done").set()


def test_https_handshake_that_never_answers_times_out(raw_server: Any, transport: StdlibTransport) -> None:
    def silent(conn: socket.socket, server: RawServer) -> None:
        server.event("done").wait(5)

    server = raw_server(silent)
    started = time.monotonic()
    with pytest.raises(TransportError, match="timeout"):
        transport.get(server.url(scheme="https"), {}, 0.2, 0.2)
    assert time.monotonic() - started < 3.0  # no hang (the server would hold 2-5 s)
    server.event("done").set()


# -- proxies, lifecycle --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"HTTPS_PROXY": "http://proxy:3128"}, True),
        ({"https_proxy": "http://proxy:3128"}, True),
        ({"HTTP_PROXY": "http://proxy:3128"}, True),
        ({"all_proxy": "socks5://proxy:1080"}, True),
        ({"ALL_PROXY": "http://proxy:3128", "NO_PROXY": "*"}, True),
        ({"NO_PROXY": "localhost,127.0.0.1"}, False),
        ({"no_proxy": "*"}, False),
        ({"HTTPS_PROXY": ""}, False),
        ({"PATH": "/usr/bin", "FTP_PROXY": "http://proxy:21"}, False),
        ({}, False),
    ],
)
def test_proxy_configured(env: dict[str, str], expected: bool) -> None:
    assert proxy_configured(env) is expected


def test_light_transport_steps_aside_for_a_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)
    plain = light_transport(UA)
    assert isinstance(plain, StdlibTransport) and plain.user_agent == UA
    plain.close()
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.example:3128")
    assert proxy_configured() is True
    assert light_transport(UA) is None


def test_closed_transport_refuses_requests_and_drops_idle_connections(raw_server: Any) -> None:
    def serve(conn: socket.socket, server: RawServer) -> None:
        answering(ok(b"x"))(conn, server)
        server.event("client closed").set()  # read_request saw EOF: the idle connection was closed

    server = raw_server(serve)
    t = StdlibTransport(UA)
    assert t.get(server.url(), {}, T, T).content == b"x"
    t.close()
    assert server.event("client closed").wait(2)
    with pytest.raises(TransportError, match="closed"):
        t.get(server.url(), {}, T, T)
    assert server.connections == 1


def test_concurrent_gets_share_the_pool(
    fake_registry: FakeRegistry, transport: StdlibTransport, connects: list[tuple[str, int]]
) -> None:
    fake_registry.latency = 0.02
    for i in range(8):
        fake_registry.add_npm(f"p{i}")
    results: list[int] = []

    def worker(i: int) -> None:
        url = fake_registry.url + f"/npm/p{i}"
        results.extend(transport.get(url, {}, T, 1.0).status_code for _ in range(3))

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(5)
    assert results == [200] * 12
    assert 1 <= len(connects) <= 4  # at most one connection per concurrent request, reused afterwards


def test_a_compression_bomb_is_refused_not_inflated() -> None:
    import gzip

    from slopguard.registry.limits import decode_body

    bomb = gzip.compress(b"\0" * 2_000_000)
    assert len(bomb) < 10_000
    with pytest.raises(Malformed, match="inflates past"):
        decode_body(bomb, "gzip", limit=1_000_000)
    assert decode_body(bomb, "gzip", limit=2_000_000) == b"\0" * 2_000_000
    with pytest.raises(TransportError, match="truncated"):
        decode_body(bomb[: len(bomb) // 2], "gzip")


def test_chunked_with_a_content_length_is_read_then_the_connection_closed() -> None:
    import io

    from slopguard.registry.http11 import read_response

    raw = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n3\r\nabc\r\n0\r\n\r\n"
    response = read_response(io.BytesIO(raw))
    assert response.body == b"abc" and response.will_close
