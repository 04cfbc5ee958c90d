"""`slopguard ledger`: the names the fleet's agents were seen asking for that did not exist, newest first.

Read from the shared store (`slopguard.fleet.store`): each name's first miss (signed when a key is set;
an entry whose first miss does not verify is left out), when it was last seen missing, how many times and
by how many machines. `--recheck` asks the registries of this machine's settings (never a URL read from
the store) about each name, one request at a time with a pause between them, and marks those that exist
now: a name an agent invented that someone registered since is the slopsquat this list is kept for.
"""

from __future__ import annotations

import json
import time
from datetime import datetime

from slopguard.config import Settings
from slopguard.fleet.store import INDEX, PREFIX, SharedStore, first_of
from slopguard.models import Ecosystem, LookupKey, Status

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from slopguard.fleet.link import Command

PAUSE = 0.5
"""Seconds between two `--recheck` lookups: the registries are asked politely, one name at a time."""


class Entry:
    """One name of the ledger."""

    def __init__(self, digest: str, data: dict[str, Any], first: datetime) -> None:
        self.digest = digest
        self.name = str(data.get("name", ""))
        self.ecosystem = str(data.get("ecosystem", ""))
        self.registry = str(data.get("registry", ""))
        self.machine = str(data.get("machine", ""))
        self.first = first
        self.last: datetime | None = None
        self.count = 0
        self.machines = 0
        self.now: str | None = None
        """After `recheck`: `exists`, `missing`, `unknown` (could not tell) or `not-asked` (another registry)."""

    def as_dict(self) -> dict[str, Any]:
        """The entry as plain JSON data."""
        return {
            "name": self.name,
            "ecosystem": self.ecosystem,
            "registry": self.registry,
            "first_seen": self.first.isoformat(),
            "first_seen_on": self.machine,
            "last_seen": self.last.isoformat() if self.last else None,
            "count": self.count,
            "machines": self.machines,
            "now": self.now,
        }


def entries(store: SharedStore, limit: int = 200) -> list[Entry] | None:
    """The newest `limit` names seen missing (by last miss), or `None` when the store cannot be read."""
    replies = store.run([("ZREVRANGE", INDEX, "0", str(max(0, limit - 1)))])
    if replies is None:
        return None
    digests = (
        [d.decode("ascii", "replace") for d in replies[0] if isinstance(d, bytes)]
        if isinstance(replies[0], list)
        else []
    )
    commands: list[Command] = []
    for h in digests:
        commands += [
            ("GET", PREFIX + "f:" + h),
            ("HMGET", PREFIX + "s:" + h, "last", "count"),
            ("SCARD", PREFIX + "m:" + h),
        ]
    details = store.run(commands) if commands else []
    if details is None:
        return None
    out = []
    for i, h in enumerate(digests):
        value, seen, machines = details[3 * i : 3 * i + 3]
        entry = _entry(store, h, value)
        if entry is None:
            continue
        if isinstance(seen, list) and len(seen) == 2:
            entry.last = _when(seen[0])
            entry.count = int(seen[1]) if isinstance(seen[1], bytes) and seen[1].isdigit() else 0
        entry.machines = machines if isinstance(machines, int) else 0
        out.append(entry)
    return out


def _entry(store: SharedStore, h: str, value: Any) -> Entry | None:
    """The entry of a stored first miss, if it is one slopguard wrote (and signed) under its digest."""
    if not isinstance(value, bytes):
        return None
    try:
        local = json.loads(value)[0]
    except (ValueError, UnicodeDecodeError, IndexError, KeyError, TypeError, RecursionError):
        return None
    from slopguard.fleet.store import digest

    if not isinstance(local, str) or digest(local) != h:
        return None
    payload = store.unwrap(PREFIX + "f:" + h, local, value)
    first = first_of(payload)
    if payload is None or first is None:
        return None
    data = json.loads(payload)
    return Entry(h, data, first) if isinstance(data, dict) else None


def _when(value: Any) -> datetime | None:
    try:
        return datetime.fromisoformat(value.decode()) if isinstance(value, bytes) else None
    except (ValueError, UnicodeDecodeError):
        return None


def recheck(found: list[Entry], settings: Settings, pause: float = PAUSE) -> None:
    """Ask this machine's registries about each entry's name, one at a time, `pause` seconds apart."""
    from slopguard.registry import Resolver
    from slopguard.registry.common import base_url

    ecosystems = {e.value: e for e in Ecosystem}
    plain = settings.replace(use_cache=False, concurrency=1)
    asked = 0
    for entry in found:
        eco = ecosystems.get(entry.ecosystem)
        key = LookupKey(eco, entry.name) if eco is not None else None
        if key is None or base_url(key, settings) != entry.registry:
            entry.now = "not-asked"
            continue
        if asked:
            time.sleep(pause)
        asked += 1
        with Resolver(plain) as resolver:
            resolver.submit(key)
            record = resolver.results()[key]
        entry.now = {Status.EXISTS: "exists", Status.NOT_FOUND: "missing"}.get(record.status, "unknown")


_MARKS = {
    "exists": "  EXISTS NOW (registered after it was seen missing)",
    "missing": "  still missing",
    "unknown": "  (registry did not answer)",
    "not-asked": "  (another registry: not asked)",
}


def render_text(found: list[Entry], where: str) -> str:
    """The ledger as lines of text (names escaped for the terminal)."""
    from slopguard.escape import terminal

    if not found:
        return f"no names seen missing in the shared store {terminal(where)}\n"
    lines = [f"names seen missing in the shared store {terminal(where)}, newest first:"]
    for e in found:
        last = e.last.strftime("%Y-%m-%d %H:%M") if e.last else "?"
        mark = _MARKS.get(e.now or "", "")
        lines.append(
            f"  {terminal(e.ecosystem)}:{terminal(e.name)}  last {last}  first {e.first.strftime('%Y-%m-%d %H:%M')}"
            f" on {terminal(e.machine)}  seen {e.count}x by {e.machines} machine(s){mark}"
        )
    return "\n".join(lines) + "\n"


def render_json(found: list[Entry], where: str) -> str:
    """The ledger as a JSON document."""
    return json.dumps({"store": where, "names": [e.as_dict() for e in found]}, indent=2) + "\n"
