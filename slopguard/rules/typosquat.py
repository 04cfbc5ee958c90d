"""Whether a look-alike of a popular name is a typosquat finding, judged on the candidate's own evidence and owner.

The neighbour index (`slopguard.rules.similarity`) only says which popular name a name resembles. Among real
packages most such resemblances are unrelated, long-lived projects (`tensorflow-gpu` and `tensorflow-cpu`, `tslib`
and `tblib`), so a resemblance is a `typosquat` finding only when the candidate looks like what attacks look like:
young, few releases, no repository, no record at all. A name under the same owner as the name it resembles (one
npm scope, one Go owner path) cannot be a squat of it: only that owner can publish there; nor can a name whose
owner publishes popular packages itself (`github.com/pion/webrtc/v4` beside the old `github.com/pions/webrtc`).
Such a resemblance is kept as `look-alike`, information shown with `-v` and in JSON.

A Go module's history is no evidence: the proxy's version times are commit times its author sets, and a squat that
clones a repository brings all its tags (`github.com/boltdb-go/bolt`, 2025). Its owner is the only evidence.
"""

from __future__ import annotations

import functools
import re
from datetime import datetime, timezone

from slopguard.config import Settings
from slopguard.models import Ecosystem, Reason, RegistryRecord, Status
from slopguard.popular import popular_names
from slopguard.rules.similarity import Match, describe

ESTABLISHED_DAYS = 365
"""A look-alike first released at least this long ago may be established (with the other evidence)."""
ESTABLISHED_SPAN_DAYS = 30
"""Its releases must spread over at least this many days (a burst of versions in an afternoon is not history)."""
ESTABLISHED_RELEASES = 3
"""And it needs at least this many releases (or `few_releases` from the settings, if higher)."""

_GIT_HOSTS = frozenset({"github.com", "gitlab.com", "bitbucket.org", "codeberg.org", "gitee.com"})
_MAJOR = re.compile(r"\.v\d+$")


def go_owner(path: str) -> str:
    """Who can publish `path`: `host/owner` on a git host, `gopkg.in/<repo>` or its user, else the domain."""
    parts = path.split("/")
    host = parts[0].lower()
    if host in _GIT_HOSTS and len(parts) >= 2:
        return f"{host}/{parts[1].lower()}"
    if host == "gopkg.in" and len(parts) >= 2:  # `gopkg.in/yaml.v3`, `gopkg.in/user/pkg.v1`
        return f"{host}/{_MAJOR.sub('', parts[1]).lower()}"
    return host  # a vanity domain (`golang.org/x/...`, `k8s.io/...`) serves only what its owner puts there


def same_owner(ecosystem: Ecosystem, name: str, target: str) -> bool:
    """Whether `name` and `target` can only be published by one owner (one npm scope, one Go owner path)."""
    if ecosystem is Ecosystem.NPM:
        return name.startswith("@") and target.startswith("@") and name.split("/")[0] == target.split("/")[0]
    if ecosystem is Ecosystem.GO:
        return go_owner(name) == go_owner(target)
    return False


def _owner(ecosystem: Ecosystem, name: str) -> str | None:
    if ecosystem is Ecosystem.NPM:
        return name.split("/")[0] if name.startswith("@") and "/" in name else None
    return go_owner(name) if ecosystem is Ecosystem.GO else None


@functools.cache
def _popular_owners(ecosystem: Ecosystem) -> frozenset[str]:
    return frozenset(o for n in popular_names(ecosystem) if (o := _owner(ecosystem, n)) is not None)


def popular_owner(ecosystem: Ecosystem, name: str) -> bool:
    """Whether `name`'s owner (npm scope, Go owner path) publishes a package on the popular list."""
    owner = _owner(ecosystem, name)
    return owner is not None and owner in _popular_owners(ecosystem)


def _utc(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def established(record: RegistryRecord | None, settings: Settings, now: datetime) -> str | None:
    """Why `record` is an established package (a phrase), or `None` when any of the evidence is missing or young:
    first released a year or more ago, several releases spread over time, a source repository, nothing that
    says it was registered after being seen missing."""
    if record is None or record.status is not Status.EXISTS or not record.repository:
        return None
    if record.first_release is None or record.version_count is None:
        return None
    first = _utc(record.first_release)
    if record.first_missing_at is not None and first > _utc(record.first_missing_at):
        return None
    age = (now - first).days
    releases = record.version_count
    if age < ESTABLISHED_DAYS or releases < max(ESTABLISHED_RELEASES, settings.few_releases):
        return None
    if record.latest_release is not None and (_utc(record.latest_release) - first).days < ESTABLISHED_SPAN_DAYS:
        return None
    years = age // 365
    return f"first released {years} year{'s' if years != 1 else ''} ago, {releases} releases, a source repository"


def judge(
    ecosystem: Ecosystem,
    name: str,
    match: Match,
    record: RegistryRecord | None,
    settings: Settings,
    now: datetime,
) -> tuple[Reason, bool]:
    """The reason for `name` resembling `match.target`, and whether it is a typosquat finding (else `look-alike`)."""
    who = f"{ecosystem.value}:{name}"
    looks = f"{who} looks like the popular package {match.target} ({describe(match)})"
    where = "npm scope" if ecosystem is Ecosystem.NPM else "owner path"
    if same_owner(ecosystem, name, match.target):
        return Reason("look-alike", f"{looks}, in the same {where}: only its owner publishes there."), False
    if popular_owner(ecosystem, name):
        return Reason("look-alike", f"{looks}, but its {where} publishes popular packages itself."), False
    evidence = established(record, settings, now) if ecosystem is not Ecosystem.GO else None
    if evidence is not None:
        return Reason("look-alike", f"{looks}, but is itself an established package ({evidence})."), False
    return Reason("typosquat", f"{looks}: did you mean {match.target}?"), True
