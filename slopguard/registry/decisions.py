"""The decision store: a finished package decision (verdict, reasons, suggestion, record) kept until it may change.

The agent hook asks about the same few names again and again. Re-deciding them costs the record cache
(diskcache), the rules, the shipped popular lists and, for a name that is not popular, the typosquat
index; this store answers from one plain `sqlite3` read instead. A decision is stored under everything
it depends on:

- ecosystem, canonical name, the index asked, whether every ref is an import, and the version specs the
  refs carry (the properties of the refs the rules read, for refs without notes or a non-registry source:
  other refs are never stored);
- a fingerprint of the settings the rules and policy read (registries, allow/deny, thresholds,
  on-unknown, offline, TTLs) and of the shipped data and rule code (`data_version()`).

It expires no later than the record's own TTL (counted from when it was fetched) and no later than the
moment an age-based message (`new-package`: "first released N days ago") would change, and one with
`version-not-found` no later than a missing name's TTL (the version may be published). A decision from
an `unknown` record, or with `registry-unavailable` or `unverified-index` among its reasons, is never
stored. The store lives in `settings.cache_dir/decisions.sqlite3` (WAL, short transactions) and fails
soft: a store that cannot be opened, read or written is simply no store.
"""

from __future__ import annotations

import json
import os
import time

from slopguard.config import Settings
from slopguard.models import Ecosystem, Finding, PackageRef, Reason, RefKind, RegistryRecord, Status, Verdict

TYPE_CHECKING = False  # not `typing.TYPE_CHECKING`: this module is on the agent hook's warm path
if TYPE_CHECKING:
    import sqlite3

SCHEMA = "d2"
"""Prefix of every key; bump it when the stored JSON changes shape."""
FILENAME = "decisions.sqlite3"
_TIMEOUT = 0.5
"""Seconds to wait for another process's write lock before giving up on the store (fail soft)."""
_CHUNK = 500
_DAY = 86400.0
_SETTINGS_READ = (
    "pypi_url", "npm_url", "goproxy", "goprivate", "npm_scope_registries", "pypi_indexes", "npm_registries",
    "ttl_exists", "ttl_not_found",
    "offline", "on_unknown", "allow", "deny", "new_package_days", "few_releases",
)  # fmt: skip
"""The settings a decision depends on (not timeouts, deadlines, concurrency or the cache directory)."""
_RULE_SOURCES = (
    "rules", "policy.py", "popular.py", "names.py", "models.py", "check.py",
)  # fmt: skip
_VERDICTS = {v.value: v for v in Verdict}
_version_memo: list[str] = []


def data_version() -> str:
    """What the shipped data and rule code are: the slopguard version plus size and mtime of every data
    file and rule module (a checkout's edits change it without a version bump)."""
    if _version_memo:
        return _version_memo[0]
    from slopguard import _version
    from slopguard.popular import data_dir

    parts = [_version.__version__]
    package = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    places = [str(data_dir())] + [os.path.join(package, s) for s in _RULE_SOURCES]
    for place in places:
        parts.extend(_stats(place))
    _version_memo.append(_digest("\n".join(parts)))
    return _version_memo[0]


def _stats(place: str) -> list[str]:
    try:
        if not os.path.isdir(place):
            st = os.stat(place)
            return [f"{place}:{st.st_size}:{st.st_mtime_ns}"]
        out = []
        for root, dirs, files in os.walk(place):
            dirs[:] = sorted(d for d in dirs if d != "__pycache__")
            for name in sorted(files):
                st = os.stat(os.path.join(root, name))
                out.append(f"{root}/{name}:{st.st_size}:{st.st_mtime_ns}")
        return out
    except OSError:
        return [f"{place}:?"]


def _digest(text: str) -> str:
    try:  # the built-in BLAKE2: `hashlib` loads OpenSSL first (~5 ms on every hook call)
        from _blake2 import blake2b
    except ImportError:  # pragma: no cover - an interpreter built without it
        from hashlib import blake2b
    return blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def fingerprint(settings: Settings) -> str:
    """A digest of everything besides the name a decision depends on (settings read, data version)."""
    values = [repr(getattr(settings, name)) for name in _SETTINGS_READ]
    return _digest("\n".join([data_version(), *values]))


