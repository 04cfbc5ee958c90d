"""HTTP/1.1 wire format (`slopguard.registry.http11`) on plain bytes: framing, bounds, refusals, fuzz."""

from __future__ import annotations

import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from slopguard.errors import TransportError
from slopguard.registry import http11
from slopguard.registry.http11 import Stale, WireError, read_response, request


def read(raw: bytes, **kwargs: int) -> http11.Response:
    return read_response(io.BytesIO(raw), **kwargs)


def chunked(body: bytes, cuts: list[int], extension: bytes = b"") -> bytes:
    """`body` in chunked encoding, cut at the offsets `cuts`, each size line carrying `extension`."""
    edges = [0, *sorted({c for c in cuts if 0 < c < len(body)}), len(body)]
    out = b"".join(
        b"%x%s\r\n%s\r\n" % (b - a, extension, body[a:b]) for a, b in zip(edges, edges[1:], strict=False) if b > a
    )
    return out + b"0%s\r\n\r\n" % extension


# -- framing -------------------------------------------------------------------------------------


def test_errors_are_transport_errors() -> None:
    assert issubclass(WireError, TransportError)
    assert issubclass(Stale, WireError)


def test_content_length_body_and_keep_alive() -> None:
    stream = io.BytesIO(b"HTTP/1.1 200 OK\r\nContent-Type: a/b\r\nContent-Length: 5\r\n\r\nhelloNEXT")
    response = read_response(stream)
    assert (response.status, response.body, response.will_close) == (200, b"hello", False)
    assert response.headers == [("Content-Type", "a/b"), ("Content-Length", "5")]
    assert stream.read() == b"NEXT"  # nothing read past the body: the connection can be reused


def test_header_values_are_trimmed_and_repeats_kept_in_order() -> None:
    response = read(b"HTTP/1.1 200 OK\r\nX-A:  one \t\r\nx-a: two\r\nContent-Length: 0\r\n\r\n")
    assert response.headers == [("X-A", "one"), ("x-a", "two"), ("Content-Length", "0")]
    assert response.body == b""


def test_status_line_without_reason_and_bare_lf_line_ends() -> None:
    response = read(b"HTTP/1.1 404\nContent-Length: 2\n\nno")
    assert (response.status, response.body) == (404, b"no")


def test_repeated_equal_content_length_is_accepted() -> None:
    assert read(b"HTTP/1.1 200 OK\r\nContent-Length: 3, 3\r\nContent-Length: 3\r\n\r\nabc").body == b"abc"


def test_chunked_body_with_extensions_and_trailers() -> None:
    stream = io.BytesIO(
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
        b"5;name=value\r\nhello\r\n"
        b"1 ; ext\r\n,\r\n"
        b"a\r\n0123456789\r\n"
        b"0;last\r\nX-Trailer: yes\r\nX-Other: 1\r\n\r\nNEXT"
    )
    response = read_response(stream)
    assert (response.status, response.body, response.will_close) == (200, b"hello,0123456789", False)
    assert stream.read() == b"NEXT"  # trailers consumed, nothing more


def test_chunked_wins_over_content_length() -> None:
    raw = b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n"
    assert read(raw).body == b"abc"


def test_uppercase_hex_chunk_size() -> None:
    raw = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, Chunked\r\n\r\nB\r\n0123456789a\r\n0\r\n\r\n"
    assert read(raw).body == b"0123456789a"


