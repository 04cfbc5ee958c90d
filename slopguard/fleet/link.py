"""How slopguard talks to the shared store: pipelines of Redis commands through a small RESP2 client or `redis`.

The `redis` package takes ~150 ms to import (`python -X importtime -c "import redis"`: it loads asyncio,
logging and concurrent.futures), more than a warm agent hook call costs in all. So, as with `stdhttp` for
httpx, the hook's cold path speaks RESP2 over a plain socket (`RespLink`: stdlib `socket`, `ssl` only for
`rediss://`), and the commands that are not on the hook's path (`scan`, `check`, `ledger`) use the well-kept
`redis` client (`RedisLink`), imported when the first command is sent. Both send a batch of commands in one
round trip and return one reply per command, an error reply as a `ReplyError` value (never raised).
Anything that goes wrong on the wire raises `StoreError`.
"""

from __future__ import annotations

import threading

TYPE_CHECKING = False  # not `typing.TYPE_CHECKING`: the hook's cold path loads this module
if TYPE_CHECKING:
    import socket
    from typing import Any

    Command = tuple[str | bytes, ...]

CONNECT_TIMEOUT = 0.05
"""Seconds to connect to the store: a store further away than this is not worth waiting for."""
READ_TIMEOUT = 0.1
"""Seconds to wait for a reply."""
_MAX_BULK = 8 * 2**20
_MAX_ITEMS = 100_000


class StoreError(Exception):
    """The store could not be reached, was too slow, or answered something that is not RESP."""


class ReplyError(str):
    """An error reply (`-ERR ...`, `-OOM ...`, `-READONLY ...`) to one command."""


class Address:
    """A parsed `redis://[user:password@]host[:port][/db]` or `rediss://` URL."""

    def __init__(self, url: str) -> None:
        from urllib.parse import unquote, urlsplit

        parts = urlsplit(url)
        if parts.scheme not in ("redis", "rediss") or not parts.hostname:
            raise StoreError("expected a redis:// or rediss:// URL with a host")
        self.url = url
        self.tls = parts.scheme == "rediss"
        self.host = parts.hostname
        try:
            self.port = parts.port or 6379
            path = parts.path.strip("/")
            self.db = int(path) if path else 0
        except ValueError as exc:
            raise StoreError("a bad port or database number in the shared-cache URL") from exc
        self.username = unquote(parts.username) if parts.username else None
        self.password = unquote(parts.password) if parts.password else None

    def shown(self) -> str:
        """The URL without its credentials, for messages."""
        scheme = "rediss" if self.tls else "redis"
        return f"{scheme}://{self.host}:{self.port}/{self.db}"


def encode(command: Command) -> bytes:
    """One command as a RESP array of bulk strings (arguments are data, whatever bytes they hold)."""
    out = [b"*%d\r\n" % len(command)]
    for arg in command:
        data = arg.encode("utf-8", "surrogatepass") if isinstance(arg, str) else arg
        out.append(b"$%d\r\n%s\r\n" % (len(data), data))
    return b"".join(out)


