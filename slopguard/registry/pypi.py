"""PyPI and PEP 503/691 indexes: the JSON API, confirmed by the Simple API (JSON or HTML) before "not found"."""

from __future__ import annotations

from urllib.parse import quote

from slopguard.config import Settings
from slopguard.models import Ecosystem, LookupKey, RegistryRecord, Status
from slopguard.names import canonicalize
from slopguard.registry.common import base_url, is_code_host, not_found, now_utc, parse_time, repository_url, span
from slopguard.registry.http import Fetcher
from slopguard.registry.validate import decode_json, pypi_project, simple_kind, simple_project

TYPE_CHECKING = False  # not `typing.TYPE_CHECKING`: importing typing costs ~7 ms on the hook's cold path
if TYPE_CHECKING:
    from typing import Any

SIMPLE_ACCEPT = "application/vnd.pypi.simple.v1+json, application/vnd.pypi.simple.v1+html;q=0.2, text/html;q=0.1"
_REPO_KEYS = ("source", "source code", "repository", "code", "github", "gitlab", "homepage", "home")


def lookup(fetcher: Fetcher, key: LookupKey, settings: Settings) -> RegistryRecord:
    """What PyPI (or the key's index) says about `key.name`; raises `RegistryError` when it cannot tell."""
    canonical = canonicalize(Ecosystem.PYPI, key.name)
    name = quote(canonical, safe="")
    if key.index_url:
        return _simple(fetcher, canonical, f"{base_url(key, settings)}/{name}/")
    base = base_url(key, settings)
    url = f"{base}/pypi/{name}/json"
    response = fetcher.get(url)
    if response.status_code != 200:  # 404/410: "never existed", "no releases", "quarantined" or "deleted"
        return _simple(fetcher, canonical, f"{base}/simple/{name}/")
    return _from_json(canonical, str(response.url), pypi_project(decode_json(response.content), canonical))


def _from_json(name: str, url: str, data: dict[str, Any]) -> RegistryRecord:
    info: dict[str, Any] = data["info"]  # shapes checked by `validate.pypi_project`
    releases: dict[str, list[dict[str, Any]]] = data["releases"]
    with_files = [v for v in releases.values() if v]
    count = len(with_files)
    listed = tuple(version for version, files in releases.items() if files)  # what pip can install
    files = [f for v in with_files for f in v]
    times = [parse_time(f.get("upload_time_iso_8601") or f.get("upload_time")) for f in files]
    first, last = span(times)
    version = info.get("version")
    return RegistryRecord(
        ecosystem=Ecosystem.PYPI,
        name=name,
        status=Status.EXISTS,
        source_url=url,
        fetched_at=now_utc(),
        first_release=first,
        latest_release=last,
        latest_version=version if isinstance(version, str) else None,
        version_count=count,
        repository=_repository(info),
        yanked=bool(files) and all(f.get("yanked") for f in files),
        versions=listed,
    )


def _repository(info: dict[str, Any]) -> str | None:
    urls = info.get("project_urls")
    candidates: list[str] = []
    if isinstance(urls, dict):
        by_label = {str(k).strip().lower(): v for k, v in urls.items() if isinstance(v, str)}
        candidates += [by_label[k] for k in _REPO_KEYS if k in by_label]
        candidates += [v for v in by_label.values() if is_code_host(v)]
    if isinstance(info.get("home_page"), str):
        candidates.append(info["home_page"])
    normalised = [u for u in (repository_url(c) for c in candidates) if u]
    for url in normalised:
        if is_code_host(url):
            return url
    return normalised[0] if normalised else None


def _simple(fetcher: Fetcher, name: str, url: str) -> RegistryRecord:
    """The Simple API's answer: 404 -> not found; quarantined or fileless -> exists, quarantined."""
    response = fetcher.get(url, SIMPLE_ACCEPT)
    if response.status_code != 200:
        return not_found(Ecosystem.PYPI, name, url)
    if simple_kind(response.headers.get("content-type", "")) == "json":
        data = simple_project(decode_json(response.content), name)
        status_obj = data.get("project-status")
        status = str(status_obj.get("status", "")) if isinstance(status_obj, dict) else ""
        reason = str(status_obj.get("reason") or "") if isinstance(status_obj, dict) else ""
        files = [f for f in data.get("files") or [] if isinstance(f, dict)]
        listed = [v for v in data.get("versions") or [] if isinstance(v, str)]
    else:
        status, files = _simple_html(response.text)
        listed, reason = [], ""
    times = [parse_time(f.get("upload-time")) for f in files]
    first, last = span(times)
    versions = _file_versions(name, files) or set(listed)
    return RegistryRecord(
        ecosystem=Ecosystem.PYPI,
        name=name,
        status=Status.EXISTS,
        source_url=str(response.url),
        fetched_at=now_utc(),
        first_release=first,
        latest_release=last,
        latest_version=_newest(versions),
        version_count=len(versions) if files or listed else 0,
        yanked=bool(files) and all(f.get("yanked") not in (None, False) for f in files),
        deprecated=(reason or "deprecated") if status.lower() == "deprecated" else None,
        quarantined=status.lower() == "quarantined" or not files,
        archived=status.lower() == "archived",
        versions=tuple(sorted(versions)) if versions else None,
    )


def _file_versions(name: str, files: list[dict[str, Any]]) -> set[str]:
    from packaging.utils import InvalidSdistFilename, InvalidWheelFilename, parse_sdist_filename, parse_wheel_filename

    versions: set[str] = set()
    for f in files:
        filename = str(f.get("filename", ""))
        try:
            if filename.endswith(".whl"):
                versions.add(str(parse_wheel_filename(filename)[1]))
            elif filename.endswith((".tar.gz", ".zip")):
                versions.add(str(parse_sdist_filename(filename)[1]))
        except (InvalidWheelFilename, InvalidSdistFilename, ValueError):
            continue
    return versions


def _newest(versions: set[str]) -> str | None:
    from packaging.version import InvalidVersion, Version

    parsed: list[tuple[Version, str]] = []
    for v in versions:
        try:
            parsed.append((Version(v), v))
        except InvalidVersion:
            continue
    return max(parsed)[1] if parsed else None


def _simple_html(text: str) -> tuple[str, list[dict[str, Any]]]:
    """The project status and the file links of a PEP 503 HTML page (html.parser is loaded only here)."""
    from html.parser import HTMLParser

    class _SimpleHTML(HTMLParser):
        """PEP 503 HTML: file links (`data-yanked`) and the PEP 792 `pypi:project-status` meta tag."""

        def __init__(self) -> None:
            super().__init__()
            self.files: list[dict[str, Any]] = []
            self.status = ""
            self._href: dict[str, Any] | None = None

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            found = dict(attrs)
            if tag == "a" and found.get("href"):
                self._href = {"url": found["href"], "filename": "", "yanked": found.get("data-yanked", None)}
                if "data-yanked" in found and found["data-yanked"] is None:
                    self._href["yanked"] = True
                self.files.append(self._href)
            elif tag == "meta" and found.get("name") == "pypi:project-status":
                self.status = found.get("content") or ""

        def handle_data(self, data: str) -> None:
            if self._href is not None:
                self._href["filename"] += data.strip()

        def handle_endtag(self, tag: str) -> None:
            if tag == "a":
                self._href = None

    page = _SimpleHTML()
    page.feed(text)
    return page.status, page.files