def storable(refs: list[PackageRef] | tuple[PackageRef, ...]) -> bool:
    """Whether a decision about these refs may be stored or read: plain registry refs, one index."""
    return bool(refs) and all(r.source is None and not r.notes for r in refs) and len({r.index_url for r in refs}) == 1


def decision_key(ecosystem: Ecosystem, name: str, refs: list[PackageRef] | tuple[PackageRef, ...], fp: str) -> str:
    """The store key of a decision about canonical `name` reached from `refs` under fingerprint `fp`."""
    kind = "import" if all(r.kind is RefKind.IMPORT for r in refs) else "use"
    index = refs[0].index_url or ""
    specs = sorted({r.spec for r in refs if r.spec})  # `requests==9.9.9` is not decided as `requests`
    return json.dumps([SCHEMA, fp, ecosystem.value, name, index, kind, specs], separators=(",", ":"))


def expiry(finding: Finding, settings: Settings, now: float) -> float | None:
    """Until when (epoch seconds) `finding` stays the decision a full check would reach, or `None` when
    it must not be stored (unknown record, registry-unavailable, a record the record cache keeps not)."""
    record = finding.record
    if any(r.code in ("registry-unavailable", "unverified-index") for r in finding.reasons):
        return None  # `unverified-index`: the agent's URL (credentials and all) is not kept on disk
    if record is None:  # an invalid name: decided from the name alone
        return now + min(settings.ttl_exists, settings.ttl_not_found)
    ttl = {Status.EXISTS: settings.ttl_exists, Status.NOT_FOUND: settings.ttl_not_found}.get(record.status)
    if ttl is None or ttl <= 0 or record.fetched_at is None:
        return None
    until = record.fetched_at.timestamp() + ttl
    if any(r.code == "version-not-found" for r in finding.reasons):
        until = min(until, now + settings.ttl_not_found)
    if record.status is Status.EXISTS and record.first_release is not None:
        first = record.first_release.timestamp()
        limit = first + settings.new_package_days * _DAY
        if now < limit:  # "new-package: first released N days ago" changes at each whole day, then goes
            age = max(now - first, 0.0)
            until = min(until, limit, first + (int(age // _DAY) + 1) * _DAY)
    return until if until > now else None


def _encode(finding: Finding) -> str:
    from slopguard.registry.cache import to_json

    data = {
        "verdict": finding.verdict.value,
        "reasons": [[r.code, r.message] for r in finding.reasons],
        "suggestion": finding.suggestion,
        "record": None if finding.record is None else to_json(finding.record),
    }
    return json.dumps(data, separators=(",", ":"))


def _decode(text: str, ecosystem: Ecosystem, name: str, refs: tuple[PackageRef, ...]) -> Finding:
    from slopguard.registry.cache import from_json

    data = json.loads(text)
    record: RegistryRecord | None = None if data["record"] is None else from_json(data["record"])
    if record is not None and (record.ecosystem is not ecosystem or record.status is Status.UNKNOWN):
        raise ValueError("a stored decision does not match its key")
    reasons = tuple(Reason(str(code), str(message)) for code, message in data["reasons"])
    suggestion = data["suggestion"]
    if suggestion is not None and not isinstance(suggestion, str):
        raise TypeError("a stored suggestion is a string")
    return Finding(ecosystem, name, refs, record, _VERDICTS[data["verdict"]], reasons, suggestion)


class DecisionStore:
    """Stored decisions under `settings.cache_dir`; never raises, a broken store behaves as an empty one."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.path = os.path.join(os.fspath(settings.cache_dir), FILENAME)
        self.problem: str | None = None
        """Why the store was given up, if it was."""

    def _connect(self, create: bool) -> sqlite3.Connection | None:
        import sqlite3

        if not create and not os.path.exists(self.path):
            return None
        try:
            if create:
                os.makedirs(os.path.dirname(self.path), exist_ok=True)
            conn = sqlite3.connect(self.path, timeout=_TIMEOUT, isolation_level=None)
            if create:
                conn.execute("PRAGMA journal_mode=WAL")
                conn.execute("CREATE TABLE IF NOT EXISTS decision (key TEXT PRIMARY KEY, value TEXT, expires REAL)")
            return conn
        except (sqlite3.Error, OSError) as exc:
            self.problem = f"open failed: {type(exc).__name__}: {exc}"
            return None

    def get_many(
        self, groups: dict[tuple[Ecosystem, str], list[PackageRef]], now: float | None = None
    ) -> dict[tuple[Ecosystem, str], Finding]:
        """Stored, unexpired decisions for the storable `groups` ((ecosystem, canonical name) -> refs)."""
        now = time.time() if now is None else now
        fp = fingerprint(self.settings)
        wanted = {
            decision_key(eco, name, refs, fp): (eco, name) for (eco, name), refs in groups.items() if storable(refs)
        }
        if not wanted:
            return {}
        conn = self._connect(create=False)
        if conn is None:
            return {}
        out: dict[tuple[Ecosystem, str], Finding] = {}
        try:
            keys = list(wanted)
            for start in range(0, len(keys), _CHUNK):
                chunk = keys[start : start + _CHUNK]
                marks = ",".join("?" * len(chunk))  # placeholders only: names are bound, never spliced in
                query = f"SELECT key, value FROM decision WHERE key IN ({marks}) AND expires > ?"
                for key, value in conn.execute(query, (*chunk, now)).fetchall():
                    eco, name = wanted[key]
                    try:
                        out[(eco, name)] = _decode(value, eco, name, tuple(groups[(eco, name)]))
                    except (ValueError, KeyError, TypeError, IndexError):
                        continue
        except Exception as exc:  # sqlite3.Error, a schema from elsewhere: no store
            self.problem = f"read failed: {type(exc).__name__}: {exc}"
            return {}
        finally:
            conn.close()
        return out

    def put_many(self, findings: list[Finding] | tuple[Finding, ...], now: float | None = None) -> int:
        """Store every storable finding until its `expiry()`; return how many were stored."""
        now = time.time() if now is None else now
        fp = fingerprint(self.settings)
        rows = []
        for finding in findings:
            refs = list(finding.refs)
            if not storable(refs):
                continue
            until = expiry(finding, self.settings, now)
            if until is not None:
                rows.append((decision_key(finding.ecosystem, finding.name, refs, fp), _encode(finding), until))
        if not rows:
            return 0
        conn = self._connect(create=True)
        if conn is None:
            return 0
        try:
            with conn:
                conn.execute("BEGIN IMMEDIATE")
                conn.execute("DELETE FROM decision WHERE expires <= ?", (now,))
                conn.executemany("INSERT OR REPLACE INTO decision VALUES (?, ?, ?)", rows)
            return len(rows)
        except Exception as exc:
            self.problem = f"write failed: {type(exc).__name__}: {exc}"
            return 0
        finally:
            conn.close()

    def count(self, now: float | None = None) -> int:
        """How many unexpired decisions are stored (0 when there is no store)."""
        now = time.time() if now is None else now
        conn = self._connect(create=False)
        if conn is None:
            return 0
        try:
            return int(conn.execute("SELECT COUNT(*) FROM decision WHERE expires > ?", (now,)).fetchone()[0])
        except Exception as exc:
            self.problem = f"read failed: {type(exc).__name__}: {exc}"
            return 0
        finally:
            conn.close()

    def clear(self) -> int:
        """Remove every stored decision; return how many there were."""
        conn = self._connect(create=False)
        if conn is None:
            return 0
        try:
            with conn:
                return int(conn.execute("DELETE FROM decision").rowcount)
        except Exception as exc:
            self.problem = f"clear failed: {type(exc).__name__}: {exc}"
            return 0
        finally:
            conn.close()
