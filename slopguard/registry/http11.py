"""HTTP/1.1 on the wire for `slopguard.registry.stdhttp`: a GET request's bytes, and reading one response.

Only what a registry GET needs (RFC 9112): a status line, header fields, and a body framed by
`Transfer-Encoding: chunked`, `Content-Length` or the connection's close. Everything is bounded (line
length, header count, body size), and anything malformed raises `WireError`, which the transport
reports as "could not tell", never as an answer. Reading works on any buffered binary stream, so it is
tested on plain bytes as well as sockets.
"""

from __future__ import annotations

from slopguard.errors import Malformed, TransportError
from slopguard.registry.limits import MAX_BODY

TYPE_CHECKING = False  # not `typing.TYPE_CHECKING`: the hook loads this module on cold lookups
if TYPE_CHECKING:
    from typing import BinaryIO

MAX_LINE = 65536
"""Longest status line, header line or chunk-size line accepted (as http.client)."""
MAX_HEADERS = 100
"""Most header fields in one response (as http.client)."""
_TOKEN_BAD = frozenset(b" \t\r\n\x00:")
_HEX = b"0123456789abcdefABCDEF"


class WireError(TransportError):
    """The response broke HTTP/1.1 framing, or the connection ended in the middle of it."""


class TooLarge(WireError, Malformed):
    """The body is over the limit (`slopguard.registry.limits.MAX_BODY`): refused, and not asked again."""


class Stale(WireError):
    """The connection ended before a status line came: a kept-alive connection the server had closed."""


class Response:
    """A response as read: status, header pairs in order, the still-encoded body, and whether the
    connection must be closed after it."""

    __slots__ = ("status", "headers", "body", "will_close")

    def __init__(self, status: int, headers: list[tuple[str, str]], body: bytes, will_close: bool) -> None:
        self.status = status
        self.headers = headers
        self.body = body
        self.will_close = will_close


def request(host: str, target: str, headers: dict[str, str]) -> bytes:
    """The bytes of `GET target HTTP/1.1` to `host` (a Host header value) with `headers`.

    Raises `WireError` for a target or header that could smuggle a line break or a second request
    (names come from agent output and may reach an index URL).
    """
    if not target.startswith("/") or any(c in target for c in " \t\r\n\x00") or not target.isascii():
        raise WireError(f"refusing a request target with spaces, control or non-ASCII characters: {target!r}")
    lines = [f"GET {target} HTTP/1.1", f"Host: {host}"]
    for name, value in headers.items():
        bad_value = not value.isascii() or any(c in value for c in "\r\n\x00")
        if not name or any(ord(c) in _TOKEN_BAD or ord(c) > 126 for c in name) or bad_value:
            raise WireError(f"refusing a malformed header: {name!r}")
        lines.append(f"{name}: {value}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1", "strict")


def read_response(stream: BinaryIO, *, max_body: int = MAX_BODY) -> Response:
    """Read one response to a GET from `stream` (informational 1xx answers are skipped)."""
    first = True
    while True:
        line = _line(stream, "status line", eof_ok=first)
        if not line:
            raise Stale("the connection closed before a response")
        first = False
        version, status = _status_line(line)
        headers = _headers(stream)
        if not 100 <= status < 200 or status == 101:
            break
    if status == 101:
        raise WireError("unexpected protocol switch (101)")
    tokens = _connection_tokens(headers)
    will_close = "close" in tokens or (version == "HTTP/1.0" and "keep-alive" not in tokens)
    coding = _field(headers, "transfer-encoding")
    length = _field(headers, "content-length")
    if status in (204, 304):
        return Response(status, headers, b"", will_close)
    if coding is not None:
        if coding.lower().split(",")[-1].strip() != "chunked":
            return Response(status, headers, _until_close(stream, max_body), True)
        # Chunked and a Content-Length together may be a smuggling attempt: read, then close (RFC 9112 6.1).
        return Response(status, headers, _chunked(stream, max_body), will_close or length is not None)
    if length is not None:
        return Response(status, headers, _exactly(stream, _length(length, max_body)), will_close)
    return Response(status, headers, _until_close(stream, max_body), True)


