"""The seen-missing ledger: the first time slopguard saw each name missing from its registry, kept for good.

A name an agent hallucinated, found missing once and registered later is the slopsquatting pattern
(`registered-after-missing`), so the first miss outlives every record TTL. The ledger is one plain
`sqlite3` table in `settings.cache_dir/missing.sqlite3`, apart from the diskcache record cache: the
agent hook writes it on cold calls without loading diskcache. Keys are the record cache's keys
(`slopguard.registry.cache.cache_key`). It fails soft: a ledger that cannot be opened, read or written
behaves as an empty one, and `problem` says why.
"""

from __future__ import annotations

import os
import threading
from datetime import datetime

TYPE_CHECKING = False  # not `typing.TYPE_CHECKING`: the hook loads this module on cold lookups
if TYPE_CHECKING:
    import sqlite3

    from slopguard.config import Settings

FILENAME = "missing.sqlite3"
_TIMEOUT = 2.0
_CHUNK = 500
"""Keys per query of `first_many` (well under SQLite's limit on bound parameters)."""
"""Seconds to wait for another process's write lock before giving up (fail soft)."""


class MissingLedger:
    """First-miss times under `settings.cache_dir`; never raises."""

    def __init__(self, settings: Settings) -> None:
        self.path = os.path.join(os.fspath(settings.cache_dir), FILENAME)
        self.problem: str | None = None
        """Why the ledger was given up, if it was."""
        self._conn: sqlite3.Connection | None = None
        self._broken = False
        self._lock = threading.RLock()  # the resolver's workers share one ledger

    def _connect(self, create: bool) -> sqlite3.Connection | None:
        if self._conn is not None or self._broken:
            return self._conn
        if not create and not os.path.exists(self.path):
            return None
        import sqlite3

        try:
            os.makedirs(os.path.dirname(self.path), exist_ok=True)
            conn = sqlite3.connect(self.path, timeout=_TIMEOUT, isolation_level=None, check_same_thread=False)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("CREATE TABLE IF NOT EXISTS missing (key TEXT PRIMARY KEY, first TEXT NOT NULL)")
        except (sqlite3.Error, OSError) as exc:
            self._fail("open", exc)
            return None
        self._conn = conn
        return conn

    def _fail(self, what: str, exc: BaseException) -> None:
        self.problem = f"{what} failed: {type(exc).__name__}: {exc}"
        self._broken = True
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def note(self, key: str, when: datetime) -> datetime:
        """Record that `key` was seen missing at `when` unless an earlier miss is known; the first miss."""
        with self._lock:
            return self._note(key, when)

    def _note(self, key: str, when: datetime) -> datetime:
        conn = self._connect(create=True)
        if conn is None:
            return when
        try:
            conn.execute("INSERT OR IGNORE INTO missing VALUES (?, ?)", (key, when.isoformat()))
        except Exception as exc:  # sqlite3.Error, a table from elsewhere
            self._fail("write", exc)
            return when
        return self._first(key) or when

    def first(self, key: str) -> datetime | None:
        """The first time `key` was seen missing, or `None`."""
        with self._lock:
            return self._first(key)

    def _first(self, key: str) -> datetime | None:
        conn = self._connect(create=False)
        if conn is None:
            return None
        try:
            row = conn.execute("SELECT first FROM missing WHERE key = ?", (key,)).fetchone()
            return datetime.fromisoformat(row[0]) if row and isinstance(row[0], str) else None
        except Exception as exc:  # sqlite3.Error, junk in the table
            self._fail("read", exc)
            return None

    def first_many(self, keys: list[str]) -> dict[str, datetime]:
        """`first` for many keys at once (one query per 500 keys); keys never seen missing are absent."""
        with self._lock:
            conn = self._connect(create=False)
            if conn is None or not keys:
                return {}
            found: dict[str, datetime] = {}
            try:
                for start in range(0, len(keys), _CHUNK):
                    chunk = keys[start : start + _CHUNK]
                    marks = ",".join("?" * len(chunk))  # placeholders only: keys are bound, never spliced in
                    rows = conn.execute(f"SELECT key, first FROM missing WHERE key IN ({marks})", chunk).fetchall()
                    found.update((key, datetime.fromisoformat(first)) for key, first in rows if isinstance(first, str))
            except Exception as exc:  # sqlite3.Error, junk in the table
                self._fail("read", exc)
                return {}
            return found

    def count(self) -> int:
        """How many names have a first miss recorded."""
        with self._lock:
            return self._count()

    def _count(self) -> int:
        conn = self._connect(create=False)
        if conn is None:
            return 0
        try:
            return int(conn.execute("SELECT COUNT(*) FROM missing").fetchone()[0])
        except Exception as exc:
            self._fail("read", exc)
            return 0

    def clear(self) -> int:
        """Forget every first miss; return how many there were."""
        with self._lock:
            return self._clear()

    def _clear(self) -> int:
        conn = self._connect(create=False)
        if conn is None:
            return 0
        try:
            return int(conn.execute("DELETE FROM missing").rowcount)
        except Exception as exc:
            self._fail("clear", exc)
            return 0

    def close(self) -> None:
        """Close the connection."""
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None
