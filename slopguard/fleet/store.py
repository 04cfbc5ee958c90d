"""The shared store's contents: registry records, hook decisions and the seen-missing ledger, signed when a key is set.

Every key is `slopguard:1:<kind>:<digest>`, the digest being a BLAKE2 hash of the local cache's key (which
holds the registry URL, ecosystem and name): a name never becomes part of a command, only of a value.
Every value is the JSON array `[local key, payload, signature]`; the signature is HMAC-SHA256 (key
`SLOPGUARD_SHARED_KEY`) over the store key, a newline and the payload. A value whose local key is not the
one asked, whose payload is not what the caller expects, or (with a key set) whose signature is missing
or wrong, is ignored. The ledger of a name is four entries: its first miss (`f`, signed; set once), when
it was last seen missing and how often (`s`, a hash), the machines that saw it (`m`, a set of digests) and
its place in the index of names by last miss (`slopguard:1:ledger`); only the first miss reaches a
decision, the other three are for people reading `slopguard ledger`.

A store that fails in any way (`link.StoreError`, an error reply to a write) is given up for the rest of
the run, said once on stderr, and answers nothing from then on: the caller goes on as without it.
"""

from __future__ import annotations

import json
import os
import sys
import threading
from datetime import datetime

from slopguard.fleet.link import ReplyError, StoreError

TYPE_CHECKING = False  # not `typing.TYPE_CHECKING`: the hook's cold path loads this module
if TYPE_CHECKING:
    from typing import Any

    from slopguard.fleet.link import Command, RedisLink, RespLink

PREFIX = "slopguard:1:"
INDEX = PREFIX + "ledger"
"""The sorted set of ledger digests, scored by the last time each name was seen missing."""
_told: list[str] = []


def digest(text: str) -> str:
    """The hex BLAKE2 digest that stands for a local key in store keys."""
    try:  # the built-in BLAKE2: `hashlib` loads OpenSSL first
        from _blake2 import blake2b
    except ImportError:  # pragma: no cover - an interpreter built without it
        from hashlib import blake2b
    return blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def machine() -> str:
    """This machine's name in the ledger: `SLOPGUARD_MACHINE`, else the host name."""
    name = os.environ.get("SLOPGUARD_MACHINE")
    if not name:
        try:
            name = os.uname().nodename
        except AttributeError:  # pragma: no cover - Windows
            import socket

            name = socket.gethostname()
    return name[:200]


def tell_once(where: str, why: str) -> None:
    """Say on stderr, once per process, that the shared store is not used."""
    if _told:
        return
    _told.append(why)
    from slopguard.escape import terminal

    sys.stderr.write(
        f"slopguard: the shared cache {terminal(where)} is not usable ({terminal(why[:300])}); "
        "going on with the local cache and the registries\n"
    )