def _line(stream: BinaryIO, what: str, *, eof_ok: bool = False) -> bytes:
    line = stream.readline(MAX_LINE + 1)
    if len(line) > MAX_LINE:
        raise WireError(f"{what} longer than {MAX_LINE} bytes")
    if not line and not eof_ok:
        raise WireError(f"the connection closed in the middle of the response ({what})")
    return line


def _status_line(line: bytes) -> tuple[str, int]:
    parts = line.rstrip(b"\r\n").split(None, 2)
    if len(parts) < 2 or parts[0] not in (b"HTTP/1.1", b"HTTP/1.0") or not parts[1].isdigit() or len(parts[1]) != 3:
        raise WireError(f"not an HTTP/1.x status line: {line[:80]!r}")
    return parts[0].decode("ascii"), int(parts[1])


def _headers(stream: BinaryIO) -> list[tuple[str, str]]:
    headers: list[tuple[str, str]] = []
    while True:
        line = _line(stream, "header")
        if line in (b"\r\n", b"\n"):
            return headers
        if line[:1] in (b" ", b"\t"):  # obsolete line folding (RFC 9112 5.2): refused, as a smuggling risk
            raise WireError("folded header line")
        name, colon, value = line.partition(b":")
        if not colon or not name or any(b in _TOKEN_BAD for b in name):
            raise WireError(f"malformed header line: {line[:80]!r}")
        headers.append((name.decode("latin-1"), value.strip(b" \t\r\n").decode("latin-1")))
        if len(headers) > MAX_HEADERS:
            raise WireError(f"more than {MAX_HEADERS} headers")


def _field(headers: list[tuple[str, str]], name: str) -> str | None:
    """The value of header `name` (repeats joined by ","; differing `Content-Length`s are an error)."""
    values = [v for k, v in headers if k.lower() == name]
    if not values:
        return None
    if name == "content-length":
        distinct = {v.strip() for value in values for v in value.split(",")}
        if len(distinct) != 1:
            raise WireError("conflicting Content-Length headers")
        return distinct.pop()
    return ",".join(values)


def _connection_tokens(headers: list[tuple[str, str]]) -> set[str]:
    value = _field(headers, "connection") or ""
    return {t.strip().lower() for t in value.split(",") if t.strip()}


def _length(value: str, max_body: int) -> int:
    if not (value.isascii() and value.isdigit()):  # str.isdigit() also takes "²"
        raise WireError(f"bad Content-Length: {value[:40]!r}")
    length = int(value)
    if length > max_body:
        raise TooLarge(f"body of {length} bytes is over the {max_body}-byte limit")
    return length


def _exactly(stream: BinaryIO, size: int) -> bytes:
    data = stream.read(size) if size else b""
    if len(data) != size:
        raise WireError(f"the connection closed after {len(data)} of {size} body bytes")
    return data


def _chunked(stream: BinaryIO, max_body: int) -> bytes:
    parts: list[bytes] = []
    total = 0
    while True:
        size_text = _line(stream, "chunk size").split(b";", 1)[0].strip(b" \t\r\n")
        if not size_text or size_text.strip(_HEX):  # int(..., 16) would also take "+1", "0x1", "1_0"
            raise WireError(f"bad chunk size: {size_text[:40]!r}")
        size = int(size_text, 16)
        if size == 0:
            _headers(stream)  # trailer fields, ignored
            return b"".join(parts)
        total += size
        if total > max_body:
            raise TooLarge(f"body over the {max_body}-byte limit")
        parts.append(_exactly(stream, size))
        if _line(stream, "chunk end") not in (b"\r\n", b"\n"):
            raise WireError("chunk not followed by a line end")


def _until_close(stream: BinaryIO, max_body: int) -> bytes:
    data = stream.read(max_body + 1)
    if len(data) > max_body:
        raise TooLarge(f"body over the {max_body}-byte limit")
    return data
