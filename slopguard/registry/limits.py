"""What both transports bound, in one place: the decoded body size (`BodyDecoder`) and the redirect policy.

`MAX_BODY` caps a reply's body, still encoded and once decoded, while it streams in: a gzip bomb stops at
the cap instead of inflating in memory. It is 64 MiB, three times the largest packument measured: the full
packument of `next` (2,628 versions) from registry.npmjs.org as this machine reaches it was 20,997,991
bytes decoded on 2026-12-07 (slopguard asks for full packuments, as only they carry `time.created`). A
reply past the cap is `Malformed` (registry-unavailable), never an answer; decoding holds at most the cap
plus one 1 MiB step, so a 1 GiB bomb costs ~65 MB, not 1-2 GB. Redirects: at most `MAX_REDIRECTS` hops,
never from https down to http, and only to the host first asked or a host of a registry the user configured.
"""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit

from slopguard.errors import Malformed, TransportError

TYPE_CHECKING = False  # not `typing.TYPE_CHECKING`: the hook loads this module on cold lookups
if TYPE_CHECKING:
    import zlib
    from collections.abc import Callable

    from slopguard.config import Settings
    from slopguard.registry.transport import Reply

MAX_BODY = 64 * 1024 * 1024
"""Most bytes a reply body may have, encoded or decoded (see the module docstring for the figure)."""
MAX_REDIRECTS = 5
"""Most redirects one request follows (registries use one, for a non-normalised name)."""
REDIRECTS = frozenset({301, 302, 303, 307, 308})
_STEP = 1024 * 1024
ACCEPT_ENCODING = "gzip, deflate"
"""The content codings `BodyDecoder` undoes, so the only ones slopguard asks for."""


def configured_hosts(settings: Settings) -> frozenset[str]:
    """The host names of the registries the user configured (where a redirect may also lead): those of
    `slopguard.config.indexes.configured_urls`, the one list of registries a lookup may go to."""
    from slopguard.config.indexes import configured_urls
    from slopguard.models import Ecosystem

    urls = (url for ecosystem in Ecosystem for url in configured_urls(ecosystem, settings))
    return frozenset(h for h in (_host(u) for u in urls) if h)


def _host(url: str) -> str:
    try:
        return (urlsplit(url.strip()).hostname or "").lower()
    except ValueError:
        return ""


def redirect_target(url: str, location: str, hops: int, hosts: frozenset[str]) -> str:
    """The URL a redirect from `url` to `location` leads to, when the policy allows following it: `hops`
    (redirects already followed) under `MAX_REDIRECTS`, https never down to http, and the target's host
    the first URL's or one of `hosts`. Otherwise `Malformed` (the message never quotes the location)."""
    if hops >= MAX_REDIRECTS:
        raise Malformed(f"more than {MAX_REDIRECTS} redirects")
    target = urljoin(url, location.strip())
    source, scheme = urlsplit(url).scheme.lower(), urlsplit(target).scheme.lower()
    if scheme not in ("http", "https"):
        raise Malformed("redirect to a URL that is not http(s) refused")
    if source == "https" and scheme != "https":
        raise Malformed("redirect from https to http refused")
    host = _host(target)
    if not host or host not in hosts:
        raise Malformed("redirect to a host other than the registry's refused")
    return target


def follow(send: Callable[[str], Reply], url: str, hosts: frozenset[str] = frozenset()) -> Reply:
    """`send(url)`, then each redirect `redirect_target` allows (to `url`'s own host or one of `hosts`); the
    first answer that is not a redirect with a `Location`."""
    allowed = hosts | {_host(url)}
    for hops in range(MAX_REDIRECTS + 1):
        reply = send(url)
        location = reply.headers.get("location")
        if reply.status_code not in REDIRECTS or not location:
            return reply
        url = redirect_target(url, location, hops, allowed)
    raise AssertionError("unreachable: redirect_target stops at MAX_REDIRECTS")  # pragma: no cover


class BodyDecoder:
    """Undoes a `Content-Encoding` (identity, gzip, deflate) on a body fed in pieces, holding at most `limit`
    bytes of it: more raw or decoded bytes are `Malformed`, undecodable ones a `TransportError`."""

    def __init__(self, encoding: str, limit: int = MAX_BODY) -> None:
        self.coding = encoding.strip().lower()
        self.limit = limit
        self.raw = 0
        self._out = bytearray()
        self._inflater: zlib._Decompress | None = None
        self._head = b""  # a deflate body's first bytes, until it is known to have the zlib header
        if self.coding in ("gzip", "x-gzip", "deflate"):
            import zlib

            self._inflater = zlib.decompressobj(16 + zlib.MAX_WBITS if "gzip" in self.coding else zlib.MAX_WBITS)
        elif self.coding not in ("", "identity"):
            raise TransportError(f"unsupported content-encoding: {self.coding[:40]}")

    def feed(self, chunk: bytes) -> None:
        """Take the next piece of the body as it came off the wire."""
        if not chunk:
            return
        self.raw += len(chunk)
        if self.raw > self.limit:
            raise Malformed(f"body over the {self.limit}-byte limit")
        if self._inflater is None:
            self._keep(chunk)
            return
        import zlib

        if self.coding == "deflate" and not self._out and len(self._head) < 64:
            self._head += chunk
        try:
            self._inflate(chunk)
        except zlib.error as exc:
            if not (self.coding == "deflate" and self._head and not self._out):
                raise TransportError(f"undecodable {self.coding} body ({exc})") from None
            head, self._head = self._head, b""  # raw deflate without the zlib header, as some servers send
            self._inflater = zlib.decompressobj(-zlib.MAX_WBITS)
            try:
                self._inflate(head)
            except zlib.error as again:
                raise TransportError(f"undecodable {self.coding} body ({again})") from None

    def finish(self) -> bytes:
        """The whole decoded body; a compressed body that stopped early is a `TransportError`."""
        if self._inflater is not None and self.raw:
            import zlib

            try:
                self._keep(self._inflater.flush())
            except zlib.error as exc:  # pragma: no cover - flush after a clean decompress does not fail
                raise TransportError(f"undecodable {self.coding} body ({exc})") from None
            if not self._inflater.eof:
                raise TransportError(f"undecodable {self.coding} body (truncated)")
        return bytes(self._out)

    def _inflate(self, data: bytes) -> None:
        assert self._inflater is not None
        inflater = self._inflater
        self._keep(inflater.decompress(data, self._room()))
        while inflater.unconsumed_tail and not inflater.eof:
            self._keep(inflater.decompress(inflater.unconsumed_tail, self._room()))

    def _room(self) -> int:
        """How much one decompress call may give: a step past the limit, at most `_STEP` (so that a step is
        never a second copy of the whole body)."""
        return min(_STEP, self.limit - len(self._out) + 1)

    def _keep(self, data: bytes) -> None:
        if len(self._out) + len(data) > self.limit:
            raise Malformed(f"body inflates past the {self.limit}-byte limit")
        self._out += data


def decode_body(body: bytes, encoding: str, limit: int = MAX_BODY) -> bytes:
    """`body` with its `Content-Encoding` undone, at most `limit` bytes (see `BodyDecoder`)."""
    if encoding.strip().lower() in ("", "identity") and len(body) <= limit:
        return body
    decoder = BodyDecoder(encoding, limit)
    view = memoryview(body)
    for start in range(0, len(body), 65536):
        decoder.feed(bytes(view[start : start + 65536]))
    return decoder.finish()
