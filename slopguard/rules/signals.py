"""The signals read from a registry record, the refs' notes and the shipped lists, each a `Reason`."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timezone

from slopguard.config import Settings
from slopguard.config.indexes import shown_url
from slopguard.models import Ecosystem, PackageRef, Reason, RefKind, RegistryRecord, Status
from slopguard.popular import compromised, known_hallucinations, known_malicious, popular_set
from slopguard.rules.similarity import nearest_popular
from slopguard.rules.typosquat import judge

_PRIVATE_MARKERS = ("private", "goprivate", "gonoproxy", "gonosumdb")


def _who(ecosystem: Ecosystem, name: str) -> str:
    return f"{ecosystem.value}:{name}"


def _registry(ecosystem: Ecosystem) -> str:
    return {Ecosystem.PYPI: "PyPI", Ecosystem.NPM: "npm", Ecosystem.GO: "the Go module proxy"}[ecosystem]


def suggestion_for(ecosystem: Ecosystem, name: str) -> str | None:
    """The popular name `name` most likely stands for, if any."""
    match = nearest_popular(ecosystem, name)
    return match.target if match else None


def ref_notes(ecosystem: Ecosystem, name: str, refs: Sequence[PackageRef]) -> list[Reason]:
    """The reason codes extraction attached to refs (`non-registry-source`, `extra-index-url`)."""
    who = _who(ecosystem, name)
    out: list[Reason] = []
    for ref in refs:
        for note in ref.notes:
            if note == "non-registry-source":
                where = f" ({shown_url(ref.source)})" if ref.source else ""
                out.append(
                    Reason(note, f"{who} is installed from outside the registry{where}: nothing vouches for that code.")
                )
            elif note == "extra-index-url":
                index = f" {shown_url(ref.index_url)}" if ref.index_url else ""
                out.append(
                    Reason(
                        note,
                        f"{who} is installed with an extra index{index}: pip takes the highest version from any "
                        "index, so a public package of the same name can win (dependency confusion). "
                        "Use --index-url for private packages.",
                    )
                )
            else:
                out.append(Reason(note, f"{who}: {note}."))
    return out


def unverified_index(ecosystem: Ecosystem, name: str, refs: Sequence[PackageRef], settings: Settings) -> list[Reason]:
    """`unverified-index` when a registry ref names an index the settings do not configure (never contacted)."""
    from slopguard.config.indexes import lookup_index

    urls = [r.index_url for r in refs if r.source is None and r.index_url is not None]
    untrusted = list(dict.fromkeys(u for u in urls if not lookup_index(ecosystem, name, u, settings)[0]))
    if not untrusted:
        return []
    more = f" and {len(untrusted) - 3} more" if len(untrusted) > 3 else ""
    shown = ", ".join(shown_url(u) for u in untrusted[:3]) + more
    key = "pypi-indexes" if ecosystem is Ecosystem.PYPI else "npm-registries"
    return [
        Reason(
            "unverified-index",
            f"{_who(ecosystem, name)} is installed from {shown}, an index your settings do not configure: slopguard "
            f"did not contact it, so nothing vouches for what it serves. If it is your own index, add it to "
            f"[tool.slopguard.registries] {key}.",
        )
    ]


def _days(delta_seconds: float) -> str:
    days = delta_seconds / 86400
    return "less than a day" if days < 1 else f"{int(days)} day{'s' if int(days) != 1 else ''}"


def _utc(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def record_signals(
    ecosystem: Ecosystem,
    name: str,
    refs: Sequence[PackageRef],
    record: RegistryRecord,
    settings: Settings,
    now: datetime,
) -> tuple[list[Reason], str | None]:
    """The reasons a looked-up record gives, and the suggested name (from the typosquat index)."""
    who = _who(ecosystem, name)
    imports_only = bool(refs) and all(r.kind is RefKind.IMPORT for r in refs)
    match = nearest_popular(ecosystem, name)
    suggestion = match.target if match else None
    hint = f" Did you mean {suggestion}?" if suggestion else ""
    reasons: list[Reason] = []
    entry = compromised(ecosystem).get(name)
    if entry is not None:  # hijacked versions of an established package, not a malicious name
        from slopguard.rules.compromised import compromised_reasons

        reasons.extend(compromised_reasons(ecosystem, name, refs, entry, popular=name in popular_set(ecosystem)))
    elif name in known_malicious(ecosystem):
        reasons.append(
            Reason("known-malicious", f"{who} has an OSV malicious-package advisory (ossf/malicious-packages).")
        )
    hallucinated = not imports_only and name in known_hallucinations(ecosystem)
    status = record.status
    if status is Status.NOT_FOUND:
        if imports_only:
            reasons.append(Reason("unresolvable-import", _unresolvable(ecosystem, name, refs) + hint))
        else:
            reasons.append(Reason("not-found", f"{who} does not exist on {_registry(ecosystem)}.{hint}"))
        if hallucinated:
            reasons.append(
                Reason(
                    "known-hallucination", f"{who} is a name code LLMs are documented to make up; it does not exist."
                )
            )
        return reasons, suggestion
    if status is Status.SKIPPED:
        why = record.error or "not looked up"
        if "standard library" in why.lower():
            return reasons, None
        code = "private" if any(m in why.lower() for m in _PRIVATE_MARKERS) else "skipped"
        reasons.append(Reason(code, f"{who} was not looked up: {why}."))
        return reasons, None
    # Only in offline mode, which asks to decide from shipped data: a failed request is never a verdict.
    if status is Status.UNKNOWN and settings.offline and name in popular_set(ecosystem):
        reasons.append(
            Reason(
                "known-popular",
                f"{_registry(ecosystem)} could not be asked about {who}, but it is on slopguard's shipped list "
                "of popular packages, so it exists.",
            )
        )
        return reasons, None
    if status is Status.UNKNOWN:
        if settings.offline and (record.error or "offline") == "offline":  # said once: "... exists (offline mode)."
            why = ""
        else:
            why = f": {record.error}" if record.error else ""
        offline = " (offline mode)" if settings.offline and "offline" not in why else ""
        reasons.append(
            Reason("registry-unavailable", f"{_registry(ecosystem)} could not tell whether {who} exists{offline}{why}.")
        )
    if match is not None and name not in popular_set(ecosystem):
        reason, finding = judge(ecosystem, name, match, record, settings, now)
        reasons.append(reason)
        if not finding:  # a resemblance, not a finding: no "did you mean" in summaries and hook messages
            suggestion = None
    if hallucinated:
        reasons.append(
            Reason(
                "known-hallucination",
                f"{who} is a name code LLMs are documented to make up; someone has registered it since. "
                "Check it is the package you want.",
            )
        )
    if status is Status.EXISTS:
        reasons.extend(_history(who, record, settings, now))
    return reasons, suggestion


def _unresolvable(ecosystem: Ecosystem, name: str, refs: Sequence[PackageRef]) -> str:
    written = next((r.name for r in refs if r.kind is RefKind.IMPORT), name)
    allow = f'[tool.slopguard.allow] {ecosystem.value} = ["{name}"] in pyproject.toml or .slopguard.toml'
    if ecosystem is Ecosystem.PYPI:
        what = (
            f"import {written}: no PyPI distribution named {name} exists and no known distribution provides "
            f"the module {written}"
        )
    elif ecosystem is Ecosystem.NPM:
        what = f"import '{written}': the npm package {name} does not exist"
    else:
        what = f'import "{written}": no Go module provides {name}'
    return f"{what}. If it is a private package, add it to the allow list ({allow})."


def _history(who: str, record: RegistryRecord, settings: Settings, now: datetime) -> list[Reason]:
    out: list[Reason] = []
    first = _utc(record.first_release) if record.first_release else None
    missing = _utc(record.first_missing_at) if record.first_missing_at else None
    if first and missing and first > missing:
        out.append(
            Reason(
                "registered-after-missing",
                f"{who} did not exist on {missing:%Y-%m-%d %H:%M} UTC and was first published on "
                f"{first:%Y-%m-%d %H:%M} UTC: someone registered a name that was missing (the slopsquat pattern).",
            )
        )
    if first:
        age = (now - first).total_seconds()
        if age < settings.new_package_days * 86400:
            out.append(Reason("new-package", f"{who} was first released {_days(max(age, 0))} ago ({first:%Y-%m-%d})."))
    if record.version_count is not None and record.version_count < settings.few_releases:
        n = record.version_count
        out.append(Reason("few-releases", f"{who} has only {n} release{'s' if n != 1 else ''}."))
    if not record.repository:
        out.append(Reason("no-repository", f"{who} names no source repository."))
    if record.deprecated:
        out.append(Reason("deprecated", f"{who} is deprecated: {record.deprecated.strip()}"))
    if record.yanked:
        out.append(Reason("yanked", f"every release of {who} is yanked."))
    if record.quarantined:
        out.append(Reason("quarantined", f"the registry quarantined {who} (suspected malware): do not install it."))
    if record.archived:
        out.append(Reason("archived", f"{who} is archived by its owners and gets no more updates."))
    if record.security_holder:
        out.append(
            Reason("unpublished", f"npm replaced {who} with its 0.0.1-security holder: it was removed as malware.")
        )
    elif record.unpublished:
        out.append(Reason("unpublished", f"{who} was unpublished: there is nothing to install under that name."))
    return out
