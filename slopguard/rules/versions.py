"""`version-not-found`: a pinned version or a range that none of the versions the registry lists satisfies.

A spec is judged only when it is a version or a range of its ecosystem: PEP 440 specifiers (`packaging`) for
PyPI, npm semver ranges (`nodesemver`, a port of npm's own `semver`) for npm, and for Go a canonical version
(`v1.2.3`, a pseudo-version, `+incompatible`), a prefix query (`v1`, `v1.2`) or a comparison (`<v1.3`).
Tags, branches, commit hashes and `latest` are not pins and are never judged; nor is any spec when the record
does not list its versions. The libraries load only when a ref has a spec that needs them, so the agent hook
pays nothing for plain names. A Go pin the proxy's `@v/list` lacks is asked of the proxy one by one
(`go_probes`, then `LookupKey.version` records): an unreachable proxy there is "could not tell", never a finding.
"""

from __future__ import annotations

import re

from slopguard.models import Ecosystem, LookupKey, PackageRef, Reason, RegistryRecord, Status

TYPE_CHECKING = False  # not `typing.TYPE_CHECKING`: importing typing costs ~7 ms on the hook's cold path
if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping, Sequence

_GO_EXACT = re.compile(r"^v(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-[0-9A-Za-z.-]+)?(?:\+incompatible)?$")
_GO_PREFIX = re.compile(r"^v(0|[1-9]\d*)(?:\.(0|[1-9]\d*))?$")
_GO_COMPARE = re.compile(r"^(<=|>=|<|>)(v\S+)$")
_NPM_EXACT = re.compile(r"^\s*=?\s*v?(\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?)(?:\+[0-9A-Za-z.-]+)?\s*$")
_NPM_ANY = frozenset({"", "*", "x", "X", "latest"})
_MAX_SPEC = 256
"""Longer specs are not judged (the range parsers are regex-based; nothing real is that long)."""
_REGISTRY = {Ecosystem.PYPI: "PyPI", Ecosystem.NPM: "npm", Ecosystem.GO: "the Go module proxy"}


def _shown(spec: str) -> str:
    return spec if len(spec) <= 60 else spec[:57] + "..."


def go_exact(spec: str | None) -> bool:
    """Whether `spec` is one exact Go module version (release, pre-release, pseudo-version, `+incompatible`)."""
    return spec is not None and _GO_EXACT.match(spec) is not None


def go_probes(refs: Sequence[PackageRef], record: RegistryRecord | None) -> list[str]:
    """The exact Go versions pinned in `refs` that `record`'s `@v/list` lacks: each is asked of the proxy."""
    if record is None or record.status is not Status.EXISTS or record.versions is None:
        return []
    listed = set(record.versions)
    wanted = (r.spec for r in refs if r.ecosystem is Ecosystem.GO and r.source is None)
    return list(dict.fromkeys(s for s in wanted if s is not None and go_exact(s) and s not in listed))


def probe_keys(
    groups: Mapping[tuple[Ecosystem, str], Sequence[PackageRef]],
    records: Mapping[LookupKey, RegistryRecord],
    key_of: Callable[[Ecosystem, str, Sequence[PackageRef]], LookupKey | None],
) -> list[LookupKey]:
    """One `LookupKey.version` key per Go pin of `groups` that its module's record does not list."""
    keys: list[LookupKey] = []
    for (ecosystem, name), refs in groups.items():
        key = key_of(ecosystem, name, refs) if ecosystem is Ecosystem.GO else None
        record = records.get(key) if key is not None else None
        if record is not None:
            keys += [LookupKey(ecosystem, record.name, version=v) for v in go_probes(refs, record)]
    return keys


def by_module(records: Mapping[LookupKey, RegistryRecord]) -> dict[tuple[Ecosystem, str], dict[str, RegistryRecord]]:
    """The one-version records among `records`, by (ecosystem, module) and version."""
    out: dict[tuple[Ecosystem, str], dict[str, RegistryRecord]] = {}
    for key, record in records.items():
        if key.version is not None:
            out.setdefault((key.ecosystem, key.name), {})[key.version] = record
    return out


def version_reasons(
    ecosystem: Ecosystem,
    name: str,
    refs: Sequence[PackageRef],
    record: RegistryRecord,
    probes: Mapping[str, RegistryRecord] | None = None,
) -> list[Reason]:
    """`version-not-found` for the specs in `refs` no listed version satisfies; for a Go pin whose own lookup
    (`probes`, version -> record) could not tell, `registry-unavailable`."""
    if record.status is not Status.EXISTS or record.versions is None or record.unpublished or record.security_holder:
        return []
    if not record.versions and ecosystem is not Ecosystem.GO:  # nothing installable is listed: not a version matter
        return []
    # With an extra index, pip takes a version from any index: one slopguard did not ask may have it.
    judged = [r for r in refs if r.spec and r.source is None and "extra-index-url" not in r.notes]
    specs = list(dict.fromkeys(r.spec.strip() for r in judged if r.spec))
    specs = [s for s in specs if s and len(s) <= _MAX_SPEC]
    if not specs:
        return []
    missing: list[str] = []
    unsure: list[str] = []
    newest_first = record.versions[::-1]  # registries list oldest first; most specs match a recent version
    for spec in specs:
        found: bool | str | None
        if ecosystem is Ecosystem.PYPI:
            found = _pypi_satisfied(spec, newest_first)
        elif ecosystem is Ecosystem.NPM:
            found = _npm_satisfied(spec, newest_first)
        else:
            found = _go_satisfied(spec, record.versions, probes or {})
        if found is False:
            missing.append(spec)
        elif found == "unknown":
            unsure.append(spec)
    out: list[Reason] = []
    where = _REGISTRY[ecosystem]
    if missing:
        newest = _newest(ecosystem, record)
        tail = f"; the newest is {newest}." if newest else "."
        exact = [_pinned(ecosystem, s) for s in missing]
        if all(e is not None for e in exact):
            shown = " or ".join(_shown(str(e)) for e in exact)
            text = f"{name} has no version {shown} on {where}{tail}"
        else:
            shown = " or ".join(_shown(s) for s in missing)
            text = f"no version of {name} on {where} satisfies {shown}{tail}"
        out.append(Reason("version-not-found", text + " Use a version the registry lists."))
    if unsure:
        shown = " or ".join(_shown(s) for s in unsure)
        out.append(
            Reason(
                "registry-unavailable",
                f"{where} could not be asked whether {name} has version {shown}, so slopguard cannot vouch for it.",
            )
        )
    return out