def test_close_delimited_body() -> None:
    response = read(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nall of it\r\nuntil the end")
    assert response.body == b"all of it\r\nuntil the end"
    assert response.will_close is True


def test_transfer_coding_not_ending_in_chunked_reads_until_close() -> None:
    response = read(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\nraw bytes")
    assert (response.body, response.will_close) == (b"raw bytes", True)


@pytest.mark.parametrize("status", [204, 304])
def test_no_body_statuses(status: int) -> None:
    stream = io.BytesIO(b"HTTP/1.1 %d X\r\nContent-Length: 10\r\n\r\nHTTP/1.1 200 OK\r\n" % status)
    response = read_response(stream)
    assert (response.status, response.body, response.will_close) == (status, b"", False)
    assert stream.read() == b"HTTP/1.1 200 OK\r\n"  # the next response is left alone


def test_informational_responses_are_skipped() -> None:
    raw = (
        b"HTTP/1.1 100 Continue\r\n\r\n"
        b"HTTP/1.1 103 Early Hints\r\nLink: </a.css>; rel=preload\r\n\r\n"
        b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"
    )
    response = read(raw)
    assert (response.status, response.body) == (200, b"ok")
    assert response.headers == [("Content-Length", "2")]


def test_protocol_switch_is_refused() -> None:
    with pytest.raises(WireError, match="101"):
        read(b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: h2c\r\n\r\n")


def test_eof_after_informational_response_is_not_stale() -> None:
    with pytest.raises(WireError) as info:
        read(b"HTTP/1.1 100 Continue\r\n\r\n")
    assert not isinstance(info.value, Stale)


@pytest.mark.parametrize(
    ("raw", "will_close"),
    [
        (b"HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok", True),
        (b"HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 2\r\n\r\nok", False),
        (b"HTTP/1.0 200 OK\r\nConnection: Keep-Alive, foo\r\nContent-Length: 2\r\n\r\nok", False),
        (b"HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok", True),
        (b"HTTP/1.1 200 OK\r\nConnection: TE, Close\r\nContent-Length: 2\r\n\r\nok", True),
        (b"HTTP/1.1 200 OK\r\nConnection: keep-alive\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok", True),
        (b"HTTP/1.1 200 OK\r\nConnection: keep-alive\r\nContent-Length: 2\r\n\r\nok", False),
        (b"HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n", True),
        (b"HTTP/1.1 200 OK\r\nConnection: close\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n", True),
    ],
)
def test_connection_persistence(raw: bytes, will_close: bool) -> None:
    assert read(raw).will_close is will_close


# -- malformed responses -------------------------------------------------------------------------


def test_empty_stream_is_stale() -> None:
    with pytest.raises(Stale):
        read(b"")


@pytest.mark.parametrize(
    "raw",
    [
        pytest.param(b"\r\n", id="blank status line"),
        pytest.param(b"HTTP/1.1\r\n\r\n", id="no status code"),
        pytest.param(b"HTTP/2 200 OK\r\n\r\n", id="http/2"),
        pytest.param(b"HTTP/1.1 20 OK\r\n\r\n", id="two-digit status"),
        pytest.param(b"HTTP/1.1 2000 OK\r\n\r\n", id="four-digit status"),
        pytest.param(b"HTTP/1.1 2OO OK\r\n\r\n", id="letters in status"),
        pytest.param(b"http/1.1 200 OK\r\n\r\n", id="lower-case version"),
        pytest.param(b"ICY 200 OK\r\n\r\n", id="shoutcast"),
        pytest.param(b"SSH-2.0-OpenSSH_9.6\r\n", id="ssh banner"),
        pytest.param(b"\x16\x03\x01\x00\xa5\x01\x00\x00\xa1\x03\x03", id="tls bytes"),
        pytest.param(b"<html>hello</html>", id="no status line at all"),
    ],
)
def test_malformed_status_line(raw: bytes) -> None:
    with pytest.raises(WireError) as info:
        read(raw)
    assert not isinstance(info.value, Stale)


@pytest.mark.parametrize(
    "value",
    [b"abc", b"-1", b"+5", b"", b"1.5", b"0x10", b"5 5", b"1e3", b"5, 6"],
)
def test_bad_content_length(value: bytes) -> None:
    with pytest.raises(WireError):
        read(b"HTTP/1.1 200 OK\r\nContent-Length: " + value + b"\r\n\r\n" + b"x" * 20)


def test_conflicting_content_length_headers() -> None:
    with pytest.raises(WireError, match="conflicting"):
        read(b"HTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd")


@pytest.mark.parametrize("value", [b"\xb2", b"1\xb9", b"\xb3"])
def test_superscript_digit_content_length_is_a_wire_error(value: bytes) -> None:
    with pytest.raises(WireError):
        read(b"HTTP/1.1 200 OK\r\nContent-Length: " + value + b"\r\n\r\nabc")


@pytest.mark.parametrize(
    "size",
    [b"-1", b"+1", b"0x10", b"0X10", b"zz", b"g", b"", b";ext", b"1 0", b"\xb2"],
)
def test_bad_chunk_size(size: bytes) -> None:
    with pytest.raises(WireError, match="chunk size"):
        read(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + size + b"\r\n" + b"x" * 40 + b"\r\n0\r\n\r\n")


def test_chunk_size_with_underscore_is_refused() -> None:
    with pytest.raises(WireError, match="chunk size"):
        read(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1_0\r\n0123456789abcdef\r\n0\r\n\r\n")


@pytest.mark.parametrize(
    "raw",
    [
        pytest.param(b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort", id="truncated body"),
        pytest.param(b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n", id="truncated headers"),
        pytest.param(b"HTTP/1.1 200 OK\r\nContent-Len", id="truncated header line"),
        pytest.param(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab", id="truncated chunk"),
        pytest.param(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nabcde", id="no chunk end"),
        pytest.param(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nabcdeXY\r\n", id="chunk overrun"),
        pytest.param(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nab\r\n", id="no last chunk"),
        pytest.param(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n", id="no end of trailers"),
        pytest.param(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", id="no chunks at all"),
    ],
)
def test_truncated_response(raw: bytes) -> None:
    with pytest.raises(WireError) as info:
        read(raw)
    assert not isinstance(info.value, Stale)


def test_line_too_long() -> None:
    long_value = b"x" * (http11.MAX_LINE + 10)
    with pytest.raises(WireError, match="longer than"):
        read(b"HTTP/1.1 200 OK\r\nX-Big: " + long_value + b"\r\nContent-Length: 0\r\n\r\n")
    with pytest.raises(WireError, match="longer than"):
        read(b"HTTP/1.1 200 " + long_value + b"\r\n\r\n")
    with pytest.raises(WireError, match="longer than"):
        read(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1;" + long_value + b"\r\nx\r\n0\r\n\r\n")


def test_line_at_the_limit_is_fine() -> None:
    value = b"v" * (http11.MAX_LINE - len(b"X: \r\n"))
    response = read(b"HTTP/1.1 200 OK\r\nX: " + value + b"\r\nContent-Length: 0\r\n\r\n")
    assert response.headers[0] == ("X", value.decode())


def test_too_many_headers() -> None:
    fields = b"".join(b"X-%d: v\r\n" % i for i in range(http11.MAX_HEADERS))
    assert len(read(b"HTTP/1.1 200 OK\r\n" + fields + b"\r\n").headers) == http11.MAX_HEADERS
    with pytest.raises(WireError, match="headers"):
        read(b"HTTP/1.1 200 OK\r\n" + fields + b"X-One-More: v\r\n\r\n")


def test_too_many_trailers() -> None:
    fields = b"".join(b"T-%d: v\r\n" % i for i in range(http11.MAX_HEADERS + 1))
    with pytest.raises(WireError, match="headers"):
        read(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n" + fields + b"\r\n")


@pytest.mark.parametrize("fold", [b" continued", b"\tcontinued"])
def test_folded_header_line(fold: bytes) -> None:
    with pytest.raises(WireError, match="folded"):
        read(b"HTTP/1.1 200 OK\r\nX-A: one\r\n" + fold + b"\r\nContent-Length: 0\r\n\r\n")


@pytest.mark.parametrize(
    "line",
    [b"no colon here", b": empty name", b"Bad Name: v", b"Bad\tName: v", b"Bad\x00Name: v", b"Name : v"],
)
def test_malformed_header_line(line: bytes) -> None:
    with pytest.raises(WireError, match="malformed header"):
        read(b"HTTP/1.1 200 OK\r\n" + line + b"\r\nContent-Length: 0\r\n\r\n")


def test_body_over_max_body() -> None:
    with pytest.raises(WireError, match="limit"):
        read(b"HTTP/1.1 200 OK\r\nContent-Length: 11\r\n\r\n" + b"x" * 11, max_body=10)
    assert read(b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n" + b"x" * 10, max_body=10).body == b"x" * 10
    huge = str(http11.MAX_BODY + 1).encode()
    with pytest.raises(WireError, match="limit"):  # refused from the header alone, nothing allocated
        read(b"HTTP/1.1 200 OK\r\nContent-Length: " + huge + b"\r\n\r\n")


def test_chunked_body_over_max_body() -> None:
    head = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
    with pytest.raises(WireError, match="limit"):
        read(head + chunked(b"x" * 11, [4, 8]), max_body=10)
    assert read(head + chunked(b"x" * 10, [4, 8]), max_body=10).body == b"x" * 10
    with pytest.raises(WireError, match="limit"):  # one huge announced chunk, refused before reading it
        read(head + b"ffffffffffffffff\r\n", max_body=10)


def test_close_delimited_body_over_max_body() -> None:
    with pytest.raises(WireError, match="limit"):
        read(b"HTTP/1.1 200 OK\r\n\r\n" + b"x" * 11, max_body=10)
    assert read(b"HTTP/1.1 200 OK\r\n\r\n" + b"x" * 10, max_body=10).body == b"x" * 10


# -- the request ---------------------------------------------------------------------------------


def test_request_bytes() -> None:
    wire = request(
        "registry.example:8080",
        "/pypi/requests/json?x=1",
        {"User-Agent": "slopguard/1", "Accept": "application/json", "Accept-Encoding": "gzip, deflate"},
    )
    assert wire == (
        b"GET /pypi/requests/json?x=1 HTTP/1.1\r\n"
        b"Host: registry.example:8080\r\n"
        b"User-Agent: slopguard/1\r\n"
        b"Accept: application/json\r\n"
        b"Accept-Encoding: gzip, deflate\r\n"
        b"\r\n"
    )


def test_request_without_headers() -> None:
    assert request("h", "/", {}) == b"GET / HTTP/1.1\r\nHost: h\r\n\r\n"


def test_request_keeps_percent_escapes() -> None:
    assert request("h", "/npm/@types%2fnode", {}).startswith(b"GET /npm/@types%2fnode HTTP/1.1\r\n")


@pytest.mark.parametrize(
    "target",
    [
        "/a\r\nX-Evil: 1",
        "/a\nX-Evil: 1",
        "/a\rX",
        "/a HTTP/1.1\r\nHost: evil\r\n\r\nGET /b",
        "/a b",
        "/a\tb",
        "/a\x00b",
        "/caf\u00e9",
        "/\u2028",
        "",
        "a/b",
        "http://other/",
        "*",
    ],
)
def test_request_refuses_bad_targets(target: str) -> None:
    with pytest.raises(WireError, match="target"):
        request("h", target, {})


@pytest.mark.parametrize(
    "headers",
    [
        {"X-A": "1\r\nX-Evil: 1"},
        {"X-A": "1\nX-Evil: 1"},
        {"X-A": "1\r"},
        {"X-A": "1\x00"},
        {"X-A\r\nX-Evil": "1"},
        {"X A": "1"},
        {"X:A": "1"},
        {"X\tA": "1"},
        {"X\x00A": "1"},
        {"": "1"},
        {"X-\u00e9": "1"},
        {"X-\x7f": "1"},
    ],
)
def test_request_refuses_bad_headers(headers: dict[str, str]) -> None:
    with pytest.raises(WireError, match="header"):
        request("h", "/", headers)


def test_request_refuses_non_latin1_header_value() -> None:
    with pytest.raises(WireError):
        request("h", "/", {"X-A": "\u20ac"})


# -- properties ----------------------------------------------------------------------------------


@settings(max_examples=150, deadline=None)
@given(
    body=st.binary(max_size=600),
    cuts=st.lists(st.integers(min_value=0, max_value=600), max_size=12),
    extension=st.sampled_from([b"", b";a=b", b' ; name="v"']),
)
def test_chunked_round_trip(body: bytes, cuts: list[int], extension: bytes) -> None:
    encoded = chunked(body, cuts, extension)
    stream = io.BytesIO(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + encoded + b"TAIL")
    response = read_response(stream)
    assert response.body == body
    assert response.will_close is False
    assert stream.read() == b"TAIL"


def _reads_or_wire_error(raw: bytes) -> None:
    try:
        response = read_response(io.BytesIO(raw), max_body=4096)
    except WireError:  # Stale included
        return
    assert 0 <= response.status <= 999
    assert len(response.body) <= 4096


@settings(max_examples=300, deadline=None)
@given(raw=st.binary(max_size=400))
def test_arbitrary_bytes_give_a_response_or_wire_error(raw: bytes) -> None:
    _reads_or_wire_error(raw)


_PIECES = [
    b"HTTP/1.1 200 OK\r\n",
    b"HTTP/1.0 404 Not Found\r\n",
    b"HTTP/1.1 100 Continue\r\n",
    b"HTTP/1.1 204 No Content\r\n",
    b"Content-Length: 5\r\n",
    b"Content-Length: 999999\r\n",
    b"Content-Length: -1\r\n",
    b"Transfer-Encoding: chunked\r\n",
    b"Transfer-Encoding: gzip\r\n",
    b"Connection: close\r\n",
    b"X: y\r\n",
    b" folded\r\n",
    b"\r\n",
    b"\n",
    b"5\r\nhello\r\n",
    b"0\r\n",
    b"ff;x\r\n",
    b"-1\r\n",
    b"hello",
    b":",
    b"\r",
]


@settings(max_examples=300, deadline=None)
@given(
    pieces=st.lists(st.sampled_from(_PIECES), max_size=12),
    noise=st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), max_size=20),
)
def test_response_shaped_noise_gives_a_response_or_wire_error(pieces: list[bytes], noise: str) -> None:
    _reads_or_wire_error(b"".join(pieces) + noise.encode())