class SharedStore:
    """One run's view of the shared store, with what it already asked (one round trip per local miss)."""

    def __init__(self, link: RespLink | RedisLink, secret: str = "") -> None:
        self.link = link
        self.secret = secret.encode("utf-8", "surrogatepass")
        self.problem: str | None = None
        """Why the store was given up, if it was."""
        self._values: dict[str, str] = {}  # store key -> payload, for the keys already asked
        self._asked: set[str] = set()
        self._lock = threading.Lock()

    # --- the wire -------------------------------------------------------------------------------------

    def run(self, commands: list[Command], writes: bool = False) -> list[Any] | None:
        """One reply per command in one round trip, or `None` once the store is given up (`writes`: an error
        reply to any of them gives it up too)."""
        if self.problem is not None or not commands:
            return None
        try:
            replies = self.link.run(commands)
            if writes and any(isinstance(r, ReplyError) for r in replies):
                refused = next(r for r in replies if isinstance(r, ReplyError))
                raise StoreError(f"a write was refused: {refused[:200]}")
            return replies
        except StoreError as exc:
            self.give_up(str(exc))
            return None
        except Exception as exc:  # a client bug must not decide anything either
            self.give_up(f"{type(exc).__name__}: {exc}")
            return None

    def give_up(self, why: str) -> None:
        """Stop using the store for this run and say so once."""
        self.problem = why
        tell_once(self.link.address.shown(), why)
        try:
            self.link.close()
        except Exception:  # pragma: no cover - closing never matters
            pass

    # --- values ---------------------------------------------------------------------------------------

    def _sign(self, key: str, payload: str) -> str | None:
        if not self.secret:
            return None
        import hmac

        message = f"{key}\n{payload}".encode("utf-8", "surrogatepass")
        return hmac.new(self.secret, message, "sha256").hexdigest()

    def wrap(self, key: str, local: str, payload: str) -> str:
        """The stored value of `payload` under store key `key` (local key `local`)."""
        return json.dumps([local, payload, self._sign(key, payload)], separators=(",", ":"))

    def unwrap(self, key: str, local: str, value: Any) -> str | None:
        """The payload of a stored value, or `None` when it is not one slopguard wrote (or signed)."""
        if not isinstance(value, bytes) or len(value) > 8 * 2**20:
            return None
        try:
            data = json.loads(value)
        except (ValueError, UnicodeDecodeError, RecursionError):
            return None
        if not (isinstance(data, list) and len(data) == 3 and data[0] == local and isinstance(data[1], str)):
            return None
        if self.secret:
            import hmac

            expected = self._sign(key, data[1])
            if not isinstance(data[2], str) or expected is None or not hmac.compare_digest(data[2], expected):
                return None
        return data[1]

    # --- reads ----------------------------------------------------------------------------------------

    def fetch(self, wanted: dict[str, str]) -> None:
        """Read the store keys `wanted` (store key -> local key) not asked yet, in one round trip."""
        with self._lock:
            keys = [k for k in wanted if k not in self._asked]
            self._asked.update(keys)
        if not keys:
            return
        replies = self.run([("MGET", *keys)])
        if not replies or not isinstance(replies[0], list) or len(replies[0]) != len(keys):
            if replies is not None and self.problem is None:
                refused = replies[0] if isinstance(replies[0], ReplyError) else "not one value per key"
                self.give_up(f"a read was refused: {refused[:200]}")
            return
        with self._lock:
            for key, value in zip(keys, replies[0], strict=True):
                payload = self.unwrap(key, wanted[key], value)
                if payload is not None:
                    self._values[key] = payload

    def value(self, key: str) -> str | None:
        """The payload under store key `key` found by `fetch`, if any."""
        with self._lock:
            return self._values.get(key)

    def remember(self, key: str, payload: str) -> None:
        """Keep `payload`, read under store key `key` after `fetch` (another machine's record, waited for)."""
        with self._lock:
            self._values[key] = payload
            self._asked.add(key)

    def asked(self, key: str) -> bool:
        """Whether `fetch` asked about `key` already (found or not)."""
        with self._lock:
            return key in self._asked

    # --- writes ---------------------------------------------------------------------------------------

    def put(self, key: str, local: str, payload: str, ttl: float | None) -> list[Command]:
        """The command storing `payload` (for `ttl` seconds; `None`: for good); remembered as read."""
        with self._lock:
            self._values[key] = payload
            self._asked.add(key)
        value = self.wrap(key, local, payload)
        if ttl is None:
            return [("SET", key, value)]
        return [("SET", key, value, "PX", str(max(1, int(ttl * 1000))))]

    def write(self, commands: list[Command]) -> list[Any] | None:
        """Send `commands` in one round trip; an error reply gives the store up."""
        return self.run(commands, writes=True)

    def first_miss(self, local: str, name: str, ecosystem: str, registry: str, when: datetime) -> list[Command]:
        """The commands noting a miss of `name` at `when` in the ledger (first miss set once, if not set)."""
        h = digest(local)
        key = PREFIX + "f:" + h
        payload = json.dumps(
            {
                "name": name,
                "ecosystem": ecosystem,
                "registry": registry,
                "first": when.isoformat(),
                "machine": machine(),
            },
            separators=(",", ":"),
        )
        seen = PREFIX + "s:" + h
        return [
            ("SET", key, self.wrap(key, local, payload), "NX"),
            ("HSET", seen, "last", when.isoformat()),
            ("HINCRBY", seen, "count", "1"),
            ("SADD", PREFIX + "m:" + h, digest(machine())),
            ("ZADD", INDEX, str(when.timestamp()), h),
        ]

    def forget_first(self, local: str) -> None:
        """Drop what this run remembers of `local`'s first miss (a `SET NX` may have lost to another)."""
        with self._lock:
            key = PREFIX + "f:" + digest(local)
            self._values.pop(key, None)
            self._asked.discard(key)

    def close(self) -> None:
        """Close the connection."""
        try:
            self.link.close()
        except Exception:  # pragma: no cover - closing never matters
            pass


def first_of(payload: str | None) -> datetime | None:
    """The first-miss time in a ledger payload, or `None` when it is not one."""
    if payload is None:
        return None
    try:
        data = json.loads(payload)
        when = datetime.fromisoformat(data["first"])
    except (ValueError, KeyError, TypeError):
        return None
    return when if when.tzinfo is not None else None
