"""Small helpers shared by the per-registry resolvers: time parsing, repository URLs, record building."""

from __future__ import annotations

import re
from datetime import datetime, timezone

from slopguard.config import Settings
from slopguard.models import Ecosystem, LookupKey, RegistryRecord, Status

TYPE_CHECKING = False  # not `typing.TYPE_CHECKING`: the hook loads this module on cold lookups
if TYPE_CHECKING:
    from collections.abc import Iterable
    from typing import Any

_CODE_HOSTS = ("github.com", "gitlab.com", "bitbucket.org", "codeberg.org", "sr.ht", "gitee.com")
_FRACTION = re.compile(r"\.(\d+)")


def parse_time(value: Any) -> datetime | None:
    """A timezone-aware UTC datetime from an ISO-8601 string (`Z` or offset; naive means UTC), else `None`."""
    if not isinstance(value, str) or not value:
        return None
    text = value.strip().replace("Z", "+00:00").replace("z", "+00:00")
    # Python 3.10's fromisoformat wants exactly 3 or 6 fraction digits.
    text = _FRACTION.sub(lambda m: "." + (m.group(1) + "000000")[:6], text, count=1)
    try:
        when = datetime.fromisoformat(text)
    except ValueError:
        return None
    if when.tzinfo is None:
        return when.replace(tzinfo=timezone.utc)
    return when.astimezone(timezone.utc)


def now_utc() -> datetime:
    """The current time, UTC."""
    return datetime.now(timezone.utc)


def span(times: Iterable[datetime | None]) -> tuple[datetime | None, datetime | None]:
    """Earliest and latest of the known `times`."""
    known = [t for t in times if t is not None]
    return (min(known), max(known)) if known else (None, None)


def repository_url(value: Any) -> str | None:
    """A browsable repository URL from npm/PyPI metadata (`git+https://...git`, `{url: ...}`, `github:a/b`)."""
    if isinstance(value, dict):
        value = value.get("url")
    if not isinstance(value, str) or not value.strip():
        return None
    url = value.strip()
    if url.startswith("github:"):
        url = "https://github.com/" + url[len("github:") :]
    elif re.match(r"^[\w.-]+/[\w.-]+$", url):  # npm shorthand "user/repo"
        url = "https://github.com/" + url
    url = re.sub(r"^git\+", "", url)
    url = re.sub(r"^git://", "https://", url)
    url = re.sub(r"^(ssh://)?git@([^:/]+)[:/]", r"https://\2/", url)
    if url.endswith(".git"):
        url = url[:-4]
    return url


def is_code_host(url: str) -> bool:
    """Whether `url` points at a known source-code host."""
    return any(host in url for host in _CODE_HOSTS)


def skipped(ecosystem: Ecosystem, name: str, why: str) -> RegistryRecord:
    """A record for a name slopguard deliberately did not ask about."""
    return RegistryRecord(ecosystem, name, Status.SKIPPED, error=why, fetched_at=now_utc())


def unknown(ecosystem: Ecosystem, name: str, why: str, source_url: str = "") -> RegistryRecord:
    """A record for a name the registry could not answer about."""
    return RegistryRecord(ecosystem, name, Status.UNKNOWN, source_url=source_url, error=why, fetched_at=now_utc())


def not_found(ecosystem: Ecosystem, name: str, source_url: str) -> RegistryRecord:
    """A record for a name the registry does not have."""
    return RegistryRecord(ecosystem, name, Status.NOT_FOUND, source_url=source_url, fetched_at=now_utc())


def base_url(key: LookupKey, settings: Settings) -> str:
    """The registry asked for `key`: its own index URL, else the npm scope's registry, else the default.

    For PyPI an index URL is a Simple root (what `pip -i` takes); for npm and Go, a registry or proxy base.
    """
    if key.index_url:
        return key.index_url.rstrip("/")
    if key.ecosystem is Ecosystem.PYPI:
        return settings.pypi_url.rstrip("/")
    if key.ecosystem is Ecosystem.GO:
        return settings.goproxy.rstrip("/")
    from slopguard.config.indexes import npm_registry_for

    return npm_registry_for(key.name, settings)