def _pinned(ecosystem: Ecosystem, spec: str) -> str | None:
    """The one version `spec` pins (`==1.2.3`, `1.2.3`, `v1.2.3`), else `None` (a range)."""
    if ecosystem is Ecosystem.PYPI:
        match = re.match(r"^(?:===?)?\s*([0-9][^,*\s]*)$", spec) or re.match(r"^===?\s*([^,*\s]+)$", spec)
        return match.group(1) if match else None
    if ecosystem is Ecosystem.NPM:
        match = _NPM_EXACT.match(spec)
        return match.group(1) if match else None
    return spec if go_exact(spec) else None


def _newest(ecosystem: Ecosystem, record: RegistryRecord) -> str | None:
    if record.latest_version:
        return record.latest_version
    versions = list(record.versions or ())
    if ecosystem is Ecosystem.GO:
        from slopguard.names import go_semver_key

        return max(versions, key=go_semver_key, default=None)
    return versions[-1] if versions else None


def _pypi_satisfied(spec: str, versions: Iterable[str]) -> bool | None:
    """Whether a listed version satisfies PEP 440 specifier `spec` (a bare version pins it); `None` when `spec` is
    not one (poetry's `^`)."""
    from packaging.specifiers import InvalidSpecifier, SpecifierSet

    if "+" in spec:  # a local version (`torch==2.1.0+cpu`): PyPI refuses them, so it comes from another index
        return None
    if spec[:1].isdigit():  # `uvx ruff@0.5.0`, `poetry add x@1.2`, poetry's `x = "1.2.3"`: that one version
        spec = "==" + spec
    try:
        wanted = SpecifierSet(spec)
    except InvalidSpecifier:
        return None
    for version in versions:
        try:
            if wanted.contains(version, prereleases=True):
                return True
        except ValueError:  # a legacy version string PEP 440 cannot read
            continue
    return False


def _npm_satisfied(spec: str, versions: Sequence[str]) -> bool | None:
    """Whether a listed version satisfies npm range `spec`; `None` for a dist-tag or anything not a range."""
    exact = _NPM_EXACT.match(spec)
    if exact is not None:  # the common pin, without loading the range library
        pinned = exact.group(1)
        return any(v == pinned or v.split("+", 1)[0] == pinned for v in versions)
    if spec in _NPM_ANY or spec.isalpha():  # `*`, `latest`, a dist-tag: not judged, and no library loaded
        return None
    import nodesemver

    try:
        wanted = nodesemver.make_range(spec, True)
    except (ValueError, TypeError):  # not a range: a dist-tag such as `next` or `beta`
        return None
    for version in versions:
        try:
            if wanted.test(version, include_prerelease=True):
                return True
        except (ValueError, TypeError):  # a version npm's semver cannot read
            continue
    return False


def _go_satisfied(spec: str, versions: Sequence[str], probes: Mapping[str, RegistryRecord]) -> bool | str | None:
    """Whether Go query `spec` finds a version: listed, or (an exact pin) served by the proxy when asked.

    `None` for what is not a version query (`latest`, `upgrade`, branches, hashes), `"unknown"` when the proxy
    could not tell.
    """
    if go_exact(spec):
        if spec in versions:
            return True
        probe = probes.get(spec)
        if probe is None or probe.status in (Status.UNKNOWN, Status.SKIPPED):
            return "unknown"
        return probe.status is Status.EXISTS
    from slopguard.names import go_semver_key as semver_key

    tagged = [v for v in versions if go_exact(v)]
    if not tagged:
        return None  # a module without tags: `go` answers queries from its commits, which slopguard does not list
    prefix = _GO_PREFIX.match(spec)
    if prefix is not None:
        return any(v == spec or v.startswith(spec + ".") for v in tagged)
    compare = _GO_COMPARE.match(spec)
    if compare is None or not go_exact(_padded(compare.group(2))):
        return None
    import operator

    test = {"<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge}[compare.group(1)]
    bound = semver_key(_padded(compare.group(2)))
    return any(test(semver_key(v), bound) for v in tagged)


def _padded(version: str) -> str:
    """`v1` -> `v1.0.0`, `v1.2` -> `v1.2.0` (Go's comparison queries accept short versions)."""
    core = version.split("-", 1)[0].split("+", 1)[0]
    missing = 2 - core.count(".")
    return version.replace(core, core + ".0" * missing, 1) if missing > 0 else version