class RespLink:
    """A RESP2 connection opened on first use; thread-safe (one pipeline at a time)."""

    def __init__(self, address: Address) -> None:
        self.address = address
        self._sock: socket.socket | None = None
        self._file: Any = None
        self._lock = threading.Lock()

    def _connect(self) -> list[Command]:
        import socket

        a = self.address
        try:
            sock = socket.create_connection((a.host, a.port), timeout=CONNECT_TIMEOUT)
            sock.settimeout(READ_TIMEOUT)
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            if a.tls:
                import ssl

                sock = ssl.create_default_context().wrap_socket(sock, server_hostname=a.host)
        except OSError as exc:
            raise StoreError(f"cannot connect to {a.shown()}: {type(exc).__name__}: {exc}") from exc
        self._sock = sock
        self._file = sock.makefile("rb")
        hello: list[Command] = []
        if a.password is not None:
            hello.append(("AUTH", a.username, a.password) if a.username else ("AUTH", a.password))
        if a.db:
            hello.append(("SELECT", str(a.db)))
        return hello

    def run(self, commands: list[Command]) -> list[Any]:
        """Send `commands` in one write and read one reply per command."""
        with self._lock:
            hello = self._connect() if self._sock is None else []
            assert self._sock is not None
            try:
                self._sock.sendall(b"".join(encode(c) for c in [*hello, *commands]))
                replies = [self._reply(0) for _ in range(len(hello) + len(commands))]
            except (OSError, ValueError) as exc:
                self._close()
                raise StoreError(f"{type(exc).__name__}: {exc}") from exc
            except StoreError:
                self._close()
                raise
        for reply in replies[: len(hello)]:
            if isinstance(reply, ReplyError):
                self._close()
                raise StoreError(f"the store refused the login: {reply[:200]}")
        return replies[len(hello) :]

    def _line(self) -> bytes:
        line = self._file.readline(64 * 1024)
        if not line.endswith(b"\r\n"):
            raise StoreError("the store closed the connection or sent a broken line")
        return bytes(line[:-2])

    def _reply(self, depth: int) -> Any:
        line = self._line()
        kind, rest = line[:1], line[1:]
        if kind == b"+":
            return rest
        if kind == b"-":
            return ReplyError(rest.decode("utf-8", "replace"))
        if kind == b":":
            return int(rest)
        if kind == b"$":
            size = int(rest)
            if size < 0:
                return None
            if size > _MAX_BULK:
                raise StoreError("a reply larger than slopguard reads")
            data = self._file.read(size + 2)
            if len(data) != size + 2 or data[-2:] != b"\r\n":
                raise StoreError("a truncated reply")
            return bytes(data[:-2])
        if kind == b"*":
            count = int(rest)
            if count < 0:
                return None
            if count > _MAX_ITEMS or depth > 3:
                raise StoreError("a reply larger or deeper than slopguard reads")
            return [self._reply(depth + 1) for _ in range(count)]
        raise StoreError("a reply that is not RESP")

    def _close(self) -> None:
        if self._sock is not None:
            try:
                self._file.close()
                self._sock.close()
            except OSError:
                pass
        self._sock = None
        self._file = None

    def close(self) -> None:
        """Close the connection."""
        with self._lock:
            self._close()


class RedisLink:
    """The same through the `redis` client (imported on first use)."""

    def __init__(self, address: Address) -> None:
        self.address = address
        self._client: Any = None
        self._lock = threading.Lock()

    def run(self, commands: list[Command]) -> list[Any]:
        """Send `commands` as one non-transactional pipeline; error replies come back as `ReplyError`."""
        try:
            import redis
        except ImportError:  # pragma: no cover - a dependency: only a broken install lacks it
            return RespLink(self.address).run(commands)
        with self._lock:
            try:
                if self._client is None:
                    self._client = redis.Redis.from_url(
                        self.address.url,
                        socket_connect_timeout=CONNECT_TIMEOUT,
                        socket_timeout=READ_TIMEOUT,
                        protocol=2,
                        retry_on_timeout=False,
                    )
                pipe = self._client.pipeline(transaction=False)
                for command in commands:
                    pipe.execute_command(*command)
                replies = pipe.execute(raise_on_error=False)
            except (redis.RedisError, OSError, ValueError) as exc:
                raise StoreError(f"{type(exc).__name__}: {exc}") from exc
        return [_plain(r) for r in replies]

    def close(self) -> None:
        """Close the connection pool."""
        with self._lock:
            if self._client is not None:
                self._client.close()
                self._client = None


def _plain(reply: Any) -> Any:
    """A `redis` reply in the shape `RespLink` returns (callbacks turn some into bools or dicts)."""
    if isinstance(reply, Exception):
        return ReplyError(str(reply))
    if reply is True:
        return b"OK"
    if isinstance(reply, dict):
        return [x for pair in reply.items() for x in pair]
    if isinstance(reply, (list, tuple)):
        return [_plain(r) for r in reply]
    return reply
