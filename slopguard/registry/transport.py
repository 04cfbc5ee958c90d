"""The seam between the resolvers and HTTP: `Transport` (one GET, redirects followed) and the `Reply` it returns.

Two transports exist. `slopguard.registry.http.HttpxTransport` wraps an `httpx.Client` (scans, `check`, and
any client a caller or a test injects); `slopguard.registry.stdhttp.StdlibTransport` speaks HTTP/1.1 over
plain sockets (and `ssl`) for the agent hook, whose cold calls cannot afford httpx's ~100 ms import.
Both give the resolvers the same `Reply`, raise `slopguard.errors.TransportError` when a request got no
HTTP answer, and enforce the same limits (`slopguard.registry.limits`: body size, redirects) with
`slopguard.errors.Malformed`, so the per-registry code never sees which one ran.
"""

from __future__ import annotations

TYPE_CHECKING = False  # not `typing.TYPE_CHECKING`: the hook loads this module on cold lookups
if TYPE_CHECKING:
    from typing import Protocol

    class Transport(Protocol):
        """Sends GET requests; thread-safe, since the resolver's workers share one."""

        def get(
            self,
            url: str,
            headers: dict[str, str],
            connect_timeout: float,
            read_timeout: float,
            hosts: frozenset[str] = frozenset(),
        ) -> Reply:
            """The final answer to GET `url` (redirects followed as `slopguard.registry.limits.follow`
            allows: to `url`'s host or one of `hosts`), whatever its status; raises `TransportError` when
            there is no HTTP answer and `Malformed` for one over the limits."""

        def close(self) -> None:
            """Release connections; the transport is not used afterwards."""


class Reply:
    """An HTTP answer: status, headers (names lower-cased, repeats joined by ", "), body (content-decoded)
    and the URL that gave it, after redirects."""

    __slots__ = ("status_code", "headers", "content", "url")

    def __init__(self, status_code: int, headers: dict[str, str], content: bytes, url: str) -> None:
        self.status_code = status_code
        self.headers = headers
        self.content = content
        self.url = url

    @property
    def text(self) -> str:
        """The body as text, in the charset the `Content-Type` names (UTF-8 when it names none or an
        unknown one); undecodable bytes become U+FFFD."""
        charset = "utf-8"
        for part in self.headers.get("content-type", "").split(";")[1:]:
            key, _, value = part.strip().partition("=")
            if key.strip().lower() == "charset" and value.strip():
                charset = value.strip().strip("\"'")
        try:
            return self.content.decode(charset, errors="replace")
        except LookupError:
            return self.content.decode("utf-8", errors="replace")

    def __repr__(self) -> str:
        return f"Reply({self.status_code}, {self.url!r}, {len(self.content)} bytes)"


def join_headers(pairs: list[tuple[str, str]]) -> dict[str, str]:
    """Header pairs as a dict with lower-cased names, repeated headers joined by ", " (RFC 9110 5.3)."""
    headers: dict[str, str] = {}
    for name, value in pairs:
        key = name.lower()
        headers[key] = f"{headers[key]}, {value}" if key in headers else value
    return headers
