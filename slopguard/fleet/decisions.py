"""The hook's decisions in the shared store: what one machine decided, another reads instead of deciding again.

A decision is shared under the same key as in the local decision store (`slopguard.registry.decisions`:
name, refs' properties, a fingerprint of the settings and of slopguard's data and rule code), so a
machine only ever reads a decision it would have reached itself, and until the same `expiry()`. A shared
decision is decoded like a local one and must be about the name asked; anything else is ignored.
"""

from __future__ import annotations

from slopguard.config import Settings
from slopguard.fleet.store import PREFIX, SharedStore, digest
from slopguard.models import Ecosystem, Finding, PackageRef
from slopguard.names import canonicalize

TYPE_CHECKING = False  # not `typing.TYPE_CHECKING`: the hook's cold path loads this module
if TYPE_CHECKING:
    from slopguard.fleet.link import Command

Groups = dict[tuple[Ecosystem, str], list[PackageRef]]


def wanted(groups: Groups, settings: Settings) -> dict[str, str]:
    """Store key -> local decision key for the storable `groups`."""
    from slopguard.registry.decisions import decision_key, fingerprint, storable

    fp = fingerprint(settings)
    out = {}
    for (eco, name), refs in groups.items():
        if storable(refs):
            local = decision_key(eco, name, refs, fp)
            out[PREFIX + "d:" + digest(local)] = local
    return out


def read(store: SharedStore, groups: Groups, settings: Settings) -> dict[tuple[Ecosystem, str], Finding]:
    """The shared decisions of `groups` that `store.fetch` found (see `wanted`)."""
    from slopguard.registry.decisions import _decode, decision_key, fingerprint, storable

    fp = fingerprint(settings)
    out: dict[tuple[Ecosystem, str], Finding] = {}
    for (eco, name), refs in groups.items():
        if not storable(refs):
            continue
        payload = store.value(PREFIX + "d:" + digest(decision_key(eco, name, refs, fp)))
        if payload is None:
            continue
        try:
            finding = _decode(payload, eco, name, tuple(refs))
        except (ValueError, KeyError, TypeError, IndexError):
            continue
        if finding.record is not None and canonicalize(eco, finding.record.name) != name:
            continue  # another name's decision under this one's key
        out[(eco, name)] = finding
    return out


def write(store: SharedStore, findings: list[Finding] | tuple[Finding, ...], settings: Settings, now: float) -> None:
    """Share every storable finding until its `expiry()`, in one round trip."""
    from slopguard.registry.decisions import _encode, decision_key, expiry, fingerprint, storable

    fp = fingerprint(settings)
    commands: list[Command] = []
    for finding in findings:
        refs = list(finding.refs)
        until = expiry(finding, settings, now) if storable(refs) else None
        if until is not None:
            local = decision_key(finding.ecosystem, finding.name, refs, fp)
            commands.extend(store.put(PREFIX + "d:" + digest(local), local, _encode(finding), until - now))
    if commands:
        store.write(commands)
