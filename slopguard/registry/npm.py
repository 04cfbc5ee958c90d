"""The npm registry: full packuments (`time.created`, versions, deprecation, unpublished, security holders)."""

from __future__ import annotations

from slopguard.config import Settings
from slopguard.models import Ecosystem, LookupKey, RegistryRecord, Status
from slopguard.names import npm_url_name
from slopguard.registry.common import base_url, not_found, now_utc, parse_time, repository_url
from slopguard.registry.http import Fetcher
from slopguard.registry.validate import decode_json, npm_packument

TYPE_CHECKING = False  # not `typing.TYPE_CHECKING`: importing typing costs ~7 ms on the hook's cold path
if TYPE_CHECKING:
    from typing import Any

SECURITY_HOLDER_VERSION = "0.0.1-security"
_ACCEPT = "application/json"
"""The full packument; the abbreviated form (`application/vnd.npm.install-v1+json`) has no `time.created`."""


def lookup(fetcher: Fetcher, key: LookupKey, settings: Settings) -> RegistryRecord:
    """What the npm registry says about `key.name` (case-sensitive); raises `RegistryError` when it cannot tell."""
    url = f"{base_url(key, settings)}/{npm_url_name(key.name)}"
    response = fetcher.get(url, _ACCEPT)
    if response.status_code != 200:  # 404 / 410; a 200 is a packument or a fault, never "missing"
        return not_found(Ecosystem.NPM, key.name, url)
    return _from_packument(key.name, str(response.url), npm_packument(decode_json(response.content), key.name))


def _from_packument(name: str, url: str, data: dict[str, Any]) -> RegistryRecord:
    times: dict[str, Any] = data.get("time") or {}  # shapes checked by `validate.npm_packument`
    versions: dict[str, Any] = data.get("versions") or {}
    created = parse_time(times.get("created"))  # mirrors may omit it: then unknown, never guessed
    if times.get("unpublished") and not versions:
        return RegistryRecord(
            Ecosystem.NPM,
            name,
            Status.EXISTS,
            source_url=url,
            fetched_at=now_utc(),
            first_release=created,
            latest_release=parse_time(times.get("modified")),
            version_count=0,
            unpublished=True,
        )
    tags: dict[str, str] = data.get("dist-tags") or {}
    latest = tags.get("latest")
    if latest is None and versions:
        latest = list(versions)[-1]
    manifest = versions.get(latest) if latest else None
    manifest = manifest if isinstance(manifest, dict) else {}
    deprecated = manifest.get("deprecated")
    holder = list(versions) == [SECURITY_HOLDER_VERSION]
    return RegistryRecord(
        ecosystem=Ecosystem.NPM,
        name=name,
        status=Status.EXISTS,
        source_url=url,
        fetched_at=now_utc(),
        first_release=created,
        latest_release=(parse_time(times.get(latest)) if latest else None) or parse_time(times.get("modified")),
        latest_version=latest,
        version_count=len(versions),
        repository=repository_url(manifest.get("repository")) or repository_url(data.get("repository")),
        deprecated=deprecated if isinstance(deprecated, str) and deprecated else None,
        security_holder=holder,
        quarantined=holder,
        versions=tuple(versions),
    )
