"""The documented shape of every registry reply slopguard reads; anything else raises `Malformed` ("could not tell").

A reply becomes a record only after passing here: npm packuments, the PyPI JSON API, the PEP 691 / 503
Simple API and the GOPROXY `@v/list`, `@latest` and `.info` answers, as the real samples in
/work/shared/fixtures/registry/ show them. The checks are about types and identity (the reply is about
the name asked), not about optional metadata: a missing `time.created` stays "unknown", never guessed.
Messages never quote the reply, which is untrusted.
"""

from __future__ import annotations

import json
import re

from slopguard.errors import Malformed
from slopguard.models import Ecosystem
from slopguard.names import canonicalize

TYPE_CHECKING = False  # not `typing.TYPE_CHECKING`: the hook loads this module on cold lookups
if TYPE_CHECKING:
    from typing import Any

GO_VERSION = re.compile(r"^v[0-9A-Za-z.+-]+$")
"""One line of a GOPROXY `@v/list`, and the `Version` of an `.info` / `@latest` answer."""
SIMPLE_JSON_TYPES = frozenset({"application/vnd.pypi.simple.v1+json", "application/json"})
SIMPLE_HTML_TYPES = frozenset({"application/vnd.pypi.simple.v1+html", "text/html"})


def decode_json(content: bytes) -> Any:
    """Parse a JSON body; malformed (or absurdly nested) JSON is `Malformed`, never "missing"."""
    try:
        return json.loads(content)
    except (ValueError, UnicodeDecodeError, RecursionError) as exc:
        why = str(exc)[:80] if not isinstance(exc, RecursionError) else "nested too deeply"
        raise Malformed(f"malformed JSON ({why})") from None


def _object(data: Any, what: str) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise Malformed(f"malformed {what} (not a JSON object)")
    return data


def _field(doc: dict[str, Any], key: str, kind: type, what: str, *, required: bool = False) -> Any:
    """`doc[key]` when it has type `kind`; absent (or `null`) is `None` unless `required`."""
    value = doc.get(key)
    if value is None and not required:
        return None
    if not isinstance(value, kind) or isinstance(value, bool) is not (kind is bool):
        raise Malformed(f"malformed {what} ('{key}' is not {'an object' if kind is dict else 'a ' + kind.__name__})")
    return value


def _all(values: Any, kind: type, what: str) -> None:
    if not all(isinstance(v, kind) for v in values):
        raise Malformed(f"malformed {what}")


def npm_packument(data: Any, name: str) -> dict[str, Any]:
    """A full npm packument for exactly `name` (case-sensitive): `versions` maps versions to manifests,
    `time` and `dist-tags` map names to strings; an unpublished package may lack `versions`."""
    what = "npm packument"
    doc = _object(data, what)
    if _field(doc, "name", str, what, required=True) != name:
        raise Malformed("npm packument for another package (its 'name' differs from the name asked)")
    times = _field(doc, "time", dict, what) or {}
    unpublished = times.get("unpublished")
    _all((v for k, v in times.items() if k != "unpublished"), str, f"{what} ('time' values are not strings)")
    if unpublished is not None and not isinstance(unpublished, dict):
        raise Malformed(f"malformed {what} ('time.unpublished' is not an object)")
    versions = _field(doc, "versions", dict, what, required=unpublished is None)
    _all((versions or {}).values(), dict, f"{what} (a version is not an object)")
    tags = _field(doc, "dist-tags", dict, what) or {}
    _all(tags.values(), str, f"{what} ('dist-tags' values are not strings)")
    return doc


def pypi_project(data: Any, canonical: str) -> dict[str, Any]:
    """A PyPI JSON API project (`/pypi/<name>/json`) for `canonical`: `info` with the project's `name`, and
    `releases` mapping versions to lists of file objects."""
    what = "PyPI JSON"
    doc = _object(data, what)
    info = _field(doc, "info", dict, what, required=True)
    name = _field(info, "name", str, f"{what} info", required=True)
    if canonicalize(Ecosystem.PYPI, name) != canonical:
        raise Malformed("PyPI JSON for another project (its 'info.name' differs from the name asked)")
    _field(info, "version", str, f"{what} info")
    _field(info, "project_urls", dict, f"{what} info")
    releases = _field(doc, "releases", dict, what, required=True)
    for files in releases.values():
        if not isinstance(files, list):
            raise Malformed(f"malformed {what} (a release is not a list of files)")
        _all(files, dict, f"{what} (a release file is not an object)")
    _all(_field(doc, "urls", list, what) or (), dict, f"{what} (a file in 'urls' is not an object)")
    return doc


def simple_kind(content_type: str) -> str:
    """The kind ("json" or "html") of a 200 Simple API answer of `content_type`; any other type is `Malformed`."""
    kind = content_type.split(";")[0].strip().lower()
    if kind in SIMPLE_JSON_TYPES:
        return "json"
    if kind in SIMPLE_HTML_TYPES:
        return "html"
    raise Malformed("Simple API page of the wrong content type (neither PEP 691 JSON nor HTML)")


def simple_project(data: Any, canonical: str) -> dict[str, Any]:
    """A PEP 691 project page for `canonical`: `meta`, `name`, `files` (objects with a string `filename`),
    optional `versions` (strings) and `project-status` (an object)."""
    what = "Simple API JSON"
    doc = _object(data, what)
    _field(doc, "meta", dict, what, required=True)
    name = _field(doc, "name", str, what, required=True)
    if canonicalize(Ecosystem.PYPI, name) != canonical:
        raise Malformed("Simple API JSON for another project (its 'name' differs from the name asked)")
    files = _field(doc, "files", list, what, required=True)
    _all(files, dict, f"{what} (a file is not an object)")
    for f in files:
        _field(f, "filename", str, f"{what} file", required=True)
        _field(f, "upload-time", str, f"{what} file")
    _all(_field(doc, "versions", list, what) or (), str, f"{what} (a version is not a string)")
    status = _field(doc, "project-status", dict, what)
    if status is not None:
        _field(status, "status", str, f"{what} project-status")
        _field(status, "reason", str, f"{what} project-status")
    return doc


def go_list(text: str) -> list[str]:
    """The versions of a GOPROXY `@v/list` answer: one version per line, blank lines ignored."""
    versions = [v.strip() for v in text.splitlines() if v.strip()]
    if any(not GO_VERSION.match(v) for v in versions):
        raise Malformed("malformed @v/list (not one version per line)")
    return versions


def go_info(data: Any) -> dict[str, Any]:
    """A GOPROXY `.info` / `@latest` answer: `Version` (a version string) and an optional string `Time`."""
    what = "GOPROXY .info"
    doc = _object(data, what)
    if not GO_VERSION.match(_field(doc, "Version", str, what, required=True)):
        raise Malformed(f"malformed {what} ('Version' is not a version)")
    _field(doc, "Time", str, what)
    return doc
