"""Stage 4: turn a package's refs and registry record into reasons (`assess`). Pure: shipped data only, no I/O.

Reason codes, their meaning and the verdict policy gives them are listed in `CODES`; `slopguard.policy`
turns an `Assessment` into a verdict.
"""

from __future__ import annotations

from datetime import datetime, timezone

from slopguard import names
from slopguard.config import Settings, list_match
from slopguard.models import Ecosystem, PackageRef, Reason, RefKind, RegistryRecord, Status

TYPE_CHECKING = False  # not `typing.TYPE_CHECKING`: importing typing costs ~7 ms on the hook's cold path
if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence
    from dataclasses import dataclass
else:  # a frozen dataclass without `dataclasses` at import (see `slopguard._frozen`)
    from slopguard._frozen import dataclass

CODES: dict[str, str] = {
    "allowed": "on the allow list of your config (overrides everything else)",
    "denied": "on the deny list of your config (overrides everything else)",
    "invalid-name": "not a well-formed name for its registry",
    "not-found": "the registry has no package of that name",
    "unresolvable-import": "an import no known package provides",
    "non-registry-source": "installed from a URL, git repository or path, not from the registry",
    "extra-index-url": "installed with an extra index (dependency confusion risk)",
    "unverified-index": "installed from an index or registry URL your settings do not configure; not contacted",
    "registry-unavailable": "the registry could not be asked or did not answer",
    "private": "a private module path, deliberately not looked up",
    "known-popular": "the registry could not be asked, but the name is on the shipped popular list",
    "skipped": "deliberately not looked up",
    "typosquat": "close to a popular name without being it",
    "look-alike": "close to a popular name, but established or under the same owner: not a typosquat (info)",
    "new-package": "first released recently",
    "few-releases": "has very few releases",
    "no-repository": "names no source repository",
    "deprecated": "the latest version is deprecated",
    "yanked": "every release is yanked",
    "quarantined": "the registry quarantined it (suspected malware)",
    "archived": "archived by its owners: no more updates",
    "unpublished": "unpublished or replaced by npm's security holder",
    "registered-after-missing": "first published after slopguard saw the name missing (the slopsquat pattern)",
    "known-hallucination": "a name code LLMs are documented to hallucinate",
    "known-malicious": "has an OSV malicious-package advisory",
    "compromised-version": "pins a version an advisory lists as hijacked",
    "compromised-versions": "an established package with hijacked versions (named in the message)",
    "version-not-found": "a pinned version or range that no version the registry lists satisfies",
}
"""Every reason code `assess` can emit, with a one-line meaning."""


@dataclass(frozen=True)
class Assessment:
    """The reasons found for one package, and the name the developer most likely meant."""

    reasons: tuple[Reason, ...]
    suggestion: str | None = None

    def __init__(self, reasons: tuple[Reason, ...], suggestion: str | None = None) -> None:
        self.__dict__.update(reasons=reasons, suggestion=suggestion)

    @property
    def codes(self) -> frozenset[str]:
        """The reason codes, as a set."""
        return frozenset(r.code for r in self.reasons)


def label(ecosystem: Ecosystem, name: str) -> str:
    """How a package is named in messages: `pypi:requests`."""
    return f"{ecosystem.value}:{name}"


def assess(
    ecosystem: Ecosystem,
    name: str,
    refs: Sequence[PackageRef],
    record: RegistryRecord | None,
    settings: Settings,
    now: datetime | None = None,
    probes: Mapping[str, RegistryRecord] | None = None,
) -> Assessment:
    """Every reason `name` (canonical) is suspicious, given its refs and what the registry said (`None`: not asked);
    `probes` are the records of the Go versions asked one by one (`slopguard.rules.versions.go_probes`)."""
    from slopguard.rules.signals import record_signals, ref_notes, suggestion_for, unverified_index

    who = label(ecosystem, name)
    allowed = list_match(settings.allow, ecosystem, name)
    denied = list_match(settings.deny, ecosystem, name)
    if allowed and not denied:
        return Assessment((Reason("allowed", f"{who} matches '{allowed}' on the allow list of your config."),))
    reasons: list[Reason] = []
    if denied:  # decided from the config alone: a denied name is never looked up
        reasons.append(Reason("denied", f"{who} matches '{denied}' on the deny list of your config."))
        return Assessment(tuple(_dedupe([*reasons, *ref_notes(ecosystem, name, refs)])))
    reasons.extend(ref_notes(ecosystem, name, refs))
    unverified = unverified_index(ecosystem, name, refs, settings)
    reasons.extend(unverified)
    now = now or datetime.now(timezone.utc)
    if ecosystem is Ecosystem.GO and names.is_go_stdlib(name):
        return Assessment(tuple(reasons))  # `net/http`: the standard library, never looked up
    invalid = names.invalid_reason(ecosystem, name)
    suggestion: str | None = None
    if invalid is not None:
        suggestion = suggestion_for(ecosystem, name)
        hint = f" Did you mean {suggestion}?" if suggestion else ""
        reasons.append(Reason("invalid-name", f"'{name}' cannot be a {_registry(ecosystem)} package: {invalid}.{hint}"))
    elif record is None and unverified:
        pass  # not looked up because its index is not one of yours: `unverified-index` says so
    elif record is None:
        if refs and all(r.source is not None for r in refs):
            if not any(r.code == "non-registry-source" for r in reasons):
                src = next(r.source for r in refs if r.source)
                reasons.append(
                    Reason("non-registry-source", f"{who} comes from {src}, not from the registry: review it by hand.")
                )
        else:
            reasons.append(
                Reason("registry-unavailable", f"{who} was not looked up, so slopguard cannot vouch for it.")
            )
    else:
        found, suggestion = record_signals(ecosystem, name, refs, record, settings, now)
        reasons.extend(found)
        if any(r.spec for r in refs):
            from slopguard.rules.versions import version_reasons

            reasons.extend(version_reasons(ecosystem, name, refs, record, probes))
    return Assessment(tuple(_dedupe(reasons)), suggestion)


def is_import_only(refs: Sequence[PackageRef]) -> bool:
    """Whether every ref is an import (not an install, run or manifest entry)."""
    return bool(refs) and all(r.kind is RefKind.IMPORT for r in refs)


def _registry(ecosystem: Ecosystem) -> str:
    return {Ecosystem.PYPI: "PyPI", Ecosystem.NPM: "npm", Ecosystem.GO: "Go"}[ecosystem]


def _dedupe(reasons: list[Reason]) -> list[Reason]:
    seen: set[str] = set()
    out: list[Reason] = []
    for reason in reasons:
        if reason.code not in seen:
            seen.add(reason.code)
            out.append(reason)
    return out


__all__ = ["CODES", "Assessment", "Status", "assess", "is_import_only", "label"]
