"""The GOPROXY protocol: `@v/list`, `@latest` and `.info`, resolving package paths to their module."""

from __future__ import annotations

import re
from fnmatch import fnmatchcase
from urllib.parse import quote

from slopguard.config import Settings
from slopguard.models import Ecosystem, LookupKey, RegistryRecord, Status
from slopguard.names import go_escape, go_semver_key
from slopguard.registry.common import base_url, not_found, now_utc, parse_time
from slopguard.registry.http import Fetcher
from slopguard.registry.validate import decode_json, go_info, go_list

_REPO_HOSTS = {"github.com", "gitlab.com", "bitbucket.org", "codeberg.org", "gitee.com"}
"""Hosts where a module path is at least host/owner/repo, so shorter prefixes are never modules."""
_SEMVER = re.compile(r"^v(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$")


def is_private(path: str, patterns: tuple[str, ...]) -> bool:
    """GOPRIVATE/GONOPROXY semantics: a glob matches a prefix of whole path elements (`path.Match` globs)."""
    elements = path.split("/")
    for pattern in patterns:
        pattern = pattern.strip().rstrip("/")
        if not pattern:
            continue
        globs = pattern.split("/")
        if len(globs) > len(elements):
            continue
        if all(fnmatchcase(e, _go_glob(g)) for e, g in zip(elements, globs, strict=False)):
            return True
    return False


def _go_glob(glob: str) -> str:
    # path.Match negates a class with '^', fnmatch with '!'.
    return glob.replace("[^", "[!")


def candidates(path: str) -> list[str]:
    """Module paths that may hold package `path`, longest first (as `go get` tries them)."""
    elements = path.split("/")
    least = 3 if elements[0] in _REPO_HOSTS else 1
    least = min(least, len(elements))
    return ["/".join(elements[:n]) for n in range(len(elements), least - 1, -1)]


def lookup(fetcher: Fetcher, key: LookupKey, settings: Settings) -> RegistryRecord:
    """The module holding `key.name` on the proxy; raises `RegistryError` when the proxy cannot tell."""
    base = base_url(key, settings)
    for module in candidates(key.name):
        record = _module(fetcher, base, module)
        if record is not None:
            return record
    return not_found(Ecosystem.GO, key.name, f"{base}/{_escaped(key.name)}/@v/list")


def _escaped(module: str) -> str:
    return quote(go_escape(module), safe="/!~")


def _module(fetcher: Fetcher, base: str, module: str) -> RegistryRecord | None:
    root = f"{base}/{_escaped(module)}/@v"
    listing = fetcher.get(f"{root}/list", "text/plain")
    if listing.status_code != 200:
        return None
    versions = go_list(listing.text)
    latest = fetcher.get(f"{base}/{_escaped(module)}/@latest")
    info = go_info(decode_json(latest.content)) if latest.status_code == 200 else {}
    if not versions and not info:
        return None
    oldest = min((v for v in versions if _SEMVER.match(v)), key=semver_key, default=None)
    first = None
    if oldest is not None:
        response = fetcher.get(f"{root}/{quote(oldest, safe='')}.info")
        if response.status_code == 200:  # `Time` is author-controlled (the commit time)
            first = parse_time(go_info(decode_json(response.content)).get("Time"))
    version = info.get("Version")
    return RegistryRecord(
        ecosystem=Ecosystem.GO,
        name=module,
        status=Status.EXISTS,
        source_url=f"{root}/list",
        fetched_at=now_utc(),
        first_release=first,
        latest_release=parse_time(info.get("Time")),
        latest_version=version,
        version_count=len(versions),
        versions=tuple(versions),
        repository="https://" + "/".join(module.split("/")[:3]) if module.split("/")[0] in _REPO_HOSTS else None,
    )


def lookup_version(fetcher: Fetcher, key: LookupKey, settings: Settings) -> RegistryRecord:
    """Whether module `key.name` serves `key.version` (`.info`): a proxy serves pinned versions its `@v/list`
    lacks (pseudo-versions, some `+incompatible` ones). 404/410 is "not found"; a fault raises `RegistryError`."""
    assert key.version is not None
    url = f"{base_url(key, settings)}/{_escaped(key.name)}/@v/{quote(go_escape(key.version), safe='!~')}.info"
    response = fetcher.get(url)
    if response.status_code != 200:
        return not_found(Ecosystem.GO, key.name, url)
    info = go_info(decode_json(response.content))
    return RegistryRecord(
        ecosystem=Ecosystem.GO,
        name=key.name,
        status=Status.EXISTS,
        source_url=url,
        fetched_at=now_utc(),
        latest_release=parse_time(info.get("Time")),
        latest_version=str(info["Version"]),
        versions=(key.version,),
    )


semver_key = go_semver_key
"""Sort key for Go semantic versions (`slopguard.names.go_semver_key`)."""
